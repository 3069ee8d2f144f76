"""Signed documents: what an upload must be before it is stored (PDF by content, size cap)."""

import re
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

PDF_HEADER = re.compile(rb"^%PDF-[12]\.\d")
# The spec lets `%%EOF` sit a little before the end (trailing whitespace, junk from mailers).
TRAILER_WINDOW = 2048


def validate_signed_pdf(uploaded_file):
    """Refuse anything that is not a PDF by its bytes, or larger than DOCUMENT_MAX_BYTES.

    Files already stored (validated when they were uploaded) are not read again.
    """
    if getattr(uploaded_file, "_committed", False):
        return
    limit = settings.DOCUMENT_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("The file is %(size)s; signed documents may be at most %(limit)s."),
            code="file_too_large",
            params={"size": filesizeformat(uploaded_file.size), "limit": filesizeformat(limit)},
        )
    head, tail = _head_and_tail(uploaded_file)
    if not PDF_HEADER.match(head):
        raise ValidationError(
            _("This file is not a PDF. Upload the signed agreement as a PDF document."),
            code="not_a_pdf",
        )
    if b"%%EOF" not in tail or b"startxref" not in tail:
        raise ValidationError(
            _("This PDF is incomplete or damaged (it has no end-of-file marker)."),
            code="damaged_pdf",
        )


def _head_and_tail(uploaded_file):
    uploaded_file.seek(0)
    head = uploaded_file.read(16)
    uploaded_file.seek(max(0, uploaded_file.size - TRAILER_WINDOW))
    tail = uploaded_file.read(TRAILER_WINDOW)
    uploaded_file.seek(0)
    return head, tail


def original_file_name(uploaded_file):
    """The name the user's file had, without any folder, fit for Content-Disposition."""
    name = Path(str(uploaded_file.name).replace("\\", "/")).name
    name = "".join(char for char in name if char.isprintable()).strip() or "agreement.pdf"
    return name[-200:]
