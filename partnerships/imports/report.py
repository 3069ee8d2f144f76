"""What an import found and did: counts, and each problem with its row and column."""

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

MAX_LISTED_ERRORS = 500
# The changes a preview lists, record by record; the counts cover them all.
MAX_LISTED_CHANGES = 200


@dataclass(frozen=True)
class RowError:
    row: int | None
    column: str
    message: str

    def __str__(self):
        where = _("row %(row)s") % {"row": self.row} if self.row else _("file")
        if self.column:
            where = _("%(where)s, column %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}"

    def as_dict(self):
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class RecordChange:
    """A record a row creates or updates: for an update, each (column, old, new) it changes,
    and what else it changes (`also`: "its parties"..., shown in the reader's language)."""

    row: int
    outcome: str
    record: str
    fields: tuple = ()
    also: tuple = ()

    @property
    def linked(self):
        return pgettext("list separator", ", ").join(str(label) for label in self.also)

    def __str__(self):
        if self.outcome == "created":
            what = _("new record")
        else:
            blank = _("(blank)")
            what = "; ".join(
                f"{column}: {old or blank} → {new or blank}" for column, old, new in self.fields
            )
            if self.linked:
                linked = _("changes %(what)s") % {"what": self.linked}
                what = f"{what}; {linked}" if what else linked
        return _("row %(row)s") % {"row": self.row} + f", {self.record}: {what}"

    def as_dict(self):
        return {
            "row": self.row,
            "outcome": self.outcome,
            "record": self.record,
            "fields": [{"column": c, "old": old, "new": new} for c, old, new in self.fields],
            "linked": self.linked,
        }


@dataclass
class ImportReport:
    kind: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    error_count: int = 0
    changes: list = field(default_factory=list)

    @property
    def ok(self):
        return self.error_count == 0

    @property
    def written(self):
        return self.ok and not self.dry_run

    def add_error(self, row, column, message):
        self.error_count += 1
        if len(self.errors) < MAX_LISTED_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    @property
    def lists_changes(self):
        """Is there room for another change in the list (a preview's detail)?"""
        return len(self.changes) < MAX_LISTED_CHANGES

    @property
    def change_count(self):
        return self.created + self.updated

    def add_change(self, row, outcome, record, fields=(), also=()):
        if self.lists_changes:
            self.changes.append(RecordChange(row, outcome, record, tuple(fields), tuple(also)))

    def add_unlisted_errors(self, count):
        """Count problems found past those a reader listed (it keeps as many as the report)."""
        self.error_count += count

    def count(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self):
        rows = ngettext("%(count)s row", "%(count)s rows", self.rows) % {
            "count": grouped(self.rows)
        }
        if not self.ok:
            problems = ngettext("%(count)s problem", "%(count)s problems", self.error_count) % {
                "count": grouped(self.error_count)
            }
            if not self.rows:  # stopped at the header or the file's cells, before any row
                return _("%(problems)s; nothing was written.") % {"problems": problems}
            return _("%(problems)s in %(rows)s; nothing was written.") % {
                "problems": problems,
                "rows": rows,
            }
        counts = _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": grouped(self.created),
            "updated": grouped(self.updated),
            "unchanged": grouped(self.unchanged),
        }
        if self.dry_run:
            message = _("%(rows)s checked; a real import would give: %(counts)s.")
        else:
            message = _("%(rows)s read: %(counts)s.")
        return message % {"rows": rows, "counts": counts}

    def as_dict(self):
        return {
            "kind": self.kind,
            "dry_run": self.dry_run,
            "ok": self.ok,
            "written": self.written,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "error_count": self.error_count,
            "errors": [error.as_dict() for error in self.errors],
            "changes": [change.as_dict() for change in self.changes] if self.ok else [],
            "summary": self.summary(),
        }


def grouped(number):
    """1,000,000 in English, 1 000 000 in Russian: the reader's thousands separator."""
    return number_format(number, force_grouping=True)
