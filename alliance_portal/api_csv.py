"""CSV for every list and aggregate of the API (`?format=csv`), streamed row by row.

Cells a spreadsheet would read as a formula are neutralised (`neutralise`). Other export
formats sit beside `CSVRenderer` in `EXPORT_RENDERERS`, which the API's base views use.
"""

import csv
from collections.abc import Mapping

from django.http import StreamingHttpResponse
from drf_spectacular.drainage import get_override
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer

# A leading = + - @ makes Excel, LibreOffice and Google Sheets evaluate the cell, and so
# may their full-width forms (Excel turns them into the ASCII ones). Spreadsheets also
# strip leading whitespace before they look, so a cell that starts with whitespace
# (` =1+1`, a tab, a line break) is neutralised too, whatever follows.
FORMULA_PREFIXES = tuple("=+-@＝＋－＠ \t\r\n\u00a0\u3000")


def neutralise(value):
    """A text cell a spreadsheet will show as text, never run: `=1+1` → `'=1+1`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def flatten(record, prefix=""):
    """One flat row from a serialised record: nested objects as `a.b`, lists joined by `; `."""
    row = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            row.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            row[name] = "; ".join(_item_label(item) for item in value)
        else:
            row[name] = value
    return row


def declared_columns(serializer, prefix=""):
    """The columns `flatten` gives a record of `serializer`, read from its declared fields,
    so that an export with no rows still has its header. A method field that drf-spectacular
    annotates with a serializer is an object, as it is in the schema."""
    columns = []
    for name, field in serializer.fields.items():
        if field.write_only:
            continue
        nested = field
        if isinstance(field, serializers.SerializerMethodField):
            method = getattr(serializer, field.method_name)
            nested = get_override(method, "field", field)
            if isinstance(nested, type):
                nested = nested()
        if isinstance(nested, serializers.Serializer):
            columns += declared_columns(nested, f"{prefix}{name}.")
        else:
            columns.append(f"{prefix}{name}")
    return columns


def _item_label(item):
    if isinstance(item, Mapping):
        label = item.get("name") or item.get("institution_name") or item.get("code")
        role = item.get("role")
        return f"{label} ({role})" if label and role else str(label or item)
    return str(item)


class _Echo:
    """A file-like object whose write returns the line, for streaming."""

    def write(self, value):
        return value


def csv_lines(rows, columns=None):
    """Yield the header line, then one line per row (dicts, flattened and neutralised)."""
    writer = csv.writer(_Echo())
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        if columns:
            yield writer.writerow(columns)
        return
    first = flatten(first)
    columns = list(columns or first.keys())
    yield writer.writerow(columns)
    yield writer.writerow(_cells(first, columns))
    for row in rows:
        yield writer.writerow(_cells(flatten(row), columns))


def _cells(row, columns):
    return [neutralise("" if row.get(column) is None else row.get(column)) for column in columns]


def csv_response(rows, *, filename, columns=None):
    """A streamed CSV download of `rows` (an iterable of dicts)."""
    response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


class CSVRenderer(BaseRenderer):
    """Selected by `?format=csv`; the API's list views stream instead of calling `render`."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, Mapping):
            data = data.get("results", [data])
        return "".join(csv_lines(data)).encode(self.charset)


# The export formats every list and aggregate offers besides JSON.
EXPORT_RENDERERS = [CSVRenderer]
