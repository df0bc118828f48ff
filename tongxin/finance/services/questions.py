"""Residents' questions on a line of a published statement, and the keepers' answers
(``docs/finance.md``, "Questions on a line"). Every write in one transaction, checked."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import HouseholdMember, Place
from tongxin.core.tree import lineage
from tongxin.finance.apps import KEEP, VIEW
from tongxin.finance.models import LineQuestion, Statement

QUESTION_MAX = 500
ANSWER_MAX = 2000


def line_url(statement: Statement, entry_id: int) -> str:
    """The public page at the line's anchor."""
    return f"{reverse('finance-statement', args=[statement.pk])}#line-{entry_id}"


def lives_under(user, place: Place) -> bool:
    """A current member of a household (not closed) at the place or under it."""
    if not user.is_authenticated or not user.person_id:
        return False
    today = timezone.localdate()
    return (HouseholdMember.objects
            .filter(person_id=user.person_id, household__closed_on__isnull=True,
                    household__place_path__gte=place.path, household__place_path__lt=place.path_end)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=today)).filter(valid_from__lte=today).exists())


def may_ask(user, place: Place) -> bool:
    """Who may ask about a compound's accounts: its residents, and staff who see its books."""
    if not user.is_authenticated:
        return False
    return access.can_see_path(user, VIEW, place.path) or lives_under(user, place)


def keepers_of(place: Place) -> list:
    """The users who keep the books of ``place`` (``finance.keep`` there): by a role at it or
    above, at a grid covering it, or in an organisation that manages or serves it."""
    from tongxin.core.models import GridCoverage, OrganisationPlace
    from tongxin.core.registry import role_permissions

    roles = [role for role, perms in role_permissions().items() if KEEP in perms]
    above = lineage(place.path)
    grids = GridCoverage.objects.filter(place__path__in=above, valid_to__isnull=True).values("grid")
    organisations = OrganisationPlace.objects.filter(place__path__in=above, valid_to__isnull=True).values(
        "organisation")
    assignments = access.current_assignments().filter(role__in=roles).filter(
        Q(place__path__in=above) | Q(place__in=grids) | Q(organisation__in=organisations))
    candidates = get_user_model().objects.filter(person__roles__in=assignments, is_active=True).distinct()
    return [user for user in candidates.order_by("pk") if access.can_see_path(user, KEEP, place.path)]


def ask(user, statement: Statement, entry_id, text: str) -> LineQuestion:
    """A question on one line. Asking the same words about the same line twice makes one
    question (a double submit): the existing one is returned."""
    if not user.is_authenticated:
        raise RefusedError("login_required", "请先登录再提问", "Log in to ask a question")
    text = (text or "").strip()
    if not text:
        raise RefusedError("question_empty", "请写下您的问题", "Write your question")
    if len(text) > QUESTION_MAX:
        raise RefusedError("question_long", f"问题请不要超过{QUESTION_MAX}字",
                           f"Keep the question to {QUESTION_MAX} characters")
    with transaction.atomic():
        statement = Statement.objects.select_related("account__place").get(pk=statement.pk)
        if statement.published_at is None:
            raise RefusedError("statement_not_published", "这份账目还没有公开，不能提问",
                               "This statement is not published; questions open once it is")
        try:
            entry_id = int(entry_id)
        except (TypeError, ValueError):
            entry_id = None
        if entry_id is None or not any(line.get("entry") == entry_id for line in statement.lines):
            raise RefusedError("line_missing", "账目中没有这一笔", "This statement has no such line")
        place = statement.account.place
        if not may_ask(user, place):
            raise RefusedError("not_resident", "只有本小区的居民可以对账目提问",
                               "Only residents of the compound may ask about its accounts")
        existing = LineQuestion.objects.filter(statement=statement, entry_id=entry_id, asked_by=user,
                                               text=text).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                question = LineQuestion.objects.create(statement=statement, entry_id=entry_id, asked_by=user,
                                                       text=text)
        except IntegrityError:
            # The same submit, at the same moment, from another request: it won; this is that question.
            return LineQuestion.objects.get(statement=statement, entry_id=entry_id, asked_by=user, text=text)
        keepers = [keeper for keeper in keepers_of(place) if keeper.pk != user.pk]
        outbox.notify(
            "finance_question_asked", f"finance-question:{question.pk}", users=keepers, place=place,
            subject=f"{place.name}账目有新的提问 · A new question on the accounts"[:200],
            body=text, url=reverse("finance-questions"), webhooks=False)
    return question


def answer(user, question: LineQuestion, text: str) -> LineQuestion:
    """The keeper's answer, once: a second answer is refused (the first one stands, public)."""
    text = (text or "").strip()
    if not text:
        raise RefusedError("answer_empty", "请写下回答", "Write the answer")
    if len(text) > ANSWER_MAX:
        raise RefusedError("answer_long", f"回答请不要超过{ANSWER_MAX}字",
                           f"Keep the answer to {ANSWER_MAX} characters")
    with transaction.atomic():
        question = (LineQuestion.objects.select_for_update(of=("self",))
                    .select_related("statement__account__place", "asked_by").get(pk=question.pk))
        place = question.statement.account.place
        if not access.can_see_path(user, KEEP, place.path):
            raise PermissionDenied("not allowed to answer for these books")
        if question.answered_at is not None:
            raise RefusedError("already_answered", "这个问题已经回答过了", "This question is already answered")
        question.answer, question.answered_by, question.answered_at = text, user, timezone.now()
        question.save(update_fields=["answer", "answered_by", "answered_at"])
        outbox.notify(
            "finance_question_answered", f"finance-answer:{question.pk}", users=[question.asked_by], place=place,
            subject=f"您对{place.name}账目的提问有了回答 · Your question on the accounts is answered"[:200],
            body=text, url=line_url(question.statement, question.entry_id), webhooks=False)
    return question
