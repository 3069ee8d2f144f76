"""manage.py generate_synthetic: the benchmark data set, reproducible, skewed and marked."""

from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from partnerships.models import Agreement, AgreementParty, Alliance, Institution, Membership
from programs.models import StudentFlow
from tests import factories

SMALL = {
    "institutions": 200,
    "alliances": 8,
    "agreements": 300,
    "flows": 2000,
    "largest_alliance": 120,
}


def generate(**options):
    call_command("generate_synthetic", seed=options.pop("seed", 1), **SMALL, **options)


def snapshot():
    """The generated content without database ids, which differ from run to run."""
    return (
        list(Institution.objects.order_by("slug").values_list("slug", "name", "kind", "country")),
        list(
            Agreement.objects.order_by("reference").values_list(
                "reference", "kind", "signed_on", "expires_on", "visibility", "alliance__slug"
            )
        ),
        sorted(
            AgreementParty.objects.values_list("agreement__reference", "institution__slug", "role")
        ),
        sorted(
            StudentFlow.objects.values_list(
                "academic_year",
                "origin_country",
                "destination_country",
                "origin_institution__slug",
                "destination_institution__slug",
                "level",
                "mobility_type",
                "students",
            ),
            key=repr,
        ),
    )


@pytest.mark.django_db
def test_generates_the_requested_numbers_of_rows():
    generate()
    assert Institution.objects.count() == 200
    assert Alliance.objects.count() == 8
    assert Agreement.objects.count() == 300
    assert StudentFlow.objects.count() == 2000


@pytest.mark.django_db
def test_every_generated_row_is_marked_as_generated():
    generate()
    assert not Institution.objects.filter(is_generated=False).exists()
    assert not Agreement.objects.filter(is_generated=False).exists()
    assert not StudentFlow.objects.filter(is_generated=False).exists()
    assert all(
        slug.startswith("synthetic-") for slug in Alliance.objects.values_list("slug", flat=True)
    )


@pytest.mark.django_db
def test_same_seed_gives_the_same_data_and_another_seed_other_data():
    generate()
    first = snapshot()
    generate(replace=True)
    assert snapshot() == first
    generate(replace=True, seed=2)
    assert snapshot() != first


@pytest.mark.django_db
def test_countries_are_skewed_like_real_data():
    generate()
    per_country = Counter(Institution.objects.values_list("country", flat=True))
    (top_country, top_count), *_ = per_country.most_common()
    assert top_country == "CN"
    # A few big countries, a long tail of small ones.
    assert top_count > 0.15 * 200
    assert sum(1 for count in per_country.values() if count <= 2) > 20


@pytest.mark.django_db
def test_first_alliance_is_the_large_one_and_every_agreement_has_two_parties():
    generate()
    largest = Alliance.objects.get(slug="synthetic-alliance-1")
    assert Membership.objects.filter(alliance=largest).count() == 120
    party_counts = Agreement.objects.annotate(parties_count=Count("parties")).values_list(
        "parties_count", flat=True
    )
    assert min(party_counts) >= 2


@pytest.mark.django_db
def test_refuses_to_generate_twice_without_replace_and_skips_when_asked():
    generate()
    with pytest.raises(CommandError, match="--replace"):
        generate()
    generate(if_missing=True)
    assert StudentFlow.objects.count() == 2000


@pytest.mark.django_db
def test_replace_keeps_records_that_are_not_synthetic():
    real = factories.agreement_between(reference="XJTU-2015-001")
    generate()
    generate(replace=True)
    assert Agreement.objects.filter(pk=real.pk).exists()
    assert real.parties.count() == 2
    assert Institution.objects.filter(is_generated=False).count() == 2


@pytest.mark.django_db
def test_rejects_sizes_below_one():
    with pytest.raises(CommandError, match="at least 1"):
        call_command("generate_synthetic", institutions=0)
    assert not Institution.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="a vacuum and its visibility map are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_generated_tables_are_vacuumed_so_index_only_scans_skip_the_heap():
    generate()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE relname = 'programs_studentflow'"
        )
        pages, all_visible = cursor.fetchone()
    assert pages > 0 and all_visible == pages
