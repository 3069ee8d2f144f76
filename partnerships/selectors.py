"""Reads that shape records for people: an agreement's history as readable entries."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from partnerships.models import Agreement, AgreementCondition, AgreementParty, FieldOfStudy
from partnerships.vocabularies import StudyLevel, language_name
from programs.models import format_academic_year

# Bookkeeping columns that every save touches; they are not changes a reader cares about.
UNTRACKED = {"id", "created", "updated", "agreement"}


class FieldChange(NamedTuple):
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: who made it, when, to what, and which fields went from → to."""

    when: object
    user: object
    action: str
    subject: str
    reason: str = ""
    changes: tuple = field(default_factory=tuple)

    @property
    def who(self):
        if self.user is None:
            return str(_("unknown (outside the portal)"))
        return self.user.get_full_name() or self.user.get_username()


# Academic years start in September: from then on, the current year is this calendar year.
ACADEMIC_YEAR_STARTS_IN = 9


def current_academic_year(today=None):
    """2026 for any day from September 2026 to August 2027."""
    today = today or timezone.localdate()
    return today.year if today.month >= ACADEMIC_YEAR_STARTS_IN else today.year - 1


def places_table(agreement, year):
    """The conditions of `agreement` that run in `year`, each with `used` and `left`
    (over-use shows as a negative `left`): one query, however many conditions."""
    return (
        AgreementCondition.objects.filter(agreement=agreement)
        .in_year(year)
        .with_related()
        .with_places_used(year)
        .order_by("sending_institution__name", "receiving_institution__name", "mobility_type", "id")
    )


@dataclass(frozen=True)
class TermsRow:
    """One line of the versions page: a term as last approved by all and as it is now."""

    section: str
    approved: str
    current: str

    @property
    def changed(self):
        return self.approved != self.current


def terms_differences(approved, current):
    """Rows comparing two sets of terms (`partnerships.terms`); `approved` may be None."""
    from partnerships.models import Institution, Unit

    both = [terms for terms in (approved, current) if terms]
    institution_ids, unit_ids = set(), set()
    for terms in both:
        for party in terms["parties"]:
            institution_ids.add(party["institution"])
            unit_ids.add(party["unit"])
        for condition in terms["conditions"]:
            institution_ids |= {
                condition["sending_institution"],
                condition["receiving_institution"],
            }
            unit_ids |= {condition["sending_unit"], condition["receiving_unit"]}
    institutions = Institution.objects.in_bulk(institution_ids)
    units = Unit.objects.in_bulk(unit_ids - {None})
    types = dict(AgreementCondition.MobilityType.choices)
    roles = dict(AgreementParty.Role.choices)

    def who(institution_id, unit_id):
        institution = institutions.get(institution_id)
        name = institution.display_name if institution else f"#{institution_id}"
        unit = units.get(unit_id)
        return f"{name} ({unit.name})" if unit else name

    def party_line(party):
        return f"{who(party['institution'], party['unit'])} — {roles.get(party['role'], '')}"

    def condition_line(c):
        size = ""
        if months := c["months_per_year"]:
            size = ngettext("%(count)d month", "%(count)d months", months) % {"count": months}
        if days := c["days_per_year"]:
            size = ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
        parts = [
            f"{who(c['sending_institution'], c['sending_unit'])} → "
            f"{who(c['receiving_institution'], c['receiving_unit'])}",
            f"{c['places']} × {types.get(c['mobility_type'], c['mobility_type'])}",
            f"ISCED {'/'.join(c['levels'])}" if c["levels"] else "",
            gettext("field %(code)s") % {"code": c["field"]} if c["field"] else "",
            f"{format_academic_year(c['first_academic_year'])}–"
            f"{format_academic_year(c['last_academic_year'])}",
            size,
            f"{_shown_language(c['language'])} {c['language_level']}".strip()
            if c["language"]
            else "",
        ]
        return ", ".join(part for part in parts if part)

    rows = []
    for name in ("effective_from", "expires_on"):
        rows.append(
            TermsRow(
                str(Agreement._meta.get_field(name).verbose_name),
                (approved or {}).get(name) or "—",
                current.get(name) or "—",
            )
        )
    for section, key, line in (
        (str(_("party")), "parties", party_line),
        (str(_("condition")), "conditions", condition_line),
    ):
        old = [line(item) for item in (approved or {}).get(key, [])]
        new = [line(item) for item in current[key]]
        for text in sorted(set(old) | set(new)):
            rows.append(
                TermsRow(section, text if text in old else "—", text if text in new else "—")
            )
    return rows


ACTIONS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


def subject_areas_history():
    """The table that keeps an agreement's subject areas at each of its history rows."""
    return apps.get_model("partnerships", "HistoricalAgreement_subject_areas")


def agreement_history(agreement):
    """Every recorded change to `agreement`, its parties and subject areas, newest first.

    Runs a fixed number of queries however long the history is. Callers check
    `permissions.can_view_agreement_history` first.
    """
    records = list(
        Agreement.history.filter(id=agreement.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    party_records = list(
        AgreementParty.history.filter(agreement_id=agreement.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    condition_records = list(
        AgreementCondition.history.filter(agreement_id=agreement.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    areas = defaultdict(set)
    for history_id, area_id in (
        subject_areas_history()
        .objects.filter(history__id=agreement.pk)
        .values_list("history_id", "fieldofstudy_id")
    ):
        areas[history_id].add(area_id)
    names = _names_for(records + party_records + condition_records, areas)

    entries = _entries(records, Agreement, names, _("agreement"), areas=areas)
    by_party = defaultdict(list)
    for record in party_records:
        by_party[record.id].append(record)
    for versions in by_party.values():
        institution = names[("institution", versions[-1].institution_id)]
        entries += _entries(versions, AgreementParty, names, _("party %s") % institution)
    by_condition = defaultdict(list)
    for record in condition_records:
        by_condition[record.id].append(record)
    for versions in by_condition.values():
        last = versions[-1]
        sending = names[("sending_institution", last.sending_institution_id)]
        receiving = names[("receiving_institution", last.receiving_institution_id)]
        direction = f"{sending} → {receiving}"
        entries += _entries(versions, AgreementCondition, names, _("condition %s") % direction)
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def _entries(versions, model, names, subject, *, areas=None):
    fields = [f for f in model._meta.concrete_fields if f.name not in UNTRACKED]
    entries = []
    previous = None
    for record in versions:
        changes = []
        if record.history_type != "-":
            for model_field in fields:
                old = _shown(model_field, previous, names) if previous else "—"
                new = _shown(model_field, record, names)
                if old != new:
                    changes.append(FieldChange(str(model_field.verbose_name), old, new))
            if areas is not None:
                old = _shown_areas(areas[previous.history_id], names) if previous else "—"
                new = _shown_areas(areas[record.history_id], names)
                if old != new:
                    changes.append(FieldChange(str(_("subject areas")), old, new))
        reason = record.history_change_reason or ""
        if record.history_type != "~" or changes or reason:
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    user=record.history_user,
                    action=str(ACTIONS[record.history_type]),
                    subject=str(subject),
                    reason=reason,
                    changes=tuple(changes),
                )
            )
        # After a deletion, a restore starts afresh: it lists every value it brought back.
        previous = None if record.history_type == "-" else record
    return entries


def _shown_levels(levels):
    return "; ".join(str(StudyLevel(level).label) for level in levels)


def _shown_language(code):
    return f"{capfirst(language_name(code))} ({code})"


# Condition fields whose stored codes mean something a reader should see in words.
SHOWN_AS = {
    "levels": _shown_levels,
    "language": _shown_language,
    "first_academic_year": format_academic_year,
    "last_academic_year": format_academic_year,
}


def _shown(model_field, record, names):
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return "—"
    if model_field.model is AgreementCondition and model_field.name in SHOWN_AS:
        return SHOWN_AS[model_field.name](value)
    if model_field.is_relation:
        return names[(model_field.name, value)]
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(model_field, models.DateField):
        return value.isoformat()
    if isinstance(model_field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return str(value)


def _shown_areas(area_ids, names):
    if not area_ids:
        return "—"
    return "; ".join(sorted(names[("subject_areas", area_id)] for area_id in area_ids))


def _names_for(records, areas):
    """Readable names for every linked record, one query per kind of link."""
    wanted = defaultdict(set)
    relations = {}
    for model in (Agreement, AgreementParty, AgreementCondition):
        for model_field in model._meta.concrete_fields:
            if model_field.is_relation and model_field.name not in UNTRACKED:
                relations[model_field.name] = model_field.related_model
    for record in records:
        for name in relations:
            value = getattr(record, f"{name}_id", None)
            if value is not None:
                wanted[name].add(value)
    wanted["subject_areas"] = set().union(*areas.values()) if areas else set()
    relations["subject_areas"] = FieldOfStudy

    names = defaultdict(lambda: "—")
    for name, ids in wanted.items():
        if not ids:
            continue
        found = relations[name]._default_manager.in_bulk(ids)
        for pk in ids:
            names[(name, pk)] = _label(found[pk]) if pk in found else f"#{pk} ({_('deleted')})"
    return names


def _label(instance):
    if isinstance(instance, get_user_model()):
        return instance.get_full_name() or instance.get_username()
    if isinstance(instance, Agreement):
        return instance.reference
    return str(instance)
