"""Public pages, no login: a published quarterly statement (公开账目) with the questions on
its lines, and the same statement as an A4 PDF. Asking needs a login (a resident)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core.errors import RefusedError
from tongxin.demands.posters import render_pdf
from tongxin.finance import selectors
from tongxin.finance.services import questions


def _published(pk):
    found = selectors.published(pk)
    if found is None:
        raise Http404("no published statement")
    return found


def statement(request, pk):
    found = _published(pk)
    context = selectors.statement_view(found, request.user)
    context["can_ask"] = questions.may_ask(request.user, found.account.place)
    return render(request, "finance/public/statement.html", context)


@login_required
@require_POST
def ask(request, pk):
    found = _published(pk)
    entry = request.POST.get("entry", "")
    try:
        questions.ask(request.user, found, entry, request.POST.get("text", ""))
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("Your question is sent; the answer will appear under the line."))
    anchor = f"#line-{entry}" if entry.isdigit() else ""
    return redirect(f"{found.get_absolute_url()}{anchor}")


def statement_pdf(request, pk):
    """The statement on A4 for the notice board, in Chinese: no questions, nothing fetched."""
    found = _published(pk)
    context = selectors.statement_view(found)
    context["printed_on"] = timezone.localdate()
    context["base"] = request.build_absolute_uri("/").rstrip("/")
    with translation.override("zh-hans"):   # printed for the notice board: in Chinese
        html = render_to_string("finance/public/statement_pdf.html", context)
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="statement-{found.pk}-{found.year}q{found.quarter}.pdf"')
    return response
