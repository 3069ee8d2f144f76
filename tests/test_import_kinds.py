"""Each kind imports a valid file and reports its counts; importing it again changes nothing."""

import io

import pytest
from django.utils import translation
from openpyxl import Workbook

from partnerships.models import Agreement, AgreementParty, Alliance, Event, Institution, Membership
from programs.models import Programme, ProgrammePartner, StudentFlow
from tests import factories
from tests.importing import FLOW_HEADER, load, problems, table

pytestmark = pytest.mark.django_db


def assert_loaded(report, *, created=0, updated=0, unchanged=0):
    assert problems(report) == []
    assert (report.created, report.updated, report.unchanged) == (created, updated, unchanged)


INSTITUTIONS = table(
    "name,short_name,kind,country,city,ror_id,founded_year",
    "Xi'an Jiaotong University,XJTU,university,CN,Xi'an,https://ror.org/017zhmm22,1896",
    "China Campus Network,CCN,Enterprise,cn,Beijing,,",
)


def test_institutions_import_and_reimport_changes_nothing():
    assert_loaded(load("institutions", INSTITUTIONS), created=2)
    xjtu = Institution.objects.get(ror_id="https://ror.org/017zhmm22")
    assert (xjtu.name, xjtu.country.code, xjtu.founded_year) == (
        "Xi'an Jiaotong University",
        "CN",
        1896,
    )
    ccn = Institution.objects.get(name="China Campus Network")
    assert ccn.kind == Institution.Kind.ENTERPRISE and ccn.slug == "china-campus-network-cn"
    stamps = dict(Institution.objects.values_list("pk", "updated"))
    history = Institution.history.count()

    assert_loaded(load("institutions", INSTITUTIONS), unchanged=2)
    assert dict(Institution.objects.values_list("pk", "updated")) == stamps
    assert Institution.history.count() == history


def test_institution_found_by_name_and_country_is_updated_not_duplicated():
    factories.InstitutionFactory(name="China Campus Network", country="CN", city="")
    report = load(
        "institutions",
        table("name,kind,country,city", "china campus network,enterprise,CN,Beijing"),
    )
    assert_loaded(report, updated=1)
    assert Institution.objects.get().city == "Beijing"


def test_ror_id_completes_a_known_institution_of_the_same_name_and_country():
    factories.InstitutionFactory(name="Xi'an Jiaotong University", country="CN", ror_id="")
    assert_loaded(load("institutions", INSTITUTIONS), created=1, updated=1)
    assert Institution.objects.get(country="CN", name__startswith="Xi").ror_id.endswith("017zhmm22")


def test_missing_optional_column_leaves_the_field_alone():
    factories.InstitutionFactory(name="HIT", country="CN", description="Kept")
    assert_loaded(
        load("institutions", table("name,kind,country", "HIT,university,CN")), unchanged=1
    )
    assert Institution.objects.get().description == "Kept"


def test_alliances_events_and_memberships_import():
    xjtu = factories.InstitutionFactory(slug="xjtu", country="CN")
    factories.InstitutionFactory(slug="hit", country="CN")
    alliances = table(
        "name,slug,acronym,founded_on,headquarters,cooperation_model",
        "University Alliance of the New Silk Road,uasr,UASR,2015-05-22,xjtu,university_university",
    )
    assert_loaded(load("alliances", alliances), created=1)
    assert Alliance.objects.get(slug="uasr").headquarters == xjtu

    events = table(
        "name,slug,kind,starts_on,ends_on,country,alliance,part_of",
        "Education week,week,education_week,2023-08-28,2023-09-02,CN,,",
        "Forum,forum,forum,2023-08-28,2023-08-28,CN,uasr,week",
    )
    assert_loaded(load("events", events), created=2)
    assert Event.objects.get(slug="forum").part_of.slug == "week"

    memberships = table(
        "alliance,institution,role,joined_on,left_on",
        "uasr,xjtu,secretariat_host,2015-05-22,",
        "uasr,hit,member,2016-01-01,2020-12-31",
    )
    assert_loaded(load("memberships", memberships), created=2)
    assert Membership.objects.get(institution__slug="hit").left_on.isoformat() == "2020-12-31"
    assert_loaded(load("memberships", memberships), unchanged=2)
    assert_loaded(load("events", events), unchanged=2)


AGREEMENTS = table(
    "reference,title,kind,signed_on,effective_from,expires_on,subject_areas,visibility,"
    "party_institution,party_role,signatory_name,signatory_title",
    "CAECW-2023-MOC-01,Digital Economy Talent Development,memorandum_of_cooperation,"
    '2023-08-28,2023-09-01,2028-08-31,"0413,0613",public,ccn,party,Yu Shucheng,President',
    "CAECW-2023-MOC-01,,,,,,,,ranepa,party,Olga Gumilevskaya,Vice-Dean",
    "CAECW-2023-MOC-01,,,,,,,,alliance-office,witness,Liu Baoli,Chair",
)


def test_agreements_import_with_their_parties():
    for slug in ("ccn", "ranepa", "alliance-office"):
        factories.InstitutionFactory(slug=slug)
    assert_loaded(load("agreements", AGREEMENTS), created=1)
    agreement = Agreement.objects.get(reference="CAECW-2023-MOC-01")
    assert sorted(agreement.subject_areas.values_list("code", flat=True)) == ["0413", "0613"]
    parties = agreement.parties.order_by("institution__slug")
    assert [(p.institution.slug, p.role, p.signatory_name) for p in parties] == [
        ("alliance-office", "witness", "Liu Baoli"),
        ("ccn", "party", "Yu Shucheng"),
        ("ranepa", "party", "Olga Gumilevskaya"),
    ]
    assert_loaded(load("agreements", AGREEMENTS), unchanged=1)
    assert AgreementParty.objects.count() == 3


def test_an_agreements_changes_read_as_dates_labels_and_yes_or_no():
    for slug in ("ccn", "ranepa", "alliance-office"):
        factories.InstitutionFactory(slug=slug)
    assert_loaded(load("agreements", AGREEMENTS), created=1)
    changed = AGREEMENTS.replace("2028-08-31", "2029-08-31").replace(
        "visibility,", "visibility,auto_renews,"
    )
    changed = changed.replace(",public,", ",parties,yes,").replace(",,,,,,,,", ",,,,,,,,,")
    report = load("agreements", changed, dry_run=True)
    assert_loaded(report, updated=1)
    (change,) = report.changes
    assert change.fields == (
        ("expires_on", "2028-08-31", "2029-08-31"),
        ("auto_renews", "no", "yes"),
        ("visibility", "Public", "Parties only"),
    )


def test_changed_signatory_counts_as_an_update():
    for slug in ("ccn", "ranepa", "alliance-office"):
        factories.InstitutionFactory(slug=slug)
    load("agreements", AGREEMENTS)
    report = load("agreements", AGREEMENTS.replace("Liu Baoli", "Zhou Yong"))
    assert_loaded(report, updated=1)
    assert AgreementParty.objects.get(role="witness").signatory_name == "Zhou Yong"


def test_programmes_import_with_partners():
    factories.InstitutionFactory(slug="xjtu")
    factories.InstitutionFactory(slug="kaznu", country="KZ")
    programmes = table(
        "name,slug,kind,level,field,lead,partners,languages,annual_capacity,dual_tutor",
        'Double master\'s,xjtu-kaznu,double_degree,7,0713,xjtu,kaznu:co_provider,"zh, ru",30,yes',
    )
    assert_loaded(load("programmes", programmes), created=1)
    programme = Programme.objects.get(slug="xjtu-kaznu")
    assert (programme.field_id, programme.languages, programme.dual_tutor) == (
        "0713",
        "zh,ru",
        True,
    )
    assert list(ProgrammePartner.objects.values_list("institution__slug", "role")) == [
        ("kaznu", "co_provider")
    ]
    assert_loaded(load("programmes", programmes), unchanged=1)


def test_a_programmes_partners_become_those_of_the_file_with_their_history(staff):
    for slug in ("xjtu", "kaznu", "enu", "ccn"):
        factories.InstitutionFactory(slug=slug)
    header = "name,slug,kind,level,lead,partners"
    before = table(header, "Silk Road MBA,mba,joint_degree,7,xjtu,kaznu; enu:host")
    after = table(header, "Silk Road MBA,mba,joint_degree,7,xjtu,kaznu; ccn:funder")
    assert_loaded(load("programmes", before, by=staff), created=1)

    report = load("programmes", after, by=staff)

    assert_loaded(report, updated=1)
    assert report.changes[0].linked == "its partners"
    stored = ProgrammePartner.objects.values_list("institution__slug", "role")
    assert sorted(stored) == [("ccn", "funder"), ("kaznu", "co_provider")]
    history = ProgrammePartner.history.order_by("history_id")
    entries = [(entry.institution.slug, entry.history_type) for entry in history]
    assert sorted(entries[:2]) == [("enu", "+"), ("kaznu", "+")]  # written together
    assert entries[2:] == [("enu", "-"), ("ccn", "+")]
    assert {entry.history_user for entry in history} == {staff}


def flows_file(*rows):
    return table(FLOW_HEADER, *rows)


def test_flows_import_by_slug_or_ror_and_year_written_either_way():
    factories.InstitutionFactory(slug="xjtu", country="CN", ror_id="https://ror.org/017zhmm22")
    report = load(
        "flows",
        flows_file(
            "2018/19,KZ,CN,,,unspecified,unspecified,11784,MoE 2018",
            "2018,KZ,CN,,017zhmm22,7,degree,40,Office report",
            '2019,RU,CN,,xjtu,7,Credit / exchange,"1,200",Office report',
        ),
    )
    assert_loaded(report, created=3)
    assert StudentFlow.objects.total_students() == 11784 + 40 + 1200
    flow = StudentFlow.objects.get(destination_institution__slug="xjtu", academic_year=2018)
    assert (flow.level, flow.mobility_type, flow.students) == ("7", "degree", 40)


def test_flows_reimport_changes_nothing_and_a_new_count_replaces_the_old():
    content = flows_file("2018,KZ,CN,,,6,degree,100,MoE")
    assert_loaded(load("flows", content), created=1)
    updated = StudentFlow.objects.get().updated
    assert_loaded(load("flows", content), unchanged=1)
    assert StudentFlow.objects.get().updated == updated
    assert_loaded(load("flows", content.replace(",100,", ",120,")), updated=1)
    assert StudentFlow.objects.get().students == 120


def test_flows_add_flag_adds_counts_to_the_stored_ones():
    content = flows_file("2018,KZ,CN,,,6,degree,100,MoE")
    load("flows", content)
    assert_loaded(load("flows", content, add=True), updated=1)
    assert StudentFlow.objects.get().students == 200


def test_dry_run_counts_but_writes_nothing():
    factories.StudentFlowFactory(academic_year=2018, level="6", students=100, source="MoE")
    report = load(
        "flows",
        flows_file("2018,KZ,CN,,,6,degree,100,MoE", "2019,KZ,CN,,,6,degree,5,MoE"),
        dry_run=True,
    )
    assert_loaded(report, created=1, unchanged=1)
    assert report.dry_run and not report.written
    assert StudentFlow.objects.count() == 1
    assert load("institutions", INSTITUTIONS, dry_run=True).created == 2
    assert not Institution.objects.exists()


def test_semicolon_csv_with_bom_and_tab_separated_files_are_read():
    semicolon = "\ufeff" + table(FLOW_HEADER.replace(",", ";"), "2018;KZ;CN;;;6;degree;100;MoE")
    assert_loaded(load("flows", semicolon), created=1)
    tabs = table(FLOW_HEADER.replace(",", "\t"), "2019\tKZ\tCN\t\t\t6\tdegree\t100\tMoE")
    assert_loaded(load("flows", tabs, filename="flows.tsv"), created=1)
    assert StudentFlow.objects.count() == 2


def xlsx(*rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_files_are_read_with_numbers_and_dates_as_cells():
    import datetime

    factories.InstitutionFactory(slug="xjtu")
    factories.AllianceFactory(slug="uasr")
    report = load(
        "memberships",
        xlsx(
            ["Alliance", "Institution", "Joined on"],
            ["uasr", "xjtu", datetime.datetime(2015, 5, 22)],
        ),
        filename="members.xlsx",
    )
    assert_loaded(report, created=1)
    assert Membership.objects.get().joined_on == datetime.date(2015, 5, 22)
    flows = xlsx(FLOW_HEADER.split(","), [2018, "KZ", "CN", None, None, "6", "degree", 100, "MoE"])
    assert_loaded(load("flows", flows, filename="flows.xlsx"), created=1)


def test_flows_of_a_large_file_stream_in_one_set_based_write():
    rows = [f"{2000 + n % 20},KZ,CN,,,{5 + n // 20 % 4},degree,{n + 1},MoE" for n in range(80)]
    rows += [f"{2000 + n % 20},CN,RU,,,{5 + n // 20 % 4},credit,{n + 1},MoE" for n in range(80)]
    assert_loaded(load("flows", flows_file(*rows)), created=160)
    assert StudentFlow.objects.count() == 160


def test_flow_source_keeps_tabs_backslashes_and_line_breaks():
    source = 'Report\\2018\t"tab"\nnext line'
    content = FLOW_HEADER + "\n" + '2018,KZ,CN,,,6,degree,100,"' + source.replace('"', '""') + '"\n'
    assert_loaded(load("flows", content), created=1)
    assert StudentFlow.objects.get().source == source


def test_a_conflicting_change_at_write_time_is_reported_not_raised(monkeypatch):
    from django.db import IntegrityError

    def refuse(*args, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr("partnerships.imports.flows._upsert", refuse)
    report = load("flows", flows_file("2018,KZ,CN,,,6,degree,100,MoE"))
    assert not report.ok
    assert "The database refused the import" in report.errors[0].message
    assert not StudentFlow.objects.exists()


def test_records_without_a_slug_are_found_again_by_name_on_reimport():
    lead = factories.InstitutionFactory()
    files = {
        "alliances": table(
            "name,cooperation_model", "Association of Sino-Russian Universities,academic_exchange"
        ),
        "events": table("name,kind,country,starts_on", "Rectors forum,forum,RU,2024-05-01"),
        "programmes": table("name,kind,level,lead", f"Physics,double_degree,7,{lead.slug}"),
    }
    for kind, content in files.items():
        assert_loaded(load(kind, content), created=1)
        assert_loaded(load(kind, content), unchanged=1)
    assert list(Alliance.objects.values_list("slug", flat=True)) == [
        "association-of-sino-russian-universities"
    ]
    assert list(Event.objects.values_list("slug", flat=True)) == ["rectors-forum"]
    assert list(Programme.objects.values_list("slug", flat=True)) == ["physics"]
    # The same name on another date is another event; the new one gets a free slug.
    assert_loaded(
        load("events", table("name,kind,country,starts_on", "Rectors forum,forum,RU,2025-05-01")),
        created=1,
    )
    assert sorted(Event.objects.values_list("slug", flat=True)) == [
        "rectors-forum",
        "rectors-forum-2",
    ]


def test_new_rows_whose_names_make_the_same_slug_each_get_their_own():
    report = load(
        "institutions",
        table(
            "name,kind,country", "Université Alpha,university,FR", "Universite Alpha,university,FR"
        ),
    )
    assert_loaded(report, created=2)
    assert sorted(Institution.objects.values_list("slug", flat=True)) == [
        "universite-alpha-fr",
        "universite-alpha-fr-2",
    ]


def test_a_row_without_a_slug_repeating_a_name_is_a_duplicate():
    report = load(
        "alliances",
        table(
            "name,cooperation_model",
            "Sino-Russian Alliance,academic_exchange",
            "sino-russian alliance,academic_exchange",
        ),
    )
    assert problems(report) == [(3, "name", "This row repeats row 2 (the same name).")]
    assert not Alliance.objects.exists()


def test_rules_the_database_keeps_are_reported_in_the_models_words_on_their_rows():
    membership = factories.MembershipFactory()
    factories.InstitutionFactory(slug="taken")
    alliance, member = membership.alliance.slug, membership.institution.slug
    report = load(
        "memberships",
        table(
            "alliance,institution,role,joined_on",
            f"{alliance},{member},member,2020-01-01",
            f"{alliance},taken,member,2020-01-01",
        ),
    )
    assert problems(report) == [
        (2, "", "This institution already has an open membership of this alliance.")
    ]
    assert Membership.objects.count() == 1

    report = load(
        "institutions",
        table("name,kind,country,slug", "Tomsk Union,university,RU,taken", "Omsk,university,RU,"),
    )
    assert problems(report) == [(2, "slug", "Institution with this Slug already exists.")]
    assert Institution.objects.filter(country="RU").count() == 0


def test_each_institution_row_costs_the_same_few_queries(django_assert_max_num_queries):
    rows = [f"University {number},university,RU,City {number}" for number in range(40)]
    # Finding the row, its slug, a savepoint, the insert, its history, the release; the
    # uniqueness and constraint checks are left to the database, not run as queries per row.
    with django_assert_max_num_queries(6 * 40 + 10):
        report = load("institutions", table("name,kind,country,city", *rows))
    assert_loaded(report, created=40)
    # Again: finding each row is all an unchanged one costs.
    with django_assert_max_num_queries(40 + 10):
        report = load("institutions", table("name,kind,country,city", *rows))
    assert_loaded(report, unchanged=40)


def test_labels_match_in_english_whatever_language_the_thread_speaks():
    with translation.override("ru"):
        report = load(
            "institutions",
            table(
                "name,kind,country",
                "China Campus Network,Enterprise,CN",
                "Harbin Research Institute,research institute,CN",
                "Tomsk Union,Союз,RU",
            ),
        )
    # The labels are matched in English; the message is in the reader's language.
    assert problems(report) == [
        (4, "kind", "«Союз» — не одно из значений: " + ", ".join(Institution.Kind.values) + ".")
    ]
    assert Institution.objects.count() == 0
    with translation.override("ru"):
        report = load("institutions", table("name,kind,country", "HRI,Research institute,CN"))
    assert_loaded(report, created=1)
    assert Institution.objects.get().kind == Institution.Kind.RESEARCH_INSTITUTE
