"""Exactly-once form submissions (a double-clicked submit acts once)."""

import uuid

from django.db import IntegrityError, transaction

from tongxin.core.errors import RefusedError
from tongxin.core.models import SubmittedForm


def new_key() -> str:
    return uuid.uuid4().hex


def claim(key: str, user=None) -> None:
    """Record ``key`` as used, in the caller's transaction; refuse if it already was."""
    if not key or len(key) > 64:
        raise RefusedError(
            "form_key_missing", "页面已过期，请刷新后重试", "This page has expired; reload it and try again"
        )
    try:
        with transaction.atomic():
            SubmittedForm.objects.create(key=key, user=user if user and user.is_authenticated else None)
    except IntegrityError:
        raise RefusedError(
            "already_submitted",
            "这份表单已经提交过了，无需重复提交",
            "This form was already submitted; nothing more to do",
        ) from None
