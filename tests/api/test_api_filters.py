"""Every filter of every list narrows to exactly the records it names; a bad value is a 400
that names the parameter. One small world, built once per test, is queried many ways."""

import datetime

import pytest

from partnerships.models import Membership
from tests import factories
from tests.api.conftest import results

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()


@pytest.fixture
def world():
    """Three institutions in three countries, two alliances, agreements, programmes, flows."""
    belt_and_road = factories.CountryGroupFactory(
        name="Belt and Road", slug="belt-and-road", countries=["KZ", "RU", "TH"]
    )
    xjtu = factories.InstitutionFactory(
        name="Xi'an Jiaotong University", slug="xjtu", short_name="XJTU", country="CN"
    )
    tomsk = factories.InstitutionFactory(
        name="Tomsk Polytechnic University", slug="tpu", country="RU", city="Tomsk"
    )
    ccn = factories.InstitutionFactory(
        name="China Campus Network", slug="ccn", kind="enterprise", country="CN"
    )
    kaznu = factories.InstitutionFactory(name="Al-Farabi Kazakh National University", country="KZ")
    uasr = factories.AllianceFactory(
        name="University Alliance of the New Silk Road", slug="uasr", acronym="UASR"
    )
    talent = factories.AllianceFactory(
        name="Talent Training Alliance",
        slug="talent",
        cooperation_model="industry_university_research",
        founded_on=datetime.date(2017, 12, 8),
    )
    factories.MembershipFactory(alliance=uasr, institution=xjtu, role="founding_member")
    factories.MembershipFactory(alliance=uasr, institution=tomsk)
    factories.MembershipFactory(alliance=uasr, institution=kaznu, left_on=datetime.date(2020, 1, 1))
    factories.MembershipFactory(alliance=talent, institution=ccn)
    forum = factories.EventFactory(name="Education week forum", slug="forum", alliance=talent)

    exchange = factories.agreement_between(
        xjtu,
        tomsk,
        reference="XJTU-TPU-EX",
        title="Student exchange in engineering",
        kind="student_exchange",
        alliance=uasr,
        signed_on=datetime.date(2019, 3, 1),
        expires_on=TODAY + datetime.timedelta(days=60),
    )
    exchange.subject_areas.set(["0714"])
    memo = factories.agreement_between(
        ccn,
        kaznu,
        reference="CCN-KAZNU-MOC",
        title="Digital economy talent",
        event=forum,
        signed_on=datetime.date(2023, 8, 28),
    )
    memo.subject_areas.set(["0413"])
    factories.agreement_between(
        xjtu,
        ccn,
        reference="XJTU-CCN-DRAFT",
        title="Training draft",
        kind="training",
        signed_on=None,
        effective_from=None,
    )
    factories.agreement_between(
        xjtu, tomsk, reference="XJTU-TPU-HIDDEN", title="Hidden terms", visibility="parties"
    )

    petroleum = factories.ProgrammeFactory(
        name="Petroleum engineering double degree",
        slug="petroleum",
        kind="double_degree",
        level="7",
        field_id="0724",
        lead=xjtu,
        languages="zh,ru",
        alliance=uasr,
    )
    factories.ProgrammePartnerFactory(programme=petroleum, institution=tomsk)
    factories.ProgrammeFactory(
        name="Ceramics summer school",
        slug="ceramics",
        kind="summer_school",
        level="non-degree",
        field_id="0214",
        lead=ccn,
        languages="en",
    )

    for year, origin, destination, level, mobility, students, institution in [
        (2018, "KZ", "CN", "6", "degree", 100, None),
        (2018, "RU", "CN", "7", "credit", 40, xjtu),
        (2019, "RU", "CN", "7", "degree", 30, None),
        (2019, "CN", "TH", "6", "credit", 20, None),
        (2020, "US", "CN", "8", "degree", 5, None),
    ]:
        factories.StudentFlowFactory(
            academic_year=year,
            origin_country=origin,
            destination_country=destination,
            level=level,
            mobility_type=mobility,
            students=students,
            destination_institution=institution,
            programme=petroleum if institution else None,
        )
    return {"group": belt_and_road, "xjtu": xjtu, "forum": forum}


def names(api, url, **params):
    response = api.get(url, {"page_size": 500, **params})
    assert response.status_code == 200, response.content
    return sorted(
        str(item.get("name") or item.get("reference") or item.get("institution_name"))
        for item in results(response)
    )


INSTITUTIONS = "/api/v1/institutions/"
ALLIANCES = "/api/v1/alliances/"
MEMBERSHIPS = "/api/v1/memberships/"
EVENTS = "/api/v1/events/"
AGREEMENTS = "/api/v1/agreements/"
PROGRAMMES = "/api/v1/programmes/"

XJTU, TPU, CCN, KAZNU = (
    "Xi'an Jiaotong University",
    "Tomsk Polytechnic University",
    "China Campus Network",
    "Al-Farabi Kazakh National University",
)

CASES = [
    (INSTITUTIONS, {"country": "CN"}, [CCN, XJTU]),
    (INSTITUTIONS, {"country": "ru"}, [TPU]),
    (INSTITUTIONS, {"kind": "enterprise"}, [CCN]),
    (INSTITUTIONS, {"alliance": "uasr"}, [TPU, XJTU]),
    (INSTITUTIONS, {"country_group": "belt-and-road"}, [KAZNU, TPU]),
    (INSTITUTIONS, {"search": "xjtu"}, [XJTU]),
    (INSTITUTIONS, {"search": "tomsk polytechnic"}, [TPU]),
    (INSTITUTIONS, {"country": "CN", "alliance": "uasr"}, [XJTU]),
    (
        ALLIANCES,
        {"cooperation_model": "industry_university_research"},
        ["Talent Training Alliance"],
    ),
    (ALLIANCES, {"member_country": "RU"}, ["University Alliance of the New Silk Road"]),
    (ALLIANCES, {"member_country": "KZ"}, []),
    (ALLIANCES, {"founded_after": "2016-01-01"}, ["Talent Training Alliance"]),
    (ALLIANCES, {"founded_before": "2016-01-01"}, ["University Alliance of the New Silk Road"]),
    (MEMBERSHIPS, {"alliance": "talent"}, [CCN]),
    (MEMBERSHIPS, {"role": "founding_member"}, [XJTU]),
    (MEMBERSHIPS, {"active": "false"}, [KAZNU]),
    (MEMBERSHIPS, {"active": "true", "alliance": "uasr"}, [TPU, XJTU]),
    (MEMBERSHIPS, {"country": "RU"}, [TPU]),
    (MEMBERSHIPS, {"institution": "xjtu"}, [XJTU]),
    (EVENTS, {"alliance": "talent"}, ["Education week forum"]),
    (EVENTS, {"kind": "conference"}, []),
    (AGREEMENTS, {"party": "tpu"}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"party_country": "KZ"}, ["CCN-KAZNU-MOC"]),
    (AGREEMENTS, {"country_group": "belt-and-road"}, ["CCN-KAZNU-MOC", "XJTU-TPU-EX"]),
    (AGREEMENTS, {"alliance": "uasr"}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"kind": "training"}, ["XJTU-CCN-DRAFT"]),
    (AGREEMENTS, {"state": "draft"}, ["XJTU-CCN-DRAFT"]),
    (AGREEMENTS, {"state": "expiring"}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"signed_after": "2020-01-01"}, ["CCN-KAZNU-MOC"]),
    (AGREEMENTS, {"signed_before": "2020-01-01"}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"expires_before": "2100-01-01"}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"expires_after": "2100-01-01"}, []),
    (AGREEMENTS, {"expiring_within": 90}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"expiring_within": 30}, []),
    (AGREEMENTS, {"subject_area": "04"}, ["CCN-KAZNU-MOC"]),
    (AGREEMENTS, {"subject_area": "0714"}, ["XJTU-TPU-EX"]),
    (AGREEMENTS, {"event": "forum"}, ["CCN-KAZNU-MOC"]),
    (AGREEMENTS, {"search": "digital talent"}, ["CCN-KAZNU-MOC"]),
    (AGREEMENTS, {"search": "Tomsk"}, ["XJTU-TPU-EX"]),
    (
        AGREEMENTS,
        {"party": "xjtu", "kind": "student_exchange", "state": "expiring"},
        ["XJTU-TPU-EX"],
    ),
    (PROGRAMMES, {"kind": "summer_school"}, ["Ceramics summer school"]),
    (PROGRAMMES, {"level": "7"}, ["Petroleum engineering double degree"]),
    (PROGRAMMES, {"field": "07"}, ["Petroleum engineering double degree"]),
    (PROGRAMMES, {"lead": "ccn"}, ["Ceramics summer school"]),
    (PROGRAMMES, {"partner": "tpu"}, ["Petroleum engineering double degree"]),
    (PROGRAMMES, {"country": "RU"}, ["Petroleum engineering double degree"]),
    (PROGRAMMES, {"language": "ru"}, ["Petroleum engineering double degree"]),
    (PROGRAMMES, {"language": "en"}, ["Ceramics summer school"]),
    (PROGRAMMES, {"alliance": "uasr"}, ["Petroleum engineering double degree"]),
    (
        PROGRAMMES,
        {"country": "CN", "kind": "double_degree"},
        ["Petroleum engineering double degree"],
    ),
]


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    CASES,
    ids=[
        f"{url.split('/')[3]}-{'&'.join(f'{k}={v}' for k, v in p.items())}" for url, p, _e in CASES
    ],
)
def test_filters_narrow_to_exactly_the_matching_records(world, api, url, params, expected):
    assert names(api, url, **params) == sorted(expected)


def test_unfiltered_lists_hold_everything_visible(world, api):
    assert len(names(api, INSTITUTIONS)) == 4
    assert names(api, AGREEMENTS) == ["CCN-KAZNU-MOC", "XJTU-CCN-DRAFT", "XJTU-TPU-EX"]
    assert Membership.objects.count() == len(names(api, MEMBERSHIPS))


FLOW_CASES = [
    ({"academic_year": 2018}, 140),
    ({"year_from": 2019}, 55),
    ({"year_to": 2018}, 140),
    ({"year_from": 2018, "year_to": 2019}, 190),
    ({"origin_country": "RU"}, 70),
    ({"destination_country": "TH"}, 20),
    ({"destination_institution": "xjtu"}, 40),
    ({"origin_group": "belt-and-road"}, 170),
    ({"destination_group": "belt-and-road"}, 20),
    ({"level": "7"}, 70),
    ({"mobility_type": "credit"}, 60),
    ({"programme": "petroleum"}, 40),
    ({"origin_country": "RU", "mobility_type": "degree", "year_from": 2019}, 30),
]


@pytest.mark.parametrize(("params", "students"), FLOW_CASES)
def test_flow_filters_narrow_the_list_and_the_summary_alike(world, api, params, students):
    listed = results(api.get("/api/v1/flows/", {"page_size": 500, **params}))
    summary = api.get("/api/v1/flows/summary/", params).json()

    assert sum(flow["students"] for flow in listed) == students
    assert summary == [{"students": students}]


def test_flow_balance_takes_the_flow_filters(world, api):
    rows = api.get("/api/v1/flows/balance/", {"country": "CN", "year_from": 2019}).json()

    assert [(row["partner_country"], row["inbound"], row["outbound"]) for row in rows] == [
        ("RU", 30, 0),
        ("TH", 0, 20),
        ("US", 5, 0),
    ]


BAD_VALUES = [
    (INSTITUTIONS, "country", "XX"),
    (INSTITUTIONS, "kind", "castle"),
    (INSTITUTIONS, "alliance", "no-such-alliance"),
    (INSTITUTIONS, "country_group", "atlantis"),
    (ALLIANCES, "cooperation_model", "merger"),
    (ALLIANCES, "founded_after", "last year"),
    (MEMBERSHIPS, "role", "king"),
    (MEMBERSHIPS, "active", "perhaps"),
    (AGREEMENTS, "state", "dormant"),
    (AGREEMENTS, "kind", "treaty"),
    (AGREEMENTS, "signed_after", "2023-02-30"),
    (AGREEMENTS, "expiring_within", "-1"),
    (AGREEMENTS, "expiring_within", "soon"),
    (AGREEMENTS, "subject_area", "9999"),
    (AGREEMENTS, "party", "999999"),
    (PROGRAMMES, "level", "9"),
    (PROGRAMMES, "language", "xx"),
    ("/api/v1/flows/", "academic_year", "-2018"),
    ("/api/v1/flows/", "year_from", "2018.5"),
    ("/api/v1/flows/", "mobility_type", "tourism"),
    ("/api/v1/flows/", "origin_group", "nowhere"),
    ("/api/v1/flows/summary/", "level", "12"),
    ("/api/v1/flows/summary/", "group_by", "origin_country,students"),
    ("/api/v1/flows/balance/", "country", "XX"),
    (AGREEMENTS, "ordering", "visibility"),
    (AGREEMENTS, "page_size", "501"),
    (AGREEMENTS, "page_size", "0"),
    (AGREEMENTS, "colour", "blue"),
]


@pytest.mark.parametrize(("url", "parameter", "value"), BAD_VALUES)
def test_a_bad_value_is_a_400_naming_the_parameter(world, api, url, parameter, value):
    params = {parameter: value}
    if url.endswith("balance/") and parameter != "country":
        params["country"] = "CN"

    response = api.get(url, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert parameter in response.json()


@pytest.mark.parametrize(
    ("url", "ordering", "first"),
    [
        (INSTITUTIONS, "-name", XJTU),
        (INSTITUTIONS, "country,name", CCN),
        (AGREEMENTS, "reference", "CCN-KAZNU-MOC"),
        (AGREEMENTS, "-signed_on", "CCN-KAZNU-MOC"),
        (PROGRAMMES, "-name", "Petroleum engineering double degree"),
    ],
)
def test_ordering_sorts_by_the_named_fields(world, api, url, ordering, first):
    items = results(api.get(url, {"ordering": ordering}))

    assert (items[0].get("name") or items[0].get("reference")) == first


def test_pages_do_not_overlap_and_cover_every_record(world, api):
    for index in range(30):
        factories.InstitutionFactory(name="Same name", slug=f"same-{index}")
    seen = []
    url = f"{INSTITUTIONS}?page_size=7"
    while url:
        body = api.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]

    assert len(seen) == len(set(seen)) == 34


def test_flow_cursor_pages_cover_every_flow_once(world, api):
    seen = []
    url = "/api/v1/flows/?page_size=2"
    while url:
        body = api.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]

    assert len(seen) == len(set(seen)) == 5
