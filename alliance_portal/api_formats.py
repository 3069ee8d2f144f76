"""XLSX, JSON and JSON Lines exports of every list and aggregate, beside the CSV of `api_csv`.

`?format=xlsx|json|jsonl|csv` on a list answers every row the filters select, streamed
(without `format`, the API answers its usual pages of JSON). XLSX text cells that a
spreadsheet would run as a formula are neutralised as in CSV.
"""

import json
import re
import tempfile

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, StreamingHttpResponse
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from rest_framework.renderers import BaseRenderer

from alliance_portal.api_csv import CSVRenderer, csv_response, flatten, neutralise

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows are written to a temporary file as they come; past this size it spills to disk.
XLSX_SPOOL_BYTES = 8 * 1024 * 1024
# What XML 1.0 forbids in a cell: openpyxl's control characters, and U+FFFE and U+FFFF,
# which openpyxl writes as they are, leaving a workbook no spreadsheet opens.
XML_FORBIDDEN_RE = re.compile(f"{ILLEGAL_CHARACTERS_RE.pattern}|[\ufffe\uffff]")


class XLSXRenderer(BaseRenderer):
    """Selected by `?format=xlsx`; list views stream through `export_response` instead."""

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict):
            data = data.get("results", [data])
        return xlsx_file(data).read()


class JSONLinesRenderer(BaseRenderer):
    """Selected by `?format=jsonl`: one JSON object per line."""

    media_type = "application/jsonl"
    format = "jsonl"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, dict):
            data = data.get("results", [data])
        return "".join(jsonl_lines(data)).encode(self.charset)


EXPORT_FORMATS = ("csv", "xlsx", "json", "jsonl")
EXPORT_RENDERERS = [CSVRenderer, XLSXRenderer, JSONLinesRenderer]


def requested_export_format(request):
    """The export asked for (`?format=`, or an export media type in Accept), else None."""
    asked = request.query_params.get("format")
    if asked in EXPORT_FORMATS:
        return asked
    renderer = getattr(request, "accepted_renderer", None)
    if renderer is not None and renderer.format in EXPORT_FORMATS and renderer.format != "json":
        return renderer.format
    return None


def export_response(export_format, rows, *, filename, columns=None):
    """A streamed download of `rows` (dicts) as CSV, XLSX, JSON or JSON Lines; `columns`,
    when known, head a spreadsheet even when there are no rows."""
    if export_format == "csv":
        return csv_response(rows, filename=filename, columns=columns)
    if export_format == "xlsx":
        return FileResponse(
            xlsx_file(rows, columns),
            as_attachment=True,
            filename=f"{filename}.xlsx",
            content_type=XLSX_MEDIA_TYPE,
        )
    if export_format == "jsonl":
        response = StreamingHttpResponse(jsonl_lines(rows), content_type="application/jsonl")
    else:
        response = StreamingHttpResponse(json_array(rows), content_type="application/json")
    suffix = "jsonl" if export_format == "jsonl" else "json"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{suffix}"'
    return response


def json_text(row):
    """One row as JSON, with U+2028 and U+2029 escaped: readers that split lines on them
    (Python's `str.splitlines`, older JavaScript) would cut a JSON Lines record in two."""
    text = json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def jsonl_lines(rows):
    for row in rows:
        yield json_text(row) + "\n"


def json_array(rows):
    yield "["
    for number, row in enumerate(rows):
        yield ("," if number else "") + "\n" + json_text(row)
    yield "\n]\n"


def xlsx_cell(value):
    """A value openpyxl stores as data: text never a formula, no characters XML forbids."""
    if value is None:
        return None
    if isinstance(value, bool | int | float):
        return value
    text = XML_FORBIDDEN_RE.sub("", str(value))
    return neutralise(text)


def xlsx_file(rows, columns=None):
    """An XLSX workbook of `rows` (dicts, flattened like CSV), written row by row; the
    header is `columns`, else the first row's keys."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    columns = list(columns) if columns else None
    if columns:
        sheet.append(columns)
    for row in rows:
        row = flatten(row)
        if columns is None:
            columns = list(row)
            sheet.append(columns)
        sheet.append([xlsx_cell(row.get(column)) for column in columns])
    # Handed open to the response, which closes it once sent.
    output = tempfile.SpooledTemporaryFile(max_size=XLSX_SPOOL_BYTES)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output
