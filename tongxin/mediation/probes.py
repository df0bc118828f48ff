"""The scope walker's requests for mediation's pages (``core.scopewalker``): a case in grid B
(named with the marker, a party from the registers and one typed in, grid B's worker as
mediator, a session, a written agreement signed on paper by one party), and a case handed
off. Grid A's roles must neither see nor change them."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.core.files.base import ContentFile

    from tongxin.core.models import Person
    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.mediation.models import Agreement, Case, HandOff, Mediator, Party, Session, Signature

    b2 = world.places["b2"]
    resident = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end,
                                     care__isnull=True).order_by("pk").first()
    day = datetime.date(2026, 1, 5)
    case = Case.objects.create(place=b2, place_path=b2.path, title=f"{OUTSIDE_MARKER}漏水纠纷", case_type="neighbours",
                               channel="in_person", applicant=f"{OUTSIDE_MARKER}申请人", facts=f"{OUTSIDE_MARKER}事实",
                               investigation=f"{OUTSIDE_MARKER}调查", state="agreed", outcome="agreement",
                               received_on=day, accepted_on=day, deadline=datetime.date(2026, 2, 5))
    registered = Party.objects.create(case=case, person=resident, name=resident.name, order=0)
    Party.objects.create(case=case, name=f"{OUTSIDE_MARKER}乙方", phone="13912340000", order=1)
    Mediator.objects.create(case=case, person=world.people["worker_b"], role="staff")
    Session.objects.create(case=case, held_on=day, attended=f"{OUTSIDE_MARKER}双方", record=f"{OUTSIDE_MARKER}记录")
    agreement = Agreement.objects.create(case=case, form="written", text=f"{OUTSIDE_MARKER}责任",
                                         terms=f"{OUTSIDE_MARKER}条款", reached_on=day)
    signature = Signature.objects.create(agreement=agreement, party=registered, method="paper",
                                         scan=ContentFile(b"%PDF-1.4 Zzmarker", name="s.pdf"))
    handed = Case.objects.create(place=b2, place_path=b2.path, title=f"{OUTSIDE_MARKER}打架", case_type="damage",
                                 channel="initiative", state="handed_off", outcome="handed_off", received_on=day,
                                 concluded_on=day, closed_on=day)
    HandOff.objects.create(case=handed, to_kind="police", to_whom=f"{OUTSIDE_MARKER}派出所", on=day,
                           reason=f"{OUTSIDE_MARKER}治安")
    pk = case.pk
    return [
        Probe("mediation-cases"),
        Probe("mediation-cases", query="q=Zzmark"),
        Probe("mediation-cases", query="state=handed_off"),
        Probe("mediation-mine"),
        Probe("mediation-case-new"),
        Probe("mediation-case-new", query=f"q=Zzmark&person={resident.pk}"),
        Probe("mediation-case-new", method="post", data={
            "title": "x", "place": str(b2.pk), "case_type": "other", "channel": "initiative",
            "person": [str(resident.pk)], "party_name": ["甲"], "party_phone": ["13900001111"],
            "form_key": "walk-mediation-1"}),
        Probe("mediation-case", {"pk": pk}),
        Probe("mediation-case", {"pk": pk}, query="phones=1"),
        Probe("mediation-case", {"pk": handed.pk}),
        *[Probe("mediation-case", {"pk": pk}, method="post", data={"action": action, **data}) for action, data in (
            ("session", {"attended": "x", "record": "x"}), ("follow_up", {"kept": "kept"}),
            ("investigation", {"investigation": "x"}), ("hand_off", {"to_kind": "police", "to_whom": "x",
                                                                       "reason": "x"}),
            ("sign_paper", {"party": registered.pk}), ("close", {}), ("mediator", {"person": resident.pk}),
        )],
        Probe("mediation-agreement-pdf", {"pk": pk}),
        Probe("mediation-signature-scan", {"pk": pk, "signature_pk": signature.pk}),
        Probe("mediation-stats"),
        Probe("mediation-stats", query=f"place={b2.pk}"),
    ]
