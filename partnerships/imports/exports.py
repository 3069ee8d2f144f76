"""The tables `export_dump` writes: per kind, the same columns `run_import` reads.

Rows are lists of cells in the kind's column order, streamed from the database. `user`
decides what is visible: the open-data dump exports what an anonymous visitor may see;
None exports everything (a full copy between installations, on the command line only).
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Case, CharField, F, Value, When
from django.db.models.functions import Concat, Left, NullIf
from django.db.models.lookups import In

from alliance_portal.api_csv import FORMULA_PREFIXES, neutralise
from partnerships.imports import kinds, terms
from partnerships.imports.flows import FLOW_COLUMNS
from partnerships.models import Agreement, AgreementParty, Alliance, Event, Institution, Membership
from programs.models import Programme, StudentFlow

CHUNK = 10_000


def cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def visible_agreements(user):
    return Agreement.objects.all() if user is None else Agreement.objects.visible_to(user)


def institution_rows(user):
    for institution in Institution.objects.order_by("pk").iterator(CHUNK):
        yield [cell(getattr(institution, column)) for column in kinds.INSTITUTION_COLUMNS]


def alliance_rows(user):
    for alliance in Alliance.objects.select_related("headquarters").order_by("pk").iterator(CHUNK):
        yield [
            cell(alliance.headquarters.slug if alliance.headquarters else None)
            if column == "headquarters"
            else cell(getattr(alliance, column))
            for column in kinds.ALLIANCE_COLUMNS
        ]


def event_rows(user):
    events = Event.objects.select_related("host", "alliance", "part_of")
    # Larger events first, so a forum's `part_of` names an event already loaded.
    for event in events.order_by(F("part_of").asc(nulls_first=True), "pk").iterator(CHUNK):
        linked = {"host": event.host, "alliance": event.alliance, "part_of": event.part_of}
        yield [
            cell(linked[column].slug if linked[column] else None)
            if column in linked
            else cell(getattr(event, column))
            for column in kinds.EVENT_COLUMNS
        ]


def membership_rows(user):
    memberships = Membership.objects.select_related("alliance", "institution").order_by("pk")
    for membership in memberships.iterator(CHUNK):
        yield [
            membership.alliance.slug,
            membership.institution.slug,
            membership.role,
            cell(membership.joined_on),
            cell(membership.left_on),
            membership.notes,
        ]


def agreement_rows(user):
    """One row per party; the agreement's cells repeat on each of its rows."""
    visible = visible_agreements(user)
    visible_references = set(visible.values_list("reference", flat=True))
    parties = (
        AgreementParty.objects.filter(agreement__in=visible)
        .select_related(
            "agreement__alliance", "agreement__event", "agreement__renews", "institution"
        )
        .prefetch_related("agreement__subject_areas")
        .order_by("agreement_id", "pk")
    )
    for party in parties.iterator(CHUNK):
        agreement = party.agreement
        renews = agreement.renews.reference if agreement.renews else ""
        linked = {
            "alliance": agreement.alliance.slug if agreement.alliance else "",
            "event": agreement.event.slug if agreement.event else "",
            "renews": renews if renews in visible_references else "",
            "subject_areas": ",".join(sorted(area.pk for area in agreement.subject_areas.all())),
            "party_institution": party.institution.slug,
            "party_role": party.role,
            "signatory_name": party.signatory_name,
            "signatory_title": party.signatory_title,
        }
        yield [
            cell(linked[column]) if column in linked else cell(getattr(agreement, column))
            for column in kinds.AGREEMENT_COLUMNS
        ]


def programme_rows(user):
    visible = set(visible_agreements(user).values_list("pk", flat=True))
    programmes = (
        Programme.objects.select_related("lead", "agreement", "alliance")
        .prefetch_related("partnerships__institution")
        .order_by("pk")
    )
    for programme in programmes.iterator(CHUNK):
        linked = {
            "field": programme.field_id,
            "lead": programme.lead.slug,
            "partners": "; ".join(
                f"{partner.institution.slug}:{partner.role}"
                for partner in programme.partnerships.all()
            ),
            "agreement": programme.agreement.reference if programme.agreement_id in visible else "",
            "alliance": programme.alliance.slug if programme.alliance else "",
        }
        yield [
            cell(linked[column]) if column in linked else cell(getattr(programme, column))
            for column in kinds.PROGRAMME_COLUMNS
        ]


def flow_rows(user, queryset=None):
    """Flows with institutions and programmes by slug, read in chunks without joins; an
    agreement by reference, only where `user` may see it.

    A million rows make per-cell work the export's cost, so the cells come out already
    neutralised (see `neutralise`): each slug and reference once, the free-text source per
    row; the other cells are numbers and codes."""
    slugs = _neutralised(Institution.objects.values_list("pk", "slug"))
    programmes = _neutralised(Programme.objects.values_list("pk", "slug"))
    linked = StudentFlow.objects.filter(agreement__isnull=False).values("agreement_id")
    agreements = _neutralised(
        visible_agreements(user).filter(pk__in=linked).values_list("pk", "reference")
    )
    slugs[None] = programmes[None] = ""
    queryset = StudentFlow.objects.all() if queryset is None else queryset
    values = queryset.order_by("pk").values_list(
        "academic_year",
        "origin_country",
        "destination_country",
        "origin_institution_id",
        "destination_institution_id",
        "level",
        "mobility_type",
        "students",
        "source",
        "programme_id",
        "agreement_id",
    )
    for (
        year,
        origin,
        destination,
        source_inst,
        target_inst,
        level,
        mobility,
        students,
        source,
        programme,
        agreement,
    ) in values.iterator(CHUNK):
        yield [
            year, origin, destination, slugs[source_inst], slugs[target_inst], level,
            mobility, students, neutralise(source), programmes[programme],
            agreements.get(agreement, ""),
        ]  # fmt: skip


def copy_flows_csv(file, user):
    """PostgreSQL: write the rows of `flow_rows` as CSV (without the header) with
    `COPY ... TO STDOUT`, the joins and cells done by the server; returns the row count.

    The same query as the lists' querysets, compiled by Django; only the cells are spelled
    in SQL: blank cells as NULL (which COPY writes as an empty cell, where an empty string
    would be `""`), text cells neutralised as `neutralise` does."""
    visible = visible_agreements(user).values("pk")
    reference = Case(When(agreement__in=visible, then=F("agreement__reference")), default=None)
    rows = StudentFlow.objects.order_by("pk").values_list(
        "academic_year",
        "origin_country",
        "destination_country",
        _sheet_text(F("origin_institution__slug")),
        _sheet_text(F("destination_institution__slug")),
        "level",
        "mobility_type",
        "students",
        _sheet_text(F("source")),
        _sheet_text(F("programme__slug")),
        _sheet_text(reference),
    )
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        query = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv)", file)
        return cursor.rowcount


def _sheet_text(text):
    starts_a_formula = In(Left(text, 1), list(FORMULA_PREFIXES))
    cell = Case(
        When(starts_a_formula, then=Concat(Value("'"), text)),
        default=text,
        output_field=CharField(),
    )
    return NullIf(cell, Value(""))


def _neutralised(pairs):
    return {pk: neutralise(text) for pk, text in pairs}


# Tables whose rows come with their cells already neutralised.
NEUTRALISED = {"flows"}


TABLES = {
    "institutions": (kinds.INSTITUTION_COLUMNS, institution_rows),
    "alliances": (kinds.ALLIANCE_COLUMNS, alliance_rows),
    "events": (kinds.EVENT_COLUMNS, event_rows),
    "memberships": (kinds.MEMBERSHIP_COLUMNS, membership_rows),
    "agreements": (kinds.AGREEMENT_COLUMNS, agreement_rows),
    "programmes": (kinds.PROGRAMME_COLUMNS, programme_rows),
    "flows": (FLOW_COLUMNS, flow_rows),
    "units": (terms.UNIT_COLUMNS, terms.unit_rows),
    "conditions": (terms.CONDITION_COLUMNS, terms.condition_rows),
}


def open_data_user():
    return AnonymousUser()
