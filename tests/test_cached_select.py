"""Selects drawn once (CachedOptionsSelect) and labels translated once (the `display` and
`country_name` filters) give exactly what Django's own rendering gives."""

import re

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.template import Context, Template
from django.utils import translation
from django_countries import countries

from alliance_portal.filter_fields import country_choices
from alliance_portal.widgets import CachedOptionsSelect
from partnerships.forms import AllianceMemberFilter, PartnerFinderForm, RegistryAgreementFilter
from partnerships.models import Agreement, Alliance, Membership
from partnerships.views.common import page_filters
from tests import factories

AWKWARD_CHOICES = [
    ("", "Any"),
    ('a"b', "Quote <b>"),
    ("a&b", "Tom & Jerry's"),
    ("1", "One"),
    ("10", "Ten"),
    ("x", "First x"),
    ("x", "Second x"),
]


def both(choices, value, attrs=None):
    """(Django's rendering, the cached one) of the same select."""
    django_select = forms.Select(choices=choices)
    cached_select = CachedOptionsSelect(choices=choices)
    return (
        django_select.render("pick", value, attrs=attrs),
        cached_select.render("pick", value, attrs=attrs),
    )


@pytest.mark.parametrize(
    "value", [None, "", 'a"b', "a&b", "1", 1, "x", "unknown", '"><script>', ["1"], ["10", "1"]]
)
def test_the_cached_select_is_identical_to_djangos(value):
    django_html, cached_html = both(AWKWARD_CHOICES, value, attrs={"id": "id_pick"})
    assert cached_html == django_html


def test_it_marks_only_the_chosen_option_and_escapes_values_and_labels():
    _django, html = both(AWKWARD_CHOICES, "a&b")
    assert re.findall(r"<option[^>]*selected[^>]*>", html) == ['<option value="a&amp;b" selected>']
    assert "Tom &amp; Jerry&#x27;s" in html
    assert "Quote &lt;b&gt;" in html
    assert '<option value="a&quot;b">' in html


def test_a_value_twice_in_the_choices_is_selected_once_as_django_does():
    _django, html = both(AWKWARD_CHOICES, "x")
    assert html.count("selected") == 1
    assert '<option value="x" selected>First x</option>' in html


def test_it_draws_the_options_once_and_again_when_name_attributes_or_choices_change():
    class CountingRenderer(type(get_default_renderer())):
        drawn = 0

        def render(self, *args, **kwargs):
            CountingRenderer.drawn += 1
            return super().render(*args, **kwargs)

    renderer = CountingRenderer()
    select = CachedOptionsSelect(choices=[("", "Any"), ("cn", "China")])
    for value in (None, "cn", "", "cn", "other"):
        select.render("country", value, renderer=renderer)
    assert CountingRenderer.drawn == 1
    select.render("country", "cn", attrs={"aria-invalid": "true"}, renderer=renderer)
    select.render("origin", "cn", renderer=renderer)
    select.choices = [("", "Any"), ("cn", "Chine")]
    html = select.render("origin", "cn", renderer=renderer)
    assert CountingRenderer.drawn == 4
    assert '<option value="cn" selected>Chine</option>' in html


@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_the_country_select_follows_the_active_language(language):
    with translation.override(language):
        choices = [("", "—"), *country_choices()]
        django_html, cached_html = both(choices, "CN")
        assert cached_html == django_html
        assert f'<option value="CN" selected>{countries.name("CN")}</option>' in cached_html
    with translation.override("en"):
        english = CachedOptionsSelect(choices=[("", "—"), *country_choices()]).render("c", "CN")
    if language != "en":
        assert cached_html != english


def rendered_fields(filterset):
    return {field.name: str(field) for field in filterset.form}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
@pytest.mark.parametrize(
    "data",
    [{}, {"party_country": "CN", "kind": "mou", "state": "active"}, {"party_country": '"><b>'}],
)
def test_the_registry_filters_render_as_with_djangos_selects(language, data):
    for number in range(3):
        factories.AllianceFactory(name=f'Alliance <{number}> & "co"')
    data = {**data, "alliance": str(Alliance.objects.order_by("pk").last().pk)}
    with translation.override(language):
        cached = page_filters(RegistryAgreementFilter(data, queryset=Agreement.objects.all()), {})
        plain = page_filters(RegistryAgreementFilter(data, queryset=Agreement.objects.all()), {})
        for field in plain.form.fields.values():
            if isinstance(field.widget, CachedOptionsSelect):
                field.widget = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
        assert rendered_fields(cached) == rendered_fields(plain)
        assert isinstance(cached.form.fields["party_country"].widget, CachedOptionsSelect)
        assert isinstance(cached.form.fields["alliance"].widget, CachedOptionsSelect)


@pytest.mark.django_db
def test_the_alliance_member_filters_use_the_cached_select_and_keep_the_chosen_values():
    data = {"country": "KZ", "kind": "university", "role": "member", "active": "false"}
    members = page_filters(AllianceMemberFilter(data, queryset=Membership.objects.all()), {})
    for name, value in [("country", "KZ"), ("kind", "university"), ("active", "false")]:
        html = str(members.form[name])
        assert isinstance(members.form.fields[name].widget, CachedOptionsSelect)
        assert re.findall(r'<option value="([^"]*)" selected>', html) == [value]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru", "zh-hans"])
def test_display_and_country_name_give_what_django_gives_in_each_language(language):
    membership = factories.MembershipFactory(role="associate", institution__country="KZ")
    institution = membership.institution
    template = Template(
        "{% load portal %}{{ membership|display:'role' }}|{{ institution|display:'kind' }}|"
        "{{ institution.country|country_name }}|{{ 'kz'|country_name }}"
    )
    for _round in range(2):  # the second reads the labels kept from the first
        with translation.override(language):
            html = template.render(Context({"membership": membership, "institution": institution}))
            expected = [
                membership.get_role_display(),
                institution.get_kind_display(),
                institution.country.name,
                countries.name("KZ"),
            ]
        assert html.split("|") == expected


@pytest.mark.django_db
def test_display_of_a_value_outside_the_choices_is_the_value_itself():
    membership = factories.MembershipFactory()
    membership.role = "no-such-role"
    html = Template("{% load portal %}{{ m|display:'role' }}").render(Context({"m": membership}))
    assert html == membership.get_role_display() == "no-such-role"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "names"),
    [
        ("/programmes/", ["lead", "partner"]),
        ("/events/", ["host"]),
        ("/flows/", ["origin_institution", "destination_institution"]),
    ],
)
def test_list_pages_take_an_institution_as_typed_text_not_from_a_select_of_all(client, url, names):
    for number in range(30):
        factories.InstitutionFactory(name=f"Institution {number}")
    html = client.get(url).content.decode()
    for name in names:
        assert f'<select name="{name}"' not in html
        box = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'type="text"' in box and 'placeholder="Name, slug or ROR ID"' in box
        assert f'list="{name}-suggestions"' in box
        assert 'data-suggest-url="/api/v1/institutions/"' in box
        assert f'<datalist id="{name}-suggestions"></datalist>' in html
    assert "Institution 7" not in html
    assert 'src="/static/js/institution-suggest.js"' in html


@pytest.mark.django_db
def test_the_typed_institution_is_found_by_slug_id_ror_id_or_name(client):
    kept = factories.InstitutionFactory(
        slug="kept", name="Tomsk Polytechnic University", ror_id="https://ror.org/00a45v709"
    )
    other = factories.InstitutionFactory(name="Tomsk State University")
    factories.ProgrammeFactory(name="Kept programme", lead=kept)
    factories.ProgrammeFactory(name="Other programme", lead=other)
    for value in ("kept", str(kept.pk), "00a45v709", "Tomsk Polytechnic University", "polytech"):
        response = client.get("/programmes/", {"lead": value})
        assert [p.name for p in response.context["page_obj"]] == ["Kept programme"], value
        assert f'name="lead" value="{value}"' in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_or_ambiguous_typed_institution_is_named_at_its_box(client):
    factories.InstitutionFactory(name="Tomsk Polytechnic University", slug="tpu")
    factories.InstitutionFactory(name="Tomsk State University", slug="tsu")
    response = client.get("/events/", {"host": "<nope>"})
    assert response.status_code == 200
    unknown = "No institution has the name, slug or ROR ID “&lt;nope&gt;”."
    assert unknown in response.content.decode()
    response = client.get("/flows/", {"origin_institution": "Tomsk"})
    assert response.status_code == 200
    assert "Several institutions match “Tomsk”" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_partner_finder_draws_its_country_and_field_selects_once_as_django_would(language):
    data = {"country": "KZ", "field": "0413"}
    with translation.override(language):
        form = PartnerFinderForm(data)
        for name, value in data.items():
            field = form.fields[name]
            assert isinstance(field.widget, CachedOptionsSelect)
            plain = forms.Select(attrs=field.widget.attrs, choices=field.widget.choices)
            html = str(form[name])
            assert html == form[name].as_widget(widget=plain)
            assert re.findall(r'<option value="([^"]*)" selected>', html) == [value]
