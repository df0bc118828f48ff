"""The scope walker's requests for care's pages (``core.scopewalker``), by part."""

from tongxin.core.registry import Probe  # noqa: F401


def probes(world) -> list:
    return [*_register(world), *_visits(world)]


# --- the register and pairing ------------------------------------------------------------
def _register(world) -> list:
    """A care subject in grid B (named with the marker, with notes and a contact carrying it),
    paired with grid B's worker; and one that left the register. Grid A's roles must neither
    see nor change them."""
    from tongxin.care.models import CareSubject, EmergencyContact, Pairing
    from tongxin.core.models import Person
    from tongxin.core.testing import OUTSIDE_MARKER

    b2 = world.places["b2"]
    people = list(Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end, care__isnull=True)
                  .order_by("pk")[:2])  # other apps' probes (alarms) plant subjects of their own
    subject = CareSubject.objects.create(person=people[0], home_path=people[0].home_path, risk="high",
                                         needs=f"{OUTSIDE_MARKER}需要", health_notes=f"{OUTSIDE_MARKER}病情")
    EmergencyContact.objects.create(subject=subject, name=f"{OUTSIDE_MARKER}儿子", phone="13912345678")
    pairing = Pairing.objects.create(subject=subject, helper=world.people["worker_b"], role="grid_worker",
                                     valid_from="2026-01-05")
    closed = CareSubject.objects.create(person=people[1], home_path=people[1].home_path, closed_on="2026-02-01",
                                        closed_reason=f"{OUTSIDE_MARKER}搬走")
    pk = subject.pk
    return [
        Probe("care-subjects"),
        Probe("care-subjects", query="q=Zzmark"),
        Probe("care-subjects", query="closed=1"),
        Probe("care-subject-new"),
        Probe("care-subject-new", query="q=Zzmark"),
        Probe("care-subject-new", query=f"person={people[1].pk}"),
        Probe("care-subject-new", method="post", data={
            "person": people[1].pk, "categories": ["special_hardship"], "risk": "low", "form_key": "walk-care-1"}),
        Probe("care-subject", {"pk": pk}),
        Probe("care-subject", {"pk": closed.pk}),
        Probe("care-subject", {"pk": pk}, query="helper_q=Zzmark"),
        Probe("care-subject", {"pk": pk}, query="withdraw=elderly_alone"),
        Probe("care-subject", {"pk": pk}, method="post", data={"action": "withdraw", "category": "elderly_alone"}),
        Probe("care-subject", {"pk": pk}, method="post", data={"action": "update", "risk": "low", "needs": "x"}),
        Probe("care-subject", {"pk": pk}, method="post", data={"action": "category", "category": "low_income"}),
        Probe("care-subject", {"pk": pk}, method="post",
              data={"action": "pair", "helper": people[1].pk, "role": "neighbour"}),
        Probe("care-subject", {"pk": pk}, method="post", data={"action": "unpair", "pairing": pairing.pk}),
        Probe("care-subject", {"pk": pk}, method="post", data={"action": "close", "reason": "x"}),
        Probe("care-my-subjects"),
    ]


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
    person = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end, tags__tag="elderly_alone",
                                   care__isnull=True).order_by("pk").first()  # not the register part's subjects
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
