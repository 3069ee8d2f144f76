"""FilterSets for programmes and student flows (plain django-filter, shared by API and pages)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from alliance_portal.filter_fields import (
    CountryFilter,
    CountryGroupFilter,
    IdOrSlugFilter,
    IntegerFilter,
)
from partnerships.models import Agreement, Alliance, Institution
from partnerships.vocabularies import ISCED_F_FIELDS, ISO_639_1, StudyLevel, language_choices
from programs.models import (
    FIRST_ACADEMIC_YEAR,
    LAST_ACADEMIC_YEAR,
    MobilityType,
    Programme,
    ProgrammePartner,
    StudentFlow,
)


# The schema lists the codes; the page names the languages in the reader's language.
@extend_schema_field({"type": "string", "enum": ISO_639_1})
class LanguageFilter(django_filters.ChoiceFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", language_choices)
        super().__init__(*args, **kwargs)


class ProgrammeFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Programme.Kind.choices)
    level = django_filters.ChoiceFilter(choices=StudyLevel.choices)
    field = django_filters.ChoiceFilter(
        choices=[(code, code) for code in ISCED_F_FIELDS],
        method="filter_field",
        help_text=_("ISCED-F code; a broad field (07) takes in its narrow and detailed fields."),
    )
    lead = IdOrSlugFilter(queryset=Institution.objects.all())
    partner = IdOrSlugFilter(
        queryset=Institution.objects.all(),
        method="filter_partner",
        help_text=_("Programmes this institution (slug or id) takes part in as a partner."),
    )
    country = CountryFilter(
        method="filter_country", help_text=_("Programmes led by or partnered from this country.")
    )
    language = LanguageFilter(
        method="filter_language",
        help_text=_("An ISO 639-1 language of instruction, e.g. ru."),
    )
    alliance = IdOrSlugFilter(queryset=Alliance.objects.all())

    class Meta:
        model = Programme
        fields = ["kind", "level", "field", "lead", "partner", "country", "language", "alliance"]

    def filter_field(self, queryset, name, code):
        return queryset.filter(field__code__startswith=code)

    def filter_partner(self, queryset, name, institution):
        partners = ProgrammePartner.objects.filter(
            programme=OuterRef("pk"), institution=institution
        )
        return queryset.filter(Exists(partners))

    def filter_country(self, queryset, name, code):
        partners = ProgrammePartner.objects.filter(
            programme=OuterRef("pk"), institution__country=code
        )
        return queryset.filter(Q(lead__country=code) | Exists(partners))

    def filter_language(self, queryset, name, code):
        # `languages` holds codes separated by commas ("zh,en,ru").
        return queryset.filter(
            Q(languages=code)
            | Q(languages__startswith=f"{code},")
            | Q(languages__endswith=f",{code}")
            | Q(languages__contains=f",{code},")
        )


def academic_year_filter(lookup_expr, help_text):
    return IntegerFilter(
        field_name="academic_year",
        lookup_expr=lookup_expr,
        min_value=FIRST_ACADEMIC_YEAR,
        max_value=LAST_ACADEMIC_YEAR,
        help_text=help_text,
    )


class StudentFlowFilter(django_filters.FilterSet):
    year_from = academic_year_filter("gte", _("First academic year (2018 for 2018/19)."))
    year_to = academic_year_filter("lte", _("Last academic year."))
    academic_year = academic_year_filter("exact", _("One academic year (2018 for 2018/19)."))
    origin_country = CountryFilter()
    destination_country = CountryFilter()
    origin_institution = IdOrSlugFilter(queryset=Institution.objects.all())
    destination_institution = IdOrSlugFilter(queryset=Institution.objects.all())
    origin_group = CountryGroupFilter(field_name="origin_country")
    destination_group = CountryGroupFilter(field_name="destination_country")
    level = django_filters.ChoiceFilter(choices=StudyLevel.choices)
    mobility_type = django_filters.ChoiceFilter(choices=MobilityType.choices)
    programme = IdOrSlugFilter(queryset=Programme.objects.all())
    agreement = django_filters.ModelChoiceFilter(
        queryset=lambda request: Agreement.objects.visible_to(getattr(request, "user", None)),
        help_text=_("Id of an agreement the flows count against (one you may see)."),
    )

    class Meta:
        model = StudentFlow
        fields = [
            "year_from",
            "year_to",
            "academic_year",
            "origin_country",
            "destination_country",
            "origin_institution",
            "destination_institution",
            "origin_group",
            "destination_group",
            "level",
            "mobility_type",
            "programme",
            "agreement",
        ]
