"""manage.py load_demo: the real records, the 2018 figures, the generated records, the users."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.test import RequestFactory, override_settings
from django.utils import timezone

from partnerships.approvals import approval_status
from partnerships.demo.load import load_demo
from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementApproval,
    AgreementCondition,
    AgreementParty,
    Alliance,
    CountryGroup,
    Event,
    Institution,
    Membership,
    Unit,
)
from partnerships.selectors import places_table
from programs.models import Programme, ProgrammePartner, StudentFlow

pytestmark = pytest.mark.django_db

COUNTED = [
    Institution,
    Alliance,
    Membership,
    Event,
    Agreement,
    AgreementParty,
    Programme,
    ProgrammePartner,
    StudentFlow,
    CountryGroup,
    Affiliation,
    AgreementCondition,
    Unit,
    get_user_model(),
]
HISTORIES = [
    Institution,
    Alliance,
    Membership,
    Agreement,
    AgreementParty,
    Programme,
    AgreementCondition,
    Unit,
]
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker):
    """The demo loaded once for the module, inside a transaction rolled back at the end."""
    with (
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        output = StringIO()
        call_command("load_demo", stdout=output)
        yield output.getvalue()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def fast_hashing():
    with override_settings(PASSWORD_HASHERS=FAST_HASHERS):
        yield


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def snapshot():
    """Every value a second load could disturb."""
    return {
        "updated": {
            model.__name__: model.objects.aggregate(Max("updated"))
            for model in COUNTED
            if model is not get_user_model()
        },
        "history": {model.__name__: model.history.count() for model in HISTORIES},
        "agreements": list(
            Agreement.objects.order_by("reference").values_list(
                "reference", "signed_on", "effective_from", "expires_on", "terminated_on"
            )
        ),
        "flows": list(
            StudentFlow.objects.order_by("pk").values_list(
                "pk", "academic_year", "origin_country", "destination_country", "level", "students"
            )
        ),
        "approvals": AgreementApproval.objects.count(),
        "linked flows": StudentFlow.objects.filter(agreement__isnull=False).count(),
        "passwords": list(get_user_model().objects.order_by("username").values_list("password")),
    }


def inbound_2018():
    return StudentFlow.objects.filter(academic_year=2018, destination_country="CN")


# Idempotence and the command's report


def test_a_second_load_changes_nothing():
    before_counts, before = counts(), snapshot()

    call_command("load_demo", stdout=StringIO())

    assert counts() == before_counts
    assert snapshot() == before


def test_the_load_has_no_duplicate_natural_keys():
    flow_keys = StudentFlow.objects.values(
        "academic_year",
        "origin_country",
        "destination_country",
        "origin_institution",
        "destination_institution",
        "programme",
        "level",
        "mobility_type",
    ).distinct()
    assert flow_keys.count() == StudentFlow.objects.count()
    names = Institution.objects.values("name", "country").distinct()
    assert names.count() == Institution.objects.count()
    spells = Membership.objects.values("alliance", "institution", "joined_on").distinct()
    assert spells.count() == Membership.objects.count()


def test_the_command_prints_row_counts_and_the_demo_logins(demo_output):
    assert f"Institutions{Institution.objects.count():>19}" in demo_output
    assert f"Student flows{StudentFlow.objects.count():>18}" in demo_output
    assert f"Agreement parties{AgreementParty.objects.count():>14}" in demo_output
    for username, password in [
        ("admin", "admin-demo"),
        ("office", "office-demo"),
        ("secretariat", "secretariat-demo"),
        ("partner", "partner-demo"),
    ]:
        assert f"{username:<12} {password}" in demo_output


# The real records


def test_the_three_real_alliances():
    uasr = Alliance.objects.get(slug="uasr")
    assert uasr.name == "University Alliance of the New Silk Road"
    assert uasr.acronym == "UASR"
    assert uasr.founded_on == datetime.date(2015, 5, 22)
    assert uasr.headquarters.name == "Xi'an Jiaotong University"
    assert Alliance.objects.get(slug="asrtu").name == (
        "Association of Sino-Russian Technical Universities"
    )
    talent = Alliance.objects.get(slug="belt-and-road-talent-alliance")
    assert talent.cooperation_model == Alliance.CooperationModel.INDUSTRY_UNIVERSITY_RESEARCH
    assert Institution.objects.get(name=talent.name).kind == Institution.Kind.NETWORK
    assert Membership.objects.get(
        alliance=uasr, institution__slug="xjtu", left_on__isnull=True
    ).role == (Membership.Role.SECRETARIAT_HOST)
    assert Membership.objects.filter(alliance=uasr, institution__slug="hit").exists()


def test_the_named_institutions_with_their_kinds_and_ror_ids():
    kinds = dict(Institution.objects.filter(is_generated=False).values_list("slug", "kind"))
    assert kinds["china-campus-network"] == "enterprise"
    assert kinds["mtc-global"] == "enterprise"
    assert kinds["hahcv"] == "association"
    assert kinds["hangzhou-enterprise-brand-association"] == "association"
    assert kinds["hangzhou-bureau-of-commerce"] == "government_body"
    assert kinds["yunnan-provincial-government"] == "government_body"
    assert kinds["ikcest"] == "research_institute"
    assert kinds["hebei-vocational-university-of-industry-and-technology"] == ("vocational_college")
    weihai = Institution.objects.get(slug="hit-weihai")
    assert (weihai.name, weihai.city) == ("Harbin Institute of Technology, Weihai", "Weihai")
    assert Institution.objects.get(slug="ranepa").country == "RU"
    assert Institution.objects.get(slug="hahcv").country == "VN"
    ror_ids = dict(Institution.objects.exclude(ror_id="").values_list("slug", "ror_id"))
    assert ror_ids == {
        "xjtu": "https://ror.org/017zhmm22",
        "hit": "https://ror.org/01yqg2h08",
        "tsinghua": "https://ror.org/03cve4549",
        "pku": "https://ror.org/02v51f717",
        "zju": "https://ror.org/00a2xv884",
        "msu": "https://ror.org/010pmpe69",
    }


def test_the_forum_was_part_of_the_2023_education_week():
    forum = Event.objects.get(name="Creative Future Youth, Borderless Digital Brands")
    assert forum.starts_on == datetime.date(2023, 8, 28)
    assert forum.venue == "Huangguoshu Hall"
    assert forum.kind == Event.Kind.FORUM
    assert forum.part_of.name == "2023 China-ASEAN Education Cooperation Week"
    assert forum.part_of.kind == Event.Kind.EDUCATION_WEEK
    assert forum.alliance.slug == "belt-and-road-talent-alliance"


def test_the_four_memoranda_of_28_august_2023():
    memoranda = Agreement.objects.filter(signed_on=datetime.date(2023, 8, 28)).order_by("reference")

    def signatories(agreement, role):
        return sorted(
            (party.institution.name, party.signatory_name, party.signatory_title)
            for party in agreement.parties.filter(role=role)
        )

    assert [(m.title, m.kind, m.event.name, m.state) for m in memoranda] == [
        (title, "memorandum_of_cooperation", "Creative Future Youth, Borderless Digital Brands",
         "active")
        for title in [
            "Digital Economy Talent Development Project",
            "Customized Talent Development Project in the Ceramic Industry",
            "Customized Talent Development Project in the Ceramic Industry",
            "China Brand International Talent Development Cooperative Project",
        ]
    ]  # fmt: skip
    ccn = "China Campus Network"
    hahcv = "Hanoi Association of Handicrafts Fine Arts and Craft Villages"
    alliance = '"Belt and Road" Talent Training University-Enterprise Alliance'
    ranepa = "Russian Presidential Academy of National Economy and Public Administration"
    assert [signatories(m, "party") for m in memoranda] == [
        [(ccn, "Yu Shucheng", "President"), (ranepa, "Olga Gumilevskaya", "Vice-Dean")],
        [(ccn, "Yang Jingsi", "Deputy Secretary-General"), (hahcv, "Vu Nhu Quynh", "")],
        [(hahcv, "Vu Nhu Quynh", ""),
         ("Jingdezhen Ceramic University", "Lü Pinchang", "Vice President")],
        [(alliance, "Zhou Yong", "Executive Secretary-General"),
         ("Hangzhou Enterprise Brand Development Promotion Association", "Xie Heming",
          "Vice President")],
    ]  # fmt: skip
    for memorandum in memoranda:
        assert signatories(memorandum, "witness") == [
            (alliance, "Liu Baoli", "Chair"),
            ("Hangzhou Municipal Bureau of Commerce", "Chen Jian", ""),
        ]
    assert Institution.objects.get(name=alliance).kind == Institution.Kind.NETWORK
    assert Institution.objects.get(name="Hangzhou Municipal Bureau of Commerce").kind == (
        Institution.Kind.GOVERNMENT_BODY
    )


def test_the_ikcest_programme_and_the_bjut_framework_agreement():
    ikcest = Programme.objects.get(slug="ikcest-silk-road-training")
    assert ikcest.lead.slug == "xjtu"
    assert ikcest.kind in {"research_training", "customized_training"}
    assert ikcest.level == "non-degree"
    assert ikcest.is_generated is False
    for figure in ["98 training", "17,194 trainees", "115 countries", "243 courses"]:
        assert figure in ikcest.description
    assert list(ikcest.partners.values_list("short_name", flat=True)) == ["IKCEST"]

    framework = Agreement.objects.get(title__contains="Comprehensive Strategic Cooperation")
    assert framework.kind == Agreement.Kind.FRAMEWORK
    assert framework.signed_on.year == 2016
    assert sorted(framework.parties.values_list("institution__name", "institution__kind")) == [
        ("Beijing University of Technology", "university"),
        ("Yunnan Provincial People's Government", "government_body"),
    ]


def test_the_country_groups():
    groups = {group.slug: group.country_codes for group in CountryGroup.objects.all()}
    assert len(groups["belt-and-road"]) == 64
    assert {"MN", "MY", "KZ", "PS", "ME", "MD", "TL"} <= set(groups["belt-and-road"])
    assert "CN" not in groups["belt-and-road"]
    assert sorted(groups["asean"]) == ["BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "VN"]
    assert sorted(groups["central-asia"]) == ["KG", "KZ", "TJ", "TM", "UZ"]


# The 2018 national figures


def test_2018_flows_into_china_add_up_to_the_national_figures():
    belt_and_road = CountryGroup.objects.get(slug="belt-and-road").country_codes

    assert inbound_2018().aggregate(total=Sum("students"))["total"] == 492_200
    assert inbound_2018().values("origin_country").distinct().count() == 196
    assert not inbound_2018().filter(origin_country="CN").exists()
    assert (
        inbound_2018()
        .filter(origin_country__in=belt_and_road)
        .aggregate(total=Sum("students"))["total"]
        == 266_600
    )


def test_2018_institution_rows_are_carved_out_of_the_national_rows():
    kazakh = inbound_2018().filter(origin_country="KZ")
    assert kazakh.filter(origin_institution__isnull=False).exists()
    assert kazakh.aggregate(total=Sum("students"))["total"] == 11_784
    largest = (
        inbound_2018()
        .values("origin_country")
        .annotate(total=Sum("students"))
        .order_by("-total")
        .values_list("origin_country", flat=True)
    )
    assert list(largest[:5]) == ["KR", "TH", "PK", "IN", "US"]
    assert (
        inbound_2018()
        .filter(origin_institution__isnull=True, level="unspecified", mobility_type="unspecified")
        .exclude(source="")
        .count()
        == 196
    )


# The generated records


def test_generated_institutions_are_many_and_varied():
    generated = Institution.objects.filter(is_generated=True)
    assert generated.count() >= 80
    assert generated.values("country").distinct().count() >= 25
    kinds = set(generated.values_list("kind", flat=True))
    assert {
        "university",
        "vocational_college",
        "research_institute",
        "enterprise",
        "association",
        "government_body",
    } <= kinds


def test_memberships_join_and_leave_over_the_years():
    memberships = Membership.objects.all()
    assert set(memberships.values_list("role", flat=True)) == set(Membership.Role.values)
    assert memberships.filter(left_on__isnull=False).count() >= 5
    years = {day.year for day in memberships.values_list("joined_on", flat=True)}
    assert set(range(2015, 2026)) <= years
    rejoined = memberships.filter(institution__slug="university-of-tehran").order_by("joined_on")
    assert [(m.role, m.left_on is None) for m in rejoined] == [
        ("founding_member", False),
        ("associate", True),
    ]


def test_agreements_cover_every_kind_state_and_visibility():
    agreements = Agreement.objects.with_state()
    assert agreements.filter(is_generated=True).count() >= 60
    assert set(agreements.values_list("state", flat=True)) == set(Agreement.State.values)
    assert set(agreements.values_list("kind", flat=True)) == set(Agreement.Kind.values)
    assert set(agreements.values_list("visibility", flat=True)) == set(Agreement.Visibility.values)
    today = timezone.localdate()
    for agreement in agreements.filter(state="expiring"):
        assert today <= agreement.expires_on <= today + datetime.timedelta(days=180)
    for agreement in agreements.filter(state="terminated"):
        assert agreement.terminated_on < today
        assert agreement.termination_reason
    assert not agreements.filter(state="draft", signed_on__isnull=False).exists()


def test_renewed_agreements_follow_an_expired_predecessor():
    renewals = Agreement.objects.filter(renews__isnull=False).select_related("renews")
    assert renewals.count() >= 3
    for agreement in renewals:
        assert agreement.renews.state == Agreement.State.EXPIRED
        assert agreement.effective_from > agreement.renews.expires_on


def test_every_agreement_has_two_signing_parties_with_signatories():
    signing = AgreementParty.objects.filter(role__in=AgreementParty.SIGNING_ROLES)
    per_agreement = dict(
        signing.values("agreement__reference")
        .annotate(n=Count("id"))
        .values_list("agreement__reference", "n")
    )
    assert set(per_agreement) == set(Agreement.objects.values_list("reference", flat=True))
    assert min(per_agreement.values()) >= 2
    unsigned = signing.filter(signatory_name="").exclude(agreement__reference__startswith="BJUT")
    assert not unsigned.exists()
    assert signing.filter(role="coordinator").exists()
    generated = Agreement.objects.filter(is_generated=True)
    assert not generated.filter(subject_areas__isnull=True).exists()


def test_programmes_cover_every_kind_with_partners():
    programmes = Programme.objects.all()
    assert programmes.filter(is_generated=True).count() >= 20
    assert set(programmes.values_list("kind", flat=True)) == set(Programme.Kind.values)
    assert set(ProgrammePartner.objects.values_list("role", flat=True)) == set(
        ProgrammePartner.Role.values
    )
    assert programmes.filter(dual_tutor=True).exists()
    assert programmes.filter(agreement__isnull=False, alliance__isnull=False).exists()
    assert Programme.objects.get(slug="hit-bmstu-double-masters-aerospace").language_list == [
        "ru",
        "zh",
        "en",
    ]
    for programme in programmes:
        programme.full_clean()


def test_flows_span_the_years_and_both_directions():
    flows = StudentFlow.objects.all()
    assert set(flows.values_list("academic_year", flat=True)) == set(range(2014, 2025))
    pairs = set(flows.values_list("origin_country", "destination_country"))
    both_ways = {pair for pair in pairs if pair[::-1] in pairs}
    assert len(both_ways) // 2 >= 40
    assert {"non-degree", "5", "6", "7", "8"} <= set(flows.values_list("level", flat=True))
    assert {"degree", "credit", "training", "staff"} <= set(
        flows.values_list("mobility_type", flat=True)
    )
    outbound_2018 = (
        flows.filter(academic_year=2018, origin_country="CN")
        .values("destination_country")
        .annotate(total=Sum("students"))
    )
    belt_and_road = CountryGroup.objects.get(slug="belt-and-road").country_codes
    largest = max(
        (row for row in outbound_2018 if row["destination_country"] in belt_and_road),
        key=lambda row: row["total"],
    )
    assert largest["destination_country"] == "MY"
    for year in range(2014, 2025):
        inbound = flows.filter(academic_year=year, destination_country="KZ").aggregate(
            total=Sum("students")
        )["total"]
        outbound = flows.filter(academic_year=year, origin_country="KZ").aggregate(
            total=Sum("students")
        )["total"]
        assert outbound > inbound


def test_institution_level_flows_match_their_countries():
    rows = StudentFlow.objects.filter(origin_institution__isnull=False).select_related(
        "origin_institution", "destination_institution"
    )
    assert rows.count() >= 50
    assert rows.filter(programme__isnull=False).exists()
    for row in rows:
        assert row.origin_institution.country == row.origin_country
        assert row.destination_institution.country == row.destination_country
        row.clean()
    for row in rows.order_by("origin_institution", "destination_institution", "academic_year")[
        ::25
    ]:
        row.full_clean()


def test_loading_for_another_day_keeps_every_state():
    later = timezone.localdate() + datetime.timedelta(days=400)

    load_demo(today=later)

    states = set(Agreement.objects.with_state(later).values_list("state", flat=True))
    assert states == set(Agreement.State.values)


# The demo users


def test_demo_users_have_their_affiliations_and_passwords():
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_staff and admin.is_superuser
    assert not admin.affiliations.exists()
    assert list(
        users.get(username="office").affiliations.values_list("role", "institution__slug")
    ) == [("editor", "xjtu")]
    assert list(
        users.get(username="secretariat").affiliations.values_list("role", "alliance__slug")
    ) == [("secretariat", "uasr")]
    request = RequestFactory().post("/accounts/login/")
    for username, password in [
        ("admin", "admin-demo"),
        ("office", "office-demo"),
        ("secretariat", "secretariat-demo"),
        ("partner", "partner-demo"),
    ]:
        assert authenticate(request, username=username, password=password) == users.get(
            username=username
        )
    assert authenticate(request, username="office", password="wrong") is None


# Conditions, units, approvals and identity


def test_every_exchange_and_degree_agreement_has_conditions_between_its_parties():
    kinds = ["student_exchange", "joint_degree", "double_degree"]
    agreements = Agreement.objects.filter(kind__in=kinds)
    assert agreements.count() >= 20
    for agreement in agreements:
        conditions = list(agreement.conditions.all())
        assert conditions, agreement.reference
        parties = set(agreement.parties.values_list("institution_id", flat=True))
        for condition in conditions:
            condition.full_clean()
            assert {condition.sending_institution_id, condition.receiving_institution_id} <= parties


def test_flows_are_linked_and_one_condition_is_over_used():
    assert StudentFlow.objects.filter(agreement__isnull=False).count() >= 30
    over_used = [
        row
        for agreement in Agreement.objects.filter(conditions__isnull=False).distinct()
        for year in range(2016, 2025)
        for row in places_table(agreement, year)
        if row.left < 0
    ]
    assert over_used
    assert {row.agreement.reference for row in over_used} == {"XJTU-KAZNU-2019-DD-01"}


def test_one_agreement_is_approved_by_all_and_one_waits_for_the_partner():
    approved = approval_status(Agreement.objects.with_terms().get(reference="LZU-NUM-2016-JD-01"))
    assert approved.approved_by_all
    waiting = approval_status(Agreement.objects.with_terms().get(reference="XJTU-NUOL-2025-SE-01"))
    assert not waiting.approved_by_all
    assert [party.short_name for party in waiting.waiting_for] == ["NUOL"]
    assert list(waiting.current) == [Institution.objects.get(slug="xjtu").pk]


def test_units_at_a_few_universities_and_on_faculty_agreements():
    assert set(Unit.objects.values_list("institution__slug", flat=True)) >= {"xjtu", "hit", "kaznu"}
    assert Unit.objects.filter(parent__isnull=False).exists()
    assert AgreementParty.objects.filter(unit__isnull=False).count() >= 3
    assert all(Unit.objects.values_list("is_generated", flat=True))


def test_an_institution_with_a_parent_and_one_with_a_successor():
    assert Institution.objects.get(slug="hit-weihai").parent.slug == "hit"
    predecessor = Institution.objects.get(successor__slug="xjtu")
    assert predecessor.is_generated
