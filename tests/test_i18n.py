"""The interface in English, Simplified Chinese and Russian: complete catalogues, a switcher."""

import datetime
import io
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.importing import load, problems

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = ["zh_Hans", "ru"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\}")
# The same as the makemessages command in docs/portal.md.
NOT_SOURCE = [".venv/*", "staticfiles/*", "test-artifacts/*", "bench/*"]


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    assert len(po) > 500
    assert po.untranslated_entries() == []
    assert po.fuzzy_entries() == []
    assert not po.metadata_is_fuzzy


def keys(po):
    return {(entry.msgctxt, entry.msgid) for entry in po if not entry.obsolete}


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """The catalogues as makemessages would leave them now, made in a copy of locale/.

    makemessages writes into the locale/ of the directory it runs in, so it runs in a
    temporary directory that links to the sources and holds a copy of the catalogues.
    """
    workdir = tmp_path_factory.mktemp("project")
    base = Path(settings.BASE_DIR)
    for entry in base.iterdir():
        if entry.name != "locale":
            (workdir / entry.name).symlink_to(entry)
    for language in CATALOGUES:
        target = workdir / "locale" / language / "LC_MESSAGES"
        target.mkdir(parents=True)
        shutil.copy(LOCALE / language / "LC_MESSAGES" / "django.po", target)
    with (
        pytest.MonkeyPatch.context() as patch,
        override_settings(LOCALE_PATHS=[workdir / "locale"]),
    ):
        patch.chdir(workdir)
        call_command(
            "makemessages",
            locale=CATALOGUES,
            no_obsolete=True,
            symlinks=True,
            ignore_patterns=NOT_SOURCE,
            verbosity=0,
        )
    return {
        language: polib.pofile(str(workdir / "locale" / language / "LC_MESSAGES" / "django.po"))
        for language in CATALOGUES
    }


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_translatable_string_in_the_source_is_in_the_catalogue(language, fresh_catalogues):
    fresh = fresh_catalogues[language]
    missing = keys(fresh) - keys(catalogue(language))
    stale = keys(catalogue(language)) - keys(fresh)
    assert (sorted(missing, key=str), sorted(stale, key=str)) == ([], [])
    assert [entry.msgid for entry in fresh.untranslated_entries()] == []
    assert [entry.msgid for entry in fresh.fuzzy_entries()] == []


@pytest.mark.parametrize("language", CATALOGUES)
def test_translations_keep_every_placeholder(language):
    for entry in catalogue(language).translated_entries():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid_plural or entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        for translated in translations:
            found = sorted(PLACEHOLDER.findall(translated))
            # A plural form for one item may leave the count out ("a minute").
            assert set(found) <= set(wanted) and (found == wanted or entry.msgid_plural), (
                entry.msgid
            )


@pytest.mark.parametrize("language", CATALOGUES)
def test_the_compiled_catalogue_matches_the_source(language):
    source = {entry.msgid: entry for entry in catalogue(language).translated_entries()}
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled_entries = {entry.msgid: entry for entry in compiled if entry.msgid}
    assert compiled_entries.keys() == source.keys()
    for msgid, entry in source.items():
        if not entry.msgid_plural:
            assert compiled_entries[msgid].msgstr == entry.msgstr, msgid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "agreements", "sign_in"),
    [("zh-CN,zh;q=0.9", "协议", "登录"), ("ru-RU,ru;q=0.9", "Соглашения", "Войти")],
)
def test_the_language_follows_accept_language(client, accept, agreements, sign_in):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=accept).content.decode()
    assert f">{agreements}</a>" in html
    assert f">{sign_in}</a>" in html


@pytest.mark.django_db
def test_the_switcher_choice_wins_over_the_browser(client):
    response = client.post(reverse("set_language"), {"language": "ru", "next": "/alliances/"})
    assert response.status_code == 302
    assert response.url == "/alliances/"
    html = client.get("/alliances/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert '<html lang="ru">' in html
    assert ">Альянсы</a>" in html


@pytest.mark.django_db
def test_dates_numbers_and_choices_are_localised(client):
    alliance = factories.AllianceFactory(slug="uasr")
    factories.MembershipFactory(alliance=alliance, role="founding_member")
    factories.StudentFlowFactory(academic_year=2018, students=492200)
    zh = client.get("/alliances/uasr/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "2015年5月22日" in zh
    assert "创始成员" in zh
    assert "492,200" in client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    ru = client.get("/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "492\xa0200" in ru


@pytest.mark.django_db
def test_english_short_dates_are_iso_and_long_dates_spell_the_month(client):
    agreement = factories.AgreementFactory(
        signed_on=datetime.date(2023, 6, 8), expires_on=datetime.date(2028, 6, 7)
    )
    listing = client.get("/agreements/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">2023-06-08</td>" in listing and ">2028-06-07</td>" in listing
    assert "06/08/2023" not in listing
    detail = client.get(reverse("agreement-detail", args=[agreement.reference])).content.decode()
    assert "June 8, 2023" in detail


BAD_FLOWS = "academic_year,origin_country,destination_country,students\n2018/19,XX,CN,-3\n"


def test_the_upload_page_reports_import_problems_in_the_readers_language(client, staff):
    client.force_login(staff)
    upload = io.BytesIO(BAD_FLOWS.encode())
    upload.name = "flows.csv"
    response = client.post(
        reverse("imports:upload"), {"kind": "flows", "file": upload}, HTTP_ACCEPT_LANGUAGE="ru"
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "«XX» — не двухбуквенный код страны ISO 3166-1." in html
    assert "-3 — слишком мало: наименьшее допустимое значение 1." in html
    assert "Найдено: 2 проблемы (прочитано: 1 строка); ничего не записано." in html
    assert "is not an ISO 3166-1" not in html


def test_import_problems_follow_the_active_language_and_default_to_english(db):
    with translation.override("zh-hans"):
        chinese = load("flows", BAD_FLOWS)
        chinese_line = str(chinese.errors[0])
    english = load("flows", BAD_FLOWS)
    assert problems(chinese)[0] == (2, "origin_country", "“XX”不是 ISO 3166-1 二字母国家代码。")
    assert chinese_line == "第 2 行，列 origin_country: “XX”不是 ISO 3166-1 二字母国家代码。"
    assert problems(english)[0] == (
        2,
        "origin_country",
        "“XX” is not an ISO 3166-1 alpha-2 country code.",
    )
    assert str(english.errors[0]).startswith("row 2, column origin_country: ")


def test_the_import_api_reports_problems_in_the_requests_language(staff):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    upload = SimpleUploadedFile("flows.csv", BAD_FLOWS.encode())
    response = client.post(
        "/api/v1/imports/",
        {"kind": "flows", "file": upload},
        format="multipart",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.json()["errors"][0] == {
        "row": 2,
        "column": "origin_country",
        "message": "“XX”不是 ISO 3166-1 二字母国家代码。",
    }
    assert response.json()["summary"] == "1 行中有 2 个问题；未写入任何内容。"


@pytest.mark.parametrize(
    ("language", "summary"),
    [
        ("en", "2 problems; nothing was written."),
        ("ru", "Найдено: 2 проблемы; ничего не записано."),
        ("zh-hans", "2 个问题；未写入任何内容。"),
    ],
)
def test_a_summary_of_a_file_refused_before_its_rows_counts_no_rows(language, summary):
    from partnerships.imports.report import ImportReport

    refused = ImportReport(kind="flows")
    refused.add_error(1, "students", "This column is missing from the header.")
    refused.add_error(1, "studnets", "Unknown column.")
    with translation.override(language):
        assert refused.summary() == summary


@pytest.mark.parametrize(
    ("language", "read", "refused"),
    [
        (
            "en",
            "1,234 rows read: 1,230 created, 0 updated, 4 unchanged.",
            "1 problem in 1 row; nothing was written.",
        ),
        (
            "ru",
            "Прочитано: 1\xa0234 строки; создано: 1\xa0230, обновлено: 0, без изменений: 4.",
            "Найдено: 1 проблема (прочитано: 1 строка); ничего не записано.",
        ),
        (
            "zh-hans",
            "已读取 1,234 行：新建 1,230 条，更新 0 条，未变 4 条。",
            "1 行中有 1 个问题；未写入任何内容。",
        ),
    ],
)
def test_an_import_summary_counts_in_the_readers_plurals_and_number_format(language, read, refused):
    from partnerships.imports.report import ImportReport

    loaded = ImportReport(kind="flows", rows=1234, created=1230, unchanged=4)
    bad = ImportReport(kind="flows", rows=1)
    bad.add_error(2, "students", "A flow counts at least one student.")
    with translation.override(language):
        assert (loaded.summary(), bad.summary()) == (read, refused)
