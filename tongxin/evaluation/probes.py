"""The scope walker's requests for evaluation's pages (``core.scopewalker``): a campaign at
grid B's building, which grid A's roles must neither see, answer nor close."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    return [*_campaigns(world), *_awards(world)]


def _campaigns(world) -> list:
    import datetime

    from django.utils import timezone

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.evaluation.models import Campaign, Question

    building = world.places["b2"]
    today = datetime.date.today()
    campaign = Campaign.objects.create(
        place=building, place_path=building.path, title=f"{OUTSIDE_MARKER}测评", subject_kind="compound",
        opens_on=today, closes_on=today + datetime.timedelta(days=7), created_by=world.users["worker_b"],
    )
    question = Question.objects.create(campaign=campaign, number=1, text=f"{OUTSIDE_MARKER}问题")
    closed = Campaign.objects.create(
        place=building, place_path=building.path, title=f"{OUTSIDE_MARKER}已结束测评", subject_kind="compound",
        opens_on=today, closes_on=today, created_by=world.users["worker_b"], closed_at=timezone.now(),
    )
    Question.objects.create(campaign=closed, number=1, text=f"{OUTSIDE_MARKER}问题")
    return [
        Probe("evaluation-campaigns"),
        Probe("evaluation-results"),
        Probe("evaluation-results", query=f"place={building.code}"),
        Probe("evaluation-campaign-new"),
        # Refused: no place of grid B may be chosen by grid A's roles; nothing written.
        Probe("evaluation-campaign-new", method="post", data={"place": building.code, "title": "x",
                                                             "subject_kind": "compound", "questions": "x"}),
        Probe("evaluation-campaign", {"pk": campaign.pk}),
        Probe("evaluation-campaign", {"pk": campaign.pk}, method="post", data={"action": "close"}),
        Probe("evaluation-answer", {"pk": campaign.pk}),
        Probe("evaluation-answer", {"pk": campaign.pk}, method="post", data={f"q{question.pk}": "5"}),
    ]


def _awards(world) -> list:
    """A published round at grid B's building: a winner (public page) and a marked pending nominee."""
    from django.utils import timezone

    from tongxin.core.models import Household
    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.evaluation.models import AwardPanelMember, AwardRound, Nomination

    building, worker = world.places["b2"], world.users["worker_b"]
    household = Household.objects.filter(place_path__startswith=building.path).order_by("pk").first()
    award_round = AwardRound.objects.create(place=building, place_path=building.path, kind="family", year=2026,
                                            quarter=1, public_vote=True, token="walk-award-token",
                                            created_by=worker)
    Nomination.objects.create(award_round=award_round, nominee_kind="household", household=household,
                              nominee_name="张家", reason="孝老爱亲", nominated_by=worker, status="approved",
                              winner=True)
    pending = Nomination.objects.create(award_round=award_round, nominee_kind="person",
                                        nominee_name=f"{OUTSIDE_MARKER}好人", reason=OUTSIDE_MARKER,
                                        nominated_by=worker)
    open_round = AwardRound.objects.create(place=building, place_path=building.path, kind="hygiene", year=2026,
                                           quarter=2, token="walk-award-open", created_by=worker)
    AwardPanelMember.objects.create(award_round=open_round, user=worker, added_by=worker)
    open_pending = Nomination.objects.create(award_round=open_round, nominee_kind="building", building=building,
                                             nominee_name=f"{OUTSIDE_MARKER}楼", reason=OUTSIDE_MARKER,
                                             nominated_by=worker)
    AwardRound.objects.filter(pk=award_round.pk).update(published_at=timezone.now())
    return [
        Probe("evaluation-awards"),
        Probe("evaluation-awards", method="post", data={"place": building.code, "kind": "family", "year": "2026",
                                                       "quarter": "3"}),
        Probe("evaluation-award-round", {"pk": award_round.pk}),
        Probe("evaluation-award-round", {"pk": open_round.pk}, method="post",
              data={"action": "nominate", "nominee": f"building:{building.pk}", "reason": "x"}),
        Probe("evaluation-award-round", {"pk": open_round.pk}, query="q=1"),
        Probe("evaluation-award-round", {"pk": open_round.pk}, method="post",
              data={"action": "panel", "panel": "13100000003"}),
        Probe("evaluation-award-round", {"pk": open_round.pk}, method="post",
              data={"action": "panel_approve", "nomination": open_pending.pk}),
        Probe("evaluation-award-round", {"pk": award_round.pk}, method="post",
              data={"action": "approve", "nomination": pending.pk}),
        Probe("evaluation-award-winners", {"token": award_round.token}, public=True),
    ]
