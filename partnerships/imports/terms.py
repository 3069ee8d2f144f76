"""Import and export sheets for organisational units and cooperation conditions.

Units are named by their institution (slug or ROR ID) and name; a unit's parent and the
units of a condition are named the same way, by name within their institution.
Conditions are found by agreement, sending and receiving institution, mobility type,
field and first academic year; every rule of the model gives a message on its column.
"""

from django.db.models import F, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partnerships.imports.cells import shown
from partnerships.imports.kinds import duplicate, institution_pk, present
from partnerships.imports.records import Record
from partnerships.models import Agreement, AgreementCondition, Unit
from partnerships.models.conditions import FIRST_YEAR, LAST_YEAR
from partnerships.vocabularies import DEGREE_LEVELS

UNIT_COLUMNS = ["institution", "name", "kind", "parent"]

CONDITION_COLUMNS = [
    "agreement", "sending_institution", "sending_unit", "receiving_institution",
    "receiving_unit", "mobility_type", "field", "levels", "first_academic_year",
    "last_academic_year", "places", "months_per_year", "days_per_year", "language",
    "language_level", "notes",
]  # fmt: skip


def unit_index(context):
    """(institution id, unit name) → unit id, read once per import."""
    if not hasattr(context, "units"):
        context.units = {
            (institution_id, name): pk
            for pk, institution_id, name in Unit.objects.values_list("pk", "institution_id", "name")
        }
    return context.units


def parse_unit(row, context):
    institution_id = institution_pk(row, context, "institution", required=True)
    name = row.text("name", required=True, max_length=200)
    parent = row.text("parent", max_length=200)
    values = present(context, [("kind", "kind", row.choice("kind", Unit.Kind))])
    if parent and parent == name:
        row.error("parent", _("A unit cannot be part of itself."))
    if duplicate(row, context, (institution_id, name), "name") or not row.valid:
        return None
    lookup = {"institution_id": institution_id, "name": name}

    def link_parent(unit, *, by, created):
        if "parent" not in context.columns:
            return []
        parent_unit = None
        if parent:
            parent_unit = Unit.objects.filter(institution_id=institution_id, name=parent).first()
        if parent and parent_unit is None:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                {
                    "parent": _("No unit “%(value)s” of this institution exists.")
                    % {"value": shown(parent)}
                }
            )
        if unit.parent_id == (parent_unit.pk if parent_unit else None):
            return []
        unit.parent = parent_unit
        unit.full_clean()
        unit._history_user = by
        unit.save(update_fields=["parent", "updated"])
        return [gettext_lazy("its parent unit")]

    return Record(
        row.number,
        Unit,
        Q(**lookup),
        {**lookup, **values},
        related=link_parent,
        columns={"institution_id": "institution"},
    )


def _levels(row):
    raw = row.text("levels").replace(",", "").replace(" ", "").replace("/", "")
    if raw and not set(raw) <= set(DEGREE_LEVELS):
        row.error(
            "levels",
            _("“%(value)s” holds a level other than ISCED 5, 6, 7 or 8.") % {"value": shown(raw)},
        )
        return None
    return "".join(sorted(set(raw)))


def _unit(row, context, column, institution_id):
    name = row.text(column, max_length=200)
    if not name or institution_id is None:
        return None
    found = unit_index(context).get((institution_id, name))
    if found is None:
        row.error(
            column,
            _("No unit “%(value)s” of this institution exists in the registry.")
            % {"value": shown(name)},
        )
    return found


def parse_condition(row, context):
    agreement_id = row.reference("agreement", context.refs.agreements, "agreement", required=True)
    sending_id = institution_pk(row, context, "sending_institution", required=True)
    receiving_id = institution_pk(row, context, "receiving_institution", required=True)
    mobility_type = row.choice("mobility_type", AgreementCondition.MobilityType)
    field = row.text("field")
    if field and field not in context.refs.fields:
        row.error("field", _("“%(value)s” is not an ISCED-F 2013 code.") % {"value": shown(field)})
    first = row.academic_year("first_academic_year", first=FIRST_YEAR, last=LAST_YEAR)
    values = present(
        context,
        [
            ("sending_unit", "sending_unit_id", _unit(row, context, "sending_unit", sending_id)),
            (
                "receiving_unit",
                "receiving_unit_id",
                _unit(row, context, "receiving_unit", receiving_id),
            ),
            ("levels", "levels", _levels(row)),
            (
                "last_academic_year",
                "last_academic_year",
                row.academic_year("last_academic_year", first=FIRST_YEAR, last=LAST_YEAR),
            ),
            ("places", "places", row.integer("places", required=True)),
            ("months_per_year", "months_per_year", row.integer("months_per_year")),
            ("days_per_year", "days_per_year", row.integer("days_per_year")),
            ("language", "language", row.text("language").lower()),
            ("language_level", "language_level", row.text("language_level").upper()),
            ("notes", "notes", row.text("notes")),
        ],
    )
    lookup = {
        "agreement_id": agreement_id,
        "sending_institution_id": sending_id,
        "receiving_institution_id": receiving_id,
        "mobility_type": mobility_type,
        "field_id": field or None,
        "first_academic_year": first,
    }
    if duplicate(row, context, tuple(lookup.values()), "first_academic_year") or not row.valid:
        return None
    return Record(
        row.number,
        AgreementCondition,
        Q(**lookup),
        {**lookup, **values},
        columns={
            "agreement_id": "agreement",
            "sending_institution_id": "sending_institution",
            "receiving_institution_id": "receiving_institution",
            "field_id": "field",
        },
    )


def _cell(value):
    return "" if value is None else str(value)


def unit_rows(user):
    units = Unit.objects.select_related("institution", "parent")
    # Units without a parent first, so a parent is loaded before the units inside it.
    for unit in units.order_by(F("parent").asc(nulls_first=True), "pk").iterator(10_000):
        yield [unit.institution.slug, unit.name, unit.kind, unit.parent.name if unit.parent else ""]


def condition_rows(user):
    agreements = Agreement.objects.all() if user is None else Agreement.objects.visible_to(user)
    conditions = (
        AgreementCondition.objects.filter(agreement__in=agreements)
        .select_related("agreement")
        .with_related()
        .order_by("pk")
    )
    for condition in conditions.iterator(10_000):
        linked = {
            "agreement": condition.agreement.reference,
            "sending_institution": condition.sending_institution.slug,
            "sending_unit": condition.sending_unit.name if condition.sending_unit else "",
            "receiving_institution": condition.receiving_institution.slug,
            "receiving_unit": condition.receiving_unit.name if condition.receiving_unit else "",
            "field": condition.field_id,
        }
        yield [
            _cell(linked[column]) if column in linked else _cell(getattr(condition, column))
            for column in CONDITION_COLUMNS
        ]
