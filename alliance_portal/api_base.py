"""What every API view shares: strict query parameters, pagination, ordering, CSV, writes.

Reads: a FilterSet per resource, `ordering=` on named fields, page-number pagination with a
stable order (cursor pagination where a view says so), `?format=csv|xlsx|json|jsonl`
streamed with the same filters. Unknown query parameters, unknown orderings and page sizes
over the maximum are a 400 that names them, not a silently different answer.

Writes: each viewset names the predicates of `partnerships.permissions` that allow them; the
refusal is a 403 (logged), bad values a 400 with field names.
"""

from django.db import transaction
from django.db.models import F
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.pagination import PageNumberPagination
from rest_framework.renderers import JSONRenderer

from alliance_portal.api_csv import declared_columns
from alliance_portal.api_cursor import KeysetCursorPagination
from alliance_portal.api_formats import EXPORT_RENDERERS, export_response, requested_export_format
from partnerships import permissions

MAX_PAGE_SIZE = 500
PAGE_PARAMETERS = {"page", "page_size", "cursor"}
MODIFIED_SINCE = "modified_since"
ALWAYS_ALLOWED = {"format"}


def parse_page_size(request, default):
    raw = request.query_params.get("page_size")
    if raw in (None, ""):
        return default
    try:
        size = int(raw)
    except ValueError:
        raise ValidationError({"page_size": [_("A whole number is required.")]}) from None
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise ValidationError(
            {"page_size": [_("Choose a page size from 1 to %(max)d.") % {"max": MAX_PAGE_SIZE}]}
        )
    return size


def parse_modified_since(raw):
    """`modified_since=`: an ISO 8601 date-time with a time zone, else a 400 naming it."""
    from partnerships.changes import parse_moment

    moment = parse_moment(raw)
    if moment is None:
        raise ValidationError(
            {
                MODIFIED_SINCE: [
                    _("Give an ISO 8601 date-time with a time zone, e.g. 2026-01-31T08:00:00Z.")
                ]
            }
        )
    return moment


class PageNumberPaginationStrict(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request):
        return parse_page_size(request, self.page_size)


class FlowCursorPagination(KeysetCursorPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    ordering = ("-academic_year", "-id")

    def get_page_size(self, request):
        return parse_page_size(request, self.page_size)


def nulls_last(term):
    if term.startswith("-"):
        return F(term[1:]).desc(nulls_last=True)
    return F(term).asc(nulls_last=True)


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, skipped when no query parameter names one of the filters.

    With no value, every filter leaves the queryset as it is; building the filter form
    (every field and its choices deep-copied) costs more than a small list's SQL. A
    parameter that merely starts with a filter's name (`signed_after`, a range's `_min`)
    still runs the filters."""

    def filter_queryset(self, request, queryset, view):
        filterset_class = getattr(view, "filterset_class", None)
        if filterset_class is not None and not any(
            parameter.startswith(name)
            for parameter in request.query_params
            for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)


class StrictOrderingFilter(OrderingFilter):
    """`ordering=` on the view's `ordering_fields`; an unknown field is a 400, and the
    primary key breaks ties so pages never overlap."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw:
            terms = [term.strip() for term in raw.split(",") if term.strip()]
            allowed = set(view.ordering_fields)
            unknown = [term for term in terms if term.lstrip("-") not in allowed]
            if unknown or not terms:
                raise ValidationError(
                    {
                        self.ordering_param: [
                            _("Unknown ordering %(terms)s; choose from %(allowed)s.")
                            % {
                                "terms": ", ".join(unknown) or raw,
                                "allowed": ", ".join(sorted(allowed)),
                            }
                        ]
                    }
                )
            ordering = terms
        else:
            ordering = list(self.get_default_ordering(view) or queryset.model._meta.ordering)
        if not any(term.lstrip("-") in ("pk", "id") for term in ordering):
            ordering.append("id")
        return ordering

    def filter_queryset(self, request, queryset, view):
        ordering = self.get_ordering(request, queryset, view)
        if not ordering:
            return queryset
        # Empty values last in both directions, on every database (PostgreSQL would put
        # them first when descending, SQLite last).
        return queryset.order_by(*[nulls_last(term) for term in ordering])

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        choices = [f"{prefix}{field}" for field in view.ordering_fields for prefix in ("", "-")]
        for parameter in parameters:
            parameter["schema"] = {"type": "string", "enum": choices}
            parameter["description"] = _("Sort by a field; a leading - reverses the order.")
        return parameters


class FormatNegotiation(DefaultContentNegotiation):
    """An unknown `?format=` is a 400 on `format` naming the formats the endpoint offers,
    where DRF would answer a bare 404."""

    def filter_renderers(self, renderers, format):
        offered = [renderer for renderer in renderers if renderer.format == format]
        if not offered:
            formats = ", ".join(dict.fromkeys(renderer.format for renderer in renderers))
            message = _("Unknown format “%(format)s”; choose one of: %(formats)s.") % {
                "format": Truncator(format).chars(40),
                "formats": formats,
            }
            raise ValidationError({"format": [message]})
        return offered


class ApiViewMixin:
    """Renderers, strict query parameters, JSON errors even when CSV was asked for."""

    renderer_classes = [JSONRenderer, *EXPORT_RENDERERS]
    # Query parameters a view reads beyond its filters, ordering and pagination.
    extra_query_parameters = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_parameters(request)

    def allowed_query_parameters(self):
        allowed = set(ALWAYS_ALLOWED) | set(self.extra_query_parameters)
        filterset_class = getattr(self, "filterset_class", None)
        if filterset_class is not None and self.action in ("list", *self.filtered_actions()):
            allowed |= set(filterset_class.base_filters)
        if self.action == "list":
            allowed |= PAGE_PARAMETERS
            if getattr(self, "ordering_fields", None):
                allowed.add("ordering")
            if self.lists_by_modification():
                allowed.add(MODIFIED_SINCE)
        return allowed

    def lists_by_modification(self):
        """Does this list take `modified_since=` (its records carry an `updated` stamp)?"""
        serializer_class = getattr(self, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        return model is not None and any(f.name == "updated" for f in model._meta.fields)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        raw = self.request.query_params.get(MODIFIED_SINCE)
        if self.action == "list" and raw is not None and self.lists_by_modification():
            queryset = queryset.filter(updated__gte=parse_modified_since(raw))
        return queryset

    def filtered_actions(self):
        return ()

    def check_query_parameters(self, request):
        unknown = sorted(set(request.query_params) - self.allowed_query_parameters())
        if unknown:
            raise ValidationError({name: [_("Unknown query parameter.")] for name in unknown})

    def handle_exception(self, exc):
        # An error is JSON whatever format was asked for.
        if getattr(self.request, "accepted_renderer", None) and (
            self.request.accepted_renderer.format != "json"
        ):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def wants_export(self):
        return requested_export_format(self.request) is not None

    def export_response(self, rows, *, filename, columns=None):
        """Every row as the CSV, XLSX, JSON or JSON Lines download that was asked for."""
        return export_response(
            requested_export_format(self.request), rows, filename=filename, columns=columns
        )

    def export_name(self):
        return self.basename


class ReadListMixin(ApiViewMixin):
    """`list` that streams every filtered row when an export format is asked for."""

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if self.wants_export():
            serializer = self.get_serializer_class()(context=self.get_serializer_context())
            rows = (
                serializer.to_representation(record)
                for record in queryset.iterator(chunk_size=2000)
            )
            return self.export_response(
                rows, filename=self.export_name(), columns=declared_columns(serializer)
            )
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


# Refuses fields it does not know (a typo must not be silently dropped); read-only fields
# it shows are ignored on input, so a record read can be sent back. (A comment, not a
# docstring: the schema would show a docstring as every resource's description.)
class StrictModelSerializer(serializers.ModelSerializer):
    def to_internal_value(self, data):
        if hasattr(data, "keys"):
            unknown = sorted(set(data.keys()) - set(self.fields))
            if unknown:
                raise ValidationError({name: [_("Unknown field.")] for name in unknown})
        return super().to_internal_value(data)


class PermissionWriteMixin:
    """create/update/destroy through the permission module and model validation.

    Subclasses define `may_create(user, data)`, `may_edit(user, record)` and
    `may_delete(user, record)` with predicates of `partnerships.permissions`.
    """

    def may_create(self, user, data):
        return permissions.is_staff(user)

    def may_edit(self, user, record):
        return permissions.is_staff(user)

    def may_delete(self, user, record):
        return self.may_edit(user, record)

    def get_object(self):
        record = super().get_object()
        user, method = self.request.user, self.request.method
        if method in ("PUT", "PATCH"):
            permissions.ensure(
                self.may_edit(user, record),
                user=user,
                action=f"edit {self.basename}",
                target=record,
            )
        elif method == "DELETE":
            permissions.ensure(
                self.may_delete(user, record),
                user=user,
                action=f"delete {self.basename}",
                target=record,
            )
        return record

    def perform_create(self, serializer):
        user = self.request.user
        permissions.ensure(
            self.may_create(user, serializer.validated_data),
            user=user,
            action=f"create {self.basename}",
            target=self.basename,
        )
        self._save(serializer)

    def perform_update(self, serializer):
        # The record as it will be must be allowed too (e.g. not moved to another alliance).
        user = self.request.user
        permissions.ensure(
            self.may_create(user, RecordAfterUpdate(serializer)),
            user=user,
            action=f"save {self.basename} with these values",
            target=serializer.instance,
        )
        self._save(serializer)

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()

    def _save(self, serializer):
        """Validate the whole record (clean + constraints) before saving it."""
        model = serializer.Meta.model
        data = dict(serializer.validated_data)
        many = {
            name: data.pop(name)
            for name in list(data)
            if getattr(model._meta.get_field(name), "many_to_many", False)
        }
        instance = serializer.instance or model()
        for name, value in data.items():
            setattr(instance, name, value)
        instance.full_clean()
        with transaction.atomic():
            instance.save()
            for name, value in many.items():
                getattr(instance, name).set(value)
        # Read back through the view's queryset, so annotated fields are in the answer.
        serializer.instance = self.get_queryset().get(pk=instance.pk)


class RecordAfterUpdate:
    """The values a record will have after an update: the new ones, else the current ones."""

    def __init__(self, serializer):
        self.values, self.instance = serializer.validated_data, serializer.instance

    def get(self, name, default=None):
        if name in self.values:
            return self.values[name]
        return getattr(self.instance, name, default)

    def __getitem__(self, name):
        return self.get(name)
