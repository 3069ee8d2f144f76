"""The state of an agreement is derived from its dates, the same way in SQL and in Python."""

import datetime

import pytest

from partnerships.models import Agreement, AgreementState
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
DAY = datetime.timedelta(days=1)


def state_both_ways(agreement):
    """The state computed by the instance and annotated by the queryset, which must agree."""
    in_python = agreement.state_on(TODAY)
    in_sql = Agreement.objects.with_state(TODAY).get(pk=agreement.pk).state
    assert in_python == in_sql
    return in_sql


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"signed_on": None}, AgreementState.DRAFT),
        ({"expires_on": None}, AgreementState.ACTIVE),
        ({"expires_on": TODAY + 181 * DAY}, AgreementState.ACTIVE),
        ({"expires_on": TODAY + 180 * DAY}, AgreementState.EXPIRING),
        ({"expires_on": TODAY + DAY}, AgreementState.EXPIRING),
        ({"expires_on": TODAY}, AgreementState.EXPIRING),
        ({"expires_on": TODAY - DAY}, AgreementState.EXPIRED),
        ({"terminated_on": TODAY}, AgreementState.TERMINATED),
        ({"terminated_on": TODAY + DAY}, AgreementState.ACTIVE),
        ({"terminated_on": TODAY - DAY, "expires_on": TODAY + DAY}, AgreementState.TERMINATED),
        ({"expires_on": TODAY + 30 * DAY, "notice_days": 30}, AgreementState.EXPIRING),
        ({"expires_on": TODAY + 31 * DAY, "notice_days": 30}, AgreementState.ACTIVE),
    ],
)
def test_state_on_each_boundary_date(fields, expected):
    agreement = factories.AgreementFactory(
        signed_on=fields.pop("signed_on", datetime.date(2023, 8, 28)),
        effective_from=datetime.date(2023, 9, 1),
        **fields,
    )
    assert state_both_ways(agreement) == expected


def test_a_draft_with_an_expiry_date_is_still_a_draft():
    agreement = factories.AgreementFactory(signed_on=None, expires_on=TODAY - DAY)
    assert state_both_ways(agreement) == AgreementState.DRAFT


def test_states_can_filter_and_order_a_queryset():
    expired = factories.AgreementFactory(expires_on=TODAY - DAY)
    expiring = factories.AgreementFactory(expires_on=TODAY + 10 * DAY)
    factories.AgreementFactory(expires_on=None)
    assert list(
        Agreement.objects.in_state("expired", "expiring", today=TODAY).order_by("state")
    ) == [
        expired,
        expiring,
    ]


def test_expiring_within_counts_days_from_today():
    soon = factories.AgreementFactory(expires_on=TODAY + 20 * DAY)
    factories.AgreementFactory(expires_on=TODAY + 200 * DAY)
    factories.AgreementFactory(expires_on=TODAY - DAY)
    assert list(Agreement.objects.expiring_within(30, today=TODAY)) == [soon]


def test_notice_window_default_comes_from_settings(settings):
    settings.AGREEMENT_NOTICE_DAYS = 90
    agreement = factories.AgreementFactory(expires_on=TODAY + 100 * DAY)
    assert agreement.notice_days == 90
    assert state_both_ways(agreement) == AgreementState.ACTIVE
