"""The flows' foreign-key indexes hold only the rows that name something, and still serve
every lookup by value: the pages' filters and the deletion checks of what flows point to."""

import pytest
from django.db import connection
from django.db.models import ProtectedError

from programs.models import StudentFlow
from tests import factories

PARTIAL_INDEXES = {
    "origin_institution": "flow_origin_inst_idx",
    "destination_institution": "flow_destination_inst_idx",
    "programme": "flow_programme_idx",
    "agreement": "flow_agreement_idx",
}


@pytest.fixture
def flows_naming_everything(db):
    origin, destination = factories.InstitutionFactory(), factories.InstitutionFactory(country="KZ")
    agreement = factories.agreement_between(origin, destination)
    programme = factories.ProgrammeFactory(lead=origin)
    factories.StudentFlowFactory.create_batch(20)
    return factories.StudentFlowFactory(
        origin_country="CN",
        destination_country="KZ",
        origin_institution=origin,
        destination_institution=destination,
        programme=programme,
        agreement=agreement,
    )


def plan(queryset):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # With a few rows a sequential scan is cheaper; the question is whether the
            # index can answer the lookup at all.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_bitmapscan = off")
    return queryset.explain()


@pytest.mark.parametrize("field", PARTIAL_INDEXES)
def test_a_lookup_by_value_uses_the_partial_index(flows_naming_everything, field):
    value = getattr(flows_naming_everything, f"{field}_id")
    assert PARTIAL_INDEXES[field] in plan(StudentFlow.objects.filter(**{field: value}))


def referencing_plan(institution_id):
    """The plan of the lookup a foreign key's own check runs: a prepared `col = $1`."""
    table = StudentFlow._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(
                f"EXPLAIN QUERY PLAN SELECT 1 FROM {table} WHERE origin_institution_id = %s",
                [institution_id],
            )
            return [str(row[-1]) for row in cursor.fetchall()]
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"PREPARE referencing(bigint) AS SELECT 1 FROM ONLY {table} x"
            " WHERE origin_institution_id = $1 FOR KEY SHARE OF x"
        )
        cursor.execute("EXPLAIN EXECUTE referencing(%s)", [institution_id])
        lines = [row[0] for row in cursor.fetchall()]
        cursor.execute("DEALLOCATE referencing")
        return lines


def test_the_check_of_a_deleted_institution_uses_the_partial_index(flows_naming_everything):
    lines = referencing_plan(flows_naming_everything.origin_institution_id)
    assert any("flow_origin_inst_idx" in line for line in lines), lines


def test_an_institution_named_by_flows_still_cannot_be_deleted(flows_naming_everything):
    with pytest.raises(ProtectedError):
        flows_naming_everything.origin_institution.delete()
    assert StudentFlow.objects.filter(pk=flows_naming_everything.pk).exists()


def test_a_deleted_agreement_unlinks_its_flows(flows_naming_everything):
    flows_naming_everything.agreement.delete()
    flows_naming_everything.refresh_from_db()
    assert flows_naming_everything.agreement_id is None
