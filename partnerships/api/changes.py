"""GET /api/v1/changes/?since=...: the change feed (see partnerships/changes.py, docs/api.md)."""

from django.utils.http import urlencode
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from alliance_portal.api_base import ApiViewMixin, parse_page_size
from alliance_portal.api_csv import csv_response
from partnerships.changes import InvalidCursor, changes_page, encode_cursor, parse_moment

DEFAULT_PAGE_SIZE = 100
MOMENT_ERROR = _("Give an ISO 8601 date-time with a time zone, e.g. 2026-01-31T08:00:00Z.")


class ChangeSerializer(serializers.Serializer):
    resource = serializers.CharField()
    id = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "updated", "deleted"])
    when = serializers.DateTimeField()
    url = serializers.URLField(allow_null=True, help_text="The record's address; null if deleted.")


class ChangeFeedViewSet(ApiViewMixin, viewsets.ViewSet):
    """What was created, updated or deleted since a moment, oldest first."""

    extra_query_parameters = ("since", "cursor", "page_size")

    @extend_schema(
        parameters=[
            OpenApiParameter("since", str, required=True, description=MOMENT_ERROR),
            OpenApiParameter("cursor", str, description=_("The `next` link's cursor.")),
            OpenApiParameter("page_size", int, description=_("1 to 500; default 100.")),
        ],
        responses=inline_serializer(
            "ChangePage",
            {"next": serializers.URLField(allow_null=True), "results": ChangeSerializer(many=True)},
        ),
    )
    def list(self, request):
        since = parse_moment(request.query_params.get("since"))
        if since is None:
            raise ValidationError({"since": [MOMENT_ERROR]})
        size = parse_page_size(request, DEFAULT_PAGE_SIZE)
        cursor = request.query_params.get("cursor") or None
        try:
            changes, more = changes_page(user=request.user, since=since, size=size, cursor=cursor)
        except InvalidCursor:
            raise ValidationError(
                {"cursor": [_("This cursor is not one the feed gave.")]}
            ) from None
        results = [self._shown(change, request) for change in changes]
        if self.wants_export():
            return csv_response(iter(results), filename="changes")
        next_url = None
        if more:
            query = {**request.query_params.dict(), "cursor": encode_cursor(changes[-1])}
            next_url = request.build_absolute_uri(f"{request.path}?{urlencode(query)}")
        return Response({"next": next_url, "results": results})

    @staticmethod
    def _shown(change, request):
        # Resources are named as the API's lists, which sit beside this one.
        api_root = request.path.rsplit("changes/", 1)[0]
        url = None
        if change.action != "deleted":
            url = request.build_absolute_uri(f"{api_root}{change.resource}/{change.id}/")
        return {
            "resource": change.resource,
            "id": change.id,
            "action": change.action,
            "when": change.when.isoformat().replace("+00:00", "Z"),
            "url": url,
        }
