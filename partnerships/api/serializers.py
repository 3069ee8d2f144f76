"""How institutions, alliances, memberships, events, country groups and agreements look in
the API. No serializer queries: the viewsets fetch with the querysets' `with_*` helpers."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries.serializer_fields import CountryField
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance_portal.api_base import StrictModelSerializer
from partnerships.models import (
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


class InstitutionSerializer(CountryFieldMixin, StrictModelSerializer):
    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "slug",
            "short_name",
            "native_name",
            "kind",
            "country",
            "city",
            "website",
            "ror_id",
            "founded_year",
            "description",
        ]


class AllianceSerializer(StrictModelSerializer):
    focus_areas = serializers.ListField(
        child=serializers.CharField(max_length=200),
        source="focus_area_list",
        required=False,
        help_text=_("Areas of cooperation."),
    )
    member_count = serializers.IntegerField(read_only=True, help_text=_("Current members."))
    member_country_count = serializers.IntegerField(
        read_only=True, help_text=_("Countries of the current members.")
    )

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "slug",
            "acronym",
            "founded_on",
            "headquarters",
            "cooperation_model",
            "focus_areas",
            "website",
            "description",
            "contact_email",
            "member_count",
            "member_country_count",
        ]

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        if "focus_area_list" in values:
            values["focus_areas"] = "\n".join(values.pop("focus_area_list"))
        return values


class MembershipSerializer(StrictModelSerializer):
    alliance_name = serializers.CharField(source="alliance.name", read_only=True)
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    institution_country = CountryField(source="institution.country", read_only=True)
    active = serializers.BooleanField(source="is_active", read_only=True)

    class Meta:
        model = Membership
        fields = [
            "id",
            "alliance",
            "alliance_name",
            "institution",
            "institution_name",
            "institution_country",
            "role",
            "joined_on",
            "left_on",
            "active",
            "notes",
        ]


class EventSerializer(CountryFieldMixin, StrictModelSerializer):
    class Meta:
        model = Event
        fields = [
            "id",
            "name",
            "slug",
            "kind",
            "starts_on",
            "ends_on",
            "venue",
            "city",
            "country",
            "host",
            "alliance",
            "part_of",
            "website",
            "description",
        ]


class CountryGroupSerializer(CountryFieldMixin, StrictModelSerializer):
    class Meta:
        model = CountryGroup
        fields = ["id", "name", "slug", "countries", "description"]


class AgreementPartySerializer(StrictModelSerializer):
    name = serializers.CharField(source="institution.name", read_only=True)
    country = CountryField(source="institution.country", read_only=True)

    class Meta:
        model = AgreementParty
        fields = ["institution", "name", "country", "role", "signatory_name", "signatory_title"]


class AgreementSerializer(StrictModelSerializer):
    state = serializers.ChoiceField(choices=AgreementState.choices, read_only=True)
    parties = AgreementPartySerializer(many=True)
    subject_areas = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=FieldOfStudy.objects.all(),
        help_text=_("ISCED-F 2013 codes."),
    )
    document_url = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "reference",
            "title",
            "kind",
            "state",
            "alliance",
            "event",
            "signed_on",
            "effective_from",
            "expires_on",
            "auto_renews",
            "notice_days",
            "renews",
            "terminated_on",
            "subject_areas",
            "summary",
            "visibility",
            "parties",
            "document_url",
        ]
        read_only_fields = ["renews", "terminated_on"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, agreement):
        """Where the signed PDF is downloaded (as visible as the agreement), or null."""
        if not agreement.document:
            return None
        path = reverse("agreement-document", args=[agreement.reference])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def validate_parties(self, parties):
        institutions = [(party["institution"].pk, party.get("role")) for party in parties]
        if len(set(institutions)) != len(institutions):
            raise serializers.ValidationError(_("An institution is listed twice in one role."))
        return parties

    def update(self, instance, validated_data):
        raise NotImplementedError("Agreement writes go through partnerships.services.")

    def create(self, validated_data):
        raise NotImplementedError("Agreement writes go through partnerships.services.")


class AgreementUpdateSerializer(AgreementSerializer):
    """Changing an agreement: its terms and, when given, its parties (the whole list)."""

    class Meta(AgreementSerializer.Meta):
        read_only_fields = ["renews", "terminated_on", "reference"]
