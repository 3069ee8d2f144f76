"""The Django admin of the registry: staff work here all day.

Every ModelAdmin asks `partnerships.permissions` (through `RegistryPermissions`), so the
admin agrees with the pages and the API: the admin is for staff, and staff may do
everything (DESIGN, "Who may do what"); each record is still checked by its predicate.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from partnerships import exceptions, permissions, services
from partnerships.approvals import approval_status
from partnerships.documents import original_file_name
from partnerships.forms import LevelsField, language_field
from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementApproval,
    AgreementCondition,
    AgreementParty,
    AgreementState,
    Alliance,
    CountryGroup,
    Event,
    ExpiryReminder,
    FieldOfStudy,
    Institution,
    Membership,
    Unit,
)


class RegistryPermissions:
    """Asks the permission module, so the admin agrees with the pages and the API.

    `view_predicate`, `change_predicate` and `delete_predicate` name predicates of
    `partnerships.permissions` taking (user, record), looked up when asked; on top of
    `can_use_admin`, the admin asks them whenever it acts on one record (None: staff only).
    """

    view_predicate = None
    change_predicate = None
    delete_predicate = None

    def has_module_permission(self, request):
        return permissions.can_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, self.view_predicate, obj)

    def has_add_permission(self, request, *args):
        return permissions.can_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, self.change_predicate, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, self.delete_predicate, obj)

    @staticmethod
    def _allowed(request, predicate, obj):
        if not permissions.can_use_admin(request.user):
            return False
        return (
            obj is None or predicate is None or getattr(permissions, predicate)(request.user, obj)
        )


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


class MembershipInline(RegistryPermissions, admin.TabularInline):
    change_predicate = "can_edit_alliance"
    delete_predicate = change_predicate
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


class AgreementPartyInline(RegistryPermissions, admin.TabularInline):
    view_predicate = "can_view_agreement"
    change_predicate = "can_edit_agreement"
    delete_predicate = change_predicate
    model = AgreementParty
    formset = AgreementPartyFormSet
    extra = 2
    autocomplete_fields = ["institution", "unit"]
    fields = ["institution", "unit", "role", "signatory_name", "signatory_title"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "agreement", "unit")


class AgreementConditionInline(RegistryPermissions, admin.StackedInline):
    view_predicate = "can_view_agreement"
    change_predicate = "can_edit_conditions"
    delete_predicate = change_predicate
    model = AgreementCondition
    extra = 0
    autocomplete_fields = [
        "sending_institution",
        "sending_unit",
        "receiving_institution",
        "receiving_unit",
        "field",
    ]
    fields = [
        ("sending_institution", "sending_unit"),
        ("receiving_institution", "receiving_unit"),
        ("mobility_type", "field", "levels"),
        ("first_academic_year", "last_academic_year", "places"),
        ("months_per_year", "days_per_year"),
        ("language", "language_level"),
        "notes",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).with_related().select_related("agreement")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "language":
            return language_field(label=capfirst(db_field.verbose_name))
        if db_field.name == "levels":
            return LevelsField(label=capfirst(db_field.verbose_name))
        return super().formfield_for_dbfield(db_field, request, **kwargs)


class AgreementApprovalInline(RegistryPermissions, admin.TabularInline):
    """Approvals are statements of the parties, made on the portal: read-only here."""

    view_predicate = "can_view_agreement"
    model = AgreementApproval
    extra = 0
    can_delete = False
    fields = ["institution", "user", "approved_at", "version"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "user", "agreement")


class UnitInline(RegistryPermissions, admin.TabularInline):
    change_predicate = "can_edit_institution"
    delete_predicate = change_predicate
    model = Unit
    fk_name = "institution"
    extra = 0
    fields = ["name", "kind", "parent"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "parent")


@admin.register(Institution)
class InstitutionAdmin(HistoryAdmin):
    change_predicate = "can_edit_institution"
    delete_predicate = "can_delete_institution"

    list_display = ["name", "short_name", "kind", "country", "city", "ror_link", "member_of"]
    list_filter = ["kind", ("country", CountryFilter), "is_generated"]
    search_fields = ["name", "short_name", "native_name", "city", "ror_id", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    list_per_page = 50
    fieldsets = [
        (None, {"fields": ["name", "short_name", "native_name", "slug", "kind"]}),
        (_("Where"), {"fields": ["country", "city", "website"]}),
        (
            _("Identity"),
            {
                "fields": [
                    "ror_id",
                    "erasmus_code",
                    "parent",
                    "successor",
                    "founded_year",
                    "is_generated",
                ]
            },
        ),
        (_("About"), {"fields": ["description"]}),
    ]
    autocomplete_fields = ["parent", "successor"]
    inlines = [UnitInline]

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


@admin.register(Unit)
class UnitAdmin(HistoryAdmin):
    change_predicate = "can_edit_unit"
    delete_predicate = "can_delete_unit"
    list_display = ["name", "kind", "institution", "parent"]
    list_filter = ["kind", "is_generated"]
    search_fields = ["name", "institution__name", "institution__short_name"]
    autocomplete_fields = ["institution", "parent"]
    list_select_related = ["institution", "parent", "parent__institution"]


@admin.register(Alliance)
class AllianceAdmin(HistoryAdmin):
    change_predicate = "can_edit_alliance"
    delete_predicate = "can_delete_alliance"

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
    change_predicate = "can_edit_membership"
    delete_predicate = "can_delete_membership"

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
class EventAdmin(HistoryAdmin):
    change_predicate = "can_edit_event"
    delete_predicate = "can_delete_event"

    list_display = ["name", "kind", "starts_on", "ends_on", "city", "country", "host", "alliance"]
    list_filter = ["kind", ("country", CountryFilter), "alliance"]
    search_fields = ["name", "city", "venue"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["host", "alliance", "part_of"]
    list_select_related = ["host", "alliance"]
    date_hierarchy = "starts_on"


class SignedDocumentInput(forms.ClearableFileInput):
    """Links the current file through the download view: MEDIA_URL is deliberately not served."""

    download_url = None
    file_name = ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if context["widget"]["is_initial"] and self.download_url:
            context["widget"]["value"] = DocumentLink(self.download_url, self.file_name)
        return context


class DocumentLink:
    def __init__(self, url, name):
        self.url, self.name = url, name

    def __str__(self):
        return self.name


class AgreementAdminForm(forms.ModelForm):
    """The PDF check (`validate_signed_pdf`) runs as the model field's validator."""

    class Meta:
        model = Agreement
        # The admin's fieldsets decide what is shown; the list only satisfies ModelForm.
        fields = ["reference", "title", "document"]
        widgets = {"document": SignedDocumentInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "document" in self.fields and self.instance.pk and self.instance.document:
            widget = self.fields["document"].widget
            widget.download_url = reverse("agreement-document", args=[self.instance.reference])
            widget.file_name = self.instance.document_filename


class TerminationForm(forms.Form):
    on = forms.DateField(label=_("Terminated on"), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class RenewalForm(forms.Form):
    signed_on = forms.DateField(
        label=_("Signed on"), required=False, help_text=_("Leave empty while it is a draft.")
    )
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        help_text=_("Empty: the day after the old agreement expires."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        help_text=_("Empty: a term as long as the old one."),
    )


@admin.register(Agreement)
class AgreementAdmin(HistoryAdmin):
    form = AgreementAdminForm
    view_predicate = "can_view_agreement"
    change_predicate = "can_edit_agreement"
    delete_predicate = "can_delete_agreement"
    change_list_template = "admin/partnerships/agreement/change_list.html"
    actions = ["terminate_agreements", "renew_agreements"]
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
    readonly_fields = [
        "document_name",
        "renewed_by_link",
        "approval_summary",
        "created_by",
        "created",
        "updated",
    ]
    inlines = [AgreementPartyInline, AgreementConditionInline, AgreementApprovalInline]
    fieldsets = [
        (None, {"fields": ["reference", "title", "kind", "alliance", "event", "visibility"]}),
        (
            _("Dates"),
            {"fields": ["signed_on", "effective_from", "expires_on", "notice_days", "auto_renews"]},
        ),
        (
            _("Renewal and termination"),
            {"fields": ["renews", "renewed_by_link", "terminated_on", "termination_reason"]},
        ),
        (_("Content"), {"fields": ["subject_areas", "summary", "document", "document_name"]}),
        (_("Approval"), {"fields": ["approval_summary"]}),
        (_("Record"), {"fields": ["is_generated", "created_by", "created", "updated"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .visible_to(request.user)
            .with_state()
            .with_parties()
            .with_renewal()
        )

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name=f"{info[0]}_{info[1]}_deleted",
            ),
            path(
                "deleted/<int:history_id>/restore/",
                self.admin_site.admin_view(require_POST(self.restore_view)),
                name=f"{info[0]}_{info[1]}_restore",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        if "document" in form.changed_data:
            upload = form.cleaned_data.get("document")
            obj.document_name = original_file_name(upload) if upload else ""
        super().save_model(request, obj, form, change)

    @admin.display(description=_("state"), ordering="state")
    def state_badge(self, agreement):
        renewal = agreement.renewal
        return format_html(
            '<span class="state state-{}">{}</span>{}',
            agreement.state,
            AgreementState(agreement.state).label,
            format_html(" · {} {}", _("renewed by"), renewal.reference) if renewal else "",
        )

    @admin.display(description=_("renewed by"))
    def renewed_by_link(self, agreement):
        renewal = agreement.renewal
        if renewal is None:
            return "—"
        url = reverse("admin:partnerships_agreement_change", args=[renewal.pk])
        return format_html('<a href="{}">{}</a>', url, renewal)

    @admin.display(description=_("version and approval"))
    def approval_summary(self, agreement):
        if agreement.pk is None:
            return "—"
        status = approval_status(Agreement.objects.with_terms().get(pk=agreement.pk))
        if status.approved_by_all:
            standing = _("approved by all parties")
        else:
            names = ", ".join(party.short_name or party.name for party in status.waiting_for)
            standing = _("waiting for %(parties)s") % {"parties": names}
        return format_html("<code>{}</code> · {}", status.version, standing)

    @admin.display(description=_("parties"))
    def party_names(self, agreement):
        return ", ".join(
            party.institution.short_name or party.institution.name
            for party in agreement.parties.all()
            if party.role in AgreementParty.SIGNING_ROLES
        )

    # Lifecycle: terminate and renew through the services, with a form page in between.

    @admin.action(description=_("Terminate selected agreements…"))
    def terminate_agreements(self, request, queryset):
        return self._lifecycle_action(
            request,
            queryset,
            form_class=TerminationForm,
            title=_("Terminate agreements"),
            action="terminate_agreements",
            run=lambda agreement, data: services.agreement_terminate(
                agreement=agreement, on=data["on"], reason=data["reason"], by=request.user
            ),
            done=_("Terminated"),
        )

    @admin.action(description=_("Renew selected agreements…"))
    def renew_agreements(self, request, queryset):
        return self._lifecycle_action(
            request,
            queryset,
            form_class=RenewalForm,
            title=_("Renew agreements"),
            action="renew_agreements",
            run=lambda agreement, data: services.agreement_renew(
                agreement=agreement, by=request.user, **data
            ),
            done=_("Renewed"),
        )

    def _lifecycle_action(self, request, queryset, *, form_class, title, action, run, done):
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            finished = []
            for agreement in queryset:
                try:
                    result = run(agreement, form.cleaned_data)
                except (exceptions.PartnershipError, PermissionDenied) as error:
                    self.message_user(request, f"{agreement.reference}: {error}", messages.ERROR)
                except ValidationError as error:
                    self.message_user(
                        request,
                        f"{agreement.reference}: {' '.join(error.messages)}",
                        messages.ERROR,
                    )
                else:
                    finished.append(result.reference)
            if finished:
                self.message_user(request, f"{done}: {', '.join(finished)}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "form": form,
            "queryset": queryset,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/partnerships/agreement/lifecycle_action.html", context
        )

    # Deleted agreements: listed from the history, restored with their parties.

    def deleted_view(self, request):
        if not permissions.can_restore_agreement(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("Deleted agreements"),
            "opts": self.opts,
            "records": services.deleted_agreements()[:200],
        }
        return TemplateResponse(request, "admin/partnerships/agreement/deleted.html", context)

    def restore_view(self, request, history_id):
        try:
            agreement = services.agreement_restore(history_id=history_id, by=request.user)
        except exceptions.PartnershipError as error:
            self.message_user(request, str(error), messages.ERROR)
            return redirect("admin:partnerships_agreement_deleted")
        self.message_user(
            request,
            format_html(
                _("Restored {} with {} parties."), agreement.reference, agreement.parties.count()
            ),
            messages.SUCCESS,
        )
        return redirect("admin:partnerships_agreement_change", agreement.pk)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting a deleted agreement from one history row would bring it back without
        # its parties: restoring goes through the service instead.
        if not Agreement.objects.filter(pk=object_id).exists():
            self.message_user(
                request,
                _("This agreement was deleted: restore it here, with its parties."),
                messages.INFO,
            )
            return redirect("admin:partnerships_agreement_deleted")
        return super().history_form_view(request, object_id, version_id, extra_context)


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
    change_predicate = delete_predicate = "can_edit_country_group"

    list_display = ["name", "slug", "country_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    @admin.display(description=_("countries"))
    def country_count(self, group):
        return len(group.countries)


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    change_predicate = delete_predicate = "can_edit_affiliation"

    list_display = ["user", "role", "institution", "alliance", "created"]
    list_filter = ["role", "alliance"]
    search_fields = ["user__username", "user__email", "institution__name", "alliance__name"]
    autocomplete_fields = ["user", "institution", "alliance"]
    list_select_related = ["user", "institution", "alliance"]


@admin.register(ExpiryReminder)
class ExpiryReminderAdmin(RegistryAdmin):
    """What the reminder command sent; written by the command only."""

    list_display = ["agreement", "expires_on", "notice_starts_on", "sent_at", "recipient_count"]
    list_select_related = ["agreement"]
    search_fields = ["agreement__reference", "agreement__title", "recipients"]
    date_hierarchy = "sent_at"
    readonly_fields = ["agreement", "expires_on", "notice_starts_on", "sent_at", "recipients"]

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("recipients"))
    def recipient_count(self, reminder):
        return len(reminder.recipient_list)


class AffiliationInline(RegistryPermissions, admin.TabularInline):
    model = Affiliation
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["institution", "alliance"]
    fields = ["role", "institution", "alliance"]


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Accounts stay under Django's own permissions (superusers), so no staff member can
    make themselves a superuser; every staff member may look users up, to affiliate them."""

    inlines = [*UserAdmin.inlines, AffiliationInline]
    list_display = [*UserAdmin.list_display, "affiliation_list"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related("affiliations__institution", "affiliations__alliance")
        )

    def has_view_permission(self, request, obj=None):
        return permissions.can_edit_affiliation(request.user) or super().has_view_permission(
            request, obj
        )

    def has_module_permission(self, request):
        return permissions.can_use_admin(request.user)

    @admin.display(description=_("affiliations"))
    def affiliation_list(self, user):
        return format_html_join(
            ", ",
            "{} ({})",
            (
                (affiliation.institution or affiliation.alliance, affiliation.get_role_display())
                for affiliation in user.affiliations.all()
            ),
        )
