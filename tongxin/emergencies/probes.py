"""The scope walker's requests for emergencies' pages (``core.scopewalker``): a water-cut
notice for grid B's building, which grid A's roles must neither see, tick nor close; and a
household's own link, public."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    from tongxin.core.models import Household
    from tongxin.emergencies import links
    from tongxin.emergencies.models import EmergencyNotice, Reach

    building = world.places["b2"]
    notice = EmergencyNotice.objects.create(place=building, place_path=building.path, kind="water_cut",
                                            title="停水通知", body="明早 8 点停水", raised_by=world.users["staff"],
                                            target=6)
    household = Household.objects.filter(place=world.places["b2u1"]).order_by("pk").first()
    other = Household.objects.filter(place=world.places["b2u2"]).order_by("pk").first()
    reach = Reach.objects.create(notice=notice, household=other, block=building, place_path=other.place_path,
                                 way="phone", at=notice.raised_at, needs_help=True)
    signature = links.signature(notice.pk, household.pk)
    return [
        Probe("emergencies-list"),
        Probe("emergencies-list", method="post", data={"place": building.code, "kind": "flood", "title": "x",
                                                      "body": "x", "form_key": "probe-1"}),
        Probe("emergencies-board", {"pk": notice.pk}),
        Probe("emergencies-block", {"pk": notice.pk, "code": building.code}),
        Probe("emergencies-tick", {"pk": notice.pk}, method="post", data={"household": household.pk, "way": "door"}),
        Probe("emergencies-help-handled", {"pk": notice.pk, "reach_pk": reach.pk}, method="post"),
        Probe("emergencies-close", {"pk": notice.pk}, method="post"),
        Probe("emergencies-report", {"pk": notice.pk}),
        Probe("emergencies-confirm", {"notice_pk": notice.pk, "household_pk": household.pk, "signature": signature},
              public=True, households=(household.pk,)),
    ]
