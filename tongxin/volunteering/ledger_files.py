"""The ledger's files: the Excel workbooks (the ledger for a period, a work unit's quarter),
the printable service certificate (服务证明, PDF), and the activity's QR poster (PDF)."""

from __future__ import annotations

import datetime

import segno
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.workbooks import add_sheet, new_workbook, to_bytes
from tongxin.demands.posters import render_pdf
from tongxin.volunteering import activity_rules as rules


def ledger_workbook(groupings: dict[str, list[dict]], titles: dict[str, str]) -> bytes:
    """One sheet per grouping (person, team, unit, community): name, hours, tasks."""
    workbook = new_workbook()
    header = [_("Name"), _("Hours"), _("Completed tasks")]
    for by, rows in groupings.items():
        add_sheet(workbook, titles[by], header, ([r["name"], rules.hours(r["minutes"]), r["tasks"]] for r in rows),
                  widths=(24, 14, 14))
    return to_bytes(workbook)


def unit_workbook(members: list[dict], projects: list) -> bytes:
    """A work unit's quarter: its members with hours and tasks, and its joint projects."""
    workbook = new_workbook()
    add_sheet(workbook, _("Members"), [_("Name"), _("Community"), _("Service posts"), _("Hours"), _("Completed tasks")],
              ([m["name"], m["community"], "、".join(m["posts"]), rules.hours(m["minutes"]), m["tasks"]]
            for m in members), widths=(16, 20, 30, 10, 10))
    add_sheet(workbook, _("Joint projects"), [_("Title"), _("Community"), _("Year"), _("Goals"), _("Goals met")],
           ([p.title, p.registration.community.name, p.year, p.goals,
             "" if p.goals_met is None else (_("Yes") if p.goals_met else _("No"))] for p in projects),
           widths=(30, 20, 8, 60, 10))
    return to_bytes(workbook)


def certificate_pdf(*, name: str, communities: list[str], start: datetime.date, end: datetime.date,
                    minutes: int, tasks: int, activities: int, issued_by: str = "") -> bytes:
    """服务证明: one A4 page, the member's name, community, period, hours and tasks."""
    html = render_to_string("volunteering/ledger/certificate.html", {
        "name": name, "communities": "、".join(communities), "start": start,
        "last": end - datetime.timedelta(days=1), "hours": rules.hours(minutes), "tasks": tasks,
        "activities": activities, "issued_on": timezone.localdate(), "issued_by": issued_by,
    })
    return render_pdf(html)


def activity_poster_pdf(activity, url: str) -> bytes:
    """The QR code of an activity for its venue: scan to check in and out."""
    qr = segno.make(url, error="h", micro=False).svg_data_uri(border=0, omitsize=True)
    html = render_to_string("volunteering/activities/poster.html", {
        "activity": activity, "url": url, "qr": qr, "printed_on": timezone.localdate(),
    })
    return render_pdf(html)
