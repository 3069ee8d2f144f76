"""The kinds of table the registry imports: their columns, natural keys and row parsers.

Student flows, the one kind that runs to millions of rows, have their own set-based path
in `flows.py`; the kinds here are small enough to check and write record by record.
"""

from dataclasses import dataclass
from functools import partial

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from partnerships.imports.cells import UNKNOWN_REFERENCE, shown
from partnerships.imports.records import Record, set_relations, unique_slug
from partnerships.models import Agreement, AgreementParty, Alliance, Event, Institution, Membership
from partnerships.signals import stamp_the_agreement
from partnerships.validators import normalize_ror_id, split_codes
from partnerships.vocabularies import StudyLevel
from programs.models import Programme, ProgrammePartner


@dataclass
class Context:
    """What parsers share across the rows of one file."""

    refs: object
    report: object
    columns: list
    allowed_alliances: set | None = None  # None: every alliance (staff)

    def __post_init__(self):
        self.seen = {}

    def first_row_with(self, key, row):
        """The earlier row with the same natural key, or None (and remember this one)."""
        earlier = self.seen.get(key)
        if earlier is None:
            self.seen[key] = row.number
        return earlier


def present(context, pairs):
    """Only the values of columns the file has: a missing column leaves the field alone."""
    return {attname: value for column, attname, value in pairs if column in context.columns}


def by_slug_or(model, slug, same, *, slug_from, values):
    """How to find the record of a row: by the slug it gives, else by `same` (its name...).

    Returns (find, on_create). A new record without a slug gets a free one made from
    `slug_from` when it is created, so two new rows whose names slugify alike both load.
    """
    if slug:
        values["slug"] = slug
        return Q(slug=slug), {}
    return same, {"slug": partial(unique_slug, model, slug_from)}


def duplicate(row, context, key, column):
    earlier = context.first_row_with(key, row)
    if earlier is not None:
        row.error(
            column,
            _("This row repeats row %(row)s (the same %(column)s).")
            % {"row": earlier, "column": column.replace("_", " ")},
        )
        return True
    return False


def check_alliance_allowed(row, context, alliance_id, column="alliance"):
    allowed = context.allowed_alliances
    if allowed is not None and alliance_id not in allowed:
        row.error(
            column, _("You may import rows only for the alliances whose secretariat you are.")
        )


def institution_pk(row, context, column, *, required=False):
    found = row.reference(column, context.refs.institutions, "institution", required=required)
    return found[0] if found else None


# Institutions


INSTITUTION_COLUMNS = [
    "name", "slug", "short_name", "native_name", "kind", "country", "city", "website",
    "ror_id", "founded_year", "description",
]  # fmt: skip


def parse_institution(row, context):
    name = row.text("name", required=True, max_length=200)
    country = row.country("country")
    ror_id = normalize_ror_id(row.text("ror_id"))
    slug = row.text("slug", max_length=200)
    values = present(
        context,
        [
            ("short_name", "short_name", row.text("short_name", max_length=40)),
            ("native_name", "native_name", row.text("native_name", max_length=200)),
            ("kind", "kind", row.choice("kind", Institution.Kind)),
            ("city", "city", row.text("city", max_length=100)),
            ("website", "website", row.text("website")),
            ("founded_year", "founded_year", row.integer("founded_year")),
            ("description", "description", row.text("description")),
        ],
    )
    key = ("ror", ror_id) if ror_id else ("name", name.lower(), country)
    if duplicate(row, context, key, "ror_id" if ror_id else "name"):
        return None
    if not row.valid:
        return None
    values.update(name=name, country=country)
    if ror_id:  # a blank cell never erases a known ROR ID
        values["ror_id"] = ror_id
    if slug:
        values["slug"] = slug
    same_name = Q(name__iexact=name, country=country)
    # A ROR ID given for a known institution that had none yet completes that record.
    find = (Q(ror_id=ror_id), same_name & Q(ror_id="")) if ror_id else same_name
    return Record(
        row.number,
        Institution,
        find,
        values,
        on_create={} if slug else {"slug": partial(unique_slug, Institution, f"{name}-{country}")},
    )


# Alliances and events


ALLIANCE_COLUMNS = [
    "name", "slug", "acronym", "founded_on", "headquarters", "cooperation_model",
    "focus_areas", "website", "description", "contact_email",
]  # fmt: skip


def parse_alliance(row, context):
    name = row.text("name", required=True, max_length=200)
    slug = row.text("slug", max_length=200)
    values = present(
        context,
        [
            ("acronym", "acronym", row.text("acronym", max_length=30)),
            ("founded_on", "founded_on", row.date("founded_on")),
            ("headquarters", "headquarters_id", institution_pk(row, context, "headquarters")),
            (
                "cooperation_model",
                "cooperation_model",
                row.choice("cooperation_model", Alliance.CooperationModel),
            ),
            ("focus_areas", "focus_areas", row.text("focus_areas")),
            ("website", "website", row.text("website")),
            ("description", "description", row.text("description")),
            ("contact_email", "contact_email", row.text("contact_email")),
        ],
    )
    key = slug or ("name", name.lower())
    if duplicate(row, context, key, "slug" if slug else "name") or not row.valid:
        return None
    values["name"] = name
    find, on_create = by_slug_or(
        Alliance, slug, Q(name__iexact=name), slug_from=name, values=values
    )
    return Record(row.number, Alliance, find, values, on_create=on_create)


EVENT_COLUMNS = [
    "name", "slug", "kind", "starts_on", "ends_on", "venue", "city", "country", "host",
    "alliance", "part_of", "website", "description",
]  # fmt: skip


def parse_event(row, context):
    name = row.text("name", required=True, max_length=250)
    slug = row.text("slug", max_length=200)
    alliance_id = row.reference("alliance", context.refs.alliances, "alliance")
    if row.valid:
        check_alliance_allowed(row, context, alliance_id)
    part_of = row.text("part_of")
    values = present(
        context,
        [
            ("kind", "kind", row.choice("kind", Event.Kind)),
            ("starts_on", "starts_on", row.date("starts_on", required=True)),
            ("ends_on", "ends_on", row.date("ends_on")),
            ("venue", "venue", row.text("venue", max_length=200)),
            ("city", "city", row.text("city", max_length=100)),
            ("country", "country", row.country("country")),
            ("host", "host_id", institution_pk(row, context, "host")),
            ("alliance", "alliance_id", alliance_id),
            ("website", "website", row.text("website")),
            ("description", "description", row.text("description")),
        ],
    )
    if part_of and part_of not in context.refs.events and part_of not in context.seen:
        row.error(
            "part_of",
            _("No event “%(value)s” exists in the registry or earlier in the file.")
            % {"value": shown(part_of)},
        )
    starts_on = values.get("starts_on")
    key = slug or ("name", name.lower(), starts_on)
    if duplicate(row, context, key, "slug" if slug else "name") or not row.valid:
        return None
    values["name"] = name
    find, on_create = by_slug_or(
        Event, slug, Q(name__iexact=name, starts_on=starts_on), slug_from=name, values=values
    )

    def link_parent(event, *, by, created):
        if "part_of" not in context.columns:
            return []
        parent_id = None
        if part_of:
            parent_id = Event.objects.filter(slug=part_of).values_list("pk", flat=True).first()
        if event.part_of_id == parent_id:
            return []
        event.part_of_id = parent_id
        event._history_user = by
        event.save(update_fields=["part_of", "updated"])
        return [gettext_lazy("the event it is part of")]

    return Record(
        row.number,
        Event,
        find,
        values,
        on_create=on_create,
        related=link_parent,
    )


# Memberships


MEMBERSHIP_COLUMNS = ["alliance", "institution", "role", "joined_on", "left_on", "notes"]


def parse_membership(row, context):
    alliance_id = row.reference("alliance", context.refs.alliances, "alliance", required=True)
    institution_id = institution_pk(row, context, "institution", required=True)
    joined_on = row.date("joined_on", required=True)
    if alliance_id:
        check_alliance_allowed(row, context, alliance_id)
    values = present(
        context,
        [
            ("role", "role", row.choice("role", Membership.Role, default=Membership.Role.MEMBER)),
            ("left_on", "left_on", row.date("left_on")),
            ("notes", "notes", row.text("notes")),
        ],
    )
    key = (alliance_id, institution_id, joined_on)
    if duplicate(row, context, key, "joined_on") or not row.valid:
        return None
    lookup = {"alliance_id": alliance_id, "institution_id": institution_id, "joined_on": joined_on}
    values.update(lookup)
    return Record(
        row.number,
        Membership,
        Q(**lookup),
        values,
        columns={"alliance_id": "alliance", "institution_id": "institution"},
    )


# Agreements with their parties: one row per party, the agreement's cells on its first row


AGREEMENT_COLUMNS = [
    "reference", "title", "kind", "alliance", "event", "signed_on", "effective_from",
    "expires_on", "auto_renews", "notice_days", "renews", "terminated_on",
    "termination_reason", "subject_areas", "summary", "visibility",
    "party_institution", "party_role", "signatory_name", "signatory_title",
]  # fmt: skip
PARTY_COLUMNS = {"party_institution", "party_role", "signatory_name", "signatory_title"}
SIGNATORY_FIELDS = ("signatory_name", "signatory_title")


class AgreementRows:
    """Gathers the party rows of each agreement; records are made once the file is read."""

    def __init__(self):
        self.agreements = {}  # reference → {"row", "values", "renews", "areas", "parties"}

    def parse(self, row, context):
        reference = row.text("reference", required=True, max_length=60)
        party = self.parse_party(row, context)
        entry = self.agreements.get(reference)
        if entry is None and reference:
            entry = self.parse_agreement(row, context, reference)
            self.agreements[reference] = entry
        elif entry is not None:
            self.check_repeated_cells(row, context, entry)
        if party is not None and entry is not None:
            key = (reference, party["institution_id"], party["role"])
            if duplicate(row, context, key, "party_institution"):
                return None
            entry["parties"].append(party)
        return None

    def parse_party(self, row, context):
        institution_id = institution_pk(row, context, "party_institution", required=True)
        role = row.choice("party_role", AgreementParty.Role, default=AgreementParty.Role.PARTY)
        party = {
            "institution_id": institution_id,
            "role": role,
            "signatory_name": row.text("signatory_name", max_length=150),
            "signatory_title": row.text("signatory_title", max_length=150),
        }
        return party if institution_id and role else None

    def parse_agreement(self, row, context, reference):
        refs = context.refs
        renews = row.text("renews")
        if renews and renews not in refs.agreements and renews not in self.agreements:
            row.error(
                "renews",
                _("No agreement “%(value)s” exists in the registry or earlier in the file.")
                % {"value": shown(renews)},
            )
        areas = split_codes(row.text("subject_areas"))
        unknown = [code for code in areas if code not in refs.fields]
        if unknown:
            row.error(
                "subject_areas", _("Not ISCED-F codes: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        values = present(
            context,
            [
                ("title", "title", row.text("title", required=True, max_length=300)),
                ("kind", "kind", row.choice("kind", Agreement.Kind)),
                ("alliance", "alliance_id", row.reference("alliance", refs.alliances, "alliance")),
                ("event", "event_id", row.reference("event", refs.events, "event")),
                ("signed_on", "signed_on", row.date("signed_on")),
                ("effective_from", "effective_from", row.date("effective_from")),
                ("expires_on", "expires_on", row.date("expires_on")),
                ("auto_renews", "auto_renews", row.boolean("auto_renews")),
                ("terminated_on", "terminated_on", row.date("terminated_on")),
                ("termination_reason", "termination_reason", row.text("termination_reason")),
                ("summary", "summary", row.text("summary")),
                (
                    "visibility",
                    "visibility",
                    row.choice("visibility", Agreement.Visibility, default="public"),
                ),
            ],
        )
        notice_days = row.integer("notice_days", minimum=1, maximum=3650)
        if notice_days is not None:
            values["notice_days"] = notice_days
        values["reference"] = reference
        return {
            "row": row.number,
            "cells": {column: row.values.get(column, "") for column in context.columns},
            "values": values,
            "renews": renews,
            "areas": areas,
            "parties": [],
            "valid": row.valid,
        }

    def check_repeated_cells(self, row, context, entry):
        """A later row of the same agreement leaves its cells blank or repeats them."""
        for column, first in entry["cells"].items():
            value = row.values.get(column, "")
            if column not in PARTY_COLUMNS and value and value != first:
                row.error(
                    column,
                    _("This differs from row %(row)s of the same agreement.")
                    % {"row": entry["row"]},
                )

    def records(self, context):
        for reference, entry in self.agreements.items():
            signing = {
                party["institution_id"]
                for party in entry["parties"]
                if party["role"] in AgreementParty.SIGNING_ROLES
            }
            if len(signing) < 2:
                context.report.add_error(
                    entry["row"],
                    "party_institution",
                    _(
                        "Agreement %(reference)s needs at least two signing parties (party or "
                        "coordinator); give one row per party."
                    )
                    % {"reference": reference},
                )
                continue
            if entry["valid"]:
                yield self.record(entry, context)

    def record(self, entry, context):
        renews = entry["renews"]
        values = entry["values"]
        known = context.refs.agreements.get(renews)
        if known is not None:
            values["renews_id"] = known
            renews = ""  # an agreement earlier in the file is linked once it is written

        def write_related(agreement, *, by, created):
            changed = []
            if renews and link_renewed(agreement, renews, by):
                changed.append(gettext_lazy("the agreement it renews"))
            if write_parties(agreement, entry["parties"], by, created=created):
                changed.append(gettext_lazy("its parties"))
            areas = "subject_areas" in context.columns
            if areas and write_subject_areas(agreement, entry["areas"], created=created):
                changed.append(gettext_lazy("its fields of study"))
            return changed

        return Record(
            entry["row"],
            Agreement,
            Q(reference=values["reference"]),
            values,
            related=write_related,
            columns={"alliance_id": "alliance", "event_id": "event", "renews_id": "renews"},
        )


def link_renewed(agreement, reference, by):
    """Point `agreement` at the one it renews, written earlier in the same file."""
    renews_id = Agreement.objects.values_list("pk", flat=True).get(reference=reference)
    if agreement.renews_id == renews_id:
        return False
    agreement.renews_id = renews_id
    agreement.full_clean(exclude=set_relations(agreement))
    agreement._history_user = by
    agreement.save()
    return True


def write_parties(agreement, parties, by, *, created):
    """Add the parties `agreement` lacks and correct their signatories; True on a change.

    The new parties of an agreement are written together, with their history, and the
    agreement is stamped once, not once a party.
    """
    stored = (
        {}
        if created
        else {(party.institution_id, party.role): party for party in agreement.parties.all()}
    )
    added, corrected = [], []
    for party in parties:
        signatory = {key: party[key] for key in SIGNATORY_FIELDS}
        found = stored.get((party["institution_id"], party["role"]))
        if found is None:
            added.append(
                AgreementParty(
                    agreement=agreement,
                    institution_id=party["institution_id"],
                    role=party["role"],
                    **signatory,
                )
            )
        elif any(getattr(found, key) != value for key, value in signatory.items()):
            for key, value in signatory.items():
                setattr(found, key, value)
            corrected.append(found)
    if added:
        bulk_create_with_history(added, AgreementParty, default_user=by)
        if not created:  # bulk_create sends no post_save to stamp the agreement
            stamp_the_agreement(AgreementParty, added[0])
    for party in corrected:
        party._history_user = by
        party.save()
    return bool(added or corrected)


def write_subject_areas(agreement, codes, *, created):
    if created:
        if codes:
            agreement.subject_areas.add(*codes)
        return bool(codes)
    if set(agreement.subject_areas.values_list("pk", flat=True)) == set(codes):
        return False
    agreement.subject_areas.set(codes)
    return True


# Programmes


PROGRAMME_COLUMNS = [
    "name", "slug", "kind", "level", "field", "lead", "partners", "agreement", "alliance",
    "languages", "starts_on", "ends_on", "annual_capacity", "dual_tutor", "website",
    "description",
]  # fmt: skip


def parse_partners(row, context):
    """`xjtu:co_provider; ccn:enterprise_partner` → [(institution id, role)]."""
    partners = []
    for item in filter(None, (part.strip() for part in row.text("partners").split(";"))):
        key, _sep, role = item.rpartition(":") if ":" in item else (item, "", "co_provider")
        found = context.refs.institutions.get(key.strip())
        codes = ProgrammePartner.Role.values
        if found is None:
            row.error("partners", UNKNOWN_REFERENCE["institution"] % {"value": shown(key.strip())})
        elif role.strip() not in codes:
            row.error(
                "partners",
                _("“%(value)s” is not a partner role (%(roles)s).")
                % {"value": shown(role.strip()), "roles": ", ".join(codes)},
            )
        else:
            partners.append((found[0], role.strip()))
    return partners


def parse_programme(row, context):
    refs = context.refs
    name = row.text("name", required=True, max_length=250)
    slug = row.text("slug", max_length=200)
    field_code = row.text("field")
    if field_code and field_code not in refs.fields:
        row.error(
            "field",
            _("“%(value)s” is not an ISCED-F 2013 field code such as 0413.")
            % {"value": shown(field_code)},
        )
    partners = parse_partners(row, context)
    values = present(
        context,
        [
            ("kind", "kind", row.choice("kind", Programme.Kind)),
            ("level", "level", row.choice("level", StudyLevel)),
            ("field", "field_id", field_code or None),
            ("lead", "lead_id", institution_pk(row, context, "lead", required=True)),
            ("agreement", "agreement_id", row.reference("agreement", refs.agreements, "agreement")),
            ("alliance", "alliance_id", row.reference("alliance", refs.alliances, "alliance")),
            ("languages", "languages", ",".join(split_codes(row.text("languages")))),
            ("starts_on", "starts_on", row.date("starts_on")),
            ("ends_on", "ends_on", row.date("ends_on")),
            ("annual_capacity", "annual_capacity", row.integer("annual_capacity", minimum=1)),
            ("dual_tutor", "dual_tutor", row.boolean("dual_tutor")),
            ("website", "website", row.text("website")),
            ("description", "description", row.text("description")),
        ],
    )
    lead_id = values.get("lead_id")
    key = slug or ("name", name.lower(), lead_id)
    if duplicate(row, context, key, "slug" if slug else "name") or not row.valid:
        return None
    values["name"] = name
    find, on_create = by_slug_or(
        Programme, slug, Q(name__iexact=name, lead_id=lead_id), slug_from=name, values=values
    )

    def write_partners(programme, *, by, created):
        if "partners" not in context.columns:
            return []
        changed = replace_partners(programme, set(partners), by, created=created)
        return [gettext_lazy("its partners")] if changed else []

    return Record(
        row.number,
        Programme,
        find,
        values,
        on_create=on_create,
        related=write_partners,
        columns={"lead_id": "lead", "field_id": "field", "agreement_id": "agreement"},
    )


def replace_partners(programme, wanted, by, *, created):
    """Make the partners of `programme` the (institution id, role) pairs `wanted`; True on a
    change. New partners are written in one insert, with their history."""
    stored = (
        {}
        if created
        else {
            (partner.institution_id, partner.role): partner
            for partner in programme.partnerships.all()
        }
    )
    gone = [partner for key, partner in stored.items() if key not in wanted]
    for partner in gone:
        partner._history_user = by
        partner.delete()
    added = [
        ProgrammePartner(programme=programme, institution_id=institution_id, role=role)
        for institution_id, role in wanted - stored.keys()
    ]
    if added:
        bulk_create_with_history(added, ProgrammePartner, default_user=by)
    return bool(gone or added)
