"""The Django admin of the registry: staff work here all day."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from partnerships import permissions
from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementParty,
    AgreementState,
    Alliance,
    CountryGroup,
    Event,
    FieldOfStudy,
    Institution,
    Membership,
)


class RegistryPermissions:
    """Asks the permission module, so the admin agrees with the pages and the API."""

    def has_module_permission(self, request):
        return permissions.is_staff(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_staff(request.user)

    def has_add_permission(self, request, *args):
        return permissions.is_staff(request.user)

    def has_change_permission(self, request, obj=None):
        return permissions.is_staff(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_staff(request.user)


class RegistryAdmin(RegistryPermissions, admin.ModelAdmin):
    pass


class HistoryAdmin(RegistryPermissions, SimpleHistoryAdmin):
    """For the models whose every change is kept (see "History" on each record)."""


class ActiveMembershipFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [("active", _("Active")), ("former", _("Former"))]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.current()
        if self.value() == "former":
            return queryset.former()
        return queryset


class AgreementStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return AgreementState.choices

    def queryset(self, request, queryset):
        if self.value() in AgreementState.values:
            return queryset.filter(state=self.value())
        return queryset


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["institution"]
    fields = ["institution", "role", "joined_on", "left_on", "notes"]
    ordering = ["institution__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "alliance")


class AgreementPartyFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        signing = [
            form
            for form in self.forms
            if form.cleaned_data
            and not form.cleaned_data.get("DELETE")
            and form.cleaned_data.get("role") in AgreementParty.SIGNING_ROLES
        ]
        if len(signing) < 2:
            raise forms.ValidationError(
                _("An agreement has at least two parties (party or coordinator).")
            )


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    formset = AgreementPartyFormSet
    extra = 2
    autocomplete_fields = ["institution"]
    fields = ["institution", "role", "signatory_name", "signatory_title"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "agreement")


@admin.register(Institution)
class InstitutionAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "country", "city", "ror_link", "member_of"]
    list_filter = ["kind", ("country", CountryFilter), "is_generated"]
    search_fields = ["name", "short_name", "native_name", "city", "ror_id", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "short_name", "native_name", "slug", "kind"]}),
        (_("Where"), {"fields": ["country", "city", "website"]}),
        (_("Identity"), {"fields": ["ror_id", "founded_year", "is_generated"]}),
        (_("About"), {"fields": ["description"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("ROR ID"), ordering="ror_id")
    def ror_link(self, institution):
        if not institution.ror_id:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener">{}</a>', institution.ror_id, institution.ror_id[-9:]
        )

    @admin.display(description=_("active memberships"), ordering="active_membership_count")
    def member_of(self, institution):
        return institution.active_membership_count


@admin.register(Alliance)
class AllianceAdmin(HistoryAdmin):
    list_display = [
        "name",
        "acronym",
        "cooperation_model",
        "founded_on",
        "headquarters",
        "members",
        "countries",
    ]
    list_filter = ["cooperation_model"]
    search_fields = ["name", "acronym", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["headquarters"]
    list_select_related = ["headquarters"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_member_counts()

    @admin.display(description=_("members"), ordering="member_count")
    def members(self, alliance):
        return alliance.member_count

    @admin.display(description=_("countries"), ordering="member_country_count")
    def countries(self, alliance):
        return alliance.member_country_count


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["institution", "alliance", "role", "joined_on", "left_on", "is_active"]
    list_filter = [
        "alliance",
        "role",
        ActiveMembershipFilter,
        ("institution__country", CountryFilter),
        "institution__kind",
    ]
    search_fields = [
        "institution__name",
        "institution__short_name",
        "alliance__name",
        "alliance__acronym",
    ]
    autocomplete_fields = ["institution", "alliance"]
    list_select_related = ["institution", "alliance"]
    date_hierarchy = "joined_on"

    @admin.display(description=_("active"), boolean=True)
    def is_active(self, membership):
        return membership.is_active


@admin.register(Event)
class EventAdmin(RegistryAdmin):
    list_display = ["name", "kind", "starts_on", "ends_on", "city", "country", "host", "alliance"]
    list_filter = ["kind", ("country", CountryFilter), "alliance"]
    search_fields = ["name", "city", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host", "alliance", "part_of"]
    list_select_related = ["host", "alliance"]
    date_hierarchy = "starts_on"


@admin.register(Agreement)
class AgreementAdmin(HistoryAdmin):
    list_display = [
        "reference",
        "title",
        "kind",
        "state_badge",
        "signed_on",
        "expires_on",
        "visibility",
        "party_names",
    ]
    list_filter = [
        "kind",
        AgreementStateFilter,
        "visibility",
        "alliance",
        ("parties__institution__country", CountryFilter),
        "auto_renews",
        "is_generated",
    ]
    search_fields = [
        "reference",
        "title",
        "summary",
        "parties__institution__name",
        "parties__signatory_name",
    ]
    date_hierarchy = "signed_on"
    autocomplete_fields = ["alliance", "event", "renews", "subject_areas"]
    readonly_fields = ["document_name", "created_by", "created", "updated"]
    inlines = [AgreementPartyInline]
    fieldsets = [
        (None, {"fields": ["reference", "title", "kind", "alliance", "event", "visibility"]}),
        (
            _("Dates"),
            {"fields": ["signed_on", "effective_from", "expires_on", "notice_days", "auto_renews"]},
        ),
        (
            _("Renewal and termination"),
            {"fields": ["renews", "terminated_on", "termination_reason"]},
        ),
        (_("Content"), {"fields": ["subject_areas", "summary", "document", "document_name"]}),
        (_("Record"), {"fields": ["is_generated", "created_by", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user).with_state().with_parties()

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, agreement):
        return format_html(
            '<span class="state state-{}">{}</span>',
            agreement.state,
            AgreementState(agreement.state).label,
        )

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return ", ".join(
            party.institution.short_name or party.institution.name
            for party in agreement.parties.all()
            if party.role in AgreementParty.SIGNING_ROLES
        )


@admin.register(FieldOfStudy)
class FieldOfStudyAdmin(RegistryAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CountryGroup)
class CountryGroupAdmin(RegistryAdmin):
    list_display = ["name", "slug", "country_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("countries"))
    def country_count(self, group):
        return len(group.countries)


@admin.register(Affiliation)
class AffiliationAdmin(RegistryAdmin):
    list_display = ["user", "role", "institution", "alliance", "created"]
    list_filter = ["role", "alliance"]
    search_fields = ["user__username", "user__email", "institution__name", "alliance__name"]
    autocomplete_fields = ["user", "institution", "alliance"]
    list_select_related = ["user", "institution", "alliance"]
