"""The pages: places and approval on the agreement page, versions, the partner finder,
forms for conditions and units, identity on the institution page."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from partnerships.approvals import agreement_approve
from partnerships.models import Agreement, AgreementApproval, AgreementCondition, Unit
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(home_university, other_university):
    agreement = factories.agreement_between(
        home_university, other_university, reference="XJTU-TPU-SE", kind="student_exchange"
    )
    factories.ConditionFactory(agreement=agreement, places=2, first_academic_year=2020)
    factories.StudentFlowFactory(
        agreement=agreement,
        academic_year=2026,
        origin_country="CN",
        destination_country="RU",
        origin_institution=home_university,
        destination_institution=other_university,
        mobility_type="credit",
        students=5,
    )
    return agreement


def current_version(agreement):
    return Agreement.objects.with_terms().get(pk=agreement.pk).version


def page(agreement, name="agreement-detail"):
    return reverse(name, args=[agreement.reference])


def test_the_agreement_page_shows_places_used_and_over_use(client, exchange):
    html = client.get(page(exchange), {"year": 2026}).content.decode()
    assert "Places in 2026/27" in html
    assert '<td class="num" data-label="Left"><strong>-3</strong>' in html
    assert "over-used" in html
    assert current_version(exchange)[:12] in html


def test_only_a_party_editor_sees_the_approve_button(client, exchange, editor, member_editor):
    client.force_login(member_editor)
    assert "Approve this version" not in client.get(page(exchange)).content.decode()
    client.force_login(editor)
    assert "Approve this version" in client.get(page(exchange)).content.decode()


def test_approving_on_the_page_records_the_approval(client, exchange, editor):
    client.force_login(editor)
    response = client.post(
        page(exchange, "agreement-approve"), {"version": current_version(exchange)}
    )
    assert response.status_code == 302
    assert AgreementApproval.objects.get().user == editor


def test_approving_a_stale_version_on_the_page_leads_to_the_versions(client, exchange, editor):
    client.force_login(editor)
    stale = current_version(exchange)
    exchange.conditions.update(places=9)
    response = client.post(page(exchange, "agreement-approve"), {"version": stale}, follow=True)
    assert response.redirect_chain[-1][0] == page(exchange, "agreement-versions")
    assert "The terms changed while you read them" in response.content.decode()
    assert not AgreementApproval.objects.exists()


def test_approving_needs_a_party_editor_and_a_visible_agreement(
    client, exchange, member_editor, home_university, partner_university
):
    client.force_login(member_editor)
    response = client.post(page(exchange, "agreement-approve"), {"version": "a" * 64})
    assert response.status_code == 403
    hidden = factories.agreement_between(
        home_university, partner_university, reference="HIDDEN-1", visibility="parties"
    )
    assert client.post(page(hidden, "agreement-approve"), {"version": "a" * 64}).status_code == 404
    assert not AgreementApproval.objects.exists()


def test_the_versions_page_marks_what_changed_since_all_approved(
    client, exchange, editor, other_university
):
    partner = factories.AffiliationFactory(institution=other_university).user
    version = current_version(exchange)
    agreement_approve(agreement=exchange, version=version, by=editor)
    agreement_approve(agreement=exchange, version=version, by=partner)
    condition = exchange.conditions.get()
    condition.places = 6
    condition.save()
    html = client.get(page(exchange, "agreement-versions")).content.decode()
    assert version in html
    assert html.count('class="changed"') == 2  # the old condition and the new one
    assert "<del>" in html and "<ins>" in html
    assert "2 × Student mobility for studies" in html
    assert "6 × Student mobility for studies" in html


@pytest.fixture
def back_to_english():
    """A request in Russian leaves Russian active in this thread; later tests expect English."""
    yield
    translation.activate("en")


@pytest.mark.usefixtures("back_to_english")
def test_the_terms_read_in_the_visitors_language(client, exchange):
    russian = {"HTTP_ACCEPT_LANGUAGE": "ru"}
    versions = client.get(page(exchange, "agreement-versions"), **russian).content.decode()
    assert "2 × Мобильность студентов для обучения" in versions
    assert "10 месяцев" in versions and "months" not in versions
    detail = client.get(page(exchange), {"year": 2026}, **russian).content.decode()
    assert '<th scope="col" class="num">Осталось</th>' in detail
    assert "Вышел" not in detail


# The partner finder


def test_the_partner_finder_lists_receiving_institutions_with_places_left(
    client, home_university, other_university, member_university
):
    roomy = factories.agreement_between(home_university, member_university, reference="ROOMY")
    factories.ConditionFactory(agreement=roomy, places=8)
    full = factories.agreement_between(home_university, other_university, reference="FULL")
    factories.ConditionFactory(agreement=full, places=1)
    factories.StudentFlowFactory(
        agreement=full,
        academic_year=2026,
        origin_country="CN",
        destination_country="RU",
        origin_institution=home_university,
        destination_institution=other_university,
        mobility_type="credit",
        students=1,
    )
    response = client.get(reverse("partner-finder"), {"year": 2026})
    names = [row.institution.name for row in response.context["page_obj"]]
    assert names == [member_university.name]
    assert response.context["page_obj"][0].left == 8


def test_the_partner_finder_filters_by_country_and_mobility(
    client, home_university, member_university, other_university
):
    for partner in (member_university, other_university):
        agreement = factories.agreement_between(home_university, partner)
        factories.ConditionFactory(agreement=agreement)
    response = client.get(reverse("partner-finder"), {"year": 2026, "country": "RU"})
    assert [row.institution for row in response.context["page_obj"]] == [other_university]
    response = client.get(
        reverse("partner-finder"), {"year": 2026, "mobility_type": "staff_teaching"}
    )
    assert list(response.context["page_obj"]) == []


def test_the_partner_finder_counts_only_agreements_the_visitor_may_see(
    client, home_university, partner_university
):
    hidden = factories.agreement_between(home_university, partner_university, visibility="parties")
    factories.ConditionFactory(agreement=hidden)
    response = client.get(reverse("partner-finder"), {"year": 2026})
    assert list(response.context["page_obj"]) == []


def test_the_partner_finder_runs_a_fixed_number_of_queries(
    client, home_university, django_assert_max_num_queries
):
    for _ in range(15):
        agreement = factories.agreement_between(home_university, factories.InstitutionFactory())
        factories.ConditionFactory(agreement=agreement)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("partner-finder"), {"year": 2026})
    assert len(response.context["page_obj"]) == 15


def test_the_partner_finder_shows_bad_filters_without_failing(client):
    response = client.get(reverse("partner-finder"), {"year": "soon", "level": "9"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"year", "level"}


def test_the_partner_finder_labels_its_filters_like_the_other_lists(client):
    html = client.get(reverse("partner-finder")).content.decode()
    assert '<label for="id_country">Country</label>' in html


# Forms


def test_an_editor_adds_a_condition_on_the_page(client, exchange, editor, other_university):
    client.force_login(editor)
    data = {
        "sending_institution": other_university.pk,
        "receiving_institution": exchange.parties.exclude(institution=other_university)[
            0
        ].institution_id,
        "mobility_type": "staff_teaching",
        "first_academic_year": 2026,
        "last_academic_year": 2027,
        "places": 2,
        "days_per_year": 5,
    }
    response = client.post(page(exchange, "condition-add"), data)
    assert response.status_code == 302
    assert AgreementCondition.objects.filter(mobility_type="staff_teaching").count() == 1


def test_a_condition_form_refuses_bad_input_with_field_messages(
    client, exchange, editor, home_university, other_university
):
    client.force_login(editor)
    data = {
        "sending_institution": home_university.pk,
        "receiving_institution": other_university.pk,
        "mobility_type": "student_studies",
        "first_academic_year": 2027,
        "last_academic_year": 2026,
        "places": 0,
    }
    response = client.post(page(exchange, "condition-add"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "places" in errors and "last_academic_year" in errors
    assert exchange.conditions.count() == 1


def test_a_condition_takes_its_language_from_a_list_of_named_languages(
    client, exchange, editor, home_university, other_university
):
    client.force_login(editor)
    form = client.get(page(exchange, "condition-add"), HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert '<option value="zh">Китайский (zh)</option>' in form
    assert re.search(r'<fieldset class="field choices"[^>]*>\s*<legend>Уровни</legend>', form)
    data = {
        "sending_institution": home_university.pk,
        "receiving_institution": other_university.pk,
        "mobility_type": "student_studies",
        "first_academic_year": 2026,
        "last_academic_year": 2027,
        "places": 3,
        "months_per_year": 10,
        "language_level": "B2",
    }
    refused = client.post(page(exchange, "condition-add"), {**data, "language": "xx"})
    assert list(refused.context["form"].errors) == ["language"]
    saved = client.post(page(exchange, "condition-add"), {**data, "language": "zh"})
    assert saved.status_code == 302
    assert exchange.conditions.filter(language="zh", language_level="B2").count() == 1


def test_only_a_party_editor_edits_conditions(client, exchange, member_editor):
    client.force_login(member_editor)
    assert client.get(page(exchange, "condition-add")).status_code == 403


def test_an_editor_adds_a_unit_and_the_institution_page_shows_identity(
    client, editor, home_university, other_university
):
    client.force_login(editor)
    url = reverse("unit-add", args=[home_university.slug])
    response = client.post(url, {"name": "School of Energy", "kind": "school"})
    assert response.status_code == 302
    assert Unit.objects.get().institution == home_university
    other_university.successor = home_university
    other_university.save()
    campus = factories.InstitutionFactory(name="Suzhou campus", parent=home_university)
    html = client.get(reverse("institution-detail", args=[home_university.slug])).content.decode()
    assert "School of Energy" in html
    assert other_university.name in html and campus.name in html


def test_a_unit_of_another_institution_cannot_be_edited_there(
    client, other_editor, home_university
):
    client.force_login(other_editor)
    assert client.get(reverse("unit-add", args=[home_university.slug])).status_code == 403
