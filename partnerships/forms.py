"""Forms of the portal pages: list filters, logging agreements, keeping memberships."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import BLANK_CHOICE_DASH, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from alliance_portal.widgets import CachedOptionsSelect
from partnerships import permissions
from partnerships.filters import AgreementFilter, MembershipFilter
from partnerships.models import (
    Agreement,
    AgreementCondition,
    AgreementParty,
    CountryGroup,
    FieldOfStudy,
    Institution,
    Membership,
    Unit,
)
from partnerships.validators import normalize_ror_id
from partnerships.views.labels import FILTER_LABELS
from partnerships.vocabularies import DEGREE_LEVELS, ISCED_F_FIELDS, language_choices

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InstitutionLookupField(forms.Field):
    """An institution typed as its id, slug, ROR ID, acronym or name (or a part of the name
    only it has): a text box, where a select would list every institution."""

    widget = forms.TextInput
    MAX_LENGTH = 200
    # Names shown when a fragment fits several institutions.
    SHOWN_MATCHES = 3

    def to_python(self, value):
        text = " ".join(str(value or "").split())[: self.MAX_LENGTH]
        if not text:
            return None
        institutions = Institution.objects.only("pk", "name", "slug").order_by("name")
        exact = [Q(slug=text), Q(ror_id=normalize_ror_id(text)), Q(name__iexact=text)]
        if text.isascii() and text.isdigit() and len(text) <= 9:
            exact.insert(0, Q(pk=int(text)))
        fragment = Q(name__icontains=text) | Q(short_name__iexact=text)
        for lookup in [*exact, fragment]:
            found = list(institutions.filter(lookup)[: self.SHOWN_MATCHES + 1])
            if found:
                break
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                _("No institution has the name, slug or ROR ID “%(text)s”."),
                code="unknown_institution",
                params={"text": text},
            )
        names = ", ".join(f"{i.name} ({i.slug})" for i in found[: self.SHOWN_MATCHES])
        raise ValidationError(
            _("Several institutions match “%(text)s”, e.g. %(names)s: type the slug in brackets."),
            code="ambiguous_institution",
            params={"text": text, "names": names},
        )


class InstitutionSuggestInput(forms.TextInput):
    """The text box of an `InstitutionLookupField`, with the `<datalist>` that
    `static/js/institution-suggest.js` fills from the institutions API as the user types."""

    def __init__(self, attrs=None):
        super().__init__(
            {"autocomplete": "off", "placeholder": _("Name, slug or ROR ID"), **(attrs or {})}
        )

    def render(self, name, value, attrs=None, renderer=None):
        suggestions = f"{name}-suggestions"
        attrs = {
            **(attrs or {}),
            "list": suggestions,
            "data-suggest-url": reverse("api-root") + "institutions/",
        }
        box = super().render(name, value, attrs, renderer)
        return box + format_html('<datalist id="{}"></datalist>', suggestions)


class InstitutionLookupFilter(django_filters.Filter):
    field_class = InstitutionLookupField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", InstitutionSuggestInput)
        super().__init__(*args, **kwargs)


class RegistryAgreementFilter(AgreementFilter):
    """The registry page's filters: the API's, with the party typed rather than picked from
    a select of every institution. Suggestions come from `static/js/institution-suggest.js`."""

    party = InstitutionLookupFilter(method="filter_party")


class AllianceMemberFilter(MembershipFilter):
    """The members table of an alliance page: the API's membership filters, a name, kind and
    order. Not the alliance (the page's own) nor a select of every institution: at 10,000
    institutions its options cost more than the rest of the page; a name fragment does."""

    alliance = None
    institution = None
    name = django_filters.CharFilter(
        label=_("Name"), field_name="institution__name", lookup_expr="icontains"
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), field_name="institution__kind", choices=Institution.Kind.choices
    )
    order = django_filters.OrderingFilter(
        label=_("Sort by"),
        empty_label=None,  # the first choice, by name, is the order without one
        fields=(
            ("institution__name", "name"),
            ("institution__country", "country"),
            ("role", "role"),
            ("joined_on", "joined"),
        ),
        field_labels={
            "institution__name": _("Name"),
            "institution__country": _("Country"),
            "role": _("Role"),
            "joined_on": _("Joined"),
        },
    )

    class Meta(MembershipFilter.Meta):
        fields = ["name", "country", "kind", "role", "active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            field.label = FILTER_LABELS.get(name, field.label)
        self.form.fields["active"].widget = forms.Select(
            choices=[("", _("Current and former")), ("true", _("Current")), ("false", _("Former"))]
        )


class AgreementForm(forms.ModelForm):
    """The terms of an agreement; its parties come in `PartyFormSet`."""

    class Meta:
        model = Agreement
        fields = [
            "reference",
            "title",
            "kind",
            "alliance",
            "event",
            "signed_on",
            "effective_from",
            "expires_on",
            "auto_renews",
            "subject_areas",
            "summary",
            "visibility",
            "document",
        ]
        widgets = {
            "signed_on": DATE_INPUT,
            "effective_from": DATE_INPUT,
            "expires_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "subject_areas": forms.CheckboxSelectMultiple(attrs={"class": "long-choices"}),
            "document": forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["alliance"].queryset = self.fields["alliance"].queryset.order_by("name")
        self.fields["event"].queryset = self.fields["event"].queryset.order_by("-starts_on")
        self.fields["subject_areas"].choices = subject_area_choices  # read when drawn
        if self.instance.pk:
            # The reference is what others cite; it does not change once logged.
            self.fields["reference"].disabled = True


def subject_area_choices():
    """The ISCED-F fields as ticks grouped by broad field, each group led by the broad field
    itself (an agreement may cover a whole field)."""
    groups = {}
    for field in FieldOfStudy.objects.order_by("code"):
        broad, label = field.code[:2], str(field)
        if field.code == broad:
            label = _("%(field)s, the whole field") % {"field": label}
        groups.setdefault(broad, []).append((field.code, label))
    return [(str(FieldOfStudy(code=broad)), options) for broad, options in groups.items()]


class PartyForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.order_by("name")
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=AgreementParty.Role.choices, initial=AgreementParty.Role.PARTY
    )
    signatory_name = forms.CharField(label=_("Signatory"), max_length=150, required=False)
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=150, required=False)


class BasePartyFormSet(forms.BaseFormSet):
    """At least two signing institutions, each role once, one of them the user's own."""

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        if any(self.errors):
            return
        parties = self.parties()
        seen = set()
        for party in parties:
            key = (party["institution"].pk, party["role"])
            if key in seen:
                raise ValidationError(
                    _("%(institution)s is listed twice in the same role.")
                    % {"institution": party["institution"]}
                )
            seen.add(key)
        signing = {
            party["institution"].pk
            for party in parties
            if party["role"] in AgreementParty.SIGNING_ROLES
        }
        if len(signing) < 2:
            raise ValidationError(
                _("Name at least two different institutions that sign (party or coordinator).")
            )
        if not permissions.can_create_agreement_for(self.user, signing):
            raise ValidationError(
                _("One of the signing institutions must be one you act for as an editor.")
            )

    def parties(self):
        """The filled-in rows as the dicts `services.agreement_create` takes."""
        return [
            {name: value for name, value in form.cleaned_data.items() if name != "DELETE"}
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


PartyFormSet = forms.formset_factory(
    PartyForm, formset=BasePartyFormSet, extra=1, min_num=2, validate_min=False, can_delete=True
)


class RenewalForm(forms.Form):
    reference = forms.CharField(
        label=_("Reference of the renewal"),
        max_length=60,
        required=False,
        help_text=_("Leave empty to add -R1, -R2… to the current reference."),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE_INPUT)
    effective_from = forms.DateField(
        label=_("Effective from"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty to start the day after the current term expires."),
    )
    expires_on = forms.DateField(
        label=_("Expires on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Leave empty for a term as long as the current one."),
    )

    def clean_reference(self):
        reference = self.cleaned_data["reference"].strip()
        if reference and Agreement.objects.filter(reference=reference).exists():
            raise ValidationError(_("Another agreement already uses this reference."))
        return reference


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["institution", "role", "joined_on", "left_on", "notes"]
        widgets = {
            "joined_on": DATE_INPUT,
            "left_on": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, alliance, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.alliance = alliance
        self.fields["institution"].queryset = Institution.objects.order_by("name")
        if self.instance.pk:
            self.fields["institution"].disabled = True

    def validate_unique(self):
        # The one-open-membership rule is a conditional constraint; say it at the field.
        super().validate_unique()
        institution = self.cleaned_data.get("institution")
        if institution and self.cleaned_data.get("left_on") is None:
            open_memberships = Membership.objects.filter(
                alliance=self.instance.alliance, institution=institution, left_on__isnull=True
            ).exclude(pk=self.instance.pk)
            if open_memberships.exists():
                self.add_error(
                    "institution",
                    _("This institution already has an open membership of this alliance."),
                )


class EndMembershipForm(forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE_INPUT, initial=timezone.localdate)

    def __init__(self, *args, membership, **kwargs):
        self.membership = membership
        super().__init__(*args, **kwargs)

    def clean_left_on(self):
        left_on = self.cleaned_data["left_on"]
        if left_on < self.membership.joined_on:
            raise ValidationError(
                _("A membership cannot end before it starts (joined on %(date)s).")
                % {"date": self.membership.joined_on.isoformat()}
            )
        return left_on


def language_field(**kwargs):
    """A select of the ISO 639-1 languages, named in the reader's language; blank for none."""
    return forms.ChoiceField(
        required=False, choices=lambda: [*BLANK_CHOICE_DASH, *language_choices()], **kwargs
    )


class LevelsField(forms.MultipleChoiceField):
    """ISCED levels as ticks, stored as their digits in order ("67"); none ticked: any level."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        choices = [(level, f"ISCED {level}") for level in DEGREE_LEVELS]
        kwargs.setdefault("help_text", _("None ticked: any level."))
        super().__init__(choices=choices, required=False, **kwargs)

    def prepare_value(self, value):
        return list(value) if isinstance(value, str) else value

    def clean(self, value):
        return "".join(sorted(set(super().clean(value))))


class ConditionForm(forms.ModelForm):
    """One condition of an agreement; institutions and units are those of its parties."""

    levels = LevelsField(label=_("Levels"))
    language = language_field(label=_("Language"), widget=CachedOptionsSelect)

    class Meta:
        model = AgreementCondition
        fields = AgreementCondition.EDITABLE
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        party_ids = self.instance.agreement.parties.filter(
            role__in=AgreementParty.SIGNING_ROLES
        ).values("institution_id")
        for side in ("sending", "receiving"):
            self.fields[f"{side}_institution"].queryset = Institution.objects.filter(
                pk__in=party_ids
            ).order_by("name")
            self.fields[f"{side}_unit"].queryset = Unit.objects.filter(
                institution__in=party_ids
            ).select_related("institution")


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "kind", "parent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.filter(
            institution_id=self.instance.institution_id
        ).exclude(pk=self.instance.pk)


class PartnerFinderForm(forms.Form):
    """Filters of the partner finder; invalid values are shown and ignored."""

    country = forms.ChoiceField(
        label=_("Country"),
        required=False,
        choices=lambda: [("", _("Any country")), *countries],
        widget=CachedOptionsSelect,
    )
    country_group = forms.ModelChoiceField(
        label=_("Country group"),
        required=False,
        queryset=CountryGroup.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Any group"),
    )
    field = forms.ChoiceField(
        label=_("Field"),
        required=False,
        choices=lambda: [
            ("", _("Any field")),
            *[(c, f"{c} {n}") for c, n in ISCED_F_FIELDS.items()],
        ],
        widget=CachedOptionsSelect,
    )
    level = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[("", _("Any level")), *[(level, f"ISCED {level}") for level in DEGREE_LEVELS]],
    )
    mobility_type = forms.ChoiceField(
        label=_("Mobility"),
        required=False,
        choices=[("", _("Any mobility")), *AgreementCondition.MobilityType.choices],
    )
    year = forms.IntegerField(
        label=_("Academic year"), required=False, min_value=1950, max_value=2100
    )

    def filter(self, conditions, data):
        if data.get("country"):
            conditions = conditions.filter(receiving_institution__country=data["country"])
        if data.get("country_group"):
            conditions = conditions.filter(
                receiving_institution__country__in=data["country_group"].country_codes
            )
        if data.get("field"):
            conditions = conditions.filter(field__code__startswith=data["field"])
        if data.get("level"):
            # A condition without levels takes any level.
            conditions = conditions.filter(Q(levels__contains=data["level"]) | Q(levels=""))
        if data.get("mobility_type"):
            conditions = conditions.filter(mobility_type=data["mobility_type"])
        return conditions
