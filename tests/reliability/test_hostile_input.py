"""Hostile input against the doors that exist: pages, the admin, sign-in and documents.

Each attack is refused cleanly (a 4xx or a field error), never a 500, and nothing is
stored that should not be; text is always rendered escaped.
"""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from partnerships.models import Alliance, Institution
from tests import factories

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    '<script>alert("xss")</script>',
    '"><img src=x onerror=alert(1)>',
    "</textarea><svg onload=alert(1)>",
    "'-alert(1)-'",
    "{{ 7|add:7 }}{% now 'Y' %}",
]
NUL_AND_BROKEN_UTF8 = ["%00", "%FF%FE", "%C0%AF", "a%00b", "%ED%A0%80"]


def escaped(payload):
    return (
        payload.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#x27;")
    )


def assert_rendered_escaped(html, payload):
    assert payload not in html or not re.search(r"[<>\"']", payload)
    assert escaped(payload) in html


# XSS: every text a user can store comes back escaped


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_alliance_and_institution_names_are_escaped_on_the_home_page(client, payload):
    headquarters = factories.InstitutionFactory(name=payload)
    factories.AllianceFactory(
        name=payload + " alliance", acronym=payload[:30], headquarters=headquarters
    )
    html = client.get(reverse("home")).content.decode()
    assert_rendered_escaped(html, payload + " alliance")
    assert_rendered_escaped(html, payload)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_institution_names_are_escaped_on_the_account_page(client, payload):
    affiliation = factories.AffiliationFactory(institution__name=payload)
    client.force_login(affiliation.user)
    html = client.get(reverse("profile")).content.decode()
    assert_rendered_escaped(html, payload)


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_agreement_text_is_escaped_in_the_admin(client, staff, payload):
    agreement = factories.agreement_between(title=payload, summary=payload)
    client.force_login(staff)
    changelist = client.get(reverse("admin:partnerships_agreement_changelist")).content.decode()
    assert_rendered_escaped(changelist, payload)
    change = client.get(reverse("admin:partnerships_agreement_change", args=[agreement.pk]))
    assert_rendered_escaped(change.content.decode(), payload)


def test_a_javascript_url_is_refused_as_a_website(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:partnerships_institution_add"),
        {
            "name": "Evil University",
            "slug": "evil",
            "kind": Institution.Kind.UNIVERSITY,
            "country": "CN",
            "website": "javascript:alert(1)",
        },
    )
    assert response.status_code == 200
    assert "website" in response.context["adminform"].form.errors
    assert not Institution.objects.filter(slug="evil").exists()


def test_pages_forbid_inline_scripts(client):
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


# CSRF: a post without the token changes nothing


@pytest.fixture
def csrf_client():
    return Client(enforce_csrf_checks=True)


def test_sign_in_without_a_csrf_token_is_refused(csrf_client, editor):
    response = csrf_client.post(
        reverse("login"), {"username": "editor", "password": factories.PASSWORD}
    )
    assert response.status_code == 403
    assert SESSION_KEY not in csrf_client.session


def test_an_admin_change_without_a_csrf_token_is_refused_and_changes_nothing(csrf_client, staff):
    alliance = factories.AllianceFactory(name="Silk Road Alliance")
    csrf_client.force_login(staff)
    response = csrf_client.post(
        reverse("admin:partnerships_alliance_change", args=[alliance.pk]),
        {
            "name": "Hijacked",
            "slug": alliance.slug,
            "cooperation_model": alliance.cooperation_model,
        },
    )
    assert response.status_code == 403
    alliance.refresh_from_db()
    assert alliance.name == "Silk Road Alliance"


def test_sign_out_without_a_csrf_token_is_refused(csrf_client, editor):
    csrf_client.force_login(editor)
    assert csrf_client.post(reverse("logout")).status_code == 403
    assert csrf_client.session[SESSION_KEY] == str(editor.pk)


def test_a_forged_csrf_token_is_refused(csrf_client, editor):
    csrf_client.cookies["csrftoken"] = "a" * 32
    response = csrf_client.post(
        reverse("login"),
        {"username": "editor", "password": factories.PASSWORD, "csrfmiddlewaretoken": "b" * 32},
    )
    assert response.status_code == 403


# Oversized and malformed bodies


def test_an_oversized_form_body_is_a_400(client):
    body = b"username=" + b"a" * (3 * 1024 * 1024) + b"&password=x"
    response = client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_too_many_form_fields_are_a_400(client):
    body = "&".join(f"field{number}=x" for number in range(1500))
    response = client.post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400


def test_a_too_large_document_upload_is_a_field_error_and_nothing_is_stored(
    client, staff, documents_dir, settings
):
    settings.DOCUMENT_MAX_BYTES = 1024
    agreement = factories.agreement_between(reference="XJTU-BIG-1")
    client.force_login(staff)
    response = client.post(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
        admin_agreement_form(agreement, document=pdf_upload("big.pdf", padding=4096)),
    )
    assert response.status_code == 200
    assert "at most" in response.context["adminform"].form.errors["document"][0]
    agreement.refresh_from_db()
    assert not agreement.document
    assert not (documents_dir / "agreements").exists() or not any(
        (documents_dir / "agreements").iterdir()
    )


# Invalid UTF-8 and NUL characters


@pytest.mark.parametrize("junk", NUL_AND_BROKEN_UTF8)
def test_junk_in_a_sign_in_form_is_a_form_error(client, junk):
    response = client.post(
        reverse("login"),
        f"username={junk}&password={junk}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in {200, 400}
    assert SESSION_KEY not in client.session


def test_raw_invalid_utf8_in_a_form_body_is_not_a_500(client):
    response = client.post(
        reverse("login"),
        b"username=\xff\xfe\xfd&password=\xc0\xaf",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in {200, 400}


@pytest.mark.parametrize("junk", NUL_AND_BROKEN_UTF8)
def test_junk_in_a_document_reference_is_refused(client, junk):
    assert client.get(f"/agreements/{junk}/document/").status_code in {400, 404}


def test_a_nul_character_in_an_address_is_a_400_that_says_why(client):
    response = client.get("/agreements/XJTU%00/document/")
    assert response.status_code == 400
    assert "NUL character" in response.content.decode()


def test_a_nul_character_in_an_api_parameter_is_a_json_400(client):
    response = client.get("/api/v1/agreements/?search=%00")
    assert response.status_code == 400
    assert "NUL character" in response.json()["detail"]


@pytest.mark.parametrize("junk", NUL_AND_BROKEN_UTF8)
def test_junk_in_an_admin_search_is_not_a_500(client, staff, junk):
    client.force_login(staff)
    for model in ("agreement", "institution", "alliance"):
        response = client.get(f"{reverse(f'admin:partnerships_{model}_changelist')}?q={junk}")
        assert response.status_code in {200, 400}, model


@pytest.mark.parametrize("junk", NUL_AND_BROKEN_UTF8)
def test_junk_in_a_query_string_is_not_a_500(client, junk):
    assert client.get(f"{reverse('home')}?page={junk}&{junk}={junk}").status_code in {200, 400}


def test_a_nul_character_in_a_saved_name_is_refused_with_a_field_error(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:partnerships_alliance_add"),
        {
            "name": "Null\x00Alliance",
            "slug": "null-alliance",
            "cooperation_model": Alliance.CooperationModel.ACADEMIC_EXCHANGE,
        },
    )
    assert response.status_code == 200
    assert "name" in response.context["adminform"].form.errors
    assert not Alliance.objects.filter(slug="null-alliance").exists()


# Path traversal in uploaded file names


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.pdf",
        "..\\..\\..\\windows\\system32\\evil.pdf",
        "/etc/cron.d/evil.pdf",
        "....//....//evil.pdf",
        "%2e%2e%2fevil.pdf",
        "evil\x00.pdf",
    ],
)
def test_a_traversing_file_name_is_stored_under_a_random_name_in_the_documents_folder(
    client, staff, documents_dir, name
):
    agreement = factories.agreement_between(reference="XJTU-PATH-1")
    client.force_login(staff)
    response = client.post(
        reverse("admin:partnerships_agreement_change", args=[agreement.pk]),
        admin_agreement_form(agreement, document=pdf_upload(name)),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert re.fullmatch(r"agreements/[0-9a-f]{32}\.pdf", agreement.document.name)
    stored = (documents_dir / agreement.document.name).resolve()
    assert stored.is_relative_to(documents_dir.resolve())
    assert "/" not in agreement.document_name and "\\" not in agreement.document_name
    assert "\x00" not in agreement.document_name
    download = client.get(reverse("agreement-document", args=["XJTU-PATH-1"]))
    assert download.status_code == 200
    assert "/" not in download["Content-Disposition"].split("filename", 1)[1]


def test_only_the_agreement_document_view_serves_files(client, documents_dir):
    secret = documents_dir.parent / "secret.txt"
    secret.write_text("not for you")
    for path in ("/agreements/..%2F..%2Fsecret.txt/document/", "/media/../secret.txt"):
        response = client.get(path)
        assert response.status_code == 404
        assert b"not for you" not in response.content


def pdf_upload(name, padding=0):
    content = factories.pdf_bytes()
    if padding:
        content = content[:9] + b"%" + b"0" * padding + b"\n" + content[9:]
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def admin_agreement_form(agreement, **changes):
    parties = list(agreement.parties.all())
    data = {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "visibility": agreement.visibility,
        "signed_on": agreement.signed_on,
        "effective_from": agreement.effective_from,
        "notice_days": agreement.notice_days,
        **factories.NO_CONDITIONS_OR_APPROVALS,
        "parties-TOTAL_FORMS": len(parties),
        "parties-INITIAL_FORMS": len(parties),
    }
    for index, party in enumerate(parties):
        data |= {
            f"parties-{index}-id": party.pk,
            f"parties-{index}-agreement": agreement.pk,
            f"parties-{index}-institution": party.institution_id,
            f"parties-{index}-role": party.role,
        }
    return data | changes


@pytest.mark.parametrize("junk", ["²", "³", "١٢", "99999999999999999999999"])
def test_digits_that_are_not_ascii_in_an_id_filter_are_a_400(client, junk):
    response = client.get("/api/v1/programmes/", {"partner": junk})
    assert response.status_code == 400
    assert "partner" in response.json()
