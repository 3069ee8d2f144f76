"""Writing parsed rows: find each record by its natural key, then create, update or leave it."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django_countries.fields import Country


@dataclass
class Record:
    """One record a file describes: how to find it (a Q, or Qs tried in turn), what it should
    hold, and what hangs off it."""

    row: int
    model: type
    find: Q
    values: dict
    # Values a new record starts with; a callable is called only when the record is created.
    on_create: dict = field(default_factory=dict)
    # Writes the rows that hang off the record (parties, partners...): called with the record,
    # `by` and `created` (nothing hangs off it yet); returns what it changed, as the preview
    # of an update names each ("its parties"), an empty list when nothing.
    related: object = None
    columns: dict = field(default_factory=dict)


def plain(value):
    return value.code if isinstance(value, Country) else value


def save_record(record, *, by, report):
    """Create, update or leave the record; returns the outcome or None when it was refused."""
    obj = None
    for find in record.find if isinstance(record.find, tuple) else (record.find,):
        obj = record.model.objects.filter(find).first()
        if obj is not None:
            break
    if obj is None:
        starting = {
            name: value() if callable(value) else value for name, value in record.on_create.items()
        }
        obj = record.model(**record.values, **starting)
        outcome, changed, before = "created", [], {}
    else:
        changed = [
            name for name, value in record.values.items() if plain(getattr(obj, name)) != value
        ]
        before = {name: shown_value(obj, name) for name in changed} if report.lists_changes else {}
        for name in changed:
            setattr(obj, name, record.values[name])
        outcome = "updated" if changed else "unchanged"
        if outcome == "unchanged" and record.related is None:
            return outcome  # nothing to write, so no savepoint either
    obj._history_user = by  # also for the history of its many-to-many fields
    try:
        with transaction.atomic():
            if outcome != "unchanged":
                # The database enforces uniqueness and the model's constraints itself; having
                # Django check each first costs a query and a savepoint apiece, on every row.
                obj.full_clean(
                    exclude=set_relations(obj), validate_unique=False, validate_constraints=False
                )
                obj.save()
            created = outcome == "created"
            linked = record.related(obj, by=by, created=created) if record.related else []
            if linked and outcome == "unchanged":
                outcome = "updated"
    except ValidationError as error:
        _report_invalid(record, error, report)
        return None
    except IntegrityError as error:
        _report_refused(record, obj, error, report)
        return None
    if outcome != "unchanged" and report.lists_changes:
        fields = [
            (record.columns.get(name, name), before[name], shown_value(obj, name))
            for name in changed
        ]
        also = linked if outcome == "updated" else ()
        report.add_change(record.row, outcome, str(obj), fields, also)
    return outcome


def set_relations(obj):
    """The relations of `obj` that point somewhere. Their ids were read from the registry
    (or the record itself) within this import's transaction, and the database's foreign keys
    hold them; Django would check each again with a query, on every row. An empty required
    relation is still checked, for its message."""
    return [
        field.name
        for field in obj._meta.concrete_fields
        if field.is_relation and getattr(obj, field.attname) is not None
    ]


def shown_value(obj, attname):
    """A field's value as a reader knows it: a record's name, a choice's label, "" for blank."""
    field = obj._meta.get_field(attname)
    value = plain(getattr(obj, field.attname))
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field.is_relation:
        return str(getattr(obj, field.name))
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _report_invalid(record, error, report):
    for name, messages in error.message_dict.items():
        column = record.columns.get(name, "" if name == "__all__" else name)
        for message in messages:
            report.add_error(record.row, column, message)


def _report_refused(record, obj, error, report):
    """Word the rule the database refused as the model does; only a refused row pays for it."""
    try:
        obj.validate_unique()
        obj.validate_constraints()
    except ValidationError as explained:
        _report_invalid(record, explained, report)
        return
    report.add_error(
        record.row, "", _("The database refused this row: %(error)s") % {"error": error}
    )


def unique_slug(model, text, *, taken=()):
    """A slug for `text` that no row of `model` uses yet."""
    base = slugify(text)[:190] or "record"
    slug, number = base, 1
    while slug in taken or model.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug
