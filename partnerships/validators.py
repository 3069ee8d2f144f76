"""Validators for identifiers and codes the portal stores."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from partnerships.vocabularies import ISO_639_1

ROR_PREFIX = "https://ror.org/"
ROR_ID_PATTERN = r"^https://ror\.org/0[a-hj-km-np-tv-z0-9]{6}[0-9]{2}$"
_CROCKFORD = "0123456789abcdefghjkmnpqrstvwxyz"
REFERENCE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"
# Erasmus codes: a country prefix of up to three letters padded with spaces to three
# characters, a city and a two-digit number ("D  BERLIN01", "UK LONDON029" allows three).
ERASMUS_CODE_PATTERN = r"^[A-Z]{1,3} {0,2}[A-Z][A-Z-]*[0-9]{2,3}$"


def normalize_ror_id(value):
    """Accept `03vek6s52`, `ror.org/03vek6s52` or the full URL; return the full URL form."""
    value = (value or "").strip().lower()
    if not value:
        return ""
    for prefix in ("https://ror.org/", "http://ror.org/", "ror.org/"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    return ROR_PREFIX + value


def _ror_checksum_ok(identifier):
    number = 0
    for char in identifier[:7]:
        number = number * 32 + _CROCKFORD.index(char)
    return int(identifier[7:]) == 98 - (number * 100 % 97)


def validate_ror_id(value):
    """A ROR ID: https://ror.org/ followed by 9 characters with a valid checksum."""
    if not re.match(ROR_ID_PATTERN, value or "") or not _ror_checksum_ok(value[len(ROR_PREFIX) :]):
        raise ValidationError(
            _("Enter a ROR ID such as https://ror.org/017zhmm22 (9 characters, valid checksum)."),
            code="invalid_ror_id",
        )


def validate_erasmus_code(value):
    if value and not re.match(ERASMUS_CODE_PATTERN, value):
        raise ValidationError(
            _('Enter an Erasmus code such as "D  BERLIN01" or "PL WARSZAW01".'),
            code="invalid_erasmus_code",
        )


def validate_language_codes(value):
    """A comma-separated list of ISO 639-1 codes."""
    unknown = [code for code in split_codes(value) if code not in ISO_639_1]
    if unknown:
        raise ValidationError(
            _("Unknown ISO 639-1 language code(s): %(codes)s."),
            code="invalid_language",
            params={"codes": ", ".join(unknown)},
        )


def split_codes(value):
    return [code.strip().lower() for code in (value or "").split(",") if code.strip()]
