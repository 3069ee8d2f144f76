"""factory_boy factories: each test builds just the rows it needs."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile

from partnerships.models import (
    Affiliation,
    Agreement,
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

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(user, create, extracted, **kwargs):
        if create:
            user.save()


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"University {n}")
    slug = factory.Sequence(lambda n: f"university-{n}")
    kind = Institution.Kind.UNIVERSITY
    country = "CN"
    city = "Xi'an"


class AllianceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alliance

    name = factory.Sequence(lambda n: f"Alliance {n}")
    slug = factory.Sequence(lambda n: f"alliance-{n}")
    acronym = factory.Sequence(lambda n: f"A{n}")
    cooperation_model = Alliance.CooperationModel.UNIVERSITY_UNIVERSITY
    founded_on = datetime.date(2015, 5, 22)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    alliance = factory.SubFactory(AllianceFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Membership.Role.MEMBER
    joined_on = datetime.date(2016, 1, 1)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Education forum {n}")
    slug = factory.Sequence(lambda n: f"education-forum-{n}")
    kind = Event.Kind.FORUM
    starts_on = datetime.date(2023, 8, 28)
    country = "CN"
    city = "Guiyang"


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    reference = factory.Sequence(lambda n: f"AGR-{n:05d}")
    title = factory.Sequence(lambda n: f"Memorandum of cooperation {n}")
    kind = Agreement.Kind.MEMORANDUM_OF_COOPERATION
    signed_on = datetime.date(2023, 8, 28)
    effective_from = datetime.date(2023, 9, 1)
    expires_on = None
    visibility = Agreement.Visibility.PUBLIC


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = AgreementParty.Role.PARTY
    signatory_name = "Yu Shucheng"
    signatory_title = "President"


# The management forms of the agreement admin's condition and approval inlines, when empty.
NO_CONDITIONS_OR_APPROVALS = {
    "conditions-TOTAL_FORMS": 0,
    "conditions-INITIAL_FORMS": 0,
    "approvals-TOTAL_FORMS": 0,
    "approvals-INITIAL_FORMS": 0,
}


def agreement_between(*institutions, **fields):
    """An agreement whose parties are `institutions` (two fresh ones when none are given)."""
    agreement = AgreementFactory(**fields)
    for institution in institutions or (InstitutionFactory(), InstitutionFactory()):
        AgreementPartyFactory(agreement=agreement, institution=institution)
    return agreement


def pdf_bytes(text="Memorandum of cooperation"):
    """A small but valid one-page PDF (header, objects, cross-reference table, trailer)."""
    content = b"BT /F1 18 Tf 72 760 Td (" + text.encode("latin-1") + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return pdf


def attach_document(agreement, *, name="memorandum.pdf", content=None):
    """Store a signed PDF for `agreement` as an upload would (random stored name)."""
    agreement.document.save(name, ContentFile(content or pdf_bytes(agreement.title)), save=False)
    agreement.document_name = name
    agreement.save()
    return agreement


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)
    role = Affiliation.Role.EDITOR


class CountryGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CountryGroup

    name = factory.Sequence(lambda n: f"Country group {n}")
    slug = factory.Sequence(lambda n: f"country-group-{n}")
    countries = ["KZ", "KG", "TJ", "TM", "UZ"]


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Joint programme {n}")
    slug = factory.Sequence(lambda n: f"joint-programme-{n}")
    kind = Programme.Kind.JOINT_DEGREE
    level = "7"
    lead = factory.SubFactory(InstitutionFactory)
    languages = "zh,en"


class ProgrammePartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammePartner

    programme = factory.SubFactory(ProgrammeFactory)
    institution = factory.SubFactory(InstitutionFactory, country="RU")
    role = ProgrammePartner.Role.CO_PROVIDER


class StudentFlowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StudentFlow

    academic_year = factory.Sequence(lambda n: 2000 + n % 25)
    origin_country = "KZ"
    destination_country = "CN"
    level = "6"
    mobility_type = StudentFlow.MobilityType.DEGREE
    students = 120
    source = "Test figures"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Faculty of Engineering {n}")
    kind = Unit.Kind.FACULTY


class ConditionFactory(factory.django.DjangoModelFactory):
    """A condition of an agreement between its first two parties (build those first)."""

    class Meta:
        model = AgreementCondition

    agreement = factory.SubFactory(AgreementFactory)
    mobility_type = AgreementCondition.MobilityType.STUDENT_STUDIES
    levels = "67"
    first_academic_year = 2024
    last_academic_year = 2028
    places = 4
    months_per_year = 10
    language = "en"
    language_level = "B2"

    class Params:
        # Staff teaching: counted in days a year, for no study level.
        staff_teaching = factory.Trait(
            mobility_type=AgreementCondition.MobilityType.STAFF_TEACHING,
            levels="",
            months_per_year=None,
            days_per_year=14,
        )

    @factory.lazy_attribute
    def sending_institution(self):
        return self.agreement.parties.order_by("id")[0].institution

    @factory.lazy_attribute
    def receiving_institution(self):
        return self.agreement.parties.order_by("id")[1].institution
