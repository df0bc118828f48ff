"""Voucher scans (凭证): what may be uploaded, judged from the file's own bytes.

The browser's content type and the file's name are not trusted: the type is sniffed from the
first bytes (JPEG, PNG or PDF only), the size is capped, and the file is stored under a name
of our own. The view that serves it sends the sniffed type again with ``nosniff``."""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile

from tongxin.core.errors import RefusedError

MAX_BYTES = 10 * 1024 * 1024
#: Magic bytes → (content type, extension).
SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    (b"%PDF-", "application/pdf", "pdf"),
)


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of the bytes, or None for anything but JPEG, PNG, PDF."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def clean(upload) -> ContentFile:
    """The upload as a file to store, or a bilingual refusal (too big, not a scan)."""
    if upload.size > MAX_BYTES:
        raise RefusedError("voucher_too_big", "凭证文件太大了（不能超过 10 MB）", "The voucher file is over 10 MB")
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found is None:
        raise RefusedError("voucher_type", "凭证只能是照片（JPG、PNG）或 PDF 文件",
                           "A voucher must be a photo (JPG, PNG) or a PDF file")
    _content_type, extension = found
    return ContentFile(upload.read(), name=f"{uuid.uuid4().hex}.{extension}")


def content_type_of(stored) -> str | None:
    """The sniffed type of a stored voucher (read again when served), or None."""
    with stored.open("rb") as handle:
        head = handle.read(16)
    found = sniff(head)
    return found[0] if found else None
