"""The scope walker's requests for the property accounts' pages (``core.scopewalker``): the
test compound managed by a company, its standard, a year's bills and a published quarter's
income. Grid A's roles must not see grid B's households' bills, nor pay or publish anything."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from tongxin.core.models import Organisation, OrganisationPlace
    from tongxin.core.testing import OUTSIDE_MARKER, login_for
    from tongxin.property.models import Bill, IncomeReport
    from tongxin.property.services import bills, income, standards

    compound = world.places["compound"]
    company = Organisation.objects.create(code="walk-property-co", name="走查物业", kind="property_company",
                                          place=compound, started_on=datetime.date(2020, 1, 1))
    OrganisationPlace.objects.create(organisation=company, place=compound, relation="manages",
                                     valid_from=datetime.date(2020, 1, 1))
    keeper = login_for(world, "walk-property-keeper", "property_staff", organisation=company, phone="15599990001")
    standards.create(keeper, compound, effective_from=datetime.date(2026, 1, 1), basis="物业服务合同",
                     items=[standards.Item("service", "物业服务费", "m2_month", "1.20")])
    bills.generate(keeper, compound, 2026)
    b2_bill = Bill.objects.filter(building=world.places["b2"]).order_by("pk").first()
    report = income.open_report(keeper, compound, 2026, 1)
    income.add_line(keeper, report, kind="advertising", description="电梯广告", gross_yuan="1000", cost_yuan="100")
    published = income.publish(keeper, report)
    draft = income.open_report(keeper, compound, 2026, 2)
    income.add_line(keeper, draft, kind="parking", description=f"{OUTSIDE_MARKER}停车", gross_yuan="10")
    draft = IncomeReport.objects.get(pk=draft.pk)
    code = compound.code
    return [
        Probe("property-home"),
        Probe("property-compound", {"code": code}),
        Probe("property-compound", {"code": code}, method="post", data={"action": "generate", "year": "2027"}),
        Probe("property-standard-new", {"code": code}),
        Probe("property-standard-new", {"code": code}, method="post",
              data={"effective_from": "2027-01-01", "basis": "x", "kind1": "service", "unit1": "m2_month",
                    "price1": "9"}),
        Probe("property-bills", {"code": code}),
        Probe("property-bills", {"code": code}, query=f"building={world.places['b2'].code}"),
        Probe("property-bill-pay", {"pk": b2_bill.pk}, method="post", data={"amount": ""}),
        Probe("property-income-edit", {"pk": draft.pk}),
        Probe("property-income-edit", {"pk": draft.pk}, method="post", data={"action": "publish"}),
        Probe("property-my-bills"),
        Probe("property-public", {"code": code}, public=True),
        Probe("property-income", {"pk": published.pk}, public=True),
    ]
