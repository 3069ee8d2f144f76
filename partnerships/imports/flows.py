"""Student flows at scale: stream the rows into a staging table, then one set-based upsert.

Each row is checked as it streams (one pass, bounded memory: the only thing kept per row
is a hash of its dimensions, to find repeats). On PostgreSQL the rows go in through COPY;
elsewhere through batched inserts. If any row is bad the transaction is rolled back and
nothing is written. Otherwise one INSERT ... ON CONFLICT on the flow's dimension tuple
creates the new rows and replaces (or, with `add`, adds to) the counts of existing ones,
leaving rows whose figures are already the same untouched.
"""

from itertools import islice
from operator import itemgetter

from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.imports.cells import COUNTRY_CODES, Row, english_choices, parse_academic_year
from partnerships.imports.report import grouped
from partnerships.models import Agreement, AgreementParty
from partnerships.vocabularies import StudyLevel
from programs.models import (
    FIRST_ACADEMIC_YEAR,
    LAST_ACADEMIC_YEAR,
    MobilityType,
    StudentFlow,
    latest_countable_academic_year,
    validate_academic_year_begun,
)

FLOW_COLUMNS = [
    "academic_year", "origin_country", "destination_country", "origin_institution",
    "destination_institution", "level", "mobility_type", "students", "source", "programme",
    "agreement",
]  # fmt: skip
REQUIRED_FLOW_COLUMNS = ["academic_year", "origin_country", "destination_country", "students"]
INSTITUTION_ELSEWHERE = {
    "origin": gettext_lazy(
        "This institution is in %(institution_country)s, not in the origin country %(country)s."
    ),
    "destination": gettext_lazy(
        "This institution is in %(institution_country)s, not in the destination country "
        "%(country)s."
    ),
}

STAGING = "import_flow_staging"
STAGED = [
    "academic_year", "origin_country", "destination_country", "origin_institution_id",
    "destination_institution_id", "programme_id", "level", "mobility_type", "students",
    "source", "agreement_id",
]  # fmt: skip
DIMENSIONS = STAGED[:8]
MAX_STUDENTS = 2_147_483_647
SOURCE_MAX_LENGTH = 500
BATCH = 5_000
UNSPECIFIED = "unspecified"
PROGRESS_EVERY = 50_000
# The stages `progress(stage, rows)` is told of.
CHECKING, COMPARING, WRITING = "checking", "comparing", "writing"
LINES_PER_READ = 500

# The statements that move staged rows are built from the model's table and column names
# only; every value goes through COPY or as a query parameter.
STAGING_INSERT = "INSERT INTO {staging} ({columns}) VALUES ({placeholders})"
COUNT_OUTCOMES = (
    "SELECT COALESCE(SUM(CASE WHEN f.id IS NULL THEN 1 ELSE 0 END), 0),"
    " COALESCE(SUM(CASE WHEN f.id IS NOT NULL AND {changed} THEN 1 ELSE 0 END), 0)"
    " FROM {staging} s LEFT JOIN {table} f ON {matches}"
)
UPSERT = (
    "INSERT INTO {table} (created, updated, is_generated, {columns})"
    " SELECT %s, %s, false, {columns} FROM {staging} WHERE true"
    " ON CONFLICT ({target}) DO UPDATE SET students = {students},"
    " source = EXCLUDED.source, is_generated = false, updated = EXCLUDED.updated,"
    " agreement_id = COALESCE(EXCLUDED.agreement_id, {table}.agreement_id){when}"
)
# With `add`, stored counts the file's would take past the largest count the column holds.
ADDED_PAST_MAXIMUM = (
    "SELECT COUNT(*) FROM {staging} s JOIN {table} f ON {matches}"
    " WHERE CAST(f.students AS bigint) + s.students > %s"
)
# PostgreSQL tells inserted rows (xmax = 0) from updated ones.
COUNTED_UPSERT = (
    "WITH written AS ({upsert} RETURNING (xmax = 0) AS created)"
    " SELECT COUNT(*) FILTER (WHERE created), COUNT(*) FILTER (WHERE NOT created) FROM written"
)


def _choices(choices):
    """Every accepted spelling of a choice (code or English label, any case) → its code."""
    accepted = {}
    for code, label in english_choices(choices):
        for spelling in (code, code.lower(), code.upper(), label, label.lower()):
            accepted[spelling] = code
    return accepted


LEVELS = _choices(StudyLevel)
MOBILITY_TYPES = _choices(MobilityType)
COUNTRIES = {code: code for code in COUNTRY_CODES} | {code.lower(): code for code in COUNTRY_CODES}


class FlowRows:
    """Checks flow rows one by one and yields the staging tuple of each good one."""

    def __init__(self, columns, refs, report, progress, agreements=None):
        self.position = {
            column: columns.index(column) for column in FLOW_COLUMNS if column in columns
        }
        self.columns, self.refs, self.report, self.progress = columns, refs, report, progress
        self.agreements = agreements if agreements is not None else AgreementIndex.empty()
        self.seen = set()
        self.latest_year = latest_countable_academic_year()

    def staged(self, rows):
        """Yield the staging tuple of each good row; note the problems of the others."""
        seen, report, progress = self.seen, self.report, self.progress
        fast = self.fast_parser()
        for number, cells in rows:
            report.rows += 1
            if report.rows % PROGRESS_EVERY == 0:
                progress(CHECKING, report.rows)
            try:
                staged = fast(cells)
            except (KeyError, ValueError):
                staged = self.checked(number, cells)
                if staged is None:
                    continue
            key = hash(staged[:8])
            if key in seen:
                self.repeated(number, staged)
                continue
            seen.add(key)
            yield staged

    def fast_parser(self):
        """A parser for well-formed rows, built on lookups; any doubt raises KeyError or
        ValueError and the row goes through `checked`, which says what is wrong.

        It runs once per row of files of a million rows, so it takes all cells in one
        `itemgetter` call (a column missing from the header reads as a blank cell past the
        row's end) and keeps every lookup in a local name."""
        width = len(self.columns)
        pick = itemgetter(*(self.position.get(column, width) for column in FLOW_COLUMNS))
        pad = len(self.position) < len(FLOW_COLUMNS)
        institutions, programmes, years = self.refs.institutions.by_key, self.refs.programmes, {}
        latest_year = self.latest_year
        agreements = self.agreements.by_reference
        countries, levels, mobility_types = COUNTRIES, LEVELS, MOBILITY_TYPES

        def parse(cells):
            if pad:
                cells = [*cells, ""]
            (
                year_text, origin_text, destination_text, origin_inst_text,
                destination_inst_text, level_text, mobility_text, students_text, source,
                programme_text, agreement_text,
            ) = pick(cells)  # fmt: skip
            year = years.get(year_text)
            if year is None:
                year = years[year_text] = parse_academic_year(
                    year_text, first=FIRST_ACADEMIC_YEAR, last=latest_year
                )
            origin = countries[origin_text]
            destination = countries[destination_text]
            origin_inst = destination_inst = programme = agreement = None
            if origin_inst_text:
                origin_inst, country = institutions[origin_inst_text]
                if country != origin:
                    raise ValueError
            if destination_inst_text:
                destination_inst, country = institutions[destination_inst_text]
                if country != destination:
                    raise ValueError
            if programme_text:
                programme = programmes[programme_text]
            if agreement_text:
                agreement, signers = agreements[agreement_text]
                if (
                    origin_inst is None
                    or destination_inst is None
                    or origin_inst not in signers
                    or destination_inst not in signers
                ):
                    raise ValueError
            if not students_text.isdecimal():  # int() also takes "1_0" and " 12"
                raise ValueError
            students = int(students_text)
            if (
                origin == destination
                or not 0 < students <= MAX_STUDENTS
                or len(source) > SOURCE_MAX_LENGTH
                or source != source.strip()
                or source[:1] == "'"
            ):
                raise ValueError
            return (
                year, origin, destination, origin_inst, destination_inst, programme,
                levels[level_text or UNSPECIFIED], mobility_types[mobility_text or UNSPECIFIED],
                students, source, agreement,
            )  # fmt: skip

        return parse

    def checked(self, number, cells):
        """Check a row cell by cell; the staging tuple, or None after noting each problem."""
        values = dict(zip(self.columns, cells, strict=False))
        row = Row(number, values, self.report)
        year = row.academic_year(
            "academic_year", first=FIRST_ACADEMIC_YEAR, last=LAST_ACADEMIC_YEAR
        )
        try:
            if year is not None:
                validate_academic_year_begun(year)
        except ValidationError as error:
            row.error("academic_year", error.messages[0])
        origin = row.country("origin_country")
        destination = row.country("destination_country")
        if origin and origin == destination:
            row.error(
                "destination_country", _("Origin and destination must be different countries.")
            )
        institutions = []
        for side, country in (("origin", origin), ("destination", destination)):
            found = row.reference(f"{side}_institution", self.refs.institutions, "institution")
            if found and country and found[1] != country:
                row.error(
                    f"{side}_institution",
                    INSTITUTION_ELSEWHERE[side]
                    % {"institution_country": found[1], "country": country},
                )
            institutions.append(found[0] if found else None)
        programme = row.reference("programme", self.refs.programmes, "programme")
        level = row.choice("level", StudyLevel, default=UNSPECIFIED)
        mobility = row.choice("mobility_type", MobilityType, default=UNSPECIFIED)
        students = row.integer("students", required=True, minimum=1, maximum=MAX_STUDENTS)
        source = row.text("source", max_length=SOURCE_MAX_LENGTH)
        agreement = row.reference("agreement", self.agreements, "agreement")
        origin_inst, destination_inst = institutions
        if agreement is not None:
            if origin_inst is None or destination_inst is None:
                row.error(
                    "agreement",
                    _("Name both institutions to count these students against an agreement."),
                )
            elif not {origin_inst, destination_inst} <= agreement[1]:
                row.error("agreement", _("Both institutions must sign this agreement."))
        if not row.valid:
            return None
        return (
            year, origin, destination, origin_inst, destination_inst, programme, level,
            mobility, students, source, agreement[0] if agreement else None,
        )  # fmt: skip

    def repeated(self, number, staged):
        year, origin, destination = staged[:3]
        self.report.add_error(
            number,
            "academic_year",
            _(
                "This row repeats an earlier row with the same dimensions (%(year)s, "
                "%(origin)s→%(destination)s, the same institutions, programme, level and "
                "mobility type)."
            )
            % {"year": year, "origin": origin, "destination": destination},
        )


class AgreementIndex:
    """Agreements `user` may see (all of them for None, the command line) by reference →
    (pk, ids of the institutions that sign it). An agreement the user may not see is as
    unknown as one that does not exist. Read before the rows (no query can run while COPY
    streams them), without keeping the query results."""

    def __init__(self, user):
        agreements = Agreement.objects.all() if user is None else Agreement.objects.visible_to(user)
        signing = AgreementParty.objects.filter(
            agreement__in=agreements, role__in=AgreementParty.SIGNING_ROLES
        ).values_list("agreement_id", "institution_id")
        parties = {}
        for agreement_id, institution_id in signing.iterator(chunk_size=10_000):
            parties.setdefault(agreement_id, []).append(institution_id)
        self.by_reference = {
            reference: (pk, frozenset(parties.pop(pk, ())))
            for pk, reference in agreements.values_list("pk", "reference").iterator(
                chunk_size=10_000
            )
        }

    @classmethod
    def empty(cls):
        index = cls.__new__(cls)
        index.by_reference = {}
        return index

    def get(self, reference):
        return self.by_reference.get(reference)


def import_flows(table, *, refs, report, dry_run, add, progress=None, by=None):
    """Check and stage every row; unless a row is bad or this is a dry run, upsert them.

    `progress(stage, rows)` hears of the rows checked so far (every so many, and at the end
    of the file), then of each later stage as it starts.

    A blank or missing `agreement` leaves a flow's link as it is: a sheet exported by
    someone who may not see the agreement does not unlink it."""
    missing = [column for column in REQUIRED_FLOW_COLUMNS if column not in table.columns]
    if missing:
        for column in missing:
            report.add_error(1, column, "This column is missing from the header.")
        return
    agreements = AgreementIndex(by) if "agreement" in table.columns else None
    tell = progress or _unheard
    rows = FlowRows(table.columns, refs, report, tell, agreements).staged(table.rows)
    # On an error the caller's transaction rolls back, and the staging table with it.
    with connection.cursor() as cursor:
        _create_staging(cursor)
        _fill_staging(cursor, rows)
        tell(CHECKING, report.rows)
        if report.ok and add:
            _check_added_counts(cursor, report)
        if report.ok:
            if dry_run or connection.vendor != "postgresql":
                tell(COMPARING, report.rows)
                _count_outcomes(cursor, report, add=add)
            if not dry_run:
                tell(WRITING, report.rows)
                created, updated = _upsert(cursor, add=add)
                if created is not None:
                    report.created, report.updated = created, updated
            report.unchanged = report.rows - report.created - report.updated
        cursor.execute(f"DROP TABLE {STAGING}")


def _unheard(stage, rows):
    """Progress nobody follows (the upload page, the API)."""


def _create_staging(cursor):
    cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    cursor.execute(
        f"CREATE TEMPORARY TABLE {STAGING} ("
        "academic_year integer NOT NULL, origin_country varchar(2) NOT NULL,"
        " destination_country varchar(2) NOT NULL, origin_institution_id bigint NULL,"
        " destination_institution_id bigint NULL, programme_id bigint NULL,"
        " level varchar(12) NOT NULL, mobility_type varchar(12) NOT NULL,"
        " students integer NOT NULL, source varchar(500) NOT NULL, agreement_id bigint NULL)"
    )


def _fill_staging(cursor, rows):
    if connection.vendor == "postgresql":
        stream = CopyStream(rows)
        cursor.cursor.copy_expert(f"COPY {STAGING} ({', '.join(STAGED)}) FROM STDIN", stream)
        if stream.error is not None:
            raise stream.error
        return
    insert = STAGING_INSERT.format(
        staging=STAGING, columns=", ".join(STAGED), placeholders=", ".join(["%s"] * len(STAGED))
    )
    batch = []
    for staged in rows:
        batch.append(staged)
        if len(batch) == BATCH:
            cursor.executemany(insert, batch)
            batch.clear()
    if batch:
        cursor.executemany(insert, batch)


def _copy_line(staged):
    """One staging row in COPY's text format. Only the source is free text: the other
    values are numbers, codes and ids the checks have already accepted."""
    (
        year, origin, destination, origin_inst, destination_inst, programme, level, mobility,
        students, source, agreement,
    ) = staged  # fmt: skip
    if "\\" in source or not source.isprintable():
        source = (
            source.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return (
        f"{year}\t{origin}\t{destination}\t"
        f"{NULL if origin_inst is None else origin_inst}\t"
        f"{NULL if destination_inst is None else destination_inst}\t"
        f"{NULL if programme is None else programme}\t{level}\t{mobility}\t{students}\t"
        f"{source}\t{NULL if agreement is None else agreement}\n"
    )


NULL = "\\N"


class CopyStream:
    """A file-like object that COPY reads: the staged rows as tab-separated text, on demand.

    An error while reading the file ends the COPY after the last whole batch of lines and is
    raised after it, so the caller sees the file's problem rather than a cancelled COPY.
    """

    def __init__(self, rows):
        self.rows = iter(rows)
        self.buffer = ""
        self.done = False
        self.error = None

    def read(self, size=-1):
        size = size if size and size > 0 else 65536
        parts, length = [self.buffer], len(self.buffer)
        while length < size and not self.done:
            try:
                lines = "".join(map(_copy_line, islice(self.rows, LINES_PER_READ)))
            except Exception as error:
                self.error, self.done = error, True
                break
            if not lines:
                self.done = True
                break
            parts.append(lines)
            length += len(lines)
        text = "".join(parts)
        self.buffer = text[size:]
        return text[:size]

    readline = read


def _matches(existing, staged):
    return " AND ".join(
        f"{existing}.{column} = {staged}.{column}"
        if not column.endswith("_id")
        else f"COALESCE({existing}.{column}, 0) = COALESCE({staged}.{column}, 0)"
        for column in DIMENSIONS
    )


def _check_added_counts(cursor, report):
    table = StudentFlow._meta.db_table
    cursor.execute(
        ADDED_PAST_MAXIMUM.format(staging=STAGING, table=table, matches=_matches("f", "s")),
        [MAX_STUDENTS],
    )
    if cursor.fetchone()[0]:
        report.add_error(
            None,
            "students",
            _("Added to the stored counts, some of the file's counts would exceed %(maximum)s.")
            % {"maximum": grouped(MAX_STUDENTS)},
        )


def _count_outcomes(cursor, report, *, add):
    table = StudentFlow._meta.db_table
    changed = (
        "1 = 1"
        if add
        else "(f.students <> s.students OR f.source <> s.source OR f.is_generated"
        " OR COALESCE(f.agreement_id, 0) <> COALESCE(s.agreement_id, f.agreement_id, 0))"
    )
    cursor.execute(
        COUNT_OUTCOMES.format(
            changed=changed, staging=STAGING, table=table, matches=_matches("f", "s")
        )
    )
    report.created, report.updated = cursor.fetchone()


def _upsert(cursor, *, add):
    """Write the staged rows; returns (created, updated) where the database can tell."""
    table = StudentFlow._meta.db_table
    now = timezone.now()
    target = ", ".join(
        f"COALESCE({column}, 0)" if column.endswith("_id") else column for column in DIMENSIONS
    )
    if add:
        students, when = f"{table}.students + EXCLUDED.students", ""
    else:
        students = "EXCLUDED.students"
        when = (
            f" WHERE {table}.students <> EXCLUDED.students OR {table}.source <> EXCLUDED.source"
            f" OR {table}.is_generated OR COALESCE({table}.agreement_id, 0)"
            f" <> COALESCE(EXCLUDED.agreement_id, {table}.agreement_id, 0)"
        )
    upsert = UPSERT.format(
        table=table,
        columns=", ".join(STAGED),
        staging=STAGING,
        target=target,
        students=students,
        when=when,
    )
    if connection.vendor == "postgresql":
        cursor.execute(COUNTED_UPSERT.format(upsert=upsert), [now, now])
        return cursor.fetchone()
    cursor.execute(upsert, [now, now])
    return None, None
