"""The scope walker's requests for voting's pages (``core.scopewalker``): grid B's register,
a draft, an open and a closed decision there, asked for by grid A's roles."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.utils import timezone

    from tongxin.voting.models import Decision, ExclusiveUnit
    from tongxin.voting.services import ballots, decisions, register

    b2, staff = world.places["b2"], world.users["worker_b"]
    register.seed_from_households(b2)
    unit = ExclusiveUnit.objects.filter(place_path__startswith=b2.path).order_by("id").first()
    closes_at = timezone.now() + datetime.timedelta(days=7)
    draft = decisions.create_decision(staff, b2, title="walk-draft", item=4, closes_at=closes_at)
    live = decisions.open_decision(staff, decisions.create_decision(staff, b2, title="walk-open", item=4,
                                                                    closes_at=closes_at))
    closed = decisions.open_decision(staff, decisions.create_decision(staff, b2, title="walk-closed", item=4,
                                                                      closes_at=closes_at))
    first = closed.voters.order_by("id").first()
    ballot, _changed = ballots.enter_paper(staff, first, choice="agree")
    Decision.objects.filter(pk=closed.pk).update(closes_at=timezone.now())
    decisions.close_decision(closed)
    voter = live.voters.order_by("id").first()
    return [
        Probe("voting-decisions"),
        Probe("voting-decisions", query="state=open"),
        Probe("voting-decision-new"),
        Probe("voting-decision-new", method="post", data={"form_key": "walk-voting-new", "place": b2.pk,
                                                          "title": "x", "item": "4"}),
        Probe("voting-decision", {"pk": live.pk}),
        Probe("voting-decision", {"pk": closed.pk}),
        Probe("voting-decision-open", {"pk": draft.pk}, method="post"),
        Probe("voting-decision-close", {"pk": live.pk}, method="post"),
        Probe("voting-paper", {"pk": live.pk}),
        Probe("voting-letters", {"pk": live.pk}),
        Probe("voting-paper", {"pk": live.pk}, method="post", data={"voter": voter.pk, "choice": "agree"}),
        Probe("voting-units"),
        Probe("voting-units", query="q=1"),
        Probe("voting-units", method="post", data={"place": b2.pk}),
        Probe("voting-unit", {"pk": unit.pk}),
        Probe("voting-unit", {"pk": unit.pk}, method="post", data={"action": "update", "register_area": "1"}),
        # The owner's personal link: the token is the grant; it may name its place only.
        Probe("voting-ballot", {"token": voter.token}, public=True),
        Probe("voting-result", {"pk": closed.pk}, public=True),
        Probe("voting-ballot-list", {"pk": closed.pk}, public=True),
        Probe("voting-receipt", {"pk": closed.pk}, query=f"code={ballot.receipt}", public=True),
    ]
