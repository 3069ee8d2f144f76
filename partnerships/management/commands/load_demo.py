"""manage.py load_demo: the real records of the sources plus generated demo records."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

from partnerships.demo.load import load_demo
from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementApproval,
    AgreementCondition,
    AgreementParty,
    Alliance,
    CountryGroup,
    Event,
    Institution,
    Membership,
    Unit,
)
from programs.models import Programme, ProgrammePartner, StudentFlow

COUNTED_MODELS = [
    Institution,
    Alliance,
    Membership,
    Event,
    Agreement,
    AgreementParty,
    AgreementCondition,
    AgreementApproval,
    Unit,
    Programme,
    ProgrammePartner,
    StudentFlow,
    CountryGroup,
    Affiliation,
    get_user_model(),
]


class Command(BaseCommand):
    help = (
        "Load the demo data set: the real alliances, institutions, agreements and figures, "
        "generated records around them, and demo users. Safe to run again."
    )

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for model in COUNTED_MODELS:
            label = model._meta.verbose_name_plural.capitalize()
            self.stdout.write(f"  {label:<24}{model.objects.count():>7}")
        self.stdout.write("Demo logins (username / password):")
        for username, password in logins:
            self.stdout.write(f"  {username:<12} {password}")
