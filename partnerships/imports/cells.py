"""Parse one row's cells into model values, recording each problem with its column."""

import datetime
import re

from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from alliance_portal.api_csv import FORMULA_PREFIXES
from partnerships.validators import normalize_ror_id

COUNTRY_CODES = frozenset(code for code, _name in countries)
TRUE_WORDS = {"true", "yes", "y", "1", "x"}
FALSE_WORDS = {"false", "no", "n", "0", ""}
ACADEMIC_YEAR = re.compile(r"^(\d{4})(?:\s*[/-]\s*(\d{2}|\d{4}))?$")
# Thousands grouped by commas or spaces (Excel in Russian groups by a no-break space); a lone
# comma is a decimal one ("12,0"), which must not become 120.
GROUPED_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:([, \u00a0\u202f])\d{3})(?:\1\d{3})*")
THOUSANDS_SEPARATORS = re.compile(r"[, \u00a0\u202f]")
WHOLE_NUMBER = re.compile(r"[+-]?\d+")
# What a reference to a missing record says, by the kind of record the column names.
UNKNOWN_REFERENCE = {
    "agreement": gettext_lazy("No agreement “%(value)s” exists in the registry."),
    "alliance": gettext_lazy("No alliance “%(value)s” exists in the registry."),
    "event": gettext_lazy("No event “%(value)s” exists in the registry."),
    "institution": gettext_lazy("No institution “%(value)s” exists in the registry."),
    "programme": gettext_lazy("No programme “%(value)s” exists in the registry."),
}


MAX_SHOWN_CHARACTERS = 60


def shown(value):
    """A cell's value as a message quotes it: whole, or its start when it is long (a wrong
    column pasted into this one must not fill the report)."""
    return Truncator(value).chars(MAX_SHOWN_CHARACTERS)


def unneutralise(value):
    """Undo the apostrophe exports put before a cell a spreadsheet would run as a formula."""
    if value[:1] == "'" and value[1:2] and value[1] in FORMULA_PREFIXES:
        return value[1:]
    return value


def english_choices(choices):
    """(code, label) pairs with the labels in English, whatever language the thread speaks:
    files are written against the documented English labels."""
    with translation.override("en"):
        return [(code, str(label)) for code, label in choices.choices]


class Row:
    """The cells of row `number`; each getter returns a value or None and notes problems."""

    def __init__(self, number, values, report):
        self.number, self.values, self.report = number, values, report
        self.valid = True

    def error(self, column, message):
        self.valid = False
        self.report.add_error(self.number, column, message)

    def text(self, column, *, required=False, max_length=None):
        value = unneutralise(self.values.get(column, "").strip())
        if required and not value:
            self.error(column, _("This column must not be blank."))
        elif max_length and len(value) > max_length:
            self.error(
                column,
                _("At most %(limit)s characters (this has %(length)s).")
                % {"limit": max_length, "length": len(value)},
            )
        return value

    def choice(self, column, choices, *, required=True, default=""):
        """A value of a TextChoices, given as its code or its English label (any case)."""
        value = self.text(column, required=required and not default)
        if not value:
            return default
        for code, label in english_choices(choices):
            if value.lower() in (code.lower(), label.lower()):
                return code
        allowed = ", ".join(choices.values)
        self.error(
            column,
            _("“%(value)s” is not one of: %(allowed)s.")
            % {"value": shown(value), "allowed": allowed},
        )
        return None

    def country(self, column, *, required=True):
        value = self.text(column, required=required).upper()
        if value and value not in COUNTRY_CODES:
            self.error(
                column,
                _("“%(value)s” is not an ISO 3166-1 alpha-2 country code.")
                % {"value": shown(value)},
            )
            return None
        return value

    def date(self, column, *, required=False):
        value = self.text(column, required=required)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value[:10] if "T" in value else value)
        except ValueError:
            self.error(
                column,
                _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": shown(value)},
            )
            return None

    def integer(self, column, *, required=False, minimum=None, maximum=None):
        value = self.text(column, required=required)
        if not value:
            return None
        if GROUPED_THOUSANDS.fullmatch(value):
            value = THOUSANDS_SEPARATORS.sub("", value)
        try:
            if not WHOLE_NUMBER.fullmatch(value):
                raise ValueError
            number = int(value)
        except ValueError:  # also a number of more digits than int() reads
            self.error(column, _("“%(value)s” is not a whole number.") % {"value": shown(value)})
            return None
        if minimum is not None and number < minimum:
            self.error(
                column,
                _("%(number)s is too small: the least allowed is %(minimum)s.")
                % {"number": number, "minimum": minimum},
            )
            return None
        if maximum is not None and number > maximum:
            self.error(
                column,
                _("%(number)s is too large: the most allowed is %(maximum)s.")
                % {"number": number, "maximum": maximum},
            )
            return None
        return number

    def boolean(self, column):
        value = self.text(column).lower()
        if value in TRUE_WORDS:
            return True
        if value not in FALSE_WORDS:
            self.error(column, _("“%(value)s” is not yes or no.") % {"value": shown(value)})
        return False

    def academic_year(self, column, *, first, last):
        """2018, "2018/19" or "2018-2019" → 2018."""
        value = self.text(column, required=True)
        if not value:
            return None
        try:
            return parse_academic_year(value, first=first, last=last)
        except ValueError as error:
            self.error(column, str(error))
            return None

    def reference(self, column, index, what, *, required=False):
        """The primary key `index` (a References map) gives for this cell."""
        value = self.text(column, required=required)
        if not value:
            return None
        found = index.get(value)
        if found is None:
            self.error(column, UNKNOWN_REFERENCE[what] % {"value": shown(value)})
        return found


def parse_academic_year(value, *, first, last):
    """2018, "2018/19" or "2018-2019" → 2018; ValueError says what is wrong."""
    match = ACADEMIC_YEAR.match(value)
    if match is None:
        raise ValueError(
            _("“%(value)s” is not an academic year such as 2018 or 2018/19.")
            % {"value": shown(value)}
        )
    year = int(match[1])
    if match[2] and int(match[2]) % 100 != (year + 1) % 100:
        raise ValueError(
            _("“%(value)s” is not one academic year: write 2018/19.") % {"value": shown(value)}
        )
    if not first <= year <= last:
        raise ValueError(
            _("The academic year must be between %(first)s and %(last)s.")
            % {"first": first, "last": last}
        )
    return year


class References:
    """Natural keys of the records rows may point to, read once per import."""

    def __init__(self):
        from partnerships.models import Agreement, Alliance, Event, FieldOfStudy, Institution
        from programs.models import Programme

        self.institutions = InstitutionIndex(
            Institution.objects.values_list("pk", "slug", "ror_id", "country")
        )
        self.alliances = dict(Alliance.objects.values_list("slug", "pk"))
        self.events = dict(Event.objects.values_list("slug", "pk"))
        self.agreements = dict(Agreement.objects.values_list("reference", "pk"))
        self.fields = {code: code for code in FieldOfStudy.objects.values_list("code", flat=True)}
        self.programmes = dict(Programme.objects.values_list("slug", "pk"))


class InstitutionIndex:
    """Institutions by slug or ROR ID (any written form) → (pk, country code)."""

    def __init__(self, rows):
        self.by_key = {}
        for pk, slug, ror_id, country in rows:
            self.add(pk, slug, ror_id, country)

    def add(self, pk, slug, ror_id, country):
        self.by_key[slug] = (pk, str(country))
        if ror_id:
            self.by_key[ror_id] = (pk, str(country))

    def get(self, value):
        found = self.by_key.get(value)
        if found is None and ("ror.org" in value or re.fullmatch(r"0\w{8}", value)):
            found = self.by_key.get(normalize_ror_id(value))
        return found
