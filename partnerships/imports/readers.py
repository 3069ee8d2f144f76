"""Read uploaded tables row by row: CSV (UTF-8 with or without BOM; comma, semicolon or tab)
and XLSX. Rows are streamed, never loaded whole, so a million-row file stays small in memory.
"""

import codecs
import csv
import datetime
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_COLUMNS = 100
# What a CSV cell may hold (the csv module's own limit), and so an XLSX cell too.
MAX_CELL_CHARACTERS = csv.field_size_limit()
DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024
# The last row a workbook can hold; a sheet that claims more is damaged or made to stall us.
XLSX_MAX_ROWS = 1_048_576


class UnreadableFile(Exception):
    """The file cannot be read as a table; `row` is where reading stopped (1 = the header)."""

    def __init__(self, message, *, row=None, column=""):
        self.message, self.row, self.column = message, row, column
        super().__init__(message)


@dataclass
class Table:
    """The header (lower-cased, trimmed), an iterator of (row number, [cell text]), and the
    (row, column, message) of cells found unreadable before any row is read: the first
    `MAX_CELL_PROBLEMS`, and how many there are in all."""

    columns: list
    rows: object
    problems: list = field(default_factory=list)
    problem_count: int = 0


def open_table(file, filename):
    """A Table for `file` (a binary file object); XLSX by its name or content, else CSV."""
    head = file.read(8)
    file.seek(0)
    if filename.lower().endswith(".xlsx") or head.startswith(b"PK\x03\x04"):
        return _xlsx_table(file)
    return _csv_table(file)


def _csv_table(file):
    sample = file.read(SNIFF_BYTES)
    file.seek(0)
    if not sample.removeprefix(codecs.BOM_UTF8).strip():
        raise UnreadableFile(_("The file is empty."), row=1)
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableFile(
            _(
                "The file is UTF-16 text (as Excel saves “Unicode Text”); save it as "
                "“CSV UTF-8” and upload it again."
            ),
            row=1,
        )
    if b"\x00" in sample:
        raise UnreadableFile(_binary(), row=1)
    _check_utf8(sample)
    first_line = sample.decode("utf-8-sig", errors="replace").splitlines()[0]
    delimiter = max(DELIMITERS, key=first_line.count)
    # strict: a quote left open at the end of the file is an error, not one cell to the end.
    reader = csv.reader(_decoded_lines(file), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        raise UnreadableFile(_describe(error), row=1) from None
    columns = _columns(header)
    return Table(columns, _csv_rows(reader, columns))


def _decoded_lines(file):
    """The file's lines as text, decoded one by one so a bad byte is reported on its line."""
    for number, line in enumerate(file, start=1):
        if number == 1 and line.startswith(codecs.BOM_UTF8):
            line = line[len(codecs.BOM_UTF8) :]
        if b"\x00" in line:  # no database text column can hold it
            raise UnreadableFile(_binary(), row=number)
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError:
            raise UnreadableFile(_not_utf8(), row=number) from None


def _binary():
    return _("This is not a text table (it holds binary data); upload a CSV or XLSX file.")


def _check_utf8(sample):
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(sample, final=False)
    except UnicodeDecodeError as error:
        row = sample[: error.start].count(b"\n") + 1
        raise UnreadableFile(_not_utf8(), row=row) from None


def _not_utf8():
    return _(
        "The file is not UTF-8 text (it may be GBK or another legacy encoding); "
        "save it as “CSV UTF-8” and upload it again."
    )


def _describe(error):
    """What a csv.Error means, in the reader's words where Python's would puzzle them."""
    text = str(error)
    if "unexpected end of data" in text:
        return _("A quoted cell opens on this row and is never closed.")
    if "field larger than field limit" in text:
        return _(
            "A cell of this row is longer than 128 KB, the most a cell may hold; check that "
            "every quote is closed."
        )
    if "new-line character seen in unquoted field" in text:
        return _(
            "This row holds a line break (CR) outside quotes, as files whose lines end in CR "
            "alone do; save the file as “CSV UTF-8” and upload it again."
        )
    return _("The file is not a well-formed CSV table: %(error)s.") % {"error": text}


def _csv_rows(reader, columns):
    width, nameless = len(columns), _nameless(columns)
    number = 1
    try:
        for cells in reader:
            number += 1
            if (not cells or not cells[0]) and not any(cell.strip() for cell in cells):
                continue
            if len(cells) != width:
                cells = _fit(cells, width, number)
            if nameless:
                _check_named(cells, nameless, number)
            yield number, cells
    except csv.Error as error:
        raise UnreadableFile(_describe(error), row=number + 1) from None


def _columns(header):
    # A byte-order mark inside a name (a file saved with two, or pasted from one) is invisible.
    columns = [
        str(cell or "").replace("\ufeff", "").strip().lower().replace(" ", "_") for cell in header
    ]
    while columns and not columns[-1]:
        columns.pop()
    if len(columns) > MAX_COLUMNS:
        raise UnreadableFile(
            _("The header has %(count)s columns; a table here has at most %(limit)s.")
            % {"count": len(columns), "limit": MAX_COLUMNS},
            row=1,
        )
    if not columns:
        raise UnreadableFile(_("The file has no header row."), row=1)
    return columns


def _nameless(columns):
    return [index for index, name in enumerate(columns) if not name]


def _check_named(cells, nameless, number):
    """Refuse a value under a column the header leaves unnamed: it would be dropped unseen."""
    for index in nameless:
        if cells[index].strip():
            raise UnreadableFile(
                _("This row has a value in column %(number)s, which has no name in the header.")
                % {"number": index + 1},
                row=number,
            )


def _fit(cells, width, number):
    """Pad a short row; refuse a row with more filled cells than the header has columns."""
    if len(cells) > width:
        if any(str(cell or "").strip() for cell in cells[width:]):
            raise UnreadableFile(
                _("This row has %(count)s cells but the header names %(width)s columns.")
                % {"count": len(cells), "width": width},
                row=number,
            )
        return cells[:width]
    return cells + [""] * (width - len(cells))


def _text(cell):
    if cell is None:
        return ""
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _xlsx_table(file):
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(file, read_only=True, data_only=True)
    except Exception:
        # openpyxl raises many kinds of errors on a damaged archive; all mean the same here.
        raise UnreadableFile(_unreadable_xlsx(), row=1) from None
    sheet = workbook.worksheets[0]
    # The size a sheet states may be stale; read every row the sheet holds, and no padding.
    sheet.reset_dimensions()
    rows = sheet.iter_rows(max_row=XLSX_MAX_ROWS + 1, values_only=True)
    try:
        header = next(rows, None)
    except Exception:
        workbook.close()
        raise UnreadableFile(_unreadable_xlsx(), row=1) from None
    if header is None or not _filled(header):
        message = _empty_sheet(workbook, rows)
        workbook.close()
        raise UnreadableFile(message, row=1)
    columns = _columns(list(header))
    try:
        problems, count = _first_and_count(_cell_problems(sheet, columns), MAX_CELL_PROBLEMS)
    except Exception:
        workbook.close()
        raise UnreadableFile(_unreadable_xlsx(), row=1) from None
    return Table(columns, _xlsx_rows(workbook, rows, columns), problems, count)


def _first_and_count(items, limit):
    first, count = [], 0
    for item in items:
        count += 1
        if count <= limit:
            first.append(item)
    return first, count


def _empty_sheet(workbook, rows):
    """Why a sheet with an empty first row gives no table: a header further down, data on
    another sheet, or nothing at all."""
    try:
        filled = (number for number, cells in enumerate(rows, start=2) if _filled(cells))
        first_filled = next(filled, None)
        others = [sheet for sheet in workbook.worksheets[1:] if _sheet_filled(sheet)]
    except Exception:
        return _unreadable_xlsx()
    if first_filled is not None:
        return _(
            "The first row is empty; the header must be on row 1 (the first row that holds "
            "anything is row %(row)s)."
        ) % {"row": first_filled}
    if others:
        return _(
            "The first sheet, “%(first)s”, is empty; the table must be on the first sheet "
            "(“%(other)s” holds data)."
        ) % {"first": workbook.worksheets[0].title, "other": others[0].title}
    return _("The file is empty.")


def _sheet_filled(sheet):
    sheet.reset_dimensions()
    rows = sheet.iter_rows(max_row=XLSX_MAX_ROWS, values_only=True)
    return any(_filled(cells) for cells in rows)


def _filled(cells):
    return any(cell not in (None, "") for cell in cells)


def _refuse_long_cell(texts, columns, number):
    index = next(i for i, text in enumerate(texts) if len(text) > MAX_CELL_CHARACTERS)
    raise UnreadableFile(
        _("This cell is longer than 128 KB, the most a cell may hold."),
        row=number,
        column=columns[index],
    )


def _unreadable_xlsx():
    return _("The file is not a readable XLSX workbook.")


def _xlsx_rows(workbook, rows, columns):
    number, nameless = 1, _nameless(columns)
    try:
        for number, cells in enumerate(rows, start=2):
            if number > XLSX_MAX_ROWS:  # openpyxl stops one row past the limit
                raise UnreadableFile(_unreadable_xlsx(), row=number)
            if not _filled(cells):
                continue
            texts = _fit([_text(cell) for cell in cells], len(columns), number)
            if any(len(text) > MAX_CELL_CHARACTERS for text in texts):
                _refuse_long_cell(texts, columns, number)
            if nameless:
                _check_named(texts, nameless, number)
            yield number, texts
    except UnreadableFile:
        raise
    except Exception:
        # A damaged sheet shows only as it streams: bad XML, a bad checksum in the archive.
        raise UnreadableFile(_unreadable_xlsx(), row=number + 1) from None
    finally:
        workbook.close()


# A cell that holds a formula, or whose type is an error; a namespace prefix is allowed
# (`<x:c>`), a self-closing cell is not (it holds nothing). A cell's content stops at the
# next cell, so a cell left unclosed costs one short failed match, not a scan to the end.
CELL_CONTENT = rb"((?:[^<]|<(?!(?:\w+:)?c\b))*?)</(?:\w+:)?c>"
FORMULA_OR_ERROR_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)(?<!/)>(?=\s*<(?:\w+:)?f\b)"
    + CELL_CONTENT
    + rb'|<(?:\w+:)?c\b([^>]*\bt="e"[^>]*)(?<!/)>'
    + CELL_CONTENT
)
# Most sheets hold neither; one quick search spares them the cell by cell one.
ANY_FORMULA_OR_ERROR = re.compile(rb'<(?:\w+:)?f\b|\bt="e"')
CELL_VALUE = re.compile(rb"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
CELL_REFERENCE = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
STRING_RESULT = re.compile(rb'\bt="str"')
MAX_CELL_PROBLEMS = 500
SCAN_BYTES = 1 << 20


def _cell_problems(sheet, columns):
    """Cells whose value the import cannot know: a formula whose result was never saved
    (a workbook written by a program rather than a spreadsheet) and spreadsheet errors such
    as #N/A. openpyxl reads the first as blank and the second as text, so the sheet's XML is
    scanned for them, in pieces that end on a row's edge."""
    with sheet._get_source() as source:  # the sheet's XML, as openpyxl itself opens it
        carry = b""
        while piece := source.read(SCAN_BYTES):
            text = carry + piece
            edge = _last_edge(text)
            text, carry = text[:edge], text[edge:]
            yield from _problems_in(text, columns)
        yield from _problems_in(carry, columns)


def _last_edge(xml):
    """Where `xml` can be cut without cutting a cell: after its last row tag, or, in a row
    longer than a piece, after its last cell."""
    for tag in (b"row>", b"c>"):
        end = xml.rfind(tag)
        if end >= 0:
            return end + len(tag)
    return 0


def _problems_in(xml, columns):
    if not ANY_FORMULA_OR_ERROR.search(xml):
        return
    for match in FORMULA_OR_ERROR_CELL.finditer(xml):
        attributes = match[1] if match[1] is not None else match[3]
        content = match[2] if match[2] is not None else match[4]
        value = CELL_VALUE.search(content)
        if b't="e"' in attributes:
            error = value[1].decode("utf-8", "replace") if value else "#VALUE!"
            message = _(
                "This cell holds the spreadsheet error %(error)s; correct it or clear the cell."
            ) % {"error": error}
        elif value is None or (not value[1] and not STRING_RESULT.search(attributes)):
            message = _(
                "This cell holds a formula whose result was never saved (the file was written by "
                "a program, not a spreadsheet); open the file in a spreadsheet and save it, or "
                "put the value in place of the formula."
            )
        else:
            continue
        yield (*_cell_position(attributes, columns), message)


def _cell_position(attributes, columns):
    """(row, column name) of a cell from its `r` attribute; (None, "") when it has none."""
    reference = CELL_REFERENCE.search(attributes)
    if reference is None:
        return None, ""
    index = 0
    for letter in reference[1]:  # A → 1, Z → 26, AA → 27
        index = index * 26 + letter - ord("A") + 1
    index -= 1
    return int(reference[2]), columns[index] if index < len(columns) else ""
