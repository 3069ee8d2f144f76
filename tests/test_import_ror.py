"""manage.py import_ror: institution identity from a small ROR dump built by each test."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from partnerships.models import Institution
from tests import factories

pytestmark = pytest.mark.django_db

XJTU = "https://ror.org/017zhmm22"
HIT = "https://ror.org/01yqg2h08"
HITWH = "https://ror.org/02jk0b920"
OLD = "https://ror.org/00a2xv884"


def ror_record(ror_id, name, *, acronym=None, country="CN", city="Xi'an", relationships=()):
    names = [{"value": name, "types": ["ror_display", "label"], "lang": "en"}]
    if acronym:
        names.append({"value": acronym, "types": ["acronym"], "lang": None})
    return {
        "id": ror_id,
        "names": names,
        "types": ["education"],
        "status": "active",
        "established": 1896,
        "links": [{"type": "website", "value": f"https://{acronym or 'example'}.edu.cn".lower()}],
        "locations": [
            {
                "geonames_id": 1790630,
                "geonames_details": {"country_code": country, "name": city, "lat": 0, "lng": 0},
            }
        ],
        "relationships": [
            {"type": kind, "id": target, "label": "x"} for kind, target in relationships
        ],
        "admin": {
            "created": {"date": "2018-11-14", "schema_version": "1.0"},
            "last_modified": {"date": "2024-12-11", "schema_version": "2.1"},
        },
        "external_ids": [],
        "domains": [],
    }


def dump(tmp_path, records, name="v1.58-2024-12-11-ror-data.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_ror", *map(str, args), stdout=out)
    return out.getvalue()


@pytest.fixture
def records():
    return [
        ror_record(XJTU, "Xi'an Jiaotong University", acronym="XJTU"),
        ror_record(HIT, "Harbin Institute of Technology", acronym="HIT", city="Harbin"),
        ror_record(
            HITWH,
            "Harbin Institute of Technology, Weihai",
            city="Weihai",
            relationships=[("parent", HIT)],
        ),
        ror_record(OLD, "Xi'an Medical University", relationships=[("successor", XJTU)]),
    ]


def test_links_by_ror_id_and_fills_identity(tmp_path, records):
    xjtu = factories.InstitutionFactory(name="XJTU (old name)", ror_id=XJTU, city="")
    untouched = factories.InstitutionFactory(name="Not in the dump")
    output = run(dump(tmp_path, records))

    xjtu.refresh_from_db()
    assert (xjtu.name, xjtu.short_name, xjtu.city, xjtu.website, xjtu.founded_year) == (
        "Xi'an Jiaotong University",
        "XJTU",
        "Xi'an",
        "https://xjtu.edu.cn",
        1896,
    )
    assert Institution.objects.count() == 2  # nothing created without --create
    assert untouched.name == Institution.objects.get(pk=untouched.pk).name
    assert "0 created, 1 updated, 0 unchanged, 3 not in the registry" in output
    assert "4/4 records" in output


def test_create_adds_the_missing_ones_with_parent_and_successor(tmp_path, records):
    run(dump(tmp_path, records), "--create")
    weihai = Institution.objects.get(ror_id=HITWH)
    old = Institution.objects.get(ror_id=OLD)
    assert weihai.parent.ror_id == HIT
    assert old.successor.ror_id == XJTU
    assert weihai.kind == Institution.Kind.UNIVERSITY
    assert list(Institution.objects.get(ror_id=XJTU).predecessors.all()) == [old]


def test_importing_twice_changes_nothing(tmp_path, records):
    path = dump(tmp_path, records)
    run(path, "--create")
    stamps = dict(Institution.objects.values_list("ror_id", "updated"))
    history = Institution.history.count()
    output = run(path, "--create")
    assert "0 created, 0 updated, 4 unchanged" in output
    assert dict(Institution.objects.values_list("ror_id", "updated")) == stamps
    assert Institution.history.count() == history


def test_reads_the_v2_file_of_a_zip(tmp_path, records):
    archive = tmp_path / "v1.58-2024-12-11-ror-data.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("v1.58-2024-12-11-ror-data.json", json.dumps([{"id": "v1 record"}]))
        zipped.writestr("v1.58-2024-12-11-ror-data_schema_v2.json", json.dumps(records))
    run(archive, "--create")
    assert Institution.objects.filter(ror_id__in=[XJTU, HIT, HITWH, OLD]).count() == 4


def test_invalid_json_is_refused_and_nothing_changes(tmp_path):
    factories.InstitutionFactory(ror_id=XJTU, name="Before")
    path = tmp_path / "broken.json"
    path.write_text('[{"id": ', encoding="utf-8")
    with pytest.raises(CommandError, match="not valid JSON"):
        run(path)
    assert Institution.objects.get(ror_id=XJTU).name == "Before"


def test_a_v1_record_is_refused_naming_it_and_nothing_changes(tmp_path, records):
    factories.InstitutionFactory(ror_id=XJTU, name="Before")
    records[2]["admin"]["last_modified"]["schema_version"] = "1.0"
    with pytest.raises(CommandError) as raised:
        run(dump(tmp_path, records), "--create")
    assert "record 3 (https://ror.org/02jk0b920): not ROR schema v2" in str(raised.value)
    assert Institution.objects.get(ror_id=XJTU).name == "Before"
    assert Institution.objects.count() == 1


def test_a_record_without_a_display_name_is_refused_naming_it(tmp_path, records):
    records[1]["names"] = [{"value": "HIT", "types": ["acronym"]}]
    with pytest.raises(
        CommandError, match=r"record 2 \(https://ror.org/01yqg2h08\): .*ror_display"
    ):
        run(dump(tmp_path, records), "--create")
    assert not Institution.objects.exists()


def test_a_cycle_of_successors_in_the_dump_is_refused_and_nothing_changes(tmp_path, records):
    records[0]["relationships"] = [{"type": "successor", "id": OLD, "label": "x"}]
    with pytest.raises(CommandError, match="its own successor"):
        run(dump(tmp_path, records), "--create")
    assert not Institution.objects.exists()


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run(tmp_path / "missing.json")
