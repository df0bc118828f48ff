"""The printable agreement (人民调解协议书, PDF with Chinese fonts; art. 29's contents): the
parties (names, phones masked: each party keeps a copy), the facts and responsibilities,
what was agreed, how and by when, and the signature lines."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from tongxin.core.privacy import mask_phone
from tongxin.demands.posters import render_pdf


def agreement_html(case, agreement) -> str:
    signed = {s.party_id: s for s in agreement.signatures.all()}
    parties = [{"name": p.name, "phone": mask_phone(p.phone_number), "signature": signed.get(p.pk)}
               for p in case.parties.all()]
    return render_to_string("mediation/agreement_pdf.html", {
        "case": case, "agreement": agreement, "parties": parties,
        "mediators": [m.person.name for m in case.mediators.all()], "printed_on": timezone.localdate(),
    })


def agreement_pdf(case, agreement) -> bytes:
    return render_pdf(agreement_html(case, agreement))
