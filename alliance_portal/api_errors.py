"""Every API error is JSON with field-level messages; no input yields a 500.

DRF already answers its own errors; this adds the registry's: Django's ValidationError
(model constraints, services, selectors) and domain refusals become 400, a record still
in use becomes 409.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from partnerships.exceptions import PartnershipError


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This record is still in use."
    default_code = "conflict"


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(_non_field_as_detail(detail))
    elif isinstance(exc, PartnershipError):
        return Response(
            {"detail": str(exc.message), "code": exc.code}, status=status.HTTP_400_BAD_REQUEST
        )
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = Conflict("Other records still refer to this one; remove them first.")
    return drf_exception_handler(exc, context)


def _non_field_as_detail(errors):
    errors = dict(errors)
    if "__all__" in errors:
        errors["non_field_errors"] = errors.pop("__all__")
    return errors
