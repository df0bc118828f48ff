"""The scope walker's requests for co-funded projects (``core.scopewalker``): a collecting
project of the test compound for grid B's building, which grid A's roles must neither see
nor pay into (its households' unit numbers carry the marker); its public page may name its
places and nothing else."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    from decimal import Decimal

    from tongxin.cofunding import services
    from tongxin.cofunding.models import OwnerShare

    staff, compound = world.users["staff"], world.places["compound"]
    project = services.create(
        staff, compound, title="2栋加装电梯", budget_fen=30000000, owners_rule="per_area",
        buildings=[world.places["b2"].pk],
        sources=[services.SourceInput("policy", "政策资金", fixed_fen=10000000),
                 services.SourceInput("owners", "受益业主", percent=Decimal(100))],
    )
    services.open_collection(staff, project)
    share = OwnerShare.objects.filter(project=project).order_by("id").first()
    services.record_payment(staff, share, amount_fen=100, receipt_no="walk-1")
    return [
        Probe("cofunding-projects"),
        Probe("cofunding-project-new"),
        Probe("cofunding-project-new", method="post", data={
            "compound": str(compound.pk), "buildings": [str(world.places["b2"].pk)], "title": "x", "budget": "100",
            "owners_rule": "per_household", "s1_kind": "owners", "s1_name": "x", "s1_percent": "100"}),
        Probe("cofunding-project", {"pk": project.pk}),
        Probe("cofunding-project", {"pk": project.pk}, query=f"pay={share.pk}"),
        Probe("cofunding-project", {"pk": project.pk}, method="post",
              data={"action": "pay", "share": str(share.pk), "amount": "1", "receipt_no": "walk-2"}),
        Probe("cofunding-mine"),
        Probe("cofunding-public", {"pk": project.pk}, public=True),
    ]
