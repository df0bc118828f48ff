"""Campaign results as an Excel workbook (the manifest's ``Export``): the closed and open
campaigns at and under a place the user may see, one row each, and their questions."""

from __future__ import annotations

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Font

from tongxin.evaluation.selectors import campaigns as selectors


def _header(sheet, names) -> None:
    sheet.append([str(name) for name in names])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"


def _num(value):
    return None if value is None else float(round(value, 2))


def workbook(campaigns: list) -> bytes:
    found = selectors.results(campaigns)
    book = Workbook()
    sheet = book.active
    sheet.title = str(_("Evaluations"))[:31]
    _header(sheet, [_("Place"), _("Evaluation"), _("What is evaluated"), _("Opens on"), _("Closes on"),
                    _("closed"), _("Households answered"), _("Panel members scored"), _("Residents"),
                    pgettext("evaluation", "Panel"), _("Weighted score")])
    for campaign in campaigns:
        result = found[campaign.pk]
        sheet.append([campaign.place.name, campaign.title, selectors.subject_label(campaign), campaign.opens_on,
                      campaign.closes_on, _("Yes") if campaign.closed_at else _("No"), result.households,
                      result.panel_done, _num(result.residents), _num(result.panel), _num(result.overall)])
    questions = book.create_sheet(str(_("By question"))[:31])
    _header(questions, [_("Evaluation"), _("Question"), _("Residents"), _("Residents' answers"),
                        pgettext("evaluation", "Panel"), _("Panel answers"), _("Weighted score")])
    for campaign in campaigns:
        for question, r, p, w in found[campaign.pk].rows:
            questions.append([campaign.title, f"{question.number}. {question.text}", _num(r.mean), r.count,
                              _num(p.mean), p.count, _num(w)])
    for ws in (sheet, questions):
        ws.column_dimensions["A"].width = 24
        ws.column_dimensions["B"].width = 30
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def results(user, place) -> tuple[str, bytes]:
    """``/exports/evaluation-results/<place>/``: campaigns at and under ``place`` the user may see."""
    campaigns = list(selectors.visible(user).filter(place_path__gte=place.path, place_path__lt=place.path_end)
                     .select_related("place", "organisation").order_by("place_path", "closes_on", "pk")[:2000])
    return f"evaluation-{place.code}.xlsx", workbook(campaigns)
