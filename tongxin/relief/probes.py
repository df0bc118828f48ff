"""The scope walker's requests for relief's pages (``core.scopewalker``): an open, published
distribution at grid B's building, with grid B's households on the list, which grid A's roles
must neither see, hand over to nor change."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    from tongxin.relief import services
    from tongxin.relief.models import Distribution, Entitlement, Item

    building = world.places["b2"]
    distribution = Distribution.objects.create(place=building, place_path=building.path, title="冬季物资",
                                               rule_tags=["elderly_alone"], created_by=world.users["staff"])
    Item.objects.create(distribution=distribution, name="棉被", unit="床", stock_quantity=10)
    services.open_distribution(world.users["staff"], distribution)
    services.publish(world.users["staff"], distribution)
    distribution.refresh_from_db()
    entitlement = Entitlement.objects.filter(distribution=distribution).first()
    return [
        Probe("relief-list"),
        Probe("relief-list", method="post", data={"place": building.code, "title": "x", "kind": "other"}),
        Probe("relief-detail", {"pk": distribution.pk}),
        Probe("relief-detail", {"pk": distribution.pk}, method="post", data={"action": "close"}),
        Probe("relief-eligible", {"pk": distribution.pk}),
        Probe("relief-hand-over", {"pk": entitlement.pk}),
        Probe("relief-hand-over", {"pk": entitlement.pk}, method="post", data={"action": "send_code"}),
        Probe("relief-public", {"token": distribution.public_token}, public=True),
    ]
