"""The scope walker's requests for the rules' pages (``core.scopewalker``): a rule at grid B's
compound-like building with a published version and a draft, which grid A's roles must neither
see, draft nor publish; its public pages are open to anyone."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.utils import timezone

    from tongxin.bylaws.models import Bylaw, BylawVersion
    from tongxin.core.testing import OUTSIDE_MARKER

    # Grid B's building stands in for a compound of grid B (the walker's tree has one compound).
    place = world.places["b2"]
    bylaw = Bylaw.objects.create(place=place, place_path=place.path, kind="rules_of_procedure",
                                 title="2栋议事规则")
    BylawVersion.objects.create(bylaw=bylaw, number=1, text="第一条 公开的规则。", basis="居民会议通过",
                                effective_on=datetime.date(2026, 1, 1), published_at=timezone.now())
    draft = BylawVersion.objects.create(bylaw=bylaw, number=2, text=f"{OUTSIDE_MARKER}草稿",
                                        basis=OUTSIDE_MARKER, effective_on=datetime.date(2026, 6, 1))
    secret = Bylaw.objects.create(place=place, place_path=place.path, kind="fee_standard",
                                  title=f"{OUTSIDE_MARKER}收费标准")
    BylawVersion.objects.create(bylaw=secret, number=1, text=OUTSIDE_MARKER, basis="x",
                                effective_on=datetime.date(2026, 1, 1))
    return [
        Probe("bylaws-list"),
        Probe("bylaws-new"),
        # Refused: no place of grid B may be chosen by grid A's roles; nothing written.
        Probe("bylaws-new", method="post", data={"place": place.code, "kind": "fee_standard", "title": "x"}),
        Probe("bylaws-bylaw", {"pk": bylaw.pk}),
        Probe("bylaws-bylaw", {"pk": secret.pk}),
        Probe("bylaws-bylaw", {"pk": bylaw.pk}, method="post",
              data={"action": "draft", "text": "x", "effective_on": "2026-07-01", "basis": "x"}),
        Probe("bylaws-bylaw", {"pk": bylaw.pk}, method="post", data={"action": "publish", "version": draft.pk}),
        Probe("bylaws-bylaw", {"pk": bylaw.pk}, method="post", data={"action": "discard", "version": draft.pk}),
        # Public: the published version only, never the draft nor the unpublished rule.
        Probe("bylaws-public", {"code": place.code}, public=True),
        Probe("bylaws-public-rule", {"pk": bylaw.pk}, public=True),
        Probe("bylaws-public-rule", {"pk": secret.pk}, public=True),
    ]
