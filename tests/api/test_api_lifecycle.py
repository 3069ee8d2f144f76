"""Renewing and terminating an agreement through the API: what is written, what is refused."""

import datetime
import logging

import pytest

from partnerships.models import Agreement
from tests import factories

pytestmark = pytest.mark.django_db

AGREEMENTS = "/api/v1/agreements/"


@pytest.fixture
def signed(home_university, partner_university, alliance):
    return factories.agreement_between(
        home_university,
        partner_university,
        reference="XJTU-HIT-2023",
        alliance=alliance,
        visibility="members",
        signed_on=datetime.date(2023, 8, 28),
        effective_from=datetime.date(2023, 9, 1),
        expires_on=datetime.date(2028, 8, 31),
    )


def renew(client, agreement, body):
    return client.post(f"{AGREEMENTS}{agreement.pk}/renew/", body, format="json")


def terminate(client, agreement, body):
    return client.post(f"{AGREEMENTS}{agreement.pk}/terminate/", body, format="json")


def test_a_renewal_follows_on_with_the_same_parties(client_for, editor, signed):
    response = renew(client_for(editor), signed, {})

    assert response.status_code == 201
    body = response.json()
    assert body["reference"] == "XJTU-HIT-2023-R1"
    assert body["renews"] == signed.pk
    assert body["effective_from"] == "2028-09-01"
    assert body["expires_on"] == "2033-08-31"
    assert sorted(party["institution"] for party in body["parties"]) == sorted(
        signed.parties.values_list("institution_id", flat=True)
    )


def test_a_renewal_takes_the_reference_and_dates_given(client_for, editor, signed):
    response = renew(
        client_for(editor),
        signed,
        {"reference": "XJTU-HIT-2028", "signed_on": "2028-06-01", "expires_on": "2030-08-31"},
    )

    assert response.status_code == 201
    renewal = Agreement.objects.get(reference="XJTU-HIT-2028")
    assert renewal.renews_id == signed.pk
    assert renewal.signed_on == datetime.date(2028, 6, 1)
    assert renewal.expires_on == datetime.date(2030, 8, 31)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"signed_on": "yesterday"}, "signed_on"),
        ({"expires_on": "2028-13-40"}, "expires_on"),
        ({"reference": "XJTU-HIT-2023"}, "reference"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_a_bad_renewal_names_the_field_and_writes_nothing(client_for, editor, signed, body, field):
    response = renew(client_for(editor), signed, body)

    assert response.status_code == 400
    assert field in response.json()
    assert Agreement.objects.count() == 1


def test_an_agreement_is_renewed_once(client_for, editor, signed):
    client = client_for(editor)
    assert renew(client, signed, {}).status_code == 201

    again = renew(client, signed, {"reference": "XJTU-HIT-AGAIN"})

    assert again.status_code == 400
    assert again.json()["code"] == "agreement_already_renewed"
    assert Agreement.objects.count() == 2


def test_termination_records_date_and_reason(client_for, editor, signed):
    response = terminate(
        client_for(editor),
        signed,
        {"terminated_on": "2026-01-31", "termination_reason": "The programme closed."},
    )

    assert response.status_code == 200
    assert response.json()["terminated_on"] == "2026-01-31"
    assert response.json()["state"] == "terminated"
    signed.refresh_from_db()
    assert signed.terminated_on == datetime.date(2026, 1, 31)
    assert signed.termination_reason == "The programme closed."


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"termination_reason": "Closed"}, "terminated_on"),
        ({"terminated_on": "31/01/2026", "termination_reason": "Closed"}, "terminated_on"),
        ({"terminated_on": "2026-01-31"}, "termination_reason"),
        ({"terminated_on": "2026-01-31", "termination_reason": "   "}, "termination_reason"),
        ({"terminated_on": "2029-01-31", "termination_reason": "Closed"}, "terminated_on"),
    ],
)
def test_a_bad_termination_names_the_field_and_changes_nothing(
    client_for, editor, signed, body, field
):
    response = terminate(client_for(editor), signed, body)

    assert response.status_code == 400
    assert field in response.json()
    signed.refresh_from_db()
    assert signed.terminated_on is None


def test_a_terminated_agreement_is_not_renewed(client_for, editor, signed):
    client = client_for(editor)
    terminate(client, signed, {"terminated_on": "2026-01-31", "termination_reason": "Closed"})

    response = renew(client, signed, {})

    assert response.status_code == 400
    assert response.json()["code"] == "agreement_terminated"


def test_a_refusal_is_logged(client_for, viewer, signed, caplog):
    with caplog.at_level(logging.WARNING, logger="alliance_portal.security"):
        response = terminate(
            client_for(viewer),
            signed,
            {"terminated_on": "2026-01-31", "termination_reason": "Closed"},
        )

    assert response.status_code == 403
    assert "refused terminate this agreement on XJTU-HIT-2023" in caplog.text
    signed.refresh_from_db()
    assert signed.terminated_on is None
