"""Faculty units, institution identity, conditions of exchange and degree agreements,
flows linked to them, and approvals: the offices' side of the demo agreements.

Conditions follow the linked student flows where the demo has them (same direction,
mobility type and level), with a few places to spare; one condition is set below its
flows so the portal shows an over-used condition. XJTU-NUOL-2025-SE-01 waits for the
partner's approval; LZU-NUM-2016-JD-01 is approved by both parties.
"""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from partnerships.demo.store import upsert
from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementApproval,
    AgreementCondition,
    AgreementParty,
    ApprovedVersion,
    Institution,
    Unit,
)
from partnerships.selectors import current_academic_year
from partnerships.terms import agreement_terms, terms_version
from partnerships.vocabularies import DEGREE_LEVELS
from programs.models import StudentFlow

Type = AgreementCondition.MobilityType
K = Agreement.Kind
CONDITION_KINDS = (K.STUDENT_EXCHANGE, K.JOINT_DEGREE, K.DOUBLE_DEGREE)
FLOW_TO_CONDITION = {
    "credit": Type.STUDENT_STUDIES,
    "degree": Type.DEGREE_SEEKING,
    "training": Type.STUDENT_TRAINEESHIP,
}

# institution slug → (unit name, kind, parent unit name or None)
UNITS = {
    "xjtu": [
        ("School of Electrical Engineering", Unit.Kind.SCHOOL, None),
        ("School of Management", Unit.Kind.SCHOOL, None),
        ("School of Foreign Studies", Unit.Kind.SCHOOL, None),
        ("Department of Power Systems", Unit.Kind.DEPARTMENT, "School of Electrical Engineering"),
        ("Health Science Center", Unit.Kind.CENTRE, None),
    ],
    "hit": [
        ("School of Astronautics", Unit.Kind.SCHOOL, None),
        ("School of Electrical Engineering and Automation", Unit.Kind.SCHOOL, None),
    ],
    "kaznu": [
        ("Faculty of Physics and Technology", Unit.Kind.FACULTY, None),
        ("Faculty of Oriental Studies", Unit.Kind.FACULTY, None),
    ],
    "universiti-malaya": [
        ("Faculty of Computer Science and Information Technology", Unit.Kind.FACULTY, None),
        ("Faculty of Engineering", Unit.Kind.FACULTY, None),
    ],
}

# reference → {institution slug: unit name}: the units named on faculty-level agreements
PARTY_UNITS = {
    "XJTU-KAZNU-2019-DD-01": {
        "xjtu": "School of Electrical Engineering",
        "kaznu": "Faculty of Physics and Technology",
    },
    "ZJU-UM-2023-DD-02": {
        "universiti-malaya": "Faculty of Computer Science and Information Technology"
    },
    "HIT-BMSTU-2020-DD-02": {"hit": "School of Astronautics"},
}

# The condition set below its flows: (reference, sending slug) → places per year
TIGHT_PLACES = {("XJTU-KAZNU-2019-DD-01", "kaznu"): 12}

# (slug, name, short name, country, city, founded, successor slug, description)
PREDECESSORS = [
    ("xian-medical-university", "Xi'an Medical University", "XAMU", "CN", "Xi'an", 1937,
     "xjtu", "Merged into Xi'an Jiaotong University in 2000; now its Health Science Center."),
]  # fmt: skip

# child slug → parent slug
PARENTS = {"hit-weihai": "hit"}

APPROVED_BY_ALL = "LZU-NUM-2016-JD-01"
WAITING = "XJTU-NUOL-2025-SE-01"
# institution slug → the demo approver acting for it (no login: an office abroad)
APPROVERS = {"lzu": "lzu-office", "num": "num-office", "xjtu": "office"}


def load_identity(institutions):
    """Units at a few universities, a branch campus's parent and a merged predecessor."""
    units = {}
    for slug, rows in UNITS.items():
        for name, kind, parent in rows:
            units[(slug, name)] = upsert(
                Unit,
                {"institution": institutions[slug], "name": name},
                {"kind": kind, "parent": units.get((slug, parent)), "is_generated": True},
            )
    for child, parent in PARENTS.items():
        upsert(Institution, {"slug": child}, {"parent": institutions[parent]})
    for slug, name, short, country, city, founded, successor, description in PREDECESSORS:
        institutions[slug] = upsert(
            Institution,
            {"slug": slug},
            {
                "name": name,
                "short_name": short,
                "kind": Institution.Kind.UNIVERSITY,
                "country": country,
                "city": city,
                "founded_year": founded,
                "successor": institutions[successor],
                "description": description,
                "is_generated": True,
            },
        )
    return units


def academic_year_of(day):
    return current_academic_year(day)


def term_years(agreement, today):
    """The academic years an agreement's conditions run: its term, or five years."""
    start = agreement.effective_from or agreement.signed_on
    first = academic_year_of(start) if start else current_academic_year(today)
    end = agreement.terminated_on or agreement.expires_on
    last = academic_year_of(end) if end else first + 4
    return first, max(first, last)


def flow_patterns(agreement):
    """(origin id, destination id) → (flow mobility type, level, typical students) from the
    demo's institution-level flows between the agreement's parties."""
    party_ids = [party.institution_id for party in agreement.parties.all()]
    patterns = {}
    flows = StudentFlow.objects.filter(
        origin_institution__in=party_ids, destination_institution__in=party_ids
    ).exclude(mobility_type="staff")
    for flow in flows.order_by("academic_year"):
        key = (flow.origin_institution_id, flow.destination_institution_id)
        mobility_type, level, most = patterns.get(key, (flow.mobility_type, flow.level, 0))
        patterns[key] = (mobility_type, level, max(most, flow.students))
    return patterns


def condition_rows(agreement, slugs, units, today):
    """The conditions of one exchange or degree agreement, both directions."""
    signing = [p for p in agreement.parties.all() if p.role in AgreementParty.SIGNING_ROLES]
    first, last = term_years(agreement, today)
    patterns = flow_patterns(agreement)
    areas = list(agreement.subject_areas.all())
    field = areas[0] if areas else None
    default_type = Type.DEGREE_SEEKING if agreement.kind == K.JOINT_DEGREE else Type.STUDENT_STUDIES
    rows = []
    for sending in signing:
        for receiving in signing:
            if sending.institution_id == receiving.institution_id:
                continue
            flow_type, level, most = patterns.get(
                (sending.institution_id, receiving.institution_id), ("", "", 0)
            )
            mobility_type = FLOW_TO_CONDITION.get(flow_type, default_type)
            tight = TIGHT_PLACES.get((agreement.reference, slugs[sending.institution_id]))
            into_china = receiving.institution.country.code == "CN"
            rows.append(
                {
                    "sending_institution": sending.institution,
                    "sending_unit": sending.unit,
                    "receiving_institution": receiving.institution,
                    "receiving_unit": receiving.unit,
                    "mobility_type": mobility_type,
                    "field": field,
                    "levels": level if level in DEGREE_LEVELS else "67",
                    "first_academic_year": first,
                    "last_academic_year": last,
                    "places": tight or max(2, most + 3),
                    "months_per_year": 12 if mobility_type == Type.DEGREE_SEEKING else 10,
                    "days_per_year": None,
                    "language": "zh" if into_china else "en",
                    "language_level": "B1" if into_china else "B2",
                }
            )
        if agreement.kind == K.STUDENT_EXCHANGE and sending == signing[0]:
            rows.append(
                {
                    **rows[-1],
                    "mobility_type": Type.STAFF_TEACHING,
                    "levels": "",
                    "places": 2,
                    "months_per_year": None,
                    "days_per_year": 10,
                    "language": "en",
                    "language_level": "B2",
                }
            )
    return rows


def load_conditions(agreements, institutions, units, today):
    """Conditions on every demo exchange, joint- and double-degree agreement."""
    slugs = {institution.pk: slug for slug, institution in institutions.items()}
    for reference, names in PARTY_UNITS.items():
        for slug, unit_name in names.items():
            parties = AgreementParty.objects.filter(
                agreement=agreements[reference], institution=institutions[slug]
            ).exclude(unit=units[(slug, unit_name)])
            for party in parties:
                party.unit = units[(slug, unit_name)]
                party.save()
    for agreement in agreements.values():
        if agreement.kind not in CONDITION_KINDS:
            continue
        agreement = Agreement.objects.with_terms().get(pk=agreement.pk)
        wanted = condition_rows(agreement, slugs, units, today)
        kept = []
        for row in wanted:
            key = {
                "agreement": agreement,
                "sending_institution": row["sending_institution"],
                "receiving_institution": row["receiving_institution"],
                "mobility_type": row["mobility_type"],
            }
            values = {name: value for name, value in row.items() if name not in key}
            kept.append(upsert(AgreementCondition, key, {**values, "is_generated": True}).pk)
        AgreementCondition.objects.filter(agreement=agreement, is_generated=True).exclude(
            pk__in=kept
        ).delete()


def link_flows(agreements):
    """Link each institution-level flow to the demo agreement whose condition covers it."""
    conditions = AgreementCondition.objects.filter(
        agreement__in=[a.pk for a in agreements.values()], is_generated=True
    )
    covering = {}
    for condition in conditions.order_by("agreement__effective_from"):
        for year in range(condition.first_academic_year, condition.last_academic_year + 1):
            key = (
                condition.sending_institution_id,
                condition.receiving_institution_id,
                condition.flow_mobility_type,
                year,
            )
            covering[key] = condition.agreement_id
    changed = []
    now = timezone.now()
    linked = StudentFlow.objects.filter(
        origin_institution__isnull=False, destination_institution__isnull=False
    )
    for flow in linked:
        key = (
            flow.origin_institution_id,
            flow.destination_institution_id,
            flow.mobility_type,
            flow.academic_year,
        )
        agreement_id = covering.get(key)
        if agreement_id is not None and flow.agreement_id != agreement_id:
            flow.agreement_id = agreement_id
            flow.updated = now
            changed.append(flow)
    StudentFlow.objects.bulk_update(changed, ["agreement", "updated"], batch_size=500)


def approver(username, institution):
    """A demo editor who approves for `institution` (existing demo logins are reused)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        user = get_user_model()(username=username, email=f"{username}@example.org")
        user.set_unusable_password()
        user.save()
    upsert(
        Affiliation,
        {
            "user": user,
            "role": Affiliation.Role.EDITOR,
            "institution": institution,
            "alliance": None,
        },
        {},
    )
    return user


def approve_as_demo(agreement, slugs, institutions, at):
    """Record the approvals of the current version by `slugs`; snapshot when all approved."""
    agreement = Agreement.objects.with_terms().get(pk=agreement.pk)
    terms = agreement_terms(agreement)
    version = terms_version(terms)
    for slug in slugs:
        AgreementApproval.objects.get_or_create(
            agreement=agreement,
            institution=institutions[slug],
            version=version,
            defaults={"user": approver(APPROVERS[slug], institutions[slug]), "approved_at": at},
        )
    signing = {
        party.institution_id
        for party in agreement.parties.all()
        if party.role in AgreementParty.SIGNING_ROLES
    }
    if signing <= {institutions[slug].pk for slug in slugs}:
        ApprovedVersion.objects.get_or_create(
            agreement=agreement, version=version, defaults={"terms": terms, "approved_at": at}
        )


def load_approvals(agreements, institutions):
    noon = datetime.time(12, tzinfo=datetime.UTC)
    approve_as_demo(
        agreements[APPROVED_BY_ALL],
        ["lzu", "num"],
        institutions,
        datetime.datetime.combine(datetime.date(2016, 8, 20), noon),
    )
    approve_as_demo(
        agreements[WAITING],
        ["xjtu"],
        institutions,
        datetime.datetime.combine(datetime.date(2025, 10, 6), noon),
    )
