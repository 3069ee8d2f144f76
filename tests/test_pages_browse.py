"""Reading pages: the right records appear, hidden agreements never do, queries stay bounded."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories

pytestmark = pytest.mark.django_db


def page(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.status_code
    return response, response.content.decode()


# Home


def test_home_shows_key_figures_counting_only_visible_agreements(
    client, agreement_of_each_visibility
):
    factories.StudentFlowFactory(academic_year=2018, students=300)
    factories.StudentFlowFactory(academic_year=2018, origin_country="RU", students=200)
    factories.StudentFlowFactory(academic_year=2017, students=999)
    response, _html = page(client, "/")
    figures = response.context["figures"]
    assert figures["active_agreements"] == 1  # only the public one
    assert figures["students"] == 500
    assert figures["alliances"] == 1
    assert figures["members"] == 2
    assert response.context["latest_year"] == 2018


def test_home_lists_recent_agreements_visible_to_the_visitor(client, agreement_of_each_visibility):
    _response, html = page(client, "/")
    assert "Memorandum on joint training (public)" in html
    assert "Memorandum on joint training (parties)" not in html
    assert "Memorandum on joint training (members)" not in html


def test_home_expiring_soon_is_the_offices_own_when_signed_in(
    client, editor, home_university, partner_university
):
    soon = timezone.localdate() + datetime.timedelta(days=30)
    own = factories.agreement_between(home_university, partner_university, expires_on=soon)
    other = factories.agreement_between(expires_on=soon)
    response, _html = page(client, "/")
    assert {a.pk for a in response.context["expiring"]} == {own.pk, other.pk}
    client.force_login(editor)
    response, html = page(client, "/")
    assert [a.pk for a in response.context["expiring"]] == [own.pk]
    assert "Your agreements expiring soon" in html


def test_home_lists_top_corridors_of_the_latest_year(client):
    factories.StudentFlowFactory(academic_year=2018, origin_country="KZ", students=50)
    factories.StudentFlowFactory(academic_year=2018, origin_country="RU", students=700)
    response, _html = page(client, "/")
    corridors = [(c["origin_country"], c["students"]) for c in response.context["corridors"]]
    assert corridors == [("RU", 700), ("KZ", 50)]


# Alliances


def test_alliance_list_searches_by_name(client):
    factories.AllianceFactory(name="University Alliance of the New Silk Road", acronym="UASR")
    factories.AllianceFactory(name="Association of Sino-Russian Technical Universities")
    response, _html = page(client, "/alliances/", search="silk")
    assert [a.acronym for a in response.context["page_obj"]] == ["UASR"]


def test_alliance_detail_filters_members_by_country_kind_role_and_status(client):
    alliance = factories.AllianceFactory(slug="uasr")
    kz = factories.InstitutionFactory(name="Al-Farabi Kazakh National University", country="KZ")
    ru = factories.InstitutionFactory(name="Tomsk Polytechnic University", country="RU")
    firm = factories.InstitutionFactory(name="China Campus Network", kind="enterprise")
    factories.MembershipFactory(alliance=alliance, institution=kz, role="founding_member")
    factories.MembershipFactory(
        alliance=alliance, institution=ru, left_on=datetime.date(2020, 1, 1)
    )
    factories.MembershipFactory(alliance=alliance, institution=firm, role="associate")

    def members(**params):
        response, _html = page(client, "/alliances/uasr/", **params)
        return [m.institution.name for m in response.context["members_page"]]

    assert members() == [
        "Al-Farabi Kazakh National University",
        "China Campus Network",
        "Tomsk Polytechnic University",
    ]
    assert members(country="KZ") == ["Al-Farabi Kazakh National University"]
    assert members(name="farabi") == ["Al-Farabi Kazakh National University"]
    assert members(kind="enterprise") == ["China Campus Network"]
    assert members(role="associate") == ["China Campus Network"]
    assert members(active="false") == ["Tomsk Polytechnic University"]
    assert "Tomsk Polytechnic University" not in members(active="true")
    assert members(order="country")[0] == "China Campus Network"


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/alliances/uasr/", "country"),
        ("/institutions/", "country"),
        ("/agreements/", "party_country"),
    ],
)
def test_a_lower_case_country_code_filters_and_shows_that_country_chosen(client, url, name):
    alliance = factories.AllianceFactory(slug="uasr")
    factories.MembershipFactory(alliance=alliance, institution__country="KZ")
    _response, html = page(client, url, **{name: " kz "})
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="([^"]*)" selected>', select) == ["KZ"]
    assert "Select a valid choice" not in html


def test_alliance_detail_ignores_an_unknown_filter_value_and_says_so(client):
    factories.MembershipFactory(alliance__slug="uasr")
    response, html = page(client, "/alliances/uasr/", country="XX", order="nonsense")
    assert len(response.context["members_page"]) == 1
    assert "Select a valid choice" in html


def test_alliance_detail_shows_chart_timeline_events_and_visible_agreements(
    client, alliance, partner_university, agreement_of_each_visibility
):
    factories.MembershipFactory(
        alliance=alliance,
        institution=factories.InstitutionFactory(name="Leaver University", country="RU"),
        joined_on=datetime.date(2017, 3, 1),
        left_on=datetime.date(2019, 6, 30),
    )
    factories.EventFactory(name="Silk Road Forum 2023", alliance=alliance)
    response, html = page(client, f"/alliances/{alliance.slug}/")
    assert response.context["members_per_country"] == [("CN", 2)]
    changes = [(change, m.institution.name) for _day, change, m in response.context["timeline"]]
    assert changes[0] == ("left", "Leaver University")
    assert ("joined", "Leaver University") in changes
    assert "Silk Road Forum 2023" in html
    assert [a.visibility for a in response.context["agreements"]] == ["public"]


@pytest.fixture
def large_alliance(db):
    """An alliance of 60 members: 45 in Kazakhstan, 15 in Russia, one joined each year
    from 1960 to 2019."""
    alliance = factories.AllianceFactory(slug="uasr")
    for number in range(60):
        factories.MembershipFactory(
            alliance=alliance,
            institution=factories.InstitutionFactory(
                name=f"Member University {number:02d}", country="KZ" if number < 45 else "RU"
            ),
            joined_on=datetime.date(1960 + number, 1, 15),
        )
    return alliance


def test_alliance_members_come_a_page_at_a_time_with_the_filters_kept(client, large_alliance):
    response, html = page(client, "/alliances/uasr/", kind="university", page=2)

    names = [m.institution.name for m in response.context["members_page"]]
    assert names == [f"Member University {number}" for number in range(50, 60)]
    assert "Showing 51–60 of 60" in html
    assert 'href="?kind=university&amp;page=1"' in html
    assert response.context["current_count"] == 60


def test_alliance_member_filters_offer_no_select_of_every_institution(client, large_alliance):
    _response, html = page(client, "/alliances/uasr/")
    form = html[
        html.index('<form class="filters"') : html.index("</form>", html.index('id="members"'))
    ]
    assert 'name="name"' in form
    assert 'name="institution"' not in form
    assert 'name="alliance"' not in form
    assert form.count("<option") < 400  # countries, kinds, roles, status, order


def test_alliance_members_csv_holds_every_member_the_filters_keep(client, large_alliance):
    response = client.get("/alliances/uasr/", {"country": "KZ", "page": 2, "format": "csv"})

    assert response["Content-Type"] == "text/csv"
    assert 'filename="uasr-members.csv"' in response["Content-Disposition"]
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0] == "institution,slug,country,kind,role,joined_on,left_on"
    assert len(lines) == 1 + 45
    assert lines[1].startswith("Member University 00,")
    assert ",KZ,university,member,1960-01-15," in lines[1]


def test_alliance_page_links_the_csv_of_its_filtered_members(client, large_alliance):
    _response, html = page(client, "/alliances/uasr/", country="RU", page=2)
    assert 'href="?country=RU&amp;format=csv"' in html


def test_alliance_timeline_lists_the_latest_changes_and_says_how_many_there_are(
    client, large_alliance
):
    leaver = large_alliance.memberships.get(institution__name="Member University 00")
    leaver.left_on = datetime.date(2025, 6, 30)
    leaver.save()

    response, html = page(client, "/alliances/uasr/")

    timeline = response.context["timeline"]
    assert len(timeline) == 20
    assert (timeline[0][0], timeline[0][1]) == (datetime.date(2025, 6, 30), "left")
    assert [day.year for day, _change, _m in timeline[1:]] == list(range(2019, 2000, -1))
    assert "The latest 20 of 61 joins and departures" in html


def test_alliance_chart_counts_current_members_per_country_in_order(client, large_alliance):
    large_alliance.memberships.filter(institution__name="Member University 59").update(
        left_on=datetime.date(2024, 1, 1)
    )
    response, _html = page(client, "/alliances/uasr/")
    assert response.context["members_per_country"] == [("KZ", 45), ("RU", 14)]
    assert response.context["current_count"] == 59
    assert response.context["country_count"] == 2


def test_alliance_chart_draws_every_bar_to_one_scale_other_countries_included(client):
    alliance = factories.AllianceFactory(slug="uasr")
    for _ in range(3):
        factories.MembershipFactory(alliance=alliance, institution__country="KZ")
    singles = [
        "RU",
        "CN",
        "MN",
        "UZ",
        "KG",
        "TJ",
        "TM",
        "AZ",
        "AM",
        "GE",
        "BY",
        "IR",
        "PK",
        "TH",
        "VN",
    ]
    for code in singles:
        factories.MembershipFactory(alliance=alliance, institution__country=code)
    response, html = page(client, "/alliances/uasr/")
    assert response.context["members_per_country"][0] == ("KZ", 3)
    assert response.context["members_per_country"][-1] == ("", 5)  # 15 singles, 10 shown
    widths = re.findall(r'<span class="bar" aria-hidden="true"><span style="width: (\d+)%"', html)
    assert len(widths) == 12
    assert (widths[0], widths[1], widths[-1]) == ("60", "20", "100")


def test_alliance_detail_offers_member_management_only_to_its_secretariat(
    client, alliance, secretariat, other_secretariat
):
    add_url = reverse("membership-add", args=[alliance.slug])
    client.force_login(other_secretariat)
    assert add_url not in page(client, f"/alliances/{alliance.slug}/")[1]
    client.force_login(secretariat)
    assert add_url in page(client, f"/alliances/{alliance.slug}/")[1]


def test_unknown_alliance_is_a_friendly_404(client):
    response = client.get("/alliances/no-such-alliance/")
    assert response.status_code == 404
    assert "We could not find that page" in response.content.decode()


# Institutions


def test_institution_list_searches(client):
    factories.InstitutionFactory(name="Harbin Institute of Technology", short_name="HIT")
    factories.InstitutionFactory(name="Tomsk Polytechnic University")
    response, _html = page(client, "/institutions/", search="hit")
    assert [i.short_name for i in response.context["page_obj"]] == ["HIT"]


def test_institution_detail_groups_visible_agreements_by_state(
    client, home_university, partner_university, agreement_of_each_visibility, editor
):
    factories.agreement_between(
        home_university, partner_university, reference="OLD-1", expires_on=datetime.date(2024, 1, 1)
    )
    response, _html = page(client, "/institutions/xjtu/")
    grouped = {
        state: [a.reference for a in rows]
        for state, _l, rows in response.context["agreements_by_state"]
    }
    assert grouped == {"active": ["XJTU-HIT-PUBLIC"], "expired": ["OLD-1"]}
    client.force_login(editor)
    response, _html = page(client, "/institutions/xjtu/")
    assert response.context["agreement_count"] == 4


def test_institution_detail_shows_memberships_programmes_and_students_by_year(
    client, home_university, alliance
):
    factories.ProgrammeFactory(name="Silk Road Energy master", lead=home_university)
    factories.StudentFlowFactory(
        academic_year=2018, destination_institution=home_university, students=40
    )
    factories.StudentFlowFactory(
        academic_year=2018,
        origin_country="CN",
        destination_country="RU",
        origin_institution=home_university,
        students=7,
    )
    response, html = page(client, "/institutions/xjtu/")
    assert alliance.name in html
    assert "Silk Road Energy master" in html
    assert response.context["students_by_year"] == [(2018, 40, 7)]


# Agreements


def test_agreement_list_hides_agreements_the_visitor_may_not_see(
    client, agreement_of_each_visibility, member_editor, editor
):
    def listed():
        response, _html = page(client, "/agreements/")
        return sorted(a.visibility for a in response.context["page_obj"])

    assert listed() == ["public"]
    client.force_login(member_editor)
    assert listed() == ["members", "public"]
    client.force_login(editor)
    assert listed() == ["members", "parties", "public"]


def test_agreement_list_searches_titles_and_parties(client, home_university):
    factories.agreement_between(home_university, title="Digital economy talent")
    factories.agreement_between(title="Ceramic industry training")
    response, _html = page(client, "/agreements/", search="xi'an")
    assert [a.title for a in response.context["page_obj"]] == ["Digital economy talent"]


def test_agreement_detail_shows_parties_witnesses_event_history_and_document(
    client, editor, agreement_of_each_visibility
):
    agreement = agreement_of_each_visibility["public"]
    witness = factories.InstitutionFactory(name="Belt and Road Talent Alliance")
    factories.AgreementPartyFactory(
        agreement=agreement, institution=witness, role="witness", signatory_name="Liu Baoli"
    )
    agreement.event = factories.EventFactory(name="China-ASEAN Education Week")
    agreement.save()
    response, html = page(client, "/agreements/XJTU-HIT-PUBLIC/")
    assert [p.institution.name for p in response.context["signatories"]] == [
        "Harbin Institute of Technology",
        "Xi'an Jiaotong University",
    ]
    assert "Liu Baoli" in html
    assert "China-ASEAN Education Week" in html
    assert response.context["history"]
    assert reverse("agreement-document", args=["XJTU-HIT-PUBLIC"]) in html
    assert reverse("agreement-edit", args=["XJTU-HIT-PUBLIC"]) not in html
    client.force_login(editor)
    assert (
        reverse("agreement-edit", args=["XJTU-HIT-PUBLIC"])
        in page(client, "/agreements/XJTU-HIT-PUBLIC/")[1]
    )


def test_hidden_agreement_detail_is_a_404(client, agreement_of_each_visibility, other_editor):
    assert client.get("/agreements/XJTU-HIT-PARTIES/").status_code == 404
    client.force_login(other_editor)
    assert client.get("/agreements/XJTU-HIT-MEMBERS/").status_code == 404


def test_agreement_detail_shows_the_visible_renewal_chain(client, home_university):
    first = factories.agreement_between(
        home_university, reference="MOU-1", expires_on=datetime.date(2024, 12, 31)
    )
    second = factories.AgreementFactory(reference="MOU-1-R1", renews=first)
    factories.AgreementFactory(reference="MOU-1-R2", renews=second, visibility="parties")
    response, _html = page(client, "/agreements/MOU-1-R1/")
    assert [a.reference for a in response.context["renewal_chain"]] == ["MOU-1", "MOU-1-R1"]


def test_agreement_filters_narrow_the_registry(client, home_university, partner_university):
    soon = timezone.localdate() + datetime.timedelta(days=20)
    factories.agreement_between(
        home_university,
        partner_university,
        reference="A-SOON",
        expires_on=soon,
        kind="student_exchange",
    )
    factories.agreement_between(
        home_university,
        factories.InstitutionFactory(country="RU"),
        reference="A-RU",
        signed_on=datetime.date(2019, 4, 1),
        effective_from=None,
    )
    factories.agreement_between(reference="A-ENDED", terminated_on=datetime.date(2024, 1, 1))

    def listed(**params):
        response, _html = page(client, "/agreements/", **params)
        return sorted(a.reference for a in response.context["page_obj"])

    assert listed() == ["A-ENDED", "A-RU", "A-SOON"]
    assert listed(expiring_within="30") == ["A-SOON"]
    assert listed(party_country="RU") == ["A-RU"]
    assert listed(state="terminated") == ["A-ENDED"]
    assert listed(kind="student_exchange") == ["A-SOON"]
    assert listed(signed_before="2020-01-01") == ["A-RU"]
    assert listed(party=partner_university.slug) == ["A-SOON"]


@pytest.fixture
def registry_parties(db):
    """Three agreements, each with a party of its own; two parties share "Polytechnic"."""
    tomsk = factories.InstitutionFactory(
        name="Tomsk Polytechnic University",
        slug="tpu",
        short_name="TPU",
        country="RU",
        ror_id="https://ror.org/00a45v709",
    )
    harbin = factories.InstitutionFactory(
        name="Harbin Polytechnic College", slug="hpc", short_name="HPC"
    )
    farabi = factories.InstitutionFactory(
        name="Al-Farabi Kazakh National University", slug="kaznu", country="KZ"
    )
    for reference, party in (("A-TPU", tomsk), ("A-HPC", harbin), ("A-KAZNU", farabi)):
        factories.agreement_between(party, factories.InstitutionFactory(), reference=reference)
    return tomsk


def registry_by_party(client, text):
    response, html = page(client, "/agreements/", party=text)
    return sorted(a.reference for a in response.context["page_obj"]), html


@pytest.mark.parametrize(
    "text",
    [
        "tpu",  # slug
        "Tomsk Polytechnic University",  # exact name
        "  tomsk   polytechnic university ",  # any case and spacing
        "https://ror.org/00a45v709",  # ROR ID
        "00a45v709",  # bare ROR ID
        "TPU",  # acronym
        "Tomsk",  # a part of the name only it has
    ],
)
def test_registry_party_box_takes_a_slug_name_ror_id_or_unique_fragment(
    client, registry_parties, text
):
    assert registry_by_party(client, text)[0] == ["A-TPU"]


def test_registry_party_box_takes_an_id(client, registry_parties):
    assert registry_by_party(client, str(registry_parties.pk))[0] == ["A-TPU"]


def test_registry_party_box_names_an_unknown_institution_in_a_field_error(client, registry_parties):
    references, html = registry_by_party(client, "Atlantis University")
    assert 'class="field has-error"' in html
    assert "No institution has the name, slug or ROR ID “Atlantis University”." in html
    assert references == ["A-HPC", "A-KAZNU", "A-TPU"]  # the filter is set aside, and says so


def test_registry_party_box_lists_the_institutions_an_ambiguous_fragment_fits(
    client, registry_parties
):
    _references, html = registry_by_party(client, "polytechnic")
    assert "Several institutions match “polytechnic”" in html
    assert "Harbin Polytechnic College (hpc)" in html
    assert "Tomsk Polytechnic University (tpu)" in html


@pytest.mark.parametrize("text", ["9" * 30, "x" * 5000, "<script>alert(1)</script>", "%_%"])
def test_registry_party_box_refuses_hostile_input_with_a_message(client, registry_parties, text):
    response = client.get("/agreements/", {"party": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No institution has the name, slug or ROR ID" in html
    assert "<script>alert(1)</script>" not in html


def test_registry_party_box_is_a_text_input_with_suggestions_not_a_select(client, registry_parties):
    _references, html = registry_by_party(client, "")
    assert '<select name="party"' not in html
    party_input = re.search(r'<input[^>]*name="party"[^>]*>', html).group(0)
    assert 'type="text"' in party_input
    assert 'list="party-suggestions"' in party_input
    assert 'data-suggest-url="/api/v1/institutions/"' in party_input
    assert '<datalist id="party-suggestions"></datalist>' in html
    assert re.search(r'<script src="/static/js/institution-suggest[.\w]*js"></script>', html)
    assert "<script>" not in html  # the CSP allows no inline script


def test_the_api_suggestions_give_the_slug_and_name_the_script_reads(client, registry_parties):
    body = client.get(
        "/api/v1/institutions/", {"search": "polytech", "ordering": "name", "page_size": 10}
    ).json()
    assert [(row["slug"], row["name"]) for row in body["results"]] == [
        ("hpc", "Harbin Polytechnic College"),
        ("tpu", "Tomsk Polytechnic University"),
    ]


def test_the_api_party_filter_still_takes_an_id_or_slug_only(client, registry_parties):
    def references(party):
        response = client.get("/api/v1/agreements/", {"party": party})
        return response.status_code, sorted(
            row["reference"] for row in response.json().get("results", [])
        )

    assert references("tpu") == (200, ["A-TPU"])
    assert references(str(registry_parties.pk)) == (200, ["A-TPU"])
    assert references("Tomsk Polytechnic University")[0] == 400


def test_agreement_csv_holds_exactly_the_filtered_visible_rows(
    client, agreement_of_each_visibility, editor
):
    factories.agreement_between(reference="OTHER-1", kind="research")
    client.force_login(editor)
    response = client.get("/agreements/", {"kind": "memorandum_of_cooperation", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("reference,title,kind,state")
    assert sorted(line.split(",")[0] for line in lines[1:]) == [
        "XJTU-HIT-MEMBERS",
        "XJTU-HIT-PARTIES",
        "XJTU-HIT-PUBLIC",
    ]
    client.logout()
    response = client.get("/agreements/", {"format": "csv"})
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["OTHER-1", "XJTU-HIT-PUBLIC"]


def test_agreement_csv_neutralises_formulas(client):
    factories.agreement_between(reference="F-1", title='=HYPERLINK("http://x")')
    response = client.get("/agreements/", {"format": "csv"})
    assert "'=HYPERLINK" in b"".join(response.streaming_content).decode()


def test_the_csv_link_keeps_the_filters(client):
    _response, html = page(client, "/agreements/", kind="research", page="2")
    assert "?kind=research&amp;format=csv" in html


def test_an_invalid_filter_value_is_shown_and_ignored(client):
    factories.agreement_between()
    response, html = page(client, "/agreements/", signed_after="yesterday", state="bogus")
    assert len(response.context["page_obj"]) == 1
    assert "Enter a valid date" in html


def test_institution_filters_narrow_by_country_kind_and_alliance(client, alliance, home_university):
    factories.InstitutionFactory(name="Tomsk Polytechnic University", country="RU")
    factories.InstitutionFactory(name="China Campus Network", kind="enterprise")

    def listed(**params):
        response, _html = page(client, "/institutions/", **params)
        return [i.name for i in response.context["page_obj"]]

    assert listed(country="RU") == ["Tomsk Polytechnic University"]
    assert listed(kind="enterprise") == ["China Campus Network"]
    assert listed(alliance=alliance.slug) == ["Xi'an Jiaotong University"]


# Programmes, events, search


def test_programme_list_and_detail(client):
    programme = factories.ProgrammeFactory(name="Digital Silk Road double degree")
    factories.ProgrammePartnerFactory(
        programme=programme, institution__name="Tomsk Polytechnic University"
    )
    factories.StudentFlowFactory(academic_year=2020, programme=programme, students=12)
    response, _html = page(client, "/programmes/", q="silk")
    assert [p.name for p in response.context["page_obj"]] == ["Digital Silk Road double degree"]
    response, html = page(client, f"/programmes/{programme.slug}/")
    assert "Tomsk Polytechnic University" in html
    assert [(r["academic_year"], r["students"]) for r in response.context["students_by_year"]] == [
        (2020, 12)
    ]


@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("en", "Chinese, Lao, Russian"),
        ("ru", "Китайский, лаосский, русский"),
        ("zh-hans", "中文、老挝语、俄语"),
    ],
)
def test_a_programme_names_its_languages_of_instruction_in_the_readers_language(
    client, language, shown
):
    programme = factories.ProgrammeFactory(languages="zh,lo,ru")
    html = client.get(f"/programmes/{programme.slug}/", HTTP_ACCEPT_LANGUAGE=language)
    assert shown in html.content.decode()


def test_the_programme_list_filters_by_a_language_it_names_and_marks_unknown_capacity(client):
    factories.ProgrammeFactory(name="Lao language centre", languages="lo,zh", annual_capacity=None)
    factories.ProgrammeFactory(name="Silk Road MBA", languages="en", annual_capacity=1200)
    response, html = page(client, "/programmes/", language="lo")
    assert [p.name for p in response.context["page_obj"]] == ["Lao language centre"]
    assert '<option value="lo" selected>Lao (lo)</option>' in html
    assert '<option value="zh">Chinese (zh)</option>' in html
    assert re.search(r'class="num">\s*—\s*</td>', html) and "None" not in html
    _response, html = page(client, "/programmes/")
    assert re.search(r'class="num">\s*1,200\s*</td>', html)


def test_programme_detail_hides_a_founding_agreement_the_visitor_may_not_see(client):
    hidden = factories.agreement_between(reference="SECRET-1", visibility="parties")
    programme = factories.ProgrammeFactory(agreement=hidden)
    _response, html = page(client, f"/programmes/{programme.slug}/")
    assert "SECRET-1" not in html


def test_event_list_counts_only_visible_agreements_and_detail_lists_them(client):
    event = factories.EventFactory(name="Creative Future Youth forum", slug="forum")
    factories.agreement_between(event=event, title="Digital brands memorandum")
    factories.agreement_between(event=event, title="Hidden memorandum", visibility="parties")
    response, _html = page(client, "/events/")
    assert [e.agreement_count for e in response.context["page_obj"]] == [1]
    _response, html = page(client, "/events/forum/")
    assert "Digital brands memorandum" in html
    assert "Hidden memorandum" not in html


def test_search_finds_each_kind_and_never_a_hidden_agreement(client, agreement_of_each_visibility):
    response, html = page(client, "/search/", q="harbin")
    kinds = {kind: rows for kind, rows, _url in response.context["results"]}
    assert [i.name for i in kinds["institutions"]] == ["Harbin Institute of Technology"]
    assert [a.reference for a in kinds["agreements"]] == ["XJTU-HIT-PUBLIC"]
    assert "XJTU-HIT-PARTIES" not in html


def test_search_without_words_shows_the_form(client):
    response, _html = page(client, "/search/")
    assert response.context["results"] == []


@pytest.mark.parametrize("url", ["/alliances/", "/institutions/", "/agreements/", "/events/"])
def test_a_page_number_out_of_range_or_not_a_number_gives_a_valid_page(client, url):
    assert client.get(url, {"page": "999"}).status_code == 200
    assert client.get(url, {"page": "abc"}).status_code == 200


def test_the_import_page_is_in_the_navigation_for_those_who_may_import(
    client, secretariat, editor, staff
):
    import_url = reverse("imports:upload")
    assert import_url not in page(client, "/")[1]
    client.force_login(editor)
    assert import_url not in page(client, "/")[1]
    for user in (secretariat, staff):
        client.force_login(user)
        assert import_url in page(client, "/")[1]


def test_registry_rows_name_the_signing_parties_without_witnesses(client):
    agreement = factories.AgreementFactory(reference="XJTU-KAZNU-2021-MOU-02")
    for short_name in ("KazNU", "XJTU"):
        factories.AgreementPartyFactory(agreement=agreement, institution__short_name=short_name)
    factories.AgreementPartyFactory(
        agreement=agreement, institution__short_name="SXED", role="witness"
    )
    _response, html = page(client, "/agreements/")
    cell = re.search(r'data-label="Parties">(.*?)</td>', html).group(1)
    assert sorted(re.sub(r"<[^>]+>", "", cell).split(", ")) == ["KazNU", "XJTU"]


def test_filter_selects_offer_any_as_their_empty_choice(client):
    factories.MembershipFactory(alliance__slug="uasr")
    for url, names in (
        ("/agreements/", ["kind", "state", "party_country", "subject_area"]),
        ("/alliances/uasr/", ["country", "kind", "role"]),
    ):
        _response, html = page(client, url)
        for name in names:
            select = rf'<select name="{name}"[^>]*>\s*<option([^>]*)>([^<]*)<'
            first_option = re.search(select, html)
            assert first_option.groups() == (' value="" selected', "Any"), (url, name)


def test_the_alliance_member_filter_sent_as_drawn_keeps_every_member(client):
    alliance = factories.AllianceFactory(slug="uasr")
    for country in ("KZ", "RU"):
        factories.MembershipFactory(alliance=alliance, institution__country=country)
    _response, html = page(client, "/alliances/uasr/")
    drawn = dict(re.findall(r'<select name="(\w+)"[^>]*>\s*<option value="([^"]*)"', html))
    response, _html = page(client, "/alliances/uasr/", **drawn)
    assert len(response.context["members_page"]) == 2


def test_subject_area_choices_name_their_field(client):
    _response, html = page(client, "/agreements/")
    assert '<option value="0413">0413 Management and administration</option>' in html
