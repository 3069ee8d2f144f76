"""How programmes, student flows, their aggregates and country profiles look in the API."""

from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance_portal.api_base import StrictModelSerializer
from partnerships.models import Agreement, FieldOfStudy
from partnerships.vocabularies import ISO_639_1, StudyLevel
from programs.models import MobilityType, Programme, ProgrammePartner, StudentFlow
from programs.selectors import GROUP_BY_KEYS


class ProgrammePartnerSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="institution.name", read_only=True)
    country = CountryField(source="institution.country", read_only=True)

    class Meta:
        model = ProgrammePartner
        fields = ["institution", "name", "country", "role"]
        read_only_fields = fields


class ProgrammeSerializer(StrictModelSerializer):
    field = serializers.SlugRelatedField(
        slug_field="code",
        queryset=FieldOfStudy.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("ISCED-F 2013 code."),
    )
    lead_name = serializers.CharField(source="lead.name", read_only=True)
    partners = ProgrammePartnerSerializer(source="partnerships", many=True, read_only=True)
    languages = serializers.ListField(
        child=serializers.ChoiceField(choices=ISO_639_1),
        source="language_list",
        required=False,
        help_text=_("ISO 639-1 codes of the languages of instruction."),
    )
    agreement = serializers.SerializerMethodField(
        help_text=_("The founding agreement, if the caller may see it.")
    )

    class Meta:
        model = Programme
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "level",
            "field",
            "lead",
            "lead_name",
            "partners",
            "agreement",
            "alliance",
            "languages",
            "starts_on",
            "ends_on",
            "annual_capacity",
            "dual_tutor",
            "website",
            "description",
        ]

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_agreement(self, programme):
        visible = getattr(programme, "agreement_visible", False)
        return programme.agreement_id if visible else None

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "language_list" in values:
            values["languages"] = ",".join(values.pop("language_list"))
        return values


class VisibleAgreementMixin:
    """An agreement named by the caller: one they may not see "does not exist" for them,
    just like one that does not; on reading, a hidden agreement is null (the view annotates
    `visible_agreement_reference` on each flow for the caller)."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=Agreement.objects.all(), required=False, allow_null=True, **kwargs
        )

    def get_queryset(self):
        return Agreement.objects.visible_to(self.context["request"].user)


class FlowAgreementField(VisibleAgreementMixin, serializers.PrimaryKeyRelatedField):
    def get_attribute(self, flow):
        if getattr(flow, "visible_agreement_reference", None) is None:
            return None
        return super().get_attribute(flow)


class FlowAgreementReferenceField(VisibleAgreementMixin, serializers.SlugRelatedField):
    def __init__(self, **kwargs):
        super().__init__(slug_field="reference", source="agreement", **kwargs)

    def get_attribute(self, flow):
        return getattr(flow, "visible_agreement_reference", None)

    def to_representation(self, reference):
        return reference


class StudentFlowSerializer(CountryFieldMixin, StrictModelSerializer):
    academic_year_label = serializers.CharField(read_only=True, help_text=_("2018 → 2018/19."))
    agreement = FlowAgreementField(
        help_text=_(
            "Id of the agreement these students count against, if the caller may see it; "
            "both institutions must sign it. Null unlinks."
        )
    )
    agreement_reference = FlowAgreementReferenceField(
        help_text=_("Reference of that agreement, if the caller may see it; may name it instead.")
    )

    class Meta:
        model = StudentFlow
        fields = [
            "id",
            "academic_year",
            "academic_year_label",
            "origin_country",
            "destination_country",
            "origin_institution",
            "destination_institution",
            "programme",
            "level",
            "mobility_type",
            "students",
            "source",
            "agreement",
            "agreement_reference",
        ]

    def validate(self, values):
        if {"agreement", "agreement_reference"} <= set(self.initial_data):
            raise serializers.ValidationError(
                {"agreement_reference": [_("Name the agreement by id or by reference, not both.")]}
            )
        return values


class FlowSummaryRowSerializer(serializers.Serializer):
    """One group of `flows/summary/`: the group_by keys asked for and the students."""

    academic_year = serializers.IntegerField(required=False)
    origin_country = CountryField(required=False)
    destination_country = CountryField(required=False)
    level = serializers.ChoiceField(choices=StudyLevel.choices, required=False)
    mobility_type = serializers.ChoiceField(choices=MobilityType.choices, required=False)
    origin_institution = serializers.IntegerField(required=False, allow_null=True)
    origin_institution_name = serializers.CharField(required=False, allow_null=True)
    destination_institution = serializers.IntegerField(required=False, allow_null=True)
    destination_institution_name = serializers.CharField(required=False, allow_null=True)
    students = serializers.IntegerField()


class FlowSummaryQuerySerializer(serializers.Serializer):
    group_by = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=_("Comma-separated keys from: %(keys)s.") % {"keys": ", ".join(GROUP_BY_KEYS)},
    )


class FlowBalanceQuerySerializer(serializers.Serializer):
    country = CountryField(help_text=_("ISO 3166-1 alpha-2 code of the country, e.g. CN."))


class FlowBalanceRowSerializer(serializers.Serializer):
    country = CountryField()
    partner_country = CountryField()
    partner_country_name = serializers.CharField()
    inbound = serializers.IntegerField(help_text=_("Students from the partner to the country."))
    outbound = serializers.IntegerField(help_text=_("Students from the country to the partner."))
    balance_index = serializers.FloatField(
        allow_null=True, help_text=_("(inbound − outbound) / (inbound + outbound), −1 to 1.")
    )


class CountryProfileSerializer(serializers.Serializer):
    code = CountryField()
    name = serializers.CharField()
    institutions = serializers.IntegerField()
    member_institutions = serializers.IntegerField(
        help_text=_("Institutions with a current alliance membership.")
    )
    alliances = serializers.IntegerField(help_text=_("Alliances those institutions belong to."))
    active_agreements = serializers.IntegerField(
        help_text=_("Agreements in force with a party here, that the caller may see.")
    )
    programmes = serializers.IntegerField(help_text=_("Programmes led or partnered from here."))
    mechanisms = serializers.ListField(
        child=serializers.CharField(),
        help_text=_(
            "Kinds of cooperation mechanism, as alliance:<cooperation model>, "
            "agreement:<kind>, programme:<kind>, event:<kind>."
        ),
    )
    mechanism_count = serializers.IntegerField()
    latest_year = serializers.IntegerField(
        allow_null=True, help_text=_("The latest academic year with figures for the country.")
    )
    students_in = serializers.IntegerField(help_text=_("Students coming in that year."))
    students_out = serializers.IntegerField(help_text=_("Students going out that year."))
