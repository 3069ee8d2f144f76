"""How institutions, alliances, memberships, events, country groups and agreements look in
the API. No serializer queries: the viewsets fetch with the querysets' `with_*` helpers."""

import functools
from collections import defaultdict, namedtuple

from django.urls import reverse
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.serializer_fields import CountryField
from django_countries.serializers import CountryFieldMixin
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance_portal.api_base import StrictModelSerializer
from partnerships.approvals import approval_status, approval_status_of
from partnerships.models import (
    Agreement,
    AgreementApproval,
    AgreementCondition,
    AgreementParty,
    AgreementState,
    Alliance,
    CountryGroup,
    Event,
    FieldOfStudy,
    Institution,
    Membership,
    Unit,
)
from partnerships.terms import terms_of, terms_version
from partnerships.vocabularies import DEGREE_LEVELS


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
            "erasmus_code",
            "parent",
            "children",
            "successor",
            "predecessors",
            "founded_year",
            "description",
        ]
        read_only_fields = ["children", "predecessors"]


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


class UnitSerializer(StrictModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "institution", "name", "kind", "parent"]


class LevelsField(serializers.Field):
    """ISCED levels as a list (`["6", "7"]`), stored as the digits in order (`"67"`)."""

    default_error_messages = {"invalid": _("Give a list of ISCED levels from 5 to 8.")}

    def to_representation(self, value):
        return list(value)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [data] if len(data) <= 1 else list(data.replace(",", ""))
        if not isinstance(data, list) or not all(str(item) in DEGREE_LEVELS for item in data):
            self.fail("invalid")
        return "".join(sorted({str(item) for item in data}))


@extend_schema_field({"type": "array", "items": {"type": "string", "enum": list(DEGREE_LEVELS)}})
class SchemaLevelsField(LevelsField):
    pass


class ConditionSerializer(StrictModelSerializer):
    field = serializers.SlugRelatedField(
        slug_field="code",
        queryset=FieldOfStudy.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("ISCED-F 2013 code."),
    )
    levels = SchemaLevelsField(required=False, help_text=_("ISCED levels; empty: any level."))

    class Meta:
        model = AgreementCondition
        fields = ["id", "agreement", *AgreementCondition.EDITABLE]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None and "agreement" in self.fields:
            # An agreement the caller may not see is "not found", never "forbidden".
            self.fields["agreement"].queryset = Agreement.objects.visible_to(request.user)


class NestedConditionSerializer(ConditionSerializer):
    class Meta(ConditionSerializer.Meta):
        fields = [name for name in ConditionSerializer.Meta.fields if name != "agreement"]
        read_only_fields = fields


class PlacesRowSerializer(serializers.Serializer):
    """One condition's places in a year: over-use shows as a negative `left`."""

    condition = serializers.IntegerField(source="pk")
    sending = serializers.IntegerField(source="sending_institution_id")
    sending_name = serializers.CharField(source="sending_institution.name")
    sending_unit = serializers.IntegerField(source="sending_unit_id", allow_null=True)
    receiving = serializers.IntegerField(source="receiving_institution_id")
    receiving_name = serializers.CharField(source="receiving_institution.name")
    receiving_unit = serializers.IntegerField(source="receiving_unit_id", allow_null=True)
    mobility_type = serializers.CharField()
    field = serializers.CharField(source="field_id", allow_null=True)
    levels = SchemaLevelsField()
    places = serializers.IntegerField()
    used = serializers.IntegerField()
    left = serializers.IntegerField()


class ApprovalSerializer(serializers.Serializer):
    institution = serializers.IntegerField(source="institution_id")
    institution_name = serializers.CharField(source="institution.name")
    approved_at = serializers.DateTimeField()
    version = serializers.CharField()


class ApproveSerializer(serializers.Serializer):
    version = serializers.RegexField(
        r"^[0-9a-fA-F]{64}$",
        help_text=_("The version you read: 64 hexadecimal characters."),
        error_messages={"invalid": _("A version is 64 hexadecimal characters.")},
    )


class StrictSerializer(serializers.Serializer):
    """A plain serializer that refuses fields it does not know, like StrictModelSerializer."""

    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise serializers.ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class RenewSerializer(StrictSerializer):
    reference = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text=_("Reference of the renewal; default: the current one with -R1, -R2… added."),
    )
    signed_on = serializers.DateField(required=False, allow_null=True)
    effective_from = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Default: the day after the current term expires."),
    )
    expires_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("Default: a term as long as the current one."),
    )

    def validate_reference(self, reference):
        reference = reference.strip()
        if reference and Agreement.objects.filter(reference=reference).exists():
            raise serializers.ValidationError(_("Another agreement already uses this reference."))
        return reference or None


class TerminateSerializer(StrictSerializer):
    terminated_on = serializers.DateField(help_text=_("The day the agreement ends."))
    termination_reason = serializers.CharField(help_text=_("Why the agreement ends."))


class ApprovalStatusSerializer(serializers.Serializer):
    version = serializers.CharField()
    approved_by_all = serializers.BooleanField()
    approved = ApprovalSerializer(many=True, source="current_approvals")
    waiting_for = serializers.ListField(child=serializers.IntegerField(), source="waiting_ids")


class AgreementPartySerializer(StrictModelSerializer):
    name = serializers.CharField(source="institution.name", read_only=True)
    country = CountryField(source="institution.country", read_only=True)

    class Meta:
        model = AgreementParty
        fields = [
            "institution",
            "name",
            "country",
            "unit",
            "role",
            "signatory_name",
            "signatory_title",
        ]
        extra_kwargs = {"unit": {"required": False, "allow_null": True}}

    def validate(self, values):
        unit = values.get("unit")
        if unit is not None and unit.institution_id != values["institution"].pk:
            raise serializers.ValidationError({"unit": [_("Choose a unit of this institution.")]})
        return values


@functools.cache
def _country_code(code):
    """What DRF's CountryField shows for a stored code (looked up once per code)."""
    return countries.alpha2(code)


def _iso(day):
    return None if day is None else day.isoformat()


_approved_at = serializers.DateTimeField()


# What the list reads of each agreement, as named tuples (`values_list(..., named=True)`).
LISTED_AGREEMENT_COLUMNS = (
    "id",
    "reference",
    "title",
    "kind",
    "state",
    "alliance_id",
    "event_id",
    "signed_on",
    "effective_from",
    "expires_on",
    "auto_renews",
    "notice_days",
    "renews_id",
    "terminated_on",
    "summary",
    "visibility",
    "document",
)
# The parts of a row's parties and approvals that `terms_of` and `approval_status_of` read,
# under the names of the model attributes they read.
ListedInstitution = namedtuple("ListedInstitution", "pk name")
ListedParty = namedtuple(
    "ListedParty",
    "institution_id institution country unit_id role signatory_name signatory_title",
)
ListedApproval = namedtuple("ListedApproval", "institution_id institution approved_at version")
# (key, attribute) of each condition term: foreign keys by their id, as the serializer shows.
_CONDITION_ATTRIBUTES = [
    (name, AgreementCondition._meta.get_field(name).attname) for name in AgreementCondition.EDITABLE
]
ListedCondition = namedtuple(
    "ListedCondition", ["id", *(attribute for _key, attribute in _CONDITION_ATTRIBUTES)]
)


def agreement_rows(agreements, request=None):
    """`AgreementSerializer(agreement).data` of each agreement of a page, built from plain
    tuples: `agreements` are `values_list(*LISTED_AGREEMENT_COLUMNS, named=True)` of
    `Agreement.objects.with_state()`; their parties, conditions, approvals and subject areas
    are read here in four queries. On a page of 100, model instances, prefetching and DRF's
    nested serializers cost several times the SQL. `tests/api` checks that every row equals
    the detail endpoint's answer."""
    ids = [agreement.id for agreement in agreements]
    parties, conditions = _listed_parties(ids), _listed_conditions(ids)
    approvals, subject_areas = _listed_approvals(ids), _listed_subject_areas(ids)
    return [
        _agreement_row(
            agreement,
            parties.get(agreement.id, ()),
            conditions.get(agreement.id, ()),
            approvals.get(agreement.id, ()),
            subject_areas.get(agreement.id, []),
            request,
        )
        for agreement in agreements
    ]


def _by_agreement(rows, make):
    """{agreement id: [make(*rest) for each row]} of `(agreement_id, *rest)` tuples, in order."""
    grouped = defaultdict(list)
    for agreement_id, *rest in rows:
        grouped[agreement_id].append(make(*rest))
    return grouped


# The related rows of a page's agreements, each in the detail's order within one agreement
# (the models' `Meta.ordering` after the agreement). Built once: a page only narrows them to
# its agreements (`.filter()` returns a copy, so these are never evaluated themselves).
_PARTY_ROWS = AgreementParty.objects.order_by().values_list(
    "agreement_id", "institution_id", "unit_id", "role", "signatory_name", "signatory_title"
)
_PARTY_INSTITUTIONS = Institution.objects.order_by("name").values_list("pk", "name", "country")
_CONDITION_ROWS = AgreementCondition.objects.order_by(
    "sending_institution__name", "mobility_type", "id"
).values_list("agreement_id", *ListedCondition._fields)
_APPROVAL_ROWS = AgreementApproval.objects.order_by("-approved_at", "id").values_list(
    "agreement_id", "institution_id", "institution__name", "approved_at", "version"
)
_SUBJECT_AREA_ROWS = Agreement.subject_areas.through.objects.order_by(
    "fieldofstudy_id"
).values_list("agreement_id", "fieldofstudy_id")


def _listed_parties(ids):
    """The parties of these agreements in the detail's order (role, then institution name).

    Their institutions are read in a second query: joined, PostgreSQL hashes every
    institution (2 ms for 10,000) to name two hundred parties. The names come sorted by the
    database, so they sort as the detail's do whatever the collation."""
    rows = list(_PARTY_ROWS.filter(agreement_id__in=ids))
    institutions = _PARTY_INSTITUTIONS.filter(pk__in={row[1] for row in rows})
    named = {
        pk: (position, name, country) for position, (pk, name, country) in enumerate(institutions)
    }
    rows.sort(key=lambda row: (row[3], named[row[1]][0]))  # roles are lower-case ASCII codes

    def party(institution_id, unit_id, *rest):
        _position, name, country = named[institution_id]
        return ListedParty(
            institution_id, ListedInstitution(institution_id, name), country, unit_id, *rest
        )

    return _by_agreement(rows, party)


def _listed_conditions(ids):
    return _by_agreement(_CONDITION_ROWS.filter(agreement_id__in=ids), ListedCondition)


def _listed_approvals(ids):
    def approval(institution_id, name, approved_at, version):
        return ListedApproval(
            institution_id, ListedInstitution(institution_id, name), approved_at, version
        )

    return _by_agreement(_APPROVAL_ROWS.filter(agreement_id__in=ids), approval)


def _listed_subject_areas(ids):
    return _by_agreement(_SUBJECT_AREA_ROWS.filter(agreement_id__in=ids), str)


def _agreement_row(agreement, parties, conditions, approvals, subject_areas, request):
    status = approval_status_of(
        version=terms_version(terms_of(agreement, parties=parties, conditions=conditions)),
        parties=parties,
        approvals=approvals,
    )
    return {
        "id": agreement.id,
        "reference": agreement.reference,
        "title": agreement.title,
        "kind": agreement.kind,
        "state": agreement.state,
        "alliance": agreement.alliance_id,
        "event": agreement.event_id,
        "signed_on": _iso(agreement.signed_on),
        "effective_from": _iso(agreement.effective_from),
        "expires_on": _iso(agreement.expires_on),
        "auto_renews": agreement.auto_renews,
        "notice_days": agreement.notice_days,
        "renews": agreement.renews_id,
        "terminated_on": _iso(agreement.terminated_on),
        "subject_areas": subject_areas,
        "summary": agreement.summary,
        "visibility": agreement.visibility,
        "parties": [_party_row(party) for party in parties],
        "conditions": [_condition_row(condition) for condition in conditions],
        "version": status.version,
        "approval": {
            "version": status.version,
            "approved_by_all": status.approved_by_all,
            "approved": [
                {
                    "institution": approval.institution_id,
                    "institution_name": approval.institution.name,
                    "approved_at": _approved_at.to_representation(approval.approved_at),
                    "version": approval.version,
                }
                for approval in status.current_approvals
            ],
            "waiting_for": status.waiting_ids,
        },
        "document_url": _document_url(agreement.reference, agreement.document, request),
    }


def _party_row(party):
    return {
        "institution": party.institution_id,
        "name": party.institution.name,
        "country": _country_code(party.country),
        "unit": party.unit_id,
        "role": party.role,
        "signatory_name": party.signatory_name,
        "signatory_title": party.signatory_title,
    }


def _condition_row(condition):
    row = {"id": condition.id}
    for key, attribute in _CONDITION_ATTRIBUTES:
        row[key] = getattr(condition, attribute)
    row["levels"] = list(row["levels"])
    return row


def _document_url(reference, document, request):
    """Where the signed PDF is downloaded (as visible as the agreement), or null."""
    if not document:
        return None
    path = reverse("agreement-document", args=[reference])
    return request.build_absolute_uri(path) if request else path


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
    version = serializers.SerializerMethodField()
    approval = serializers.SerializerMethodField()

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
            "conditions",
            "version",
            "approval",
            "document_url",
        ]
        read_only_fields = ["renews", "terminated_on"]

    def get_fields(self):
        fields = super().get_fields()
        fields["conditions"] = NestedConditionSerializer(many=True, read_only=True)
        return fields

    @extend_schema_field(
        {"type": "string", "description": "SHA-256 of the canonical terms (docs/agreements.md)."}
    )
    def get_version(self, agreement):
        return self._status(agreement).version

    @extend_schema_field(ApprovalStatusSerializer)
    def get_approval(self, agreement):
        return ApprovalStatusSerializer(self._status(agreement)).data

    @staticmethod
    def _status(agreement):
        # Computed once per record from the prefetched parties, conditions and approvals.
        if "_approval_status" not in agreement.__dict__:
            agreement.__dict__["_approval_status"] = approval_status(agreement)
        return agreement.__dict__["_approval_status"]

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_document_url(self, agreement):
        return _document_url(agreement.reference, agreement.document, self.context.get("request"))

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
