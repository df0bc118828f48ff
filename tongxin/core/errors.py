"""Refusals with stable codes and messages a resident understands, in both languages."""

from django.utils.translation import get_language


class RefusedError(Exception):
    """A request the rules refuse: ``code`` is stable (API clients switch on it)."""

    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en

    @property
    def message(self) -> str:
        return self.message_en if (get_language() or "zh-hans").startswith("en") else self.message_zh

    def __str__(self):
        return self.message
