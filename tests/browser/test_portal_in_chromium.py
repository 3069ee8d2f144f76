"""End to end in headless Chromium: a visitor browses, an office logs an agreement, a
secretariat ends a membership, the language switches, the flows dashboard draws."""

import datetime
import re

import pytest
from django.core.management import call_command

from partnerships.models import Agreement, Membership
from tests import factories
from tests.browser.conftest import PHONE, screenshot, sideways_on_a_phone, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_goes_from_home_to_an_alliance_a_member_and_its_agreement(page):
    alliance = factories.AllianceFactory(name="University Alliance of the New Silk Road")
    member = factories.InstitutionFactory(name="Harbin Institute of Technology", slug="hit")
    factories.MembershipFactory(alliance=alliance, institution=member)
    factories.agreement_between(
        member,
        factories.InstitutionFactory(name="Tomsk Polytechnic University", country="RU"),
        reference="HIT-TPU-2023",
        title="Memorandum on engineering education",
    )
    factories.agreement_between(member, reference="HIDDEN-1", visibility="parties")

    page.goto(page.base + "/")
    page.get_by_role("link", name="University Alliance of the New Silk Road").first.click()
    page.get_by_role("link", name="Harbin Institute of Technology").first.click()
    assert (
        page.get_by_role("heading", level=1)
        .inner_text()
        .startswith("Harbin Institute of Technology")
    )
    assert "HIDDEN-1" not in page.content()
    page.get_by_role("link", name="HIT-TPU-2023").click()
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Memorandum on engineering education"
    )
    assert "Tomsk Polytechnic University" in page.content()
    assert page.console.errors == []


def test_an_office_logs_an_agreement_with_a_pdf_finds_it_and_downloads_it(page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    office = factories.AffiliationFactory(
        user__username="office", institution__name="Xi'an Jiaotong University"
    )
    factories.InstitutionFactory(name="Tomsk Polytechnic University", country="RU")
    pdf = tmp_path / "memorandum.pdf"
    pdf.write_bytes(factories.pdf_bytes("Memorandum on energy engineering"))

    sign_in(page, "office", factories.PASSWORD)
    page.goto(page.base + "/agreements/new/")
    page.locator("#id_reference").fill("XJTU-TPU-2024-07")
    page.locator("#id_title").fill("Memorandum on energy engineering")
    page.locator("#id_kind").select_option(label="Memorandum of understanding")
    page.locator("#id_signed_on").fill("2024-07-01")
    page.locator("#id_expires_on").fill("2029-06-30")
    page.locator("#id_parties-0-institution").select_option(label="Xi'an Jiaotong University")
    page.locator("#id_parties-0-signatory_name").fill("Wang Shuguo")
    page.locator("#id_parties-1-institution").select_option(label="Tomsk Polytechnic University")
    page.locator("#id_parties-1-signatory_name").fill("Andrei Yakovlev")
    page.locator("#id_document").set_input_files(str(pdf))
    screenshot(page, "agreement-form")
    page.get_by_role("button", name="Save the agreement").click()
    page.wait_for_url(re.compile(r".*/agreements/XJTU-TPU-2024-07/$"))
    assert Agreement.objects.get(reference="XJTU-TPU-2024-07").created_by == office.user

    page.goto(page.base + "/agreements/?search=energy")
    page.get_by_role("link", name="XJTU-TPU-2024-07").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the signed PDF").click()
    saved = tmp_path / "downloaded.pdf"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "memorandum.pdf"
    assert saved.read_bytes().startswith(b"%PDF-")
    assert page.console.errors == []


def test_a_bad_upload_is_refused_at_the_field_and_the_form_keeps_what_was_typed(page, tmp_path):
    factories.AffiliationFactory(
        user__username="office", institution__name="Xi'an Jiaotong University"
    )
    not_a_pdf = tmp_path / "scan.pdf"
    not_a_pdf.write_bytes(b"GIF89a not a pdf")
    sign_in(page, "office", factories.PASSWORD)
    page.goto(page.base + "/agreements/new/")
    page.locator("#id_title").fill("Memorandum kept after an error")
    page.locator("#id_document").set_input_files(str(not_a_pdf))
    page.get_by_role("button", name="Save the agreement").click()
    assert page.locator("#id_title").input_value() == "Memorandum kept after an error"
    assert "This file is not a PDF" in page.content()
    assert "This field is required." in page.content()
    assert not Agreement.objects.exists()


def test_a_secretariat_ends_a_membership(page):
    alliance = factories.AllianceFactory(
        name="University Alliance of the New Silk Road", slug="uasr"
    )
    factories.AffiliationFactory(
        user__username="secretariat", institution=None, alliance=alliance, role="secretariat"
    )
    membership = factories.MembershipFactory(
        alliance=alliance, institution__name="Tomsk Polytechnic University"
    )
    sign_in(page, "secretariat", factories.PASSWORD)
    page.goto(page.base + "/alliances/uasr/")
    page.get_by_role("link", name="End membership").click()
    page.locator("#id_left_on").fill("2024-12-31")
    page.get_by_role("button", name="End membership").click()
    page.wait_for_url(re.compile(r".*/alliances/uasr/$"))
    assert "The membership of Tomsk Polytechnic University has ended." in page.content()
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2024, 12, 31)
    assert Membership.objects.current().count() == 0


def test_switching_to_chinese_and_russian_translates_the_navigation(page):
    page.goto(page.base + "/alliances/")
    navigation = page.get_by_role("navigation", name="Main")
    assert "Agreements" in navigation.inner_text()
    page.locator("#language-choice").select_option("zh-hans")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_url(re.compile(r".*/alliances/$"))
    navigation = page.get_by_role("navigation", name="主导航")
    assert "联盟" in navigation.inner_text() and "协议" in navigation.inner_text()
    screenshot(page, "alliances-zh")
    page.locator("#language-choice").select_option("ru")
    page.get_by_role("button", name="切换语言").click()
    navigation = page.get_by_role("navigation", name="Основная навигация")
    assert "Альянсы" in navigation.inner_text() and "Соглашения" in navigation.inner_text()
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.console.errors == []


def test_the_main_pages_on_the_demo_data_draw_without_errors(page):
    """Loads the demo data once and takes the screenshots of the main pages."""
    call_command("load_demo", verbosity=0)
    agreement = Agreement.objects.filter(visibility="public").order_by("-signed_on").first()
    pages = {
        "home": "/",
        "alliances": "/alliances/",
        "alliance": "/alliances/uasr/",
        "institutions": "/institutions/",
        "institution": "/institutions/xjtu/",
        "agreements": "/agreements/",
        "agreement": f"/agreements/{agreement.reference}/",
        "programmes": "/programmes/",
        "events": "/events/",
        "flows": "/flows/?origin_group=belt-and-road&destination_country=CN",
        "country": "/countries/KZ/",
        "search": "/search/?q=silk",
        "login": "/accounts/login/",
        "not-found": "/alliances/no-such-alliance/",
    }
    for name, path in pages.items():
        response = page.goto(page.base + path)
        assert response.status == (404 if name == "not-found" else 200), path
        if name in ("flows", "country"):
            page.wait_for_function("() => window.Chart && Chart.getChart('balance-chart')")
        screenshot(page, name)
        assert sideways_on_a_phone(page) == [], path
    page.goto(page.base + "/flows/")
    drawn = page.evaluate(
        "() => ['trend-chart', 'sankey-chart', 'balance-chart']"
        ".map(id => Boolean(Chart.getChart(id)))"
    )
    assert drawn == [True, True, True]
    assert page.console.errors == [
        error for error in page.console.errors if "404" in error
    ]  # only the deliberate 404 page


@pytest.fixture
def tomsk_agreements(db):
    tomsk = factories.InstitutionFactory(
        name="Tomsk Polytechnic University", slug="tpu", country="RU"
    )
    factories.InstitutionFactory(name="Tomsk State University", slug="tsu", country="RU")
    factories.agreement_between(tomsk, factories.InstitutionFactory(), reference="A-TPU")
    factories.agreement_between(reference="A-OTHER")


def test_the_registry_suggests_institutions_as_the_party_is_typed(page, tomsk_agreements):
    page.goto(page.base + "/agreements/")
    page.locator("#id_party").press_sequentially("Tomsk", delay=30)
    page.wait_for_function(
        "() => document.querySelectorAll('#party-suggestions option').length === 2"
    )
    suggestions = page.eval_on_selector_all(
        "#party-suggestions option", "options => options.map(o => [o.value, o.label])"
    )
    assert suggestions == [
        ["tpu", "Tomsk Polytechnic University · RU"],
        ["tsu", "Tomsk State University · RU"],
    ]
    page.locator("#id_party").fill("tpu")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*party=tpu"))
    assert "A-TPU" in page.content() and "A-OTHER" not in page.content()
    screenshot(page, "agreements-party")
    assert page.console.errors == []


def test_without_javascript_the_party_box_takes_a_name_and_explains_an_unknown_one(
    browser, live_server, tomsk_agreements
):
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.goto(live_server.url + "/agreements/")
    page.locator("#id_party").fill("Tomsk Polytechnic University")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*party=Tomsk"))
    assert "A-TPU" in page.content() and "A-OTHER" not in page.content()

    page.locator("#id_party").fill("Atlantis")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url(re.compile(r".*party=Atlantis"))
    error = page.locator(".field.has-error .errorlist").inner_text()
    assert error == "No institution has the name, slug or ROR ID “Atlantis”."
    screenshot(page, "agreements-party-unknown")
    context.close()


def test_on_a_phone_every_menu_entry_is_in_sight_in_every_language(page):
    """The menu wraps onto more lines rather than scroll its last entries off the screen."""
    factories.AffiliationFactory(
        user__username="secretariat",
        institution=None,
        alliance=factories.AllianceFactory(),
        role="secretariat",
    )
    sign_in(page, "secretariat", factories.PASSWORD)
    page.set_viewport_size(PHONE)
    for language in ("en", "ru", "zh-hans"):
        page.goto(page.base + "/agreements/")
        page.locator("#language-choice").select_option(language)
        page.locator(".language-switcher button").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == language
        entries = page.locator(".main-nav a")
        assert entries.count() == 8, language  # seven lists and the import
        for index in range(entries.count()):
            box = entries.nth(index).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (
                language,
                entries.nth(index).inner_text(),
            )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert page.locator("#site-search").bounding_box()["width"] >= PHONE["width"] / 2


def test_the_agreement_tables_of_an_institution_line_up_their_columns(page):
    home = factories.InstitutionFactory(slug="home")
    today = datetime.date.today()
    factories.agreement_between(
        home,
        reference="A-1",
        title="Short",
        signed_on=today - datetime.timedelta(days=365),
        effective_from=today - datetime.timedelta(days=365),
        expires_on=today + datetime.timedelta(days=3 * 365),
    )
    factories.agreement_between(
        home,
        reference="HOME-PARTNER-2010-MEMORANDUM-01",
        title="Memorandum of understanding on academic cooperation in engineering and medicine",
        signed_on=datetime.date(2010, 1, 1),
        effective_from=datetime.date(2010, 1, 1),
        expires_on=datetime.date(2015, 1, 1),
    )
    page.goto(page.base + "/institutions/home/")
    columns = page.evaluate(
        "() => [...document.querySelectorAll('table.agreement-rows')].map(table =>"
        " [...table.querySelectorAll('thead th')]"
        ".map(th => Math.round(th.getBoundingClientRect().left)))"
    )
    assert len(columns) == 2 and len(columns[0]) == 6
    assert columns[0] == columns[1]
    assert sideways_on_a_phone(page) == []
