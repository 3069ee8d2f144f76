"""Admin for programmes and student flows."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from partnerships.admin import HistoryAdmin, RegistryAdmin, RegistryPermissions
from programs.models import Programme, ProgrammePartner, StudentFlow


class ProgrammePartnerInline(RegistryPermissions, admin.TabularInline):
    change_predicate = "can_edit_programme"
    delete_predicate = change_predicate
    model = ProgrammePartner
    extra = 1
    autocomplete_fields = ["institution"]
    fields = ["institution", "role"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("institution", "programme")


@admin.register(Programme)
class ProgrammeAdmin(HistoryAdmin):
    change_predicate = "can_edit_programme"
    delete_predicate = "can_delete_programme"
    list_display = [
        "name",
        "kind",
        "level",
        "field",
        "lead",
        "languages",
        "annual_capacity",
        "dual_tutor",
    ]
    list_filter = [
        "kind",
        "level",
        "dual_tutor",
        ("lead__country", CountryFilter),
        "alliance",
        "is_generated",
    ]
    search_fields = ["name", "slug", "lead__name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["lead", "field", "agreement", "alliance"]
    list_select_related = ["lead", "field"]
    inlines = [ProgrammePartnerInline]


class AcademicYearFilter(admin.SimpleListFilter):
    title = _("academic year")
    parameter_name = "academic_year"

    def lookups(self, request, model_admin):
        years = (
            StudentFlow.objects.order_by("-academic_year")
            .values_list("academic_year", flat=True)
            .distinct()
        )
        return [(str(year), f"{year}/{(year + 1) % 100:02d}") for year in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(academic_year=int(self.value()))
        return queryset


@admin.register(StudentFlow)
class StudentFlowAdmin(RegistryAdmin):
    change_predicate = "can_edit_flow"
    delete_predicate = "can_delete_flow"
    list_display = [
        "year",
        "origin_country",
        "destination_country",
        "origin_institution",
        "destination_institution",
        "level",
        "mobility_type",
        "students",
    ]
    list_filter = [
        AcademicYearFilter,
        "level",
        "mobility_type",
        ("origin_country", CountryFilter),
        ("destination_country", CountryFilter),
        "is_generated",
    ]
    search_fields = ["origin_institution__name", "destination_institution__name", "source"]
    autocomplete_fields = [
        "origin_institution",
        "destination_institution",
        "programme",
        "agreement",
    ]
    list_select_related = ["origin_institution", "destination_institution"]
    # Counting a table of millions of rows on every page is what makes admins slow.
    show_full_result_count = False

    @admin.display(description=_("academic year"), ordering="academic_year")
    def year(self, flow):
        return flow.academic_year_label
