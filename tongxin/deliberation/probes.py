"""The scope walker's requests for deliberation's pages (``core.scopewalker``): records of grid B
(building 2) and of the community, which grid A's roles do not cover."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.deliberation import rules
    from tongxin.deliberation.models import Consultation, ConsultationEvent, MajorMatter, MatterStep
    from tongxin.demands.services import qr_for

    community, b2 = world.places["community"], world.places["b2"]
    token = qr_for(world.places["b2u1"]).token
    hidden = MajorMatter.objects.create(place=community, place_path=community.path, title=f"{OUTSIDE_MARKER}议题",
                                        description=OUTSIDE_MARKER, resolving_body=rules.RESIDENTS_MEETING)
    MatterStep.objects.create(matter=hidden, seq=1, step=rules.PROPOSE, actor=f"{OUTSIDE_MARKER}党委",
                              held_on=datetime.date(2026, 3, 1), outcome=rules.PROCEED)
    # Published (两公开): its page is public by design; it shows nothing of grid B.
    published = MajorMatter.objects.create(place=community, place_path=community.path, title="加装电梯",
                                           description="x", resolving_body=rules.RESIDENTS_MEETING,
                                           state=rules.PUBLISHED, resolution="同意")
    consultation = Consultation.objects.create(place=b2, place_path=b2.path, level="building",
                                               title=f"{OUTSIDE_MARKER}楼道", body=OUTSIDE_MARKER,
                                               raised_by_name=f"{OUTSIDE_MARKER}居民")
    ConsultationEvent.objects.create(consultation=consultation, kind="raised", text=OUTSIDE_MARKER,
                                     by_name=f"{OUTSIDE_MARKER}居民")
    decided = Consultation.objects.create(place=community, place_path=community.path, level="community",
                                          title="楼道照明", body="x", state=rules.DECIDED, decision="同意")
    step = {"actor": "x", "held_on": "2026-03-02", "outcome": "proceed", "present": "9", "entitled": "9",
            "votes_for": "9"}
    return [
        Probe("deliberation-matters"),
        Probe("deliberation-matters", query="state=proposed"),
        Probe("deliberation-matter-new"),
        Probe("deliberation-matter-new", method="post", data={"place": community.pk, "title": "x"}),
        Probe("deliberation-matter", {"pk": hidden.pk}),
        Probe("deliberation-matter", {"pk": hidden.pk}, method="post", data=step),
        Probe("deliberation-public", {"token": published.token}, public=True),
        Probe("deliberation-consultations"),
        Probe("deliberation-consultations", query="state=raised"),
        Probe("deliberation-consultation-new"),
        Probe("deliberation-consultation-new", method="post", data={"title": "x"}),
        Probe("deliberation-consultation", {"pk": consultation.pk}),
        Probe("deliberation-consultation", {"pk": consultation.pk}, method="post",
              data={"action": "accept", "r-reason": ""}),
        Probe("deliberation-consultation", {"pk": consultation.pk}, method="post",
              data={"action": "comment", "c-text": "x"}),
        Probe("deliberation-consultation-public", {"token": decided.token}, public=True),
        Probe("deliberation-raise", {"token": token}, public=True),
        Probe("deliberation-raise", {"token": token}, method="post", data={"title": "x", "form_key": "walk-delib"},
              public=True),
        Probe("deliberation-mine"),
    ]
