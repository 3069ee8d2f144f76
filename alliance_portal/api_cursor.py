"""Cursor pagination by keyset: the cursor holds every ordering value of the last row.

DRF's CursorPagination keeps only the first ordering field plus an offset among rows that
share it, and caps that offset at 1,000: with thousands of flows per academic year, pages
past the cap repeated rows, and each page skipped its offset row by row. Here the next page
starts right after the last row's full key (the primary key breaks ties), so every page is
an index range scan however deep it is, and no row comes twice or goes missing.
"""

import base64
import binascii
import json

from django.db.models import F, Func, IntegerField, Q, Value
from django.db.models.lookups import GreaterThan, LessThan
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.settings import api_settings
from rest_framework.utils.urls import remove_query_param, replace_query_param


class Row(Func):
    """A row value, `(a, b, ...)`, compared element by element by the database."""

    template = "(%(expressions)s)"
    output_field = IntegerField()


class KeysetCursorPagination(CursorPagination):
    """Subclasses set `ordering`; `ordering=` from the request is honoured too."""

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        self.ordering = self.keyset_ordering(self.get_ordering(request, queryset, view))
        position, backwards = self.decode_cursor(request)
        ordering = [flip(term) for term in self.ordering] if backwards else self.ordering
        queryset = queryset.order_by(*ordering)
        if position is not None:
            queryset = queryset.filter(after(ordering, position))
        rows = list(queryset[: self.page_size + 1])
        more = len(rows) > self.page_size
        rows = rows[: self.page_size]
        if backwards:
            rows.reverse()
            self.has_next, self.has_previous = position is not None, more
        else:
            self.has_next, self.has_previous = more, position is not None
        self.page = rows
        return rows

    def get_ordering(self, request, queryset, view):
        """The class's ordering unless the request asks for another with `ordering=`."""
        if request.query_params.get(api_settings.ORDERING_PARAM):
            return super().get_ordering(request, queryset, view)
        return tuple(self.ordering)

    @staticmethod
    def keyset_ordering(ordering):
        """The ordering with the primary key last, in the direction of the first field, so
        an index on (field, id) serves it in one direction."""
        terms = [term for term in ordering if term.lstrip("-") not in ("id", "pk")]
        descending = bool(terms) and terms[0].startswith("-")
        return [*terms, "-id" if descending else "id"]

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if not encoded:
            return None, False
        try:
            cursor = json.loads(base64.urlsafe_b64decode(encoded.encode("ascii")))
            position, backwards = cursor["p"], bool(cursor.get("r"))
            if not isinstance(position, list) or len(position) != len(self.ordering):
                raise ValueError(position)
        except (ValueError, TypeError, KeyError, UnicodeError, binascii.Error):
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid; follow the links.")]}
            ) from None
        return position, backwards

    def encode_cursor_for(self, row, *, backwards):
        position = [key_value(row, term.lstrip("-")) for term in self.ordering]
        payload = {"p": position, **({"r": 1} if backwards else {})}
        encoded = base64.urlsafe_b64encode(json.dumps(payload, default=str).encode()).decode()
        return replace_query_param(self.base_url, self.cursor_query_param, encoded)

    def get_next_link(self):
        if not self.has_next:
            return None
        return self.encode_cursor_for(self.page[-1], backwards=False)

    def get_previous_link(self):
        if not self.has_previous:
            return None
        if not self.page:
            return remove_query_param(self.base_url, self.cursor_query_param)
        return self.encode_cursor_for(self.page[0], backwards=True)


def flip(term):
    return term[1:] if term.startswith("-") else f"-{term}"


def key_value(row, name):
    """The value the database compares: a country's code rather than its object."""
    value = getattr(row, name)
    return getattr(value, "code", value)


def after(ordering, position):
    """Rows after `position` in `ordering`: one row comparison when all terms go the same
    way (an index range), else the lexicographic OR of the terms."""
    fields = [term.lstrip("-") for term in ordering]
    descending = [term.startswith("-") for term in ordering]
    if len(set(descending)) == 1:
        compare = LessThan if descending[0] else GreaterThan
        return compare(Row(*map(F, fields)), Row(*map(Value, position)))
    condition = Q()
    for index, (field, value) in enumerate(zip(fields, position, strict=True)):
        equal_before = Q(**dict(zip(fields[:index], position[:index], strict=True)))
        beyond = Q(**{f"{field}__{'lt' if descending[index] else 'gt'}": value})
        condition |= equal_before & beyond
    return condition
