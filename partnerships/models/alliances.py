"""Alliances, their memberships and the events where partners meet."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partnerships.models.base import TimeStampedModel, check_date_order, country_code_check
from partnerships.models.institutions import Institution
from partnerships.querysets import AllianceQuerySet, EventQuerySet, MembershipQuerySet


class Alliance(TimeStampedModel):
    class CooperationModel(models.TextChoices):
        UNIVERSITY_UNIVERSITY = "university_university", _("University–university")
        INDUSTRY_UNIVERSITY_RESEARCH = (
            "industry_university_research",
            _("Industry–university–research"),
        )
        ACADEMIC_EXCHANGE = "academic_exchange", _("Academic exchange")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    headquarters = models.ForeignKey(
        Institution,
        verbose_name=_("headquarters"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="alliances_headquartered",
    )
    cooperation_model = models.CharField(
        _("cooperation model"), max_length=40, choices=CooperationModel.choices
    )
    focus_areas = models.TextField(
        _("focus areas"), blank=True, help_text=_("One area of cooperation per line.")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    history = HistoricalRecords()
    objects = AllianceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("alliance")
        verbose_name_plural = _("alliances")

    def __str__(self):
        return self.acronym or self.name

    @property
    def focus_area_list(self):
        return [line.strip() for line in self.focus_areas.splitlines() if line.strip()]


class Membership(TimeStampedModel):
    class Role(models.TextChoices):
        FOUNDING_MEMBER = "founding_member", _("Founding member")
        MEMBER = "member", _("Member")
        ASSOCIATE = "associate", _("Associate member")
        OBSERVER = "observer", _("Observer")
        SECRETARIAT_HOST = "secretariat_host", _("Secretariat host")

    alliance = models.ForeignKey(
        Alliance, verbose_name=_("alliance"), on_delete=models.CASCADE, related_name="memberships"
    )
    institution = models.ForeignKey(
        Institution,
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["alliance", "institution__name", "joined_on"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message=_("A membership cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["alliance", "institution"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_member",
                violation_error_message=_(
                    "This institution already has an open membership of this alliance."
                ),
            ),
        ]
        indexes = [models.Index(fields=["institution", "alliance"])]

    def __str__(self):
        return f"{self.institution} in {self.alliance}"

    def clean(self):
        check_date_order(
            self, ("joined_on", "left_on", _("A membership cannot end before it starts."))
        )

    @property
    def is_active(self):
        return self.left_on is None or self.left_on > timezone.localdate()


class Event(TimeStampedModel):
    class Kind(models.TextChoices):
        FORUM = "forum", _("Forum")
        EDUCATION_WEEK = "education_week", _("Education week")
        CONFERENCE = "conference", _("Conference")
        SIGNING_CEREMONY = "signing_ceremony", _("Signing ceremony")
        EDUCATION_FAIR = "education_fair", _("Education fair")
        MINISTERS_CONFERENCE = "ministers_conference", _("Ministers' conference")
        SUMMER_SCHOOL = "summer_school", _("Summer school")

    name = models.CharField(_("name"), max_length=250)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"))
    host = models.ForeignKey(
        Institution,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_hosted",
    )
    alliance = models.ForeignKey(
        Alliance,
        verbose_name=_("alliance"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    part_of = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sessions",
        help_text=_("The larger event (an education week) this forum belonged to."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            country_code_check("country", name="event_country_iso"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="event_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        check_date_order(self, ("starts_on", "ends_on", _("An event cannot end before it starts.")))
