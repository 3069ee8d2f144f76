"""export_dump writes one CSV per table and a README; import_data loads it back (round trip)."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum

from partnerships.demo.load import load_demo
from partnerships.imports.exports import cell, flow_rows, open_data_user
from partnerships.imports.flows import FLOW_COLUMNS
from partnerships.management.commands.export_dump import write_table
from partnerships.models import (
    Agreement,
    AgreementCondition,
    AgreementParty,
    Alliance,
    Event,
    Institution,
    Membership,
    Unit,
    Visibility,
)
from programs.models import Programme, ProgrammePartner, StudentFlow
from tests import factories

pytestmark = pytest.mark.django_db

DUMPED = [
    Institution,
    Unit,
    Alliance,
    Event,
    Membership,
    Agreement,
    AgreementParty,
    AgreementCondition,
    Programme,
    ProgrammePartner,
    StudentFlow,
]


def counts():
    figures = {model.__name__: model.objects.count() for model in DUMPED}
    figures["students"] = StudentFlow.objects.aggregate(total=Sum("students"))["total"]
    figures["subject areas"] = Agreement.subject_areas.through.objects.count()
    return figures


def empty_registry():
    Agreement.objects.update(renews=None)
    for model in reversed(DUMPED):
        model.objects.all().delete()


def dump(directory, *options):
    call_command("export_dump", str(directory), *options, stdout=io.StringIO())


def read(path):
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_demo_data_round_trip_gives_identical_counts(tmp_path):
    load_demo()
    before = counts()
    dump(tmp_path, "--everything")
    empty_registry()
    assert counts()["Institution"] == 0

    call_command("import_data", "all", str(tmp_path), stdout=io.StringIO())
    assert counts() == before
    out = io.StringIO()
    call_command("import_data", "all", str(tmp_path), stdout=out)
    reports = [line for line in out.getvalue().splitlines() if " read: " in line]
    assert len(reports) == 9
    assert all(": 0 created, 0 updated," in line for line in reports), reports
    assert counts() == before


def test_dump_writes_a_file_per_table_and_a_readme(tmp_path):
    factories.StudentFlowFactory()
    dump(tmp_path)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == [
        "README.md",
        "agreements.csv",
        "alliances.csv",
        "conditions.csv",
        "events.csv",
        "flows.csv",
        "institutions.csv",
        "memberships.csv",
        "programmes.csv",
        "units.csv",
    ]
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "## flows.csv (1 rows)" in readme
    assert "academic_year, origin_country, destination_country" in readme


def test_open_data_dump_leaves_out_agreements_that_are_not_public(
    tmp_path, agreement_of_each_visibility
):
    dump(tmp_path)
    references = {row["reference"] for row in read(tmp_path / "agreements.csv")}
    assert references == {agreement_of_each_visibility["public"].reference}


def test_open_data_dump_does_not_name_a_hidden_agreement_of_a_programme(
    tmp_path, agreement_of_each_visibility
):
    factories.ProgrammeFactory(slug="joint", agreement=agreement_of_each_visibility["parties"])
    dump(tmp_path)
    assert read(tmp_path / "programmes.csv")[0]["agreement"] == ""


def test_formula_cells_are_neutralised_in_the_dump_and_restored_on_import(tmp_path):
    factories.InstitutionFactory(name='=HYPERLINK("http://x")', slug="formula", country="CN")
    factories.StudentFlowFactory(source="@SUM(A1:A9)")
    dump(tmp_path)
    assert read(tmp_path / "institutions.csv")[0]["name"] == '\'=HYPERLINK("http://x")'
    assert read(tmp_path / "flows.csv")[0]["source"] == "'@SUM(A1:A9)"

    empty_registry()
    call_command("import_data", "all", str(tmp_path), stdout=io.StringIO())
    assert Institution.objects.get().name == '=HYPERLINK("http://x")'
    assert StudentFlow.objects.get().source == "@SUM(A1:A9)"


def test_flows_export_writes_the_import_columns_with_slugs(tmp_path):
    xjtu = factories.InstitutionFactory(slug="xjtu", country="CN")
    factories.StudentFlowFactory(
        academic_year=2018, destination_institution=xjtu, students=40, source="Office"
    )
    dump(tmp_path)
    assert read(tmp_path / "flows.csv") == [
        {
            "academic_year": "2018",
            "origin_country": "KZ",
            "destination_country": "CN",
            "origin_institution": "",
            "destination_institution": "xjtu",
            "level": "6",
            "mobility_type": "degree",
            "students": "40",
            "source": "Office",
            "programme": "",
            "agreement": "",
        }
    ]


def test_visibility_of_dumped_agreements_survives_a_full_copy(
    tmp_path, agreement_of_each_visibility
):
    dump(tmp_path, "--everything")
    empty_registry()
    call_command("import_data", "all", str(tmp_path), stdout=io.StringIO())
    assert set(Agreement.objects.values_list("visibility", flat=True)) == set(Visibility.values)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
@pytest.mark.parametrize("everything", [False, True])
def test_flows_written_by_copy_are_the_rows_of_flow_rows(tmp_path, everything):
    """On PostgreSQL the flows table of the dump is written by COPY: the same cells, header
    and count as the rows `flow_rows` gives on any database."""
    xjtu = factories.InstitutionFactory(slug="xjtu", country="CN")
    tomsk = factories.InstitutionFactory(slug="-tomsk", country="RU")
    programme = factories.ProgrammeFactory(slug="joint")
    hidden = factories.agreement_between(xjtu, tomsk, reference="HIDDEN-1", visibility="parties")
    public = factories.agreement_between(xjtu, tomsk, reference="PUBLIC-1", visibility="public")
    common = {"origin_country": "CN", "destination_country": "RU"}
    factories.StudentFlowFactory(
        **common, origin_institution=xjtu, destination_institution=tomsk, agreement=hidden
    )
    factories.StudentFlowFactory(
        **common, origin_institution=xjtu, destination_institution=tomsk, agreement=public,
        programme=programme, source='+7, "quoted"\nsecond line',
    )  # fmt: skip
    factories.StudentFlowFactory(**common, source="")
    user = None if everything else open_data_user()

    count = write_table(tmp_path / "flows.csv", "flows", user)

    with (tmp_path / "flows.csv").open(encoding="utf-8", newline="") as file:
        header, *rows = csv.reader(file)
    assert header == FLOW_COLUMNS
    assert rows == [[cell(value) for value in row] for row in flow_rows(user)]
    assert count == 3
    assert rows[0][-1] == ("HIDDEN-1" if everything else "")
    assert rows[1][4] == "'-tomsk"
    assert (rows[1][8], rows[1][9]) == ('\'+7, "quoted"\nsecond line', "joint")
