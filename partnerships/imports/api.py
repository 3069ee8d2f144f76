"""`POST /api/v1/imports/`: the import service for integrators with a staff token."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status, viewsets
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from alliance_portal.api_base import ApiViewMixin
from partnerships import permissions
from partnerships.imports.forms import ACCEPTED_SUFFIXES, MAX_UPLOAD_BYTES
from partnerships.imports.service import KINDS, kind_named, run_import


class KindField(serializers.ChoiceField):
    """A kind, in any case, with stray spaces, plural or singular (`Flows`, `flow `)."""

    def to_internal_value(self, data):
        return super().to_internal_value(kind_named(data) if isinstance(data, str) else data)

    def fail(self, key, **kwargs):
        if key != "invalid_choice":
            return super().fail(key, **kwargs)
        raise serializers.ValidationError(
            _("“%(input)s” is not a kind of import; choose one of: %(kinds)s.")
            % {"input": kwargs["input"], "kinds": ", ".join(self.choices)},
            code=key,
        )


class ImportRequestSerializer(serializers.Serializer):
    kind = KindField(choices=list(KINDS))
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=False)
    add = serializers.BooleanField(
        default=False, help_text=_("Flows: add the file's counts to the stored ones.")
    )

    def validate_file(self, upload):
        if len(self.initial_data.getlist("file")) > 1:
            raise serializers.ValidationError(_("Send one file per request."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise serializers.ValidationError(_("The file is larger than 200 MB."))
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise serializers.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload

    def validate(self, attrs):
        # A misspelt flag ("dry-run") must not turn a check into a real import.
        unknown = sorted(set(self.initial_data) - set(self.fields))
        if unknown:
            message = _("Unknown field; the fields are: %(fields)s.") % {
                "fields": ", ".join(self.fields)
            }
            raise serializers.ValidationError({name: [message] for name in unknown})
        return attrs


ImportReportSchema = inline_serializer(
    "ImportReport",
    {
        "kind": serializers.CharField(),
        "dry_run": serializers.BooleanField(),
        "ok": serializers.BooleanField(),
        "written": serializers.BooleanField(),
        "rows": serializers.IntegerField(),
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "unchanged": serializers.IntegerField(),
        "error_count": serializers.IntegerField(),
        "errors": serializers.ListField(child=serializers.DictField()),
        "changes": serializers.ListField(child=serializers.DictField()),
        "summary": serializers.CharField(),
    },
)


class ImportViewSet(ApiViewMixin, viewsets.ViewSet):
    """Check a CSV or XLSX file and load it; when any row is bad nothing is written (400)."""

    parser_classes = [MultiPartParser, FormParser]
    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={
            200: ImportReportSchema,
            # Bad rows give the report; a bad request (no file, unknown kind) field errors.
            400: OpenApiResponse(
                response=OpenApiTypes.OBJECT,
                description="The import report with the bad rows, or field-level errors.",
            ),
        },
    )
    def create(self, request):
        permissions.ensure(
            permissions.can_import_through_api(request.user),
            user=request.user,
            action="import through the API",
            target="/api/v1/imports/",
        )
        serializer = ImportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        upload = serializer.validated_data["file"]
        report = run_import(
            kind=serializer.validated_data["kind"],
            file=upload.file,
            filename=upload.name,
            by=request.user,
            dry_run=serializer.validated_data["dry_run"],
            add=serializer.validated_data["add"],
        )
        code = status.HTTP_200_OK if report.ok else status.HTTP_400_BAD_REQUEST
        return Response(report.as_dict(), status=code)
