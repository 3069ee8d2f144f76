"""The flows dashboard and the country pages: filters narrow the figures, tables hold them."""

import json

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def flows(db):
    factories.StudentFlowFactory(academic_year=2017, origin_country="KZ", students=100)
    factories.StudentFlowFactory(academic_year=2018, origin_country="KZ", students=150)
    factories.StudentFlowFactory(academic_year=2018, origin_country="RU", students=400)
    factories.StudentFlowFactory(
        academic_year=2018, origin_country="CN", destination_country="RU", students=40, level="7"
    )


def chart_data(response):
    html = response.content.decode()
    start = html.index('<script id="flow-chart-data" type="application/json">')
    body = html[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def test_dashboard_shows_trend_corridors_and_balance_with_their_numbers(client, flows):
    response = client.get("/flows/")
    assert response.status_code == 200
    assert [(r["academic_year"], r["students"]) for r in response.context["trend"]] == [
        (2017, 100),
        (2018, 590),
    ]
    corridors = [
        (r["origin_country"], r["destination_country"], r["students"])
        for r in response.context["corridors"]
    ]
    assert corridors == [("RU", "CN", 400), ("KZ", "CN", 250), ("CN", "RU", 40)]
    balance = {
        r["partner_country"]: (r["inbound"], r["outbound"]) for r in response.context["balance"]
    }
    assert balance == {"RU": (400, 40), "KZ": (250, 0)}
    data = chart_data(response)
    assert data["trend"]["values"] == [100, 590]
    assert data["trend"]["labels"] == ["2017/18", "2018/19"]
    assert {"from": "from:RU", "to": "to:CN", "flow": 400} in data["sankey"]
    html = response.content.decode()
    assert "/api/v1/flows/summary/?&amp;group_by=academic_year&amp;format=csv" in html


def test_dashboard_filters_narrow_every_figure_and_the_csv_links(client, flows):
    response = client.get("/flows/", {"academic_year": "2018", "origin_country": "KZ"})
    assert [r["students"] for r in response.context["trend"]] == [150]
    assert response.context["total"] == 150
    assert "academic_year=2018&amp;origin_country=KZ&amp;group_by=academic_year" in (
        response.content.decode()
    )


def test_dashboard_balance_follows_the_chosen_country(client, flows):
    response = client.get("/flows/", {"balance": "ru"})
    assert response.context["balance_country"] == "RU"
    assert [
        (r["partner_country"], r["inbound"], r["outbound"]) for r in response.context["balance"]
    ] == [("CN", 40, 400)]


def test_dashboard_shows_bad_filter_values_and_leaves_them_out_of_the_csv_links(client, flows):
    response = client.get("/flows/", {"year_from": "twenty", "level": "9"})
    assert response.status_code == 200
    assert response.context["total"] == 690
    html = response.content.decode()
    assert "Enter a whole number" in html
    assert "/api/v1/flows/summary/?&amp;group_by=academic_year" in html


def test_dashboard_csv_link_gives_the_same_numbers(client, flows):
    response = client.get("/api/v1/flows/summary/", {"group_by": "academic_year", "format": "csv"})
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "2018,590" in body


def test_country_page_shows_cooperation_both_ways(client, flows, home_university, alliance):
    kz = factories.InstitutionFactory(name="Al-Farabi Kazakh National University", country="KZ")
    factories.MembershipFactory(alliance=alliance, institution=kz)
    factories.agreement_between(home_university, kz, reference="XJTU-KAZNU", kind="mou")
    factories.agreement_between(
        kz, factories.InstitutionFactory(), reference="HIDDEN", visibility="parties"
    )
    factories.ProgrammeFactory(name="Kazakh language centre", lead=kz, kind="language_centre")
    response = client.get("/countries/kz/")
    assert response.status_code == 200
    context = response.context
    assert context["name"] == "Kazakhstan"
    assert context["profile"]["member_institutions"] == 1
    assert context["profile"]["active_agreements"] == 1
    assert [(r["kind"], r["count"]) for r in context["agreements_by_kind"]] == [("mou", 1)]
    assert context["students_by_year"] == [(2018, 0, 150), (2017, 0, 100)]
    assert [(r["partner_country"], r["outbound"]) for r in context["balance"]] == [("CN", 250)]
    html = response.content.decode()
    assert "Kazakh language centre" in html
    assert alliance.name in html
    assert "HIDDEN" not in html


def test_unknown_country_code_is_a_404(client):
    assert client.get("/countries/XX/").status_code == 404
    assert client.get("/countries/CHN/").status_code == 404


def test_country_without_records_still_has_a_page(client):
    response = client.get("/countries/IS/")
    assert response.status_code == 200
    assert "No cooperation recorded yet." in response.content.decode()


def test_flows_and_country_pages_run_bounded_queries(client, django_assert_max_num_queries):
    for number in range(120):
        factories.StudentFlowFactory(
            academic_year=2000 + number % 24,
            origin_country=["KZ", "RU", "VN", "TH", "IN", "PK"][number % 6],
            level=["5", "6", "7", "8", "non-degree"][number % 5],
        )
    with django_assert_max_num_queries(12):
        assert client.get("/flows/").status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get("/countries/CN/").status_code == 200
