"""The import page: upload a register workbook, check it, import it; and the template.

Checking is the default: the page reports every problem (sheet, row, column, reason)
or what the import would add and update, and the user imports with one more click. The
import itself is ``registers.importer`` (all or nothing, idempotent, scoped).
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.roles import MANAGE_REGISTER
from tongxin.core.workbooks import XLSX
from tongxin.registers.forms import ImportForm
from tongxin.registers.importer import import_registers
from tongxin.registers.workbook import template


def _require_manager(user) -> None:
    if not access.has_permission(user, MANAGE_REGISTER):
        raise Http404("not allowed")


@login_required
def register_import(request):
    _require_manager(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    outcome = None
    if request.method == "POST" and form.is_valid():
        check_only = form.cleaned_data["check_only"]
        outcome = import_registers(
            request.user, form.cleaned_data["file"].read(), dry_run=check_only,
            key=None if check_only else form.cleaned_data["form_key"],
        )
        if outcome.ok:
            form = ImportForm(initial={"check_only": False})  # checked: the next click imports
    status = 200
    if request.method == "POST":
        status = 400 if outcome is None else 200 if outcome.ok else 422
    return render(request, "registers/import.html", {"form": form, "outcome": outcome}, status=status)


@login_required
def import_template(request):
    _require_manager(request.user)
    response = HttpResponse(template(), content_type=XLSX)
    name = _("register-import-template")  # the file's name in the user's language
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.xlsx")
    return response
