"""manage.py send_expiry_reminders: the right editors, once per agreement and expiry date."""

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from partnerships.models import Affiliation, AgreementParty, ExpiryReminder
from partnerships.reminders import send_expiry_reminders
from tests import factories

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
IN_WINDOW = TODAY + datetime.timedelta(days=90)  # notice window of 180 days started


@pytest.fixture
def expiring(home_university, partner_university):
    return factories.agreement_between(
        home_university,
        partner_university,
        reference="XJTU-HIT-2021",
        title="Student exchange in mechanical engineering",
        expires_on=IN_WINDOW,
    )


def run(today=TODAY):
    out = StringIO()
    call_command("send_expiry_reminders", today=today.isoformat(), stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_editors_of_every_signing_party_are_reminded(expiring, editor, partner_university):
    partner_editor = factories.AffiliationFactory(
        institution=partner_university, user__username="hit_office"
    ).user
    run()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [editor.email, partner_editor.email]
    )


def test_viewers_witnesses_outsiders_and_inactive_editors_are_not_reminded(
    expiring, editor, viewer, other_editor, other_university, home_university, secretariat
):
    AgreementParty.objects.create(
        agreement=expiring, institution=other_university, role=AgreementParty.Role.WITNESS
    )
    factories.AffiliationFactory(institution=home_university, user__is_active=False)
    factories.AffiliationFactory(institution=home_university, user__email="")
    run()
    assert [message.to for message in mail.outbox] == [[editor.email]]


def test_the_reminder_is_sent_exactly_once(expiring, editor):
    first = run()
    second = run()
    assert len(mail.outbox) == 1
    assert "1 agreement(s) entering their notice window; sent 1 e-mail(s)" in first
    assert "0 agreement(s) entering their notice window; sent 0 e-mail(s)" in second
    reminder = ExpiryReminder.objects.get()
    assert (reminder.agreement, reminder.expires_on) == (expiring, IN_WINDOW)
    assert reminder.recipient_list == [editor.email]


def test_a_new_expiry_date_opens_a_new_window(expiring, editor):
    run()
    expiring.expires_on = IN_WINDOW + datetime.timedelta(days=30)
    expiring.save()
    run()
    assert len(mail.outbox) == 2
    assert ExpiryReminder.objects.filter(agreement=expiring).count() == 2


@pytest.mark.parametrize(
    "fields",
    [
        {"terminated_on": TODAY - datetime.timedelta(days=1)},
        {"terminated_on": TODAY + datetime.timedelta(days=10)},
        {"expires_on": None},
        {"signed_on": None},
        {"expires_on": TODAY - datetime.timedelta(days=1)},
        {"expires_on": TODAY + datetime.timedelta(days=181)},
    ],
    ids=["terminated", "termination-scheduled", "open-ended", "draft", "expired", "not-yet"],
)
def test_no_reminder_for_agreements_outside_the_window(home_university, editor, fields):
    factories.agreement_between(
        home_university,
        factories.InstitutionFactory(),
        **{"expires_on": IN_WINDOW, "signed_on": datetime.date(2021, 1, 1), **fields},
    )
    summary = send_expiry_reminders(today=TODAY)
    assert (summary.agreements, mail.outbox) == ([], [])


def test_no_reminder_for_an_agreement_already_renewed(expiring, editor):
    factories.AgreementFactory(renews=expiring, signed_on=None)
    run()
    assert mail.outbox == []


def test_the_notice_window_of_each_agreement_is_its_own(home_university, editor):
    factories.agreement_between(
        home_university, factories.InstitutionFactory(), expires_on=IN_WINDOW, notice_days=30
    )
    run()
    assert mail.outbox == []
    run(today=IN_WINDOW - datetime.timedelta(days=30))
    assert len(mail.outbox) == 1


def test_the_e_mail_names_the_agreement_its_expiry_and_parties(expiring, editor):
    run()
    [message] = mail.outbox
    assert message.subject == f"[Alliance Portal] XJTU-HIT-2021 expires on {IN_WINDOW}"
    for text in (
        "Reference: XJTU-HIT-2021",
        "Title: Student exchange in mechanical engineering",
        f"Expires on: {IN_WINDOW}",
        "Xi'an Jiaotong University (party, signed by Yu Shucheng)",
        "Harbin Institute of Technology (party",
        "editor for Xi'an Jiaotong University",
    ):
        assert text in message.body
    assert message.content_subtype == "plain"


def test_an_editor_of_two_parties_gets_one_e_mail(expiring, editor, partner_university):
    Affiliation.objects.create(
        user=editor, institution=partner_university, role=Affiliation.Role.EDITOR
    )
    run()
    assert len(mail.outbox) == 1


def test_an_agreement_without_editors_is_reported_and_retried(expiring):
    err = StringIO()
    out = StringIO()
    call_command("send_expiry_reminders", today=TODAY.isoformat(), stdout=out, stderr=err)
    assert "XJTU-HIT-2021: no editor with an e-mail address to remind" in err.getvalue()
    assert "1 without an editor to remind" in out.getvalue()
    assert not ExpiryReminder.objects.exists()


def test_a_dry_run_sends_and_records_nothing(expiring, editor):
    out = StringIO()
    call_command("send_expiry_reminders", today=TODAY.isoformat(), dry_run=True, stdout=out)
    assert "would send 1 e-mail(s)" in out.getvalue()
    assert (mail.outbox, ExpiryReminder.objects.count()) == ([], 0)


def test_a_failed_send_is_retried_on_the_next_run(expiring, editor, monkeypatch):
    from django.core.mail.backends.locmem import EmailBackend

    def fail(self, messages):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr(EmailBackend, "send_messages", fail)
    with pytest.raises(OSError):
        run()
    assert not ExpiryReminder.objects.exists()
    monkeypatch.undo()
    run()
    assert len(mail.outbox) == 1


def test_a_bad_date_is_a_clear_command_error():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("send_expiry_reminders", today="23/11/2026")


def test_e_mail_is_written_to_files_unless_smtp_is_configured(monkeypatch):
    import importlib

    from alliance_portal import settings as portal_settings

    monkeypatch.delenv("EMAIL_BACKEND", raising=False)
    reloaded = importlib.reload(portal_settings)
    try:
        assert reloaded.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    finally:
        monkeypatch.undo()
        importlib.reload(portal_settings)
