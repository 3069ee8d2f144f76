"""Model fields that normalise what users type before it is validated."""

from django.db import models

from partnerships.validators import normalize_ror_id, validate_ror_id


class RorIdField(models.CharField):
    """A ROR ID stored in its full URL form; a bare 9-character ID is accepted on input."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 25)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)
        self.validators.append(validate_ror_id)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def to_python(self, value):
        return normalize_ror_id(super().to_python(value))
