"""manage.py send_expiry_reminders: run daily (cron, systemd timer, Kubernetes CronJob)."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from partnerships.reminders import send_expiry_reminders


class Command(BaseCommand):
    help = (
        "E-mail the editors of every signing party about agreements that entered their "
        "notice window. Each agreement is reminded once per expiry date, so running it "
        "again sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", help="Act as if today were this date (YYYY-MM-DD), e.g. to catch up."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be sent; send nothing."
        )

    def handle(self, *args, today=None, dry_run=False, **options):
        try:
            day = datetime.date.fromisoformat(today) if today else None
        except ValueError:
            raise CommandError(f"--today must be a date as YYYY-MM-DD, not {today!r}.") from None
        summary = send_expiry_reminders(today=day, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for agreement in summary.agreements:
            self.stdout.write(f"{agreement.reference}: expires on {agreement.expires_on}")
        for agreement in summary.without_editors:
            self.stderr.write(f"{agreement.reference}: no editor with an e-mail address to remind")
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(summary.agreements)} agreement(s) entering their notice window; "
                f"{verb} {summary.emails_sent} e-mail(s); "
                f"{len(summary.without_editors)} without an editor to remind."
            )
        )
