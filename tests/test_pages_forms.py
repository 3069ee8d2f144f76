"""Working pages: offices log, edit and renew agreements; secretariats keep memberships.

Each action: it works, it needs sign-in, it needs the right institution or alliance (a forged
POST is refused), bad input gets a message at the field with nothing saved and the typed
values kept.
"""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import Agreement, FieldOfStudy, Membership
from tests import factories

pytestmark = pytest.mark.django_db


def party_rows(*rows, extra=0):
    """POST data of the parties formset for `rows` of (institution, role, signatory)."""
    data = {
        "parties-TOTAL_FORMS": str(len(rows) + extra),
        "parties-INITIAL_FORMS": "0",
        "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "1000",
    }
    for index, (institution, role, signatory) in enumerate(rows):
        data[f"parties-{index}-institution"] = str(institution.pk) if institution else ""
        data[f"parties-{index}-role"] = role
        data[f"parties-{index}-signatory_name"] = signatory
        data[f"parties-{index}-signatory_title"] = ""
    for index in range(len(rows), len(rows) + extra):
        data[f"parties-{index}-role"] = "party"
    return data


def agreement_data(home, partner, **overrides):
    data = {
        "reference": "XJTU-TPU-2024-01",
        "title": "Memorandum on engineering exchange",
        "kind": "student_exchange",
        "signed_on": "2024-05-20",
        "effective_from": "2024-06-01",
        "expires_on": "2029-05-31",
        "visibility": "public",
        "summary": "Ten students a year each way.",
        **party_rows(
            (home, "party", "Wang Shuguo"), (partner, "party", "Andrei Yakovlev"), extra=1
        ),
    }
    data.update(overrides)
    return data


def pdf_upload(name="signed.pdf", content=None):
    return SimpleUploadedFile(name, content or factories.pdf_bytes(), "application/pdf")


@pytest.fixture
def tomsk(db):
    return factories.InstitutionFactory(name="Tomsk Polytechnic University", country="RU")


# Logging an agreement


def test_editor_logs_an_agreement_with_two_parties_and_a_pdf(
    client, editor, home_university, tomsk, documents_dir, subject_area
):
    client.force_login(editor)
    data = agreement_data(home_university, tomsk, subject_areas=[subject_area.pk])
    data["document"] = pdf_upload("memorandum-2024.pdf")
    response = client.post("/agreements/new/", data)
    assert response.status_code == 302
    assert response.url == "/agreements/XJTU-TPU-2024-01/"
    agreement = Agreement.objects.get(reference="XJTU-TPU-2024-01")
    assert {(p.institution.name, p.signatory_name) for p in agreement.parties.all()} == {
        ("Xi'an Jiaotong University", "Wang Shuguo"),
        ("Tomsk Polytechnic University", "Andrei Yakovlev"),
    }
    assert agreement.document_name == "memorandum-2024.pdf"
    assert list(agreement.subject_areas.all()) == [subject_area]
    assert agreement.created_by == editor
    download = client.get(reverse("agreement-document", args=[agreement.reference]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


@pytest.fixture
def subject_area(db):
    from partnerships.models import FieldOfStudy

    return FieldOfStudy.objects.get(code="0714")


def test_subject_areas_are_ticks_grouped_by_broad_field_with_the_stored_ones_ticked(
    client, editor, home_university, subject_area
):
    agreement = factories.agreement_between(home_university, factories.InstitutionFactory())
    agreement.subject_areas.set([subject_area])
    client.force_login(editor)
    html = client.get(reverse("agreement-edit", args=[agreement.reference])).content.decode()
    ticks = re.findall(r'<input type="checkbox" name="subject_areas" value="(\d+)"[^>]*>', html)
    ticked = re.findall(r'name="subject_areas" value="(\d+)"[^>]* checked>', html)
    assert (len(ticks), ticked) == (FieldOfStudy.objects.count(), ["0714"])
    assert "<label>07 Engineering, manufacturing and construction</label>" in html
    assert "07 Engineering, manufacturing and construction, the whole field</label>" in html


def test_the_form_page_needs_sign_in(client):
    response = client.get("/agreements/new/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_form_labels_have_no_colon_like_the_list_filters(client, editor):
    client.force_login(editor)
    page = client.get("/agreements/new/").content.decode()
    assert '<label for="id_reference">Reference</label>' in page
    assert ":</label>" not in page


def test_a_user_without_an_office_may_not_log_agreements(client, outsider, viewer):
    for user in (outsider, viewer):
        client.force_login(user)
        response = client.get("/agreements/new/")
        assert response.status_code == 403
        assert "You may not do this" in response.content.decode()


def test_a_forged_post_for_institutions_the_editor_does_not_act_for_is_refused(
    client, editor, other_university, tomsk
):
    client.force_login(editor)
    response = client.post("/agreements/new/", agreement_data(other_university, tomsk))
    assert response.status_code == 200
    assert "One of the signing institutions must be one you act for" in response.content.decode()
    assert not Agreement.objects.exists()


def test_missing_parties_are_refused_at_the_parties_keeping_what_was_typed(
    client, editor, home_university
):
    client.force_login(editor)
    data = agreement_data(home_university, None)
    data["parties-1-signatory_name"] = ""
    response = client.post("/agreements/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["parties"].forms[1].errors["institution"] == ["This field is required."]
    assert 'value="Memorandum on engineering exchange"' in html
    assert 'value="Wang Shuguo"' in html
    assert not Agreement.objects.exists()


def test_one_signing_party_is_not_enough(client, editor, home_university, tomsk):
    client.force_login(editor)
    data = agreement_data(home_university, tomsk)
    data["parties-1-role"] = "witness"
    response = client.post("/agreements/new/", data)
    assert "Name at least two different institutions that sign" in response.content.decode()
    assert not Agreement.objects.exists()


def test_the_same_institution_twice_does_not_make_two_parties(client, editor, home_university):
    client.force_login(editor)
    data = agreement_data(home_university, home_university)
    response = client.post("/agreements/new/", data)
    assert "listed twice in the same role" in response.content.decode()
    assert not Agreement.objects.exists()


def test_reversed_dates_are_refused_at_the_date_field(client, editor, home_university, tomsk):
    client.force_login(editor)
    data = agreement_data(home_university, tomsk, expires_on="2020-01-01")
    response = client.post("/agreements/new/", data)
    form = response.context["form"]
    assert form.errors["expires_on"] == ["An agreement cannot expire before it takes effect."]
    assert 'value="2020-01-01"' in response.content.decode()
    assert not Agreement.objects.exists()


def test_a_file_that_is_not_a_pdf_is_refused_at_the_document_field(
    client, editor, home_university, tomsk, documents_dir
):
    client.force_login(editor)
    data = agreement_data(home_university, tomsk)
    data["document"] = SimpleUploadedFile("memo.pdf", b"PK\x03\x04 a zip file", "application/pdf")
    response = client.post("/agreements/new/", data)
    assert "This file is not a PDF" in response.context["form"].errors["document"][0]
    assert not Agreement.objects.exists()


def test_an_oversized_pdf_is_refused_at_the_document_field(
    client, editor, home_university, tomsk, documents_dir, settings
):
    settings.DOCUMENT_MAX_BYTES = 1000
    client.force_login(editor)
    data = agreement_data(home_university, tomsk)
    data["document"] = pdf_upload(content=factories.pdf_bytes("x" * 2000))
    response = client.post("/agreements/new/", data)
    assert "signed documents may be at most" in response.context["form"].errors["document"][0]
    assert not Agreement.objects.exists()


def test_a_reference_already_in_use_is_refused_at_the_reference_field(
    client, editor, home_university, tomsk
):
    factories.AgreementFactory(reference="XJTU-TPU-2024-01")
    client.force_login(editor)
    response = client.post("/agreements/new/", agreement_data(home_university, tomsk))
    assert "reference" in response.context["form"].errors
    assert Agreement.objects.count() == 1


def test_the_form_needs_a_csrf_token(editor, home_university, tomsk):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post("/agreements/new/", agreement_data(home_university, tomsk))
    assert response.status_code == 403
    assert not Agreement.objects.exists()


# Editing and renewing


@pytest.fixture
def logged(home_university, partner_university):
    return factories.agreement_between(
        home_university,
        partner_university,
        reference="XJTU-HIT-2020",
        signed_on=datetime.date(2020, 1, 10),
        effective_from=datetime.date(2020, 2, 1),
        expires_on=datetime.date(2025, 1, 31),
    )


def test_editor_edits_title_and_replaces_a_party(client, editor, logged, home_university, tomsk):
    client.force_login(editor)
    page = client.get("/agreements/XJTU-HIT-2020/edit/")
    assert page.status_code == 200
    data = agreement_data(home_university, tomsk, title="Renamed memorandum")
    data.pop("reference")
    data.update(signed_on="2020-01-10", effective_from="2020-02-01", expires_on="2025-01-31")
    response = client.post("/agreements/XJTU-HIT-2020/edit/", data)
    assert response.status_code == 302
    logged.refresh_from_db()
    assert logged.title == "Renamed memorandum"
    assert logged.reference == "XJTU-HIT-2020"
    assert sorted(p.institution.name for p in logged.parties.all()) == [
        "Tomsk Polytechnic University",
        "Xi'an Jiaotong University",
    ]


def test_another_office_may_not_edit_or_renew(client, other_editor, logged):
    client.force_login(other_editor)
    assert client.get("/agreements/XJTU-HIT-2020/edit/").status_code == 403
    assert client.post("/agreements/XJTU-HIT-2020/renew/", {}).status_code == 403
    assert Agreement.objects.count() == 1


def test_editor_renews_an_agreement(client, editor, logged):
    client.force_login(editor)
    response = client.post("/agreements/XJTU-HIT-2020/renew/", {"signed_on": "2025-01-15"})
    assert response.status_code == 302
    renewal = Agreement.objects.get(renews=logged)
    assert renewal.reference == "XJTU-HIT-2020-R1"
    assert renewal.effective_from == datetime.date(2025, 2, 1)
    assert renewal.expires_on == datetime.date(2030, 1, 31)


def test_renewing_twice_is_refused_with_a_message(client, editor, logged):
    client.force_login(editor)
    client.post("/agreements/XJTU-HIT-2020/renew/", {})
    response = client.post("/agreements/XJTU-HIT-2020/renew/", {})
    assert response.status_code == 200
    assert "already been renewed" in response.content.decode()
    assert Agreement.objects.count() == 2


def test_renewal_dates_in_the_wrong_order_are_refused_at_the_field(client, editor, logged):
    client.force_login(editor)
    response = client.post(
        "/agreements/XJTU-HIT-2020/renew/",
        {"effective_from": "2026-01-01", "expires_on": "2025-06-01"},
    )
    assert response.context["form"].errors["expires_on"]
    assert Agreement.objects.count() == 1


# Memberships


def test_secretariat_adds_a_member(client, secretariat, alliance, tomsk):
    client.force_login(secretariat)
    response = client.post(
        f"/alliances/{alliance.slug}/members/add/",
        {"institution": tomsk.pk, "role": "member", "joined_on": "2024-09-01"},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(alliance=alliance, institution=tomsk).exists()


def test_adding_a_member_twice_is_refused_at_the_institution(
    client, secretariat, alliance, home_university
):
    client.force_login(secretariat)
    response = client.post(
        f"/alliances/{alliance.slug}/members/add/",
        {"institution": home_university.pk, "role": "member", "joined_on": "2024-09-01"},
    )
    assert response.context["form"].errors["institution"]
    assert Membership.objects.filter(institution=home_university).count() == 1


def test_secretariat_ends_a_membership(client, secretariat, alliance, home_university):
    membership = Membership.objects.get(alliance=alliance, institution=home_university)
    client.force_login(secretariat)
    url = f"/alliances/{alliance.slug}/members/{membership.pk}/end/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"left_on": "2024-12-31"})
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == datetime.date(2024, 12, 31)


def test_ending_before_joining_is_refused_at_the_date(
    client, secretariat, alliance, home_university
):
    membership = Membership.objects.get(alliance=alliance, institution=home_university)
    client.force_login(secretariat)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{membership.pk}/end/", {"left_on": "2001-01-01"}
    )
    assert "cannot end before it starts" in response.context["form"].errors["left_on"][0]
    assert 'value="2001-01-01"' in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None


def test_another_secretariat_or_an_editor_may_not_touch_memberships(
    client, other_secretariat, editor, alliance, home_university, tomsk
):
    membership = Membership.objects.get(alliance=alliance, institution=home_university)
    for user in (other_secretariat, editor):
        client.force_login(user)
        end = client.post(
            f"/alliances/{alliance.slug}/members/{membership.pk}/end/", {"left_on": "2024-12-31"}
        )
        add = client.post(
            f"/alliances/{alliance.slug}/members/add/",
            {"institution": tomsk.pk, "role": "member", "joined_on": "2024-09-01"},
        )
        assert (end.status_code, add.status_code) == (403, 403)
    membership.refresh_from_db()
    assert membership.left_on is None
    assert not Membership.objects.filter(institution=tomsk).exists()


def test_secretariat_edits_a_membership_role(client, secretariat, alliance, home_university):
    membership = Membership.objects.get(alliance=alliance, institution=home_university)
    client.force_login(secretariat)
    response = client.post(
        f"/alliances/{alliance.slug}/members/{membership.pk}/edit/",
        {"role": "founding_member", "joined_on": "2015-05-22", "left_on": "", "notes": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.joined_on) == (
        "founding_member",
        datetime.date(2015, 5, 22),
    )


def test_membership_pages_refuse_other_methods(client, secretariat, alliance):
    client.force_login(secretariat)
    assert client.delete(f"/alliances/{alliance.slug}/members/add/").status_code == 405


# My institution


def test_my_institution_lists_the_offices_agreements_of_every_visibility(
    client, editor, agreement_of_each_visibility
):
    client.force_login(editor)
    response = client.get("/my-institution/")
    assert response.status_code == 200
    assert sorted(a.visibility for a in response.context["page_obj"]) == [
        "members",
        "parties",
        "public",
    ]


def test_my_institution_needs_sign_in(client):
    assert client.get("/my-institution/").status_code == 302
