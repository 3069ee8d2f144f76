"""The one import service behind the command, the upload page and the API.

`run_import` reads the whole file and checks every row before it writes anything; the
writes run in one transaction that is rolled back when any row is bad or on a dry run.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from partnerships import permissions
from partnerships.imports import kinds, terms
from partnerships.imports.cells import References, Row
from partnerships.imports.flows import FLOW_COLUMNS, REQUIRED_FLOW_COLUMNS, import_flows
from partnerships.imports.readers import UnreadableFile, open_table
from partnerships.imports.records import save_record
from partnerships.imports.report import ImportReport


@dataclass(frozen=True)
class Kind:
    name: str
    columns: list
    required: list
    parser: object = None  # a callable (row, context) → Record, or a class gathering rows

    def new_parser(self):
        return self.parser() if isinstance(self.parser, type) else self.parser


KINDS = {
    kind.name: kind
    for kind in [
        Kind(
            "institutions",
            kinds.INSTITUTION_COLUMNS,
            ["name", "kind", "country"],
            kinds.parse_institution,
        ),
        Kind(
            "alliances", kinds.ALLIANCE_COLUMNS, ["name", "cooperation_model"], kinds.parse_alliance
        ),
        Kind(
            "events",
            kinds.EVENT_COLUMNS,
            ["name", "kind", "starts_on", "country"],
            kinds.parse_event,
        ),
        Kind(
            "memberships",
            kinds.MEMBERSHIP_COLUMNS,
            ["alliance", "institution", "joined_on"],
            kinds.parse_membership,
        ),
        Kind(
            "agreements",
            kinds.AGREEMENT_COLUMNS,
            ["reference", "title", "kind", "party_institution"],
            kinds.AgreementRows,
        ),
        Kind(
            "programmes",
            kinds.PROGRAMME_COLUMNS,
            ["name", "kind", "level", "lead"],
            kinds.parse_programme,
        ),
        Kind("flows", FLOW_COLUMNS, REQUIRED_FLOW_COLUMNS),
        Kind("units", terms.UNIT_COLUMNS, ["institution", "name", "kind"], terms.parse_unit),
        Kind(
            "conditions",
            terms.CONDITION_COLUMNS,
            [
                "agreement",
                "sending_institution",
                "receiving_institution",
                "mobility_type",
                "first_academic_year",
                "last_academic_year",
                "places",
            ],
            terms.parse_condition,
        ),
    ]
}
# The order a full load follows: each kind points only to kinds before it.
LOAD_ORDER = [
    "institutions",
    "units",
    "alliances",
    "events",
    "memberships",
    "agreements",
    "conditions",
    "programmes",
    "flows",
]


def kind_named(text):
    """The kind `text` names, in any case, with stray spaces, plural or singular (`Flow`)."""
    name = text.strip().lower()
    return f"{name}s" if name not in KINDS and f"{name}s" in KINDS else name


class ImportNotAllowed(Exception):
    pass


def run_import(
    *, kind, file, filename, by, dry_run=False, add=False, progress=None, allow_empty=False
):
    """Check `file` (a binary file object) as a table of `kind` and load it unless a row is bad.

    `by` is the acting user, or None on the command line (whoever runs manage.py may load
    anything). `add` adds flow counts to existing ones instead of replacing them.
    `progress(stage, rows)` follows a flows file: the rows checked so far, then the stage
    that compares or writes them (see `import_flows`). A file with a header
    and no rows is refused unless `allow_empty` (a dump's empty tables).
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown kind {kind!r}; choose one of {', '.join(KINDS)}.")
    if by is not None:
        permissions.ensure(
            permissions.can_import_kind(by, kind), user=by, action=f"import {kind}", target=filename
        )
    report = ImportReport(kind=kind, dry_run=dry_run)
    try:
        table = open_table(file, filename)
        if not _header_ok(KINDS[kind], table.columns, report):
            return report
        for row, column, message in table.problems:
            report.add_error(row, column, message)
        report.add_unlisted_errors(table.problem_count - len(table.problems))
        if not report.ok:
            return report
        with transaction.atomic():
            refs = References()
            if kind == "flows":
                import_flows(
                    table,
                    refs=refs,
                    report=report,
                    dry_run=dry_run,
                    add=add,
                    progress=progress,
                    by=by,
                )
            else:
                _import_records(KINDS[kind], table, refs=refs, report=report, by=by)
            if report.ok and report.rows == 0 and not allow_empty:
                report.add_error(2, "", _("The file has a header but no rows."))
            if not report.ok or dry_run:
                transaction.set_rollback(True)
    except UnreadableFile as error:
        report.add_error(error.row, error.column, error.message)
    except IntegrityError as error:
        # Another change to the same records between the checks and the commit.
        report.add_error(
            None,
            "",
            _("The database refused the import (%(error)s); try again.") % {"error": error},
        )
    return report


def _header_ok(kind, columns, report):
    for column in kind.required:
        if column not in columns:
            report.add_error(1, column, _("This column is missing from the header."))
    for column in columns:
        if column and column not in kind.columns:
            report.add_error(
                1,
                column,
                _("Unknown column; the columns of %(kind)s are: %(columns)s.")
                % {"kind": kind.name, "columns": ", ".join(kind.columns)},
            )
    duplicates = {column for column in columns if column and columns.count(column) > 1}
    for column in sorted(duplicates):
        report.add_error(1, column, _("This column appears twice in the header."))
    return report.ok


def _import_records(kind, table, *, refs, report, by):
    allowed = None if by is None else permissions.importable_alliance_ids(by)
    context = kinds.Context(
        refs=refs, report=report, columns=table.columns, allowed_alliances=allowed
    )
    parser = kind.new_parser()
    parse = parser.parse if hasattr(parser, "parse") else parser
    records = []
    for number, cells in table.rows:
        report.rows += 1
        record = parse(Row(number, dict(zip(table.columns, cells, strict=False)), report), context)
        if record is not None:
            records.append(record)
    if hasattr(parser, "records"):
        records = list(parser.records(context))
    if not report.ok:
        return
    for record in records:
        outcome = save_record(record, by=by, report=report)
        if outcome is not None:
            report.count(outcome)
