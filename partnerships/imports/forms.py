"""The upload form: which kind of table, the file, and how flow counts combine."""

from django import forms
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from partnerships import permissions
from partnerships.imports.service import LOAD_ORDER

MAX_UPLOAD_BYTES = 200 * 1024 * 1024
ACCEPTED_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx")


# Each kind is named in the reader's language by the model its rows become.
KIND_MODELS = {
    "institutions": "partnerships.Institution",
    "units": "partnerships.Unit",
    "alliances": "partnerships.Alliance",
    "events": "partnerships.Event",
    "memberships": "partnerships.Membership",
    "agreements": "partnerships.Agreement",
    "conditions": "partnerships.AgreementCondition",
    "programmes": "programs.Programme",
    "flows": "programs.StudentFlow",
}


def kind_label(kind):
    return capfirst(apps.get_model(KIND_MODELS[kind])._meta.verbose_name_plural)


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What the file holds"))
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_("UTF-8 CSV (comma, semicolon or tab) or an Excel workbook (first sheet)."),
    )
    add = forms.BooleanField(
        label=_("Add the file's flow counts to those already stored"),
        required=False,
        help_text=_("Flows only. Unticked, the file's counts replace the stored ones."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            (kind, kind_label(kind))
            for kind in LOAD_ORDER
            if permissions.can_import_kind(user, kind)
        ]
        if not permissions.can_import_kind(user, "flows"):
            del self.fields["add"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        if not upload.name.lower().endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        return upload
