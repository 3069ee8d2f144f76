"""FilterSets for institutions, alliances, memberships, events and agreements.

Plain django-filter, shared by the API and the pages. They filter the queryset they are
given; visibility is the caller's: pass `Agreement.objects.visible_to(user)`.
"""

import datetime

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from alliance_portal.filter_fields import (
    BooleanFilter,
    CountryFilter,
    CountryGroupFilter,
    IdOrSlugFilter,
    IntegerFilter,
    words,
)
from partnerships.models import (
    Agreement,
    AgreementCondition,
    AgreementParty,
    AgreementState,
    Alliance,
    Event,
    Institution,
    Membership,
    Unit,
)
from partnerships.vocabularies import ISCED_F_FIELDS

MAX_EXPIRING_WITHIN_DAYS = 3650


def current_memberships(on=None):
    return Membership.objects.current(on)


class InstitutionFilter(django_filters.FilterSet):
    country = CountryFilter(help_text=_("ISO 3166-1 alpha-2 code, e.g. CN."))
    kind = django_filters.ChoiceFilter(choices=Institution.Kind.choices)
    alliance = IdOrSlugFilter(
        queryset=Alliance.objects.all(),
        method="filter_alliance",
        help_text=_("Current members of this alliance (slug or id)."),
    )
    country_group = CountryGroupFilter(field_name="country")
    search = django_filters.CharFilter(
        method="filter_search", help_text=_("Words in the name, short name, native name or city.")
    )

    class Meta:
        model = Institution
        fields = ["country", "kind", "alliance", "country_group", "search"]

    def filter_alliance(self, queryset, name, alliance):
        members = current_memberships().filter(alliance=alliance, institution=OuterRef("pk"))
        return queryset.filter(Exists(members))

    def filter_search(self, queryset, name, text):
        for word in words(text):
            queryset = queryset.filter(
                Q(name__icontains=word)
                | Q(short_name__icontains=word)
                | Q(native_name__icontains=word)
                | Q(city__icontains=word)
            )
        return queryset


class AllianceFilter(django_filters.FilterSet):
    cooperation_model = django_filters.ChoiceFilter(choices=Alliance.CooperationModel.choices)
    member_country = CountryFilter(
        method="filter_member_country",
        help_text=_("Alliances with a current member in this country."),
    )
    founded_after = django_filters.DateFilter(field_name="founded_on", lookup_expr="gte")
    founded_before = django_filters.DateFilter(field_name="founded_on", lookup_expr="lte")
    search = django_filters.CharFilter(
        method="filter_search", help_text=_("Words in the name or acronym.")
    )

    class Meta:
        model = Alliance
        fields = ["cooperation_model", "member_country", "founded_after", "founded_before"]

    def filter_member_country(self, queryset, name, code):
        members = current_memberships().filter(alliance=OuterRef("pk"), institution__country=code)
        return queryset.filter(Exists(members))

    def filter_search(self, queryset, name, text):
        for word in words(text):
            queryset = queryset.filter(Q(name__icontains=word) | Q(acronym__icontains=word))
        return queryset


class MembershipFilter(django_filters.FilterSet):
    alliance = IdOrSlugFilter(queryset=Alliance.objects.all())
    institution = IdOrSlugFilter(queryset=Institution.objects.all())
    role = django_filters.ChoiceFilter(choices=Membership.Role.choices)
    active = BooleanFilter(
        method="filter_active", help_text=_("true: current memberships; false: ended ones.")
    )
    country = CountryFilter(field_name="institution__country")

    class Meta:
        model = Membership
        fields = ["alliance", "institution", "role", "active", "country"]

    def filter_active(self, queryset, name, active):
        today = timezone.localdate()
        return (
            queryset.current(today)
            if active
            else queryset.exclude(pk__in=Membership.objects.current(today).values("pk"))
        )


class EventFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Event.Kind.choices)
    alliance = IdOrSlugFilter(queryset=Alliance.objects.all())
    host = IdOrSlugFilter(queryset=Institution.objects.all())
    country = CountryFilter()
    starts_after = django_filters.DateFilter(field_name="starts_on", lookup_expr="gte")
    starts_before = django_filters.DateFilter(field_name="starts_on", lookup_expr="lte")

    class Meta:
        model = Event
        fields = ["kind", "alliance", "host", "country", "starts_after", "starts_before"]


class AgreementFilter(django_filters.FilterSet):
    party = IdOrSlugFilter(
        queryset=Institution.objects.all(),
        method="filter_party",
        help_text=_("Agreements naming this institution (slug or id) in any role."),
    )
    party_country = CountryFilter(
        method="filter_party_country", help_text=_("Agreements with a party in this country.")
    )
    country_group = CountryGroupFilter(method="filter_party_country_group")
    alliance = IdOrSlugFilter(queryset=Alliance.objects.all())
    kind = django_filters.ChoiceFilter(choices=Agreement.Kind.choices)
    state = django_filters.ChoiceFilter(choices=AgreementState.choices, method="filter_state")
    signed_after = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte")
    signed_before = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte")
    expires_after = django_filters.DateFilter(field_name="expires_on", lookup_expr="gte")
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")
    expiring_within = IntegerFilter(
        method="filter_expiring_within",
        min_value=0,
        max_value=MAX_EXPIRING_WITHIN_DAYS,
        help_text=_("Days: agreements in force that expire between today and then."),
    )
    subject_area = django_filters.ChoiceFilter(
        choices=[(code, format_lazy("{} {}", code, name)) for code, name in ISCED_F_FIELDS.items()],
        method="filter_subject_area",
        help_text=_("ISCED-F code; a broad field (04) takes in its narrow and detailed fields."),
    )
    event = IdOrSlugFilter(queryset=Event.objects.all())
    unit = IntegerFilter(
        method="filter_unit",
        min_value=1,
        help_text=_("Agreements where this unit (id) signs or sends or receives in a condition."),
    )
    search = django_filters.CharFilter(
        method="filter_search",
        help_text=_("Words in the reference, title, summary or a party's name."),
    )

    class Meta:
        model = Agreement
        fields = [
            "party",
            "party_country",
            "country_group",
            "alliance",
            "kind",
            "state",
            "signed_after",
            "signed_before",
            "expires_after",
            "expires_before",
            "expiring_within",
            "subject_area",
            "event",
            "unit",
            "search",
        ]

    def filter_unit(self, queryset, name, unit_id):
        return queryset.with_unit([unit_id])

    def _with_party(self, queryset, **party):
        parties = AgreementParty.objects.filter(agreement=OuterRef("pk"), **party)
        return queryset.filter(Exists(parties))

    def filter_party(self, queryset, name, institution):
        return self._with_party(queryset, institution=institution)

    def filter_party_country(self, queryset, name, code):
        return self._with_party(queryset, institution__country=code)

    def filter_party_country_group(self, queryset, name, group):
        return self._with_party(queryset, institution__country__in=group.country_codes)

    def filter_state(self, queryset, name, state):
        return with_state(queryset).filter(state=state)

    def filter_expiring_within(self, queryset, name, days):
        today = timezone.localdate()
        return with_state(queryset).filter(
            state__in=[AgreementState.ACTIVE, AgreementState.EXPIRING],
            expires_on__gte=today,
            expires_on__lte=today + datetime.timedelta(days=days),
        )

    def filter_subject_area(self, queryset, name, code):
        return queryset.filter(
            Exists(
                Agreement.subject_areas.through.objects.filter(
                    agreement=OuterRef("pk"), fieldofstudy__code__startswith=code
                )
            )
        )

    def filter_search(self, queryset, name, text):
        return queryset.search(" ".join(words(text)))


def with_state(queryset):
    """`queryset` with its `state` annotation, added only if the caller has not already."""
    return queryset if "state" in queryset.query.annotations else queryset.with_state()


class UnitFilter(django_filters.FilterSet):
    institution = IdOrSlugFilter(queryset=Institution.objects.all())
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices)
    parent = IntegerFilter(field_name="parent_id", min_value=1)

    class Meta:
        model = Unit
        fields = ["institution", "kind", "parent"]


class ConditionFilter(django_filters.FilterSet):
    agreement = django_filters.NumberFilter(field_name="agreement_id")
    institution = IdOrSlugFilter(
        queryset=Institution.objects.all(),
        method="filter_institution",
        help_text=_("Conditions this institution (slug or id) sends or receives under."),
    )
    sending = IdOrSlugFilter(queryset=Institution.objects.all(), field_name="sending_institution")
    receiving = IdOrSlugFilter(
        queryset=Institution.objects.all(), field_name="receiving_institution"
    )
    unit = IntegerFilter(
        method="filter_unit", min_value=1, help_text=_("Conditions naming this unit (id).")
    )
    mobility_type = django_filters.ChoiceFilter(choices=AgreementCondition.MobilityType.choices)
    year = IntegerFilter(
        method="filter_year",
        min_value=1950,
        max_value=2100,
        help_text=_("Conditions that run in this academic year (2026 for 2026/27)."),
    )

    class Meta:
        model = AgreementCondition
        fields = ["agreement", "institution", "sending", "receiving", "unit", "mobility_type"]

    def filter_institution(self, queryset, name, institution):
        return queryset.filter(
            Q(sending_institution=institution) | Q(receiving_institution=institution)
        )

    def filter_unit(self, queryset, name, unit_id):
        return queryset.with_unit([unit_id])

    def filter_year(self, queryset, name, year):
        return queryset.in_year(year)
