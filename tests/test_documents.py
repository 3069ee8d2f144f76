"""Signed documents: PDF by content, 20 MB at most, stored under a random name, served only
through the view that checks visibility, with the original name."""

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.documents import validate_signed_pdf
from partnerships.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program"
HTML = b"<!doctype html><html><body><script>alert(1)</script>%PDF-1.4 %%EOF</body></html>"


def upload(name, content, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def refusal(uploaded):
    with pytest.raises(ValidationError) as raised:
        validate_signed_pdf(uploaded)
    return raised.value


# The validator every door uses


def test_a_real_pdf_is_accepted():
    assert validate_signed_pdf(upload("memorandum.pdf", factories.pdf_bytes())) is None


def test_a_renamed_exe_is_refused():
    error = refusal(upload("memorandum.pdf", EXE))
    assert error.code == "not_a_pdf"
    assert "not a PDF" in error.messages[0]


def test_an_html_file_is_refused_even_when_it_claims_to_be_a_pdf():
    assert refusal(upload("memorandum.pdf", HTML, "application/pdf")).code == "not_a_pdf"


def test_a_pdf_over_20_mb_is_refused():
    pdf = factories.pdf_bytes()
    padding = b"%" + b"0" * (21 * 1024 * 1024 - len(pdf)) + b"\n"
    big = pdf[:9] + padding + pdf[9:]
    assert len(big) > 21 * 1024 * 1024
    error = refusal(upload("scan.pdf", big))
    assert error.code == "file_too_large"
    assert "at most 20.0\xa0MB" in error.messages[0]


def test_a_truncated_pdf_is_refused():
    assert refusal(upload("memorandum.pdf", factories.pdf_bytes()[:200])).code == "damaged_pdf"


def test_the_limit_comes_from_the_settings():
    assert settings.DOCUMENT_MAX_BYTES == 20 * 1024 * 1024


def test_the_model_field_runs_the_validator_for_every_form_and_serializer():
    assert validate_signed_pdf in Agreement._meta.get_field("document").validators


# Uploading through the admin


@pytest.fixture
def agreement(home_university, partner_university, documents_dir):
    return factories.agreement_between(home_university, partner_university, reference="XJTU-HIT-1")


def change_form(agreement, document):
    parties = list(agreement.parties.all())
    data = {
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "visibility": agreement.visibility,
        "signed_on": agreement.signed_on,
        "effective_from": agreement.effective_from,
        "notice_days": agreement.notice_days,
        "document": document,
        **factories.NO_CONDITIONS_OR_APPROVALS,
        "parties-TOTAL_FORMS": 2,
        "parties-INITIAL_FORMS": 2,
    }
    for index, party in enumerate(parties):
        data |= {
            f"parties-{index}-id": party.pk,
            f"parties-{index}-agreement": agreement.pk,
            f"parties-{index}-institution": party.institution_id,
            f"parties-{index}-role": party.role,
        }
    return data


def admin_change(agreement):
    return reverse("admin:partnerships_agreement_change", args=[agreement.pk])


def test_an_upload_is_stored_under_a_random_name_and_keeps_its_original_name(
    client, staff, agreement, documents_dir
):
    client.force_login(staff)
    pdf = upload("Memorandum XJTU–HIT signed.pdf", factories.pdf_bytes())
    response = client.post(admin_change(agreement), change_form(agreement, pdf))
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert re.fullmatch(r"agreements/[0-9a-f]{32}\.pdf", agreement.document.name)
    assert agreement.document_name == "Memorandum XJTU–HIT signed.pdf"
    stored = documents_dir / agreement.document.name
    assert stored.read_bytes() == factories.pdf_bytes()
    assert not str(stored).startswith(str(settings.STATIC_ROOT))


def test_a_renamed_exe_is_refused_in_the_admin_with_a_field_error(client, staff, agreement):
    client.force_login(staff)
    response = client.post(admin_change(agreement), change_form(agreement, upload("x.pdf", EXE)))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "not a PDF" in errors["document"][0]
    agreement.refresh_from_db()
    assert not agreement.document


def test_the_admin_links_the_document_through_the_checked_view(client, staff, agreement):
    factories.attach_document(agreement, name="memorandum.pdf")
    client.force_login(staff)
    page = client.get(admin_change(agreement)).content.decode()
    assert f'href="{reverse("agreement-document", args=["XJTU-HIT-1"])}"' in page
    assert ">memorandum.pdf</a>" in page


# Downloading


def test_the_download_is_an_attachment_with_the_original_name(client, agreement):
    factories.attach_document(agreement, name="备忘录 2023.pdf")
    response = client.get(reverse("agreement-document", args=["XJTU-HIT-1"]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert (
        "filename*=utf-8''%E5%A4%87%E5%BF%98%E5%BD%95%202023.pdf" in response["Content-Disposition"]
    )
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == factories.pdf_bytes(agreement.title)


def test_an_agreement_without_a_document_has_no_download(client, agreement):
    assert client.get(reverse("agreement-document", args=["XJTU-HIT-1"])).status_code == 404


def test_a_document_missing_from_storage_is_a_404_not_a_500(client, agreement, documents_dir):
    factories.attach_document(agreement)
    (documents_dir / agreement.document.name).unlink()
    assert client.get(reverse("agreement-document", args=["XJTU-HIT-1"])).status_code == 404


def test_stored_documents_are_not_served_from_a_media_url(client, agreement):
    factories.attach_document(agreement)
    # /agreements/<name>.pdf may be redirected to the agreement page's address, which is a 404.
    assert client.get(f"/media/{agreement.document.name}", follow=True).status_code == 404
    response = client.get(f"/{agreement.document.name}", follow=True)
    assert response.status_code == 404
    assert not response.get("Content-Type", "").startswith("application/pdf")


def test_guessing_the_reference_of_a_hidden_document_looks_like_a_missing_one(
    client, agreement_of_each_visibility, other_editor
):
    client.force_login(other_editor)
    hidden = client.get(reverse("agreement-document", args=["XJTU-HIT-PARTIES"]))
    missing = client.get(reverse("agreement-document", args=["XJTU-HIT-NOPE"]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.content == missing.content
