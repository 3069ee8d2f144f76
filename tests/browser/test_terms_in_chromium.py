"""End to end in headless Chromium: a student finds a partner with places left, an office
reads an agreement's places table and compares its terms with the version both approved."""

import pytest

from partnerships.approvals import agreement_approve
from partnerships.models import Affiliation, Agreement, AgreementCondition
from partnerships.selectors import current_academic_year
from tests import factories
from tests.browser.conftest import PHONE, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Type = AgreementCondition.MobilityType


@pytest.fixture
def exchange():
    """XJTU and Tomsk exchange students and staff; XJTU sent one student too many this year."""
    year = current_academic_year()
    xjtu = factories.InstitutionFactory(
        name="Xi'an Jiaotong University", short_name="XJTU", slug="xjtu", country="CN"
    )
    tomsk = factories.InstitutionFactory(
        name="Tomsk Polytechnic University", short_name="TPU", slug="tpu", country="RU"
    )
    almaty = factories.InstitutionFactory(
        name="Al-Farabi Kazakh National University", short_name="KazNU", country="KZ"
    )
    agreement = factories.agreement_between(
        xjtu,
        tomsk,
        reference="XJTU-TPU-2024",
        title="Student and staff exchange in energy engineering",
        kind=Agreement.Kind.STUDENT_EXCHANGE,
    )
    faculty = factories.UnitFactory(institution=xjtu, name="School of Energy and Power")
    outgoing = factories.ConditionFactory(
        agreement=agreement,
        sending_institution=xjtu,
        sending_unit=faculty,
        receiving_institution=tomsk,
        places=4,
        first_academic_year=year - 1,
        last_academic_year=year + 3,
    )
    factories.ConditionFactory(
        agreement=agreement,
        sending_institution=tomsk,
        receiving_institution=xjtu,
        mobility_type=Type.STAFF_TEACHING,
        levels="",
        months_per_year=None,
        days_per_year=10,
        places=2,
        first_academic_year=year - 1,
        last_academic_year=year + 3,
    )
    factories.StudentFlowFactory(
        academic_year=year,
        origin_country="CN",
        destination_country="RU",
        origin_institution=xjtu,
        destination_institution=tomsk,
        mobility_type="credit",
        students=5,
        agreement=agreement,
    )
    kazakh = factories.agreement_between(xjtu, almaty, reference="XJTU-KAZNU-2024")
    factories.ConditionFactory(
        agreement=kazakh,
        places=3,
        first_academic_year=year - 1,
        last_academic_year=year + 3,
    )
    return {"agreement": agreement, "outgoing": outgoing, "xjtu": xjtu, "tomsk": tomsk}


def approve_by_both_parties(agreement, *institutions):
    version = Agreement.objects.with_terms().get(pk=agreement.pk).version
    for institution in institutions:
        office = factories.AffiliationFactory(
            institution=institution, role=Affiliation.Role.EDITOR
        ).user
        agreement_approve(agreement=agreement, version=version, by=office)


def fits_the_phone(page):
    """Nothing sticks out sideways on a phone: wide tables scroll inside their own box."""
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(100)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 900})
    return width <= PHONE["width"]


def test_a_student_finds_a_partner_with_places_left(page, exchange):
    page.goto(page.base + "/partners/")
    assert page.get_by_role("heading", level=1).inner_text() == "Find a partner with places left"
    rows = page.locator("table.data tbody tr")
    names = rows.locator("td:first-child").all_inner_texts()
    assert "Al-Farabi Kazakh National University" in names

    page.locator("#id_country").select_option(label="Kazakhstan")
    page.get_by_role("button", name="Find").click()
    page.wait_for_load_state()
    assert "country=KZ" in page.url
    cells = rows.first.locator("td").all_inner_texts()
    assert cells[:2] == ["Al-Farabi Kazakh National University", "Kazakhstan"]
    assert cells[3:6] == ["3", "0", "3"]  # places, used, left
    assert "Tomsk Polytechnic University" not in page.locator("table.data").inner_text()
    screenshot(page, "partner-finder")
    assert fits_the_phone(page)
    assert page.console.errors == []


def test_an_office_reads_the_places_table_with_the_over_used_condition_marked(page, exchange):
    page.goto(page.base + "/agreements/XJTU-TPU-2024/")
    table = page.locator("table.places")
    over_used = table.locator("tr.over-used")
    assert over_used.count() == 1
    cells = over_used.locator("td").all_inner_texts()
    assert cells[0].splitlines() == ["XJTU", "School of Energy and Power"]
    assert cells[1] == "TPU"
    assert cells[3:5] == ["4", "5"]
    assert cells[5].startswith("-1") and "over-used" in cells[5]
    staff_row = table.locator("tbody tr", has_text="Staff mobility for teaching")
    assert staff_row.locator("td").all_inner_texts()[3:6] == ["2", "0", "2"]
    screenshot(page, "agreement-places")
    assert fits_the_phone(page)
    assert page.console.errors == []


def test_the_versions_page_marks_what_changed_since_both_parties_approved(page, exchange):
    agreement, outgoing = exchange["agreement"], exchange["outgoing"]
    approve_by_both_parties(agreement, exchange["xjtu"], exchange["tomsk"])
    outgoing.places = 6
    outgoing.save()

    page.goto(page.base + "/agreements/XJTU-TPU-2024/versions/")
    assert "approved by all parties" not in page.locator("main").inner_text()
    changed = page.locator("table.versions tr.changed")
    assert changed.count() >= 1
    approved = changed.locator("del").all_inner_texts()
    current = changed.locator("ins").all_inner_texts()
    assert any("4 ×" in text for text in approved)
    assert any("6 ×" in text for text in current)
    unchanged = page.locator("table.versions tbody tr:not(.changed)")
    assert unchanged.count() >= 1  # the parties and the dates stay as approved
    screenshot(page, "agreement-versions")
    assert fits_the_phone(page)
    assert page.console.errors == []
