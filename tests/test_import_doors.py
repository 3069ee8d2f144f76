"""The doors to the import service: the upload page (with its preview) and the command."""

import contextlib
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from partnerships import permissions
from partnerships.imports.report import MAX_LISTED_CHANGES
from partnerships.models import Membership
from programs.models import StudentFlow
from tests import factories
from tests.importing import FLOW_HEADER, distinct_flow_rows, table

pytestmark = pytest.mark.django_db

FLOWS = table(FLOW_HEADER, "2018,KZ,CN,,,6,degree,100,MoE", "2019,KZ,CN,,,6,degree,120,MoE")


@pytest.fixture(autouse=True)
def pending_uploads(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(client, kind, content, name="flows.csv", **fields):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content.encode()), **fields}
    return client.post(reverse("imports:upload"), data)


def test_can_import_is_for_staff_and_secretariats(anonymous, outsider, editor, secretariat, staff):
    assert [permissions.can_import(user) for user in (anonymous, outsider, editor)] == [
        False,
        False,
        False,
    ]
    assert permissions.can_import(secretariat) and permissions.can_import(staff)
    assert permissions.can_import_kind(secretariat, "memberships")
    assert not permissions.can_import_kind(secretariat, "flows")


def test_upload_page_needs_login(client):
    response = client.get(reverse("imports:upload"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["outsider", "editor"])
def test_upload_page_is_refused_to_users_who_may_not_import(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("imports:upload")).status_code == 403
    assert upload(client, "flows", FLOWS).status_code == 403
    assert not StudentFlow.objects.exists()


def test_secretariat_is_offered_memberships_and_events_only(client, secretariat):
    client.force_login(secretariat)
    response = client.get(reverse("imports:upload"))
    assert [value for value, _label in response.context["form"].fields["kind"].choices] == [
        "events",
        "memberships",
    ]
    response = upload(client, "flows", FLOWS)
    assert "flows is not one of the available choices" in response.content.decode()
    assert not StudentFlow.objects.exists()


def test_only_those_who_may_import_flows_are_asked_how_flow_counts_combine(
    client, secretariat, staff
):
    client.force_login(secretariat)
    secretariat_page = client.get(reverse("imports:upload")).content.decode()
    client.force_login(staff)
    staff_page = client.get(reverse("imports:upload")).content.decode()

    assert 'name="add"' not in secretariat_page
    assert 'name="add"' in staff_page


def test_a_secretariat_loads_members_without_the_flow_counts_question(
    client, secretariat, alliance
):
    client.force_login(secretariat)
    institution = factories.InstitutionFactory(slug="tpu")
    rows = table("alliance,institution,role,joined_on", f"{alliance.slug},tpu,member,2019-05-01")

    preview = upload(client, "memberships", rows, name="members.csv")
    confirmed = client.post(reverse("imports:confirm"), {"token": preview.context["token"]})

    assert "1 row read: 1 created" in confirmed.content.decode()
    assert Membership.objects.filter(alliance=alliance, institution=institution).exists()


def test_the_kinds_are_named_in_the_readers_language(client, staff):
    client.force_login(staff)
    choices = dict(client.get(reverse("imports:upload")).context["form"].fields["kind"].choices)
    assert choices["flows"] == "Student flows" and choices["conditions"] == "Cooperation conditions"
    response = client.get(reverse("imports:upload"), headers={"accept-language": "zh-hans"})
    choices = dict(response.context["form"].fields["kind"].choices)
    assert choices["institutions"] == "机构"
    assert ":</label>" not in response.content.decode()


def test_preview_shows_what_would_change_and_confirm_loads_it(client, staff):
    client.force_login(staff)
    factories.StudentFlowFactory(academic_year=2018, level="6", students=100, source="MoE")
    response = upload(client, "flows", FLOWS)
    assert response.status_code == 200
    report = response.context["report"]
    assert (report.rows, report.created, report.unchanged) == (2, 1, 1)
    assert "Load the file" in response.content.decode()
    assert StudentFlow.objects.count() == 1

    token = response.context["token"]
    response = client.post(reverse("imports:confirm"), {"token": token})
    assert response.status_code == 200
    assert "2 rows read: 1 created, 0 updated, 1 unchanged" in response.content.decode()
    assert StudentFlow.objects.count() == 2
    # The same confirmation cannot load the file twice.
    assert client.post(reverse("imports:confirm"), {"token": token}).status_code == 400


def test_preview_lists_each_record_a_file_creates_or_updates_with_its_changed_fields(client, staff):
    client.force_login(staff)
    factories.InstitutionFactory(
        name="Tomsk Polytechnic University", country="RU", city="Tomsk", kind="university"
    )
    factories.InstitutionFactory(name="Ural Federal University", country="RU", city="Yekaterinburg")
    rows = table(
        "name,kind,country,city",
        "Tomsk Polytechnic University,research_institute,RU,",
        "Ural Federal University,university,RU,Yekaterinburg",
        "Harbin Institute of Technology,university,CN,Harbin",
    )
    response = upload(client, "institutions", rows, name="institutions.csv")
    changes = [change.as_dict() for change in response.context["report"].changes]
    assert changes == [
        {
            "row": 2,
            "outcome": "updated",
            "record": "Tomsk Polytechnic University",
            "fields": [
                {"column": "kind", "old": "University", "new": "Research institute"},
                {"column": "city", "old": "Tomsk", "new": ""},
            ],
            "linked": "",
        },
        {
            "row": 4,
            "outcome": "created",
            "record": "Harbin Institute of Technology",
            "fields": [],
            "linked": "",
        },
    ]
    page = response.content.decode()
    assert "What will change" in page and "new record" in page
    assert "<del>Tomsk</del> → <ins>(blank)</ins>" in page

    confirmed = client.post(reverse("imports:confirm"), {"token": response.context["token"]})
    assert "What changed" in confirmed.content.decode()
    assert [change.row for change in confirmed.context["report"].changes] == [2, 4]


def test_an_update_of_linked_records_only_is_named_in_the_preview(client, staff):
    client.force_login(staff)
    lead, partner = factories.InstitutionFactory(), factories.InstitutionFactory()
    factories.ProgrammeFactory(name="Physics", slug="physics", lead=lead)
    rows = table(
        "name,slug,kind,level,lead,partners", f"Physics,physics,,7,{lead.slug},{partner.slug}"
    )
    response = upload(client, "programmes", rows.replace(",,7", ",double_degree,7"), name="p.csv")
    (change,) = response.context["report"].changes
    assert (change.outcome, change.linked) == ("updated", "its partners")
    assert "changes its partners" in response.content.decode()


def test_a_changed_reference_is_shown_by_the_names_of_the_records(client, staff):
    client.force_login(staff)
    old_lead = factories.InstitutionFactory(name="Tomsk Polytechnic University")
    new_lead = factories.InstitutionFactory(name="Harbin Institute of Technology")
    factories.ProgrammeFactory(name="Physics", slug="physics", lead=old_lead, kind="double_degree")
    rows = table("name,slug,kind,level,lead", f"Physics,physics,double_degree,7,{new_lead.slug}")
    response = upload(client, "programmes", rows, name="p.csv")
    (change,) = response.context["report"].changes
    assert change.fields == (
        ("lead", "Tomsk Polytechnic University", "Harbin Institute of Technology"),
    )


def test_the_list_of_changes_stops_at_its_limit_while_the_counts_go_on(client, staff):
    client.force_login(staff)
    rows = [f"University {number},university,RU" for number in range(MAX_LISTED_CHANGES + 5)]
    response = upload(client, "institutions", table("name,kind,country", *rows), name="i.csv")
    report = response.context["report"]
    assert (len(report.changes), report.created) == (MAX_LISTED_CHANGES, MAX_LISTED_CHANGES + 5)
    assert "The first 200 of 205 records are listed." in response.content.decode()


def test_preview_counts_in_the_readers_thousands(client, staff):
    client.force_login(staff)
    response = upload(client, "flows", table(FLOW_HEADER, *distinct_flow_rows(1001)))
    cells = re.findall(r'<td class="num">([^<]*)</td>', response.content.decode())
    assert cells == ["1,001", "1,001", "0", "0"]


def test_bad_file_lists_its_problems_and_offers_no_confirmation(client, staff):
    client.force_login(staff)
    response = upload(client, "flows", table(FLOW_HEADER, "2018,XX,CN,,,6,degree,100,MoE"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was written." in page and "origin_country" in page
    assert "not an ISO 3166-1 alpha-2 country code" in page
    assert "Load the file" not in page
    assert not StudentFlow.objects.exists()


def test_another_users_token_is_refused(client, staff):
    client.force_login(staff)
    token = upload(client, "flows", FLOWS).context["token"]
    other = factories.UserFactory(is_staff=True)
    client.force_login(other)
    assert client.post(reverse("imports:confirm"), {"token": token}).status_code == 400
    assert not StudentFlow.objects.exists()


def test_upload_of_another_format_is_refused_with_a_field_error(client, staff):
    client.force_login(staff)
    response = upload(client, "flows", "%PDF-1.4", name="flows.pdf")
    assert response.status_code == 200
    assert response.context["form"].errors == {"file": ["Upload a .csv or .xlsx file."]}


def test_secretariat_imports_memberships_of_its_own_alliance_only(
    client, secretariat, alliance, other_alliance
):
    factories.InstitutionFactory(slug="kaznu", country="KZ")
    client.force_login(secretariat)
    rows = f"alliance,institution,joined_on\n{alliance.slug},kaznu,2020-01-01\n"
    response = upload(client, "memberships", rows, name="members.csv")
    assert response.context["report"].created == 1
    client.post(reverse("imports:confirm"), {"token": response.context["token"]})
    assert Membership.objects.filter(institution__slug="kaznu", alliance=alliance).exists()

    rows = f"alliance,institution,joined_on\n{other_alliance.slug},kaznu,2020-01-01\n"
    response = upload(client, "memberships", rows, name="members.csv")
    assert response.status_code == 400
    assert "only for the alliances whose secretariat you are" in response.content.decode()
    assert not Membership.objects.filter(alliance=other_alliance).exists()


def test_command_loads_a_file_and_reports_counts(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "flows", str(path), stdout=out, stderr=io.StringIO())
    assert "2 rows read: 2 created, 0 updated, 0 unchanged" in out.getvalue()
    assert StudentFlow.objects.count() == 2


@pytest.mark.parametrize("kind", ["Flows", "flow"])
def test_command_takes_the_kind_in_any_case_and_in_the_singular(tmp_path, kind):
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", kind, str(path), stdout=out, stderr=io.StringIO())
    assert out.getvalue().startswith("flows (flows.csv): 2 rows read: 2 created")
    assert StudentFlow.objects.count() == 2


def test_command_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "flows", str(path), "--dry-run", stdout=out)
    assert "a real import would give: 2 created" in out.getvalue()
    assert not StudentFlow.objects.exists()


def test_command_dry_run_lists_what_it_would_change(tmp_path):
    factories.InstitutionFactory(name="Harbin Institute of Technology", country="CN", city="Harbin")
    path = tmp_path / "institutions.csv"
    rows = table(
        "name,kind,country,city",
        "Harbin Institute of Technology,university,CN,",
        "Novosibirsk State University,university,RU,Novosibirsk",
    )
    path.write_text(rows, encoding="utf-8")
    out = io.StringIO()
    call_command("import_data", "institutions", str(path), "--dry-run", stdout=out)
    assert out.getvalue().splitlines()[1:] == [
        "  row 2, Harbin Institute of Technology: city: Harbin → (blank)",
        "  row 3, Novosibirsk State University: new record",
    ]


def test_command_lists_problems_and_fails(tmp_path):
    path = tmp_path / "flows.csv"
    path.write_text(table(FLOW_HEADER, "2018,KZ,CN,,,6,degree,-3,MoE"), encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="Nothing was written"):
        call_command("import_data", "flows", str(path), stdout=out)
    assert "row 2, column students:" in out.getvalue()
    assert not StudentFlow.objects.exists()


def progress_lines(tmp_path, content, *options):
    """The last state of each line the command drew on stderr, redrawn lines collapsed."""
    path = tmp_path / "flows.csv"
    path.write_text(content, encoding="utf-8")
    err = io.StringIO()
    with contextlib.suppress(CommandError):  # a bad file fails the command
        call_command("import_data", "flows", str(path), *options, stdout=io.StringIO(), stderr=err)
    return [line.split("\r")[-1].strip() for line in err.getvalue().split("\n") if line]


def test_command_shows_each_stage_of_a_flows_import_with_its_rows_time_and_rate(
    tmp_path, monkeypatch
):
    monkeypatch.setattr("partnerships.imports.flows.PROGRESS_EVERY", 2)
    content = FLOWS + "2020,KZ,CN,,,6,degree,130,MoE\n"
    lines = progress_lines(tmp_path, content)
    assert lines[0].startswith("checked 3 rows (100% of the file) in ")
    assert lines[0].endswith(" rows/s")
    assert lines[-1].startswith("wrote 3 rows in ") and lines[-1].endswith(" rows/s")
    assert StudentFlow.objects.count() == 3


def test_command_progress_redraws_the_checked_rows_as_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr("partnerships.imports.flows.PROGRESS_EVERY", 2)
    path = tmp_path / "flows.csv"
    path.write_text(FLOWS + "2020,KZ,CN,,,6,degree,130,MoE\n", encoding="utf-8")
    err = io.StringIO()
    call_command("import_data", "flows", str(path), stdout=io.StringIO(), stderr=err)
    checking = err.getvalue().split("\n")[0].split("\r")[1:]
    counts = [draw.split(" rows")[0].strip() for draw in checking]
    assert list(dict.fromkeys(counts)) == ["checked 2", "checked 3"]


def test_progress_of_an_xlsx_file_counts_rows_without_a_share_of_the_file(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(FLOW_HEADER.split(","))
    workbook.active.append([2018, "KZ", "CN", None, None, "6", "degree", 100, "MoE"])
    path = tmp_path / "flows.xlsx"
    workbook.save(path)
    err = io.StringIO()
    call_command("import_data", "flows", str(path), stdout=io.StringIO(), stderr=err)
    lines = [line.split("\r")[-1].strip() for line in err.getvalue().split("\n") if line]
    assert lines[0].startswith("checked 1 row in ") and "of the file" not in lines[0]
    assert lines[-1].startswith("wrote 1 row in ")
    assert StudentFlow.objects.get().students == 100


def test_a_dry_run_compares_and_writes_nothing_and_a_bad_file_stops_at_checking(tmp_path):
    dry = progress_lines(tmp_path, FLOWS, "--dry-run")
    assert dry[0].startswith("checked 2 rows")
    assert dry[-1].startswith("compared 2 rows with the stored flows in ")
    assert not any(line.startswith(("writing", "wrote")) for line in dry)
    bad = progress_lines(tmp_path, FLOWS.replace(",120,", ",-1,"))
    assert len(bad) == 1 and bad[0].startswith("checked 2 rows")
    assert not StudentFlow.objects.exists()


def test_staff_find_the_upload_page_in_the_header(client, staff):
    client.force_login(staff)
    assert f'href="{reverse("imports:upload")}"' in client.get("/").content.decode()


def test_unconfirmed_uploads_older_than_a_day_are_removed(client, staff):
    import os
    import time

    from partnerships.imports.views import pending_dir

    client.force_login(staff)
    upload(client, "flows", FLOWS)
    (stale,) = pending_dir().iterdir()
    day_ago = time.time() - 25 * 60 * 60
    os.utime(stale, (day_ago, day_ago))
    upload(client, "flows", FLOWS)
    assert stale not in list(pending_dir().iterdir())
    assert len(list(pending_dir().iterdir())) == 1
