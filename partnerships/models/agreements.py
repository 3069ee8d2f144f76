"""Agreements, the institutions that sign or witness them, and their derived state."""

import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from partnerships.documents import validate_signed_pdf
from partnerships.models.alliances import Alliance, Event
from partnerships.models.base import TimeStampedModel, check_date_order
from partnerships.models.institutions import Institution
from partnerships.models.reference import FieldOfStudy
from partnerships.models.units import Unit, check_unit_of
from partnerships.querysets import AgreementQuerySet
from partnerships.validators import REFERENCE_PATTERN


def default_notice_days():
    return settings.AGREEMENT_NOTICE_DAYS


def agreement_document_path(instance, filename):
    """Signed PDFs are stored under a random name; the original name is kept in a field."""
    return f"agreements/{uuid.uuid4().hex}.pdf"


class AgreementState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    EXPIRING = "expiring", _("Expiring")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Alliance members")
    PARTIES = "parties", _("Parties only")


class Agreement(TimeStampedModel):
    class Kind(models.TextChoices):
        MOU = "mou", _("Memorandum of understanding")
        MEMORANDUM_OF_COOPERATION = "memorandum_of_cooperation", _("Memorandum of cooperation")
        FRAMEWORK = "framework", _("Framework agreement")
        STUDENT_EXCHANGE = "student_exchange", _("Student exchange agreement")
        JOINT_DEGREE = "joint_degree", _("Joint degree agreement")
        DOUBLE_DEGREE = "double_degree", _("Double degree agreement")
        RECOGNITION = "recognition", _("Recognition of qualifications")
        RESEARCH = "research", _("Research cooperation agreement")
        TRAINING = "training", _("Training agreement")

    State = AgreementState
    Visibility = Visibility

    reference = models.CharField(
        _("reference"),
        max_length=60,
        unique=True,
        help_text=_("A stable identifier: letters, digits, dots, dashes and underscores."),
    )
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        help_text=_("The alliance within which the agreement was signed, if any."),
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("signed at"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agreements",
    )
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    expires_on = models.DateField(
        _("expires on"), null=True, blank=True, help_text=_("Leave empty for open-ended.")
    )
    auto_renews = models.BooleanField(_("renews automatically"), default=False)
    notice_days = models.PositiveSmallIntegerField(
        _("notice window (days)"),
        default=default_notice_days,
        validators=[MinValueValidator(1), MaxValueValidator(3650)],
        help_text=_("The agreement counts as expiring this many days before it expires."),
    )
    renews = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewed_by",
    )
    terminated_on = models.DateField(_("terminated on"), null=True, blank=True)
    termination_reason = models.TextField(_("reason for termination"), blank=True)
    subject_areas = models.ManyToManyField(
        FieldOfStudy,
        verbose_name=_("subject areas"),
        blank=True,
        related_name="agreements",
        help_text=_("ISCED-F 2013 fields the agreement covers."),
    )
    summary = models.TextField(_("summary"), blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    document = models.FileField(
        _("signed document"),
        upload_to=agreement_document_path,
        blank=True,
        max_length=200,
        validators=[validate_signed_pdf],
        help_text=_("The signed agreement as a PDF, at most 20 MB."),
    )
    document_name = models.CharField(_("document file name"), max_length=200, blank=True)
    is_generated = models.BooleanField(_("generated record"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("logged by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    # The document's stored name is kept too, so a restored agreement gets its PDF back.
    history = HistoricalRecords(m2m_fields=["subject_areas"])
    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "reference"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(expires_on__gte=F("effective_from")),
                name="agreement_expires_after_effective",
                violation_error_message=_("An agreement cannot expire before it takes effect."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(expires_on__gte=F("signed_on")),
                name="agreement_expires_after_signed",
                violation_error_message=_("An agreement cannot expire before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(terminated_on__gte=F("signed_on")),
                name="agreement_terminated_after_signed",
                violation_error_message=_("An agreement cannot end before it is signed."),
            ),
            models.CheckConstraint(
                condition=Q(reference__regex=REFERENCE_PATTERN),
                name="agreement_reference_form",
                violation_error_message=_(
                    "A reference uses only letters, digits, dots, dashes and underscores."
                ),
            ),
            models.CheckConstraint(
                condition=Q(notice_days__gte=1) & Q(notice_days__lte=3650),
                name="agreement_notice_days_range",
                violation_error_message=_("The notice window must be 1 to 3650 days."),
            ),
            models.CheckConstraint(
                condition=~Q(renews=F("pk")),
                name="agreement_does_not_renew_itself",
                violation_error_message=_("An agreement cannot renew itself."),
            ),
        ]
        indexes = [
            models.Index(fields=["expires_on"]),
            models.Index(fields=["signed_on"]),
            # The registry's order: without it a page sorts every unsigned draft first.
            models.Index(fields=["-signed_on", "reference"], name="agreement_registry_order_idx"),
            models.Index(fields=["visibility", "kind"]),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def clean(self):
        check_date_order(
            self,
            (
                "effective_from",
                "expires_on",
                _("An agreement cannot expire before it takes effect."),
            ),
            ("signed_on", "expires_on", _("An agreement cannot expire before it is signed.")),
            ("signed_on", "terminated_on", _("An agreement cannot end before it is signed.")),
        )
        if self.pk and self.renews_id == self.pk:
            raise ValidationError({"renews": _("An agreement cannot renew itself.")})

    @property
    def state(self):
        """The state annotated by the queryset, or computed from today's date."""
        if "_annotated_state" in self.__dict__:
            return self.__dict__["_annotated_state"]
        return self.state_on(timezone.localdate())

    @state.setter
    def state(self, value):
        self.__dict__["_annotated_state"] = value

    def state_on(self, day):
        """The state on `day`; the same rule as `AgreementQuerySet.with_state`."""
        if self.terminated_on is not None and self.terminated_on <= day:
            return AgreementState.TERMINATED
        if self.signed_on is None:
            return AgreementState.DRAFT
        if self.expires_on is not None and self.expires_on < day:
            return AgreementState.EXPIRED
        if self.notice_starts_on is not None and self.notice_starts_on <= day:
            return AgreementState.EXPIRING
        return AgreementState.ACTIVE

    @property
    def notice_starts_on(self):
        if self.expires_on is None:
            return None
        return self.expires_on - timezone.timedelta(days=self.notice_days)

    @property
    def renewal(self):
        """The agreement that renews this one, or None."""
        try:
            return self.renewed_by
        except Agreement.DoesNotExist:
            return None

    @property
    def is_renewed(self):
        return self.renewal is not None

    @property
    def version(self):
        """The SHA-256 of the canonical terms; reads `parties` and `conditions` (prefetch them)."""
        from partnerships.terms import agreement_version

        return agreement_version(self)

    @property
    def document_filename(self):
        return self.document_name or Path(self.document.name).name


class AgreementParty(TimeStampedModel):
    class Role(models.TextChoices):
        PARTY = "party", _("Party")
        COORDINATOR = "coordinator", _("Coordinator")
        WITNESS = "witness", _("Witness")

    SIGNING_ROLES = (Role.PARTY, Role.COORDINATOR)

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="parties"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="agreement_parties",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreement_parties",
        help_text=_("The faculty or school that signs, when not the whole institution."),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.PARTY)
    signatory_name = models.CharField(_("signatory"), max_length=150, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=150, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["agreement", "role", "institution__name"]
        verbose_name = _("agreement party")
        verbose_name_plural = _("agreement parties")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "institution", "role"],
                name="agreement_party_unique_role",
                violation_error_message=_("This institution already has this role here."),
            )
        ]

    def __str__(self):
        return f"{self.institution} ({self.get_role_display()})"

    def clean(self):
        errors = check_unit_of(self.unit, self.institution_id, "unit")
        if errors:
            raise ValidationError(errors)
