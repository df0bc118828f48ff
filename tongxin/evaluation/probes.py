"""The scope walker's requests for evaluation's pages (``core.scopewalker``): a campaign at
grid B's building, which grid A's roles must neither see, answer nor close."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.evaluation.models import Campaign, Question

    building = world.places["b2"]
    today = datetime.date.today()
    campaign = Campaign.objects.create(
        place=building, place_path=building.path, title=f"{OUTSIDE_MARKER}测评", subject_kind="compound",
        opens_on=today, closes_on=today + datetime.timedelta(days=7), created_by=world.users["worker_b"],
    )
    question = Question.objects.create(campaign=campaign, number=1, text=f"{OUTSIDE_MARKER}问题")
    return [
        Probe("evaluation-campaigns"),
        Probe("evaluation-campaign-new"),
        # Refused: no place of grid B may be chosen by grid A's roles; nothing written.
        Probe("evaluation-campaign-new", method="post", data={"place": building.code, "title": "x",
                                                             "subject_kind": "compound", "questions": "x"}),
        Probe("evaluation-campaign", {"pk": campaign.pk}),
        Probe("evaluation-campaign", {"pk": campaign.pk}, method="post", data={"action": "close"}),
        Probe("evaluation-answer", {"pk": campaign.pk}),
        Probe("evaluation-answer", {"pk": campaign.pk}, method="post", data={f"q{question.pk}": "5"}),
    ]
