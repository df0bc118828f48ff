"""The keepers' page of residents' questions: unanswered first (oldest first), answered below."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.finance import selectors
from tongxin.finance.apps import KEEP
from tongxin.finance.models import LineQuestion
from tongxin.finance.services import questions


@login_required
def question_list(request):
    if not access.has_permission(request.user, KEEP):
        raise PermissionDenied
    if request.method == "POST":
        pk = request.POST.get("question", "")
        found = (LineQuestion.objects.filter(access.path_filter(request.user, KEEP, "statement__account__place_path"),
                                             pk=pk).first() if pk.isdigit() else None)
        if found is None:
            messages.error(request, _("No such question among the books you keep."))
        else:
            try:
                questions.answer(request.user, found, request.POST.get("answer", ""))
            except RefusedError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The answer is published under the line."))
        return redirect("finance-questions")
    waiting, answered = selectors.to_answer(request.user)
    return render(request, "finance/questions.html", {"waiting": waiting, "answered": answered})
