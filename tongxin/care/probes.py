"""The scope walker's requests for care's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe  # noqa: F401


def probes(world) -> list:
    return [*_register(world), *_visits(world)]


# --- the register and pairing ------------------------------------------------------------
def _register(world) -> list:
    return []


# --- visits and campaigns ----------------------------------------------------------------
def _visits(world) -> list:
    """Grid B's elderly resident on the register, paired with grid B's worker, overdue, visited
    once with a photo; a campaign over building 2 with one household ticked off."""
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from tongxin.care.models import Campaign, CampaignVisit, CareSubject, Pairing, Visit, VisitPhoto
    from tongxin.core.models import Household, Person
    from tongxin.core.testing import OUTSIDE_MARKER

    b2 = world.places["b2"]
    person = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end, tags__tag="elderly_alone").first()
    subject = CareSubject.objects.create(person=person, home_path=person.home_path, needs=f"{OUTSIDE_MARKER}需要",
                                         next_visit_due=timezone.localdate() - datetime.timedelta(days=3))
    Pairing.objects.create(subject=subject, helper=world.people["worker_b"], role="grid_worker",
                           valid_from=datetime.date(2026, 1, 1))
    visit = Visit.objects.create(subject=subject, visitor=world.people["worker_b"], visited_at=timezone.now(),
                                 observations=f"{OUTSIDE_MARKER}看到")
    photo = VisitPhoto.objects.create(visit=visit, image=ContentFile(b"\xff\xd8\xff", name="v.jpg"))
    campaign = Campaign.objects.create(title=f"{OUTSIDE_MARKER}走访", place=b2, place_path=b2.path,
                                       questions=[f"{OUTSIDE_MARKER}问题"], starts_on=datetime.date(2026, 1, 1))
    household = Household.objects.filter(place_path__gte=b2.path, place_path__lt=b2.path_end).first()
    CampaignVisit.objects.create(campaign=campaign, household=household, place_path=household.place_path,
                                 outcome="reached", note=f"{OUTSIDE_MARKER}备注", visited_at=timezone.now())
    return [
        Probe("care-visit-new", {"pk": subject.pk}),
        Probe("care-visit-new", {"pk": subject.pk}, method="post",
              data={"kind": "home", "observations": "xx", "form_key": "walk-care-visit"}),
        Probe("care-visit-photo", {"pk": subject.pk, "photo_pk": photo.pk}),
        Probe("care-overdue"),
        Probe("care-campaigns"),
        Probe("care-campaigns", method="post",
              data={"title": "xx", "place": str(b2.pk), "starts_on": "2026-01-01", "form_key": "walk-care-camp"}),
        Probe("care-campaign", {"pk": campaign.pk}),
        Probe("care-campaign", {"pk": campaign.pk}, query=f"building={b2.pk}"),
        Probe("care-campaign-household", {"pk": campaign.pk, "household_pk": household.pk}),
        Probe("care-campaign-household", {"pk": campaign.pk, "household_pk": household.pk}, method="post",
              data={"outcome": "nobody_home", "form_key": "walk-care-tick"}),
    ]
