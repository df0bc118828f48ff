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
    people = list(Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end).order_by("pk")[:2])
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
    return []
