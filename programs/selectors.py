"""Aggregate reads over flows, programmes and partners: the figures researchers ask for.

Each takes querysets the caller has already filtered (with the FilterSets of
`programs.filters`) or a user whose visibility applies, and runs a fixed number of queries.
"""

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db.models import Case, CharField, Count, F, Max, Q, Sum, When
from django.utils.translation import gettext as _
from django_countries import countries

from partnerships.models import (
    Agreement,
    AgreementParty,
    AgreementState,
    Event,
    Institution,
    Membership,
)
from programs.models import Programme, ProgrammePartner, StudentFlow

# The dimensions `flow_summary` groups by; institution keys also return the name.
GROUP_BY_KEYS = (
    "academic_year",
    "origin_country",
    "destination_country",
    "level",
    "mobility_type",
    "origin_institution",
    "destination_institution",
)
NAMED_KEYS = {
    "origin_institution": "origin_institution__name",
    "destination_institution": "destination_institution__name",
}


def parse_group_by(value):
    """`"origin_country,academic_year"` → a tuple of keys; ValidationError names `group_by`."""
    keys = tuple(key.strip() for key in (value or "").split(",") if key.strip())
    unknown = [key for key in keys if key not in GROUP_BY_KEYS]
    if unknown:
        raise ValidationError(
            {
                "group_by": _("Unknown group_by key %(keys)s; choose from %(allowed)s.")
                % {"keys": ", ".join(unknown), "allowed": ", ".join(GROUP_BY_KEYS)}
            }
        )
    if len(set(keys)) != len(keys):
        raise ValidationError({"group_by": _("Name each group_by key once.")})
    return keys


def flow_summary(flows_qs, group_by):
    """Students per combination of `group_by` keys, in one SQL GROUP BY.

    Returns a list of dicts with the keys, `<side>_institution_name` for institution keys,
    and `students`; with no keys, one row with the total.
    """
    keys = parse_group_by(group_by) if isinstance(group_by, str) else tuple(group_by)
    parse_group_by(",".join(keys))
    columns = []
    for key in keys:
        columns.append(key)
        if key in NAMED_KEYS:
            columns.append(NAMED_KEYS[key])
    rows = flows_qs.order_by().values(*columns).annotate(students=Sum("students"))
    if not keys:
        total = flows_qs.order_by().aggregate(students=Sum("students"))["students"] or 0
        return [{"students": total}]
    ordered = rows.order_by(*[F(key).asc(nulls_last=True) for key in keys])
    if not any(key in NAMED_KEYS for key in keys):
        return list(ordered)
    return [_named(row) for row in ordered]


def flow_summary_columns(group_by):
    """The columns of `flow_summary(..., group_by)`, known even when it has no rows."""
    columns = []
    for key in parse_group_by(group_by):
        columns += [key, f"{key}_name"] if key in NAMED_KEYS else [key]
    return [*columns, "students"]


def _named(row):
    for key, lookup in NAMED_KEYS.items():
        if lookup in row:
            row[f"{key}_name"] = row.pop(lookup)
    return row


def flow_balance(flows_qs, country):
    """Per partner country of `country`: students in, out, and (in − out) / (in + out).

    One query. The index runs from −1 (only outbound) to 1 (only inbound).
    """
    country = country.upper()
    inbound = Q(destination_country=country)
    outbound = Q(origin_country=country)
    rows = (
        flows_qs.filter(inbound | outbound)
        .order_by()
        .annotate(
            partner=Case(
                When(inbound, then=F("origin_country")),
                default=F("destination_country"),
                output_field=CharField(),
            )
        )
        .values("partner")
        .annotate(
            inbound=Sum("students", filter=inbound, default=0),
            outbound=Sum("students", filter=outbound, default=0),
        )
        .order_by("partner")
    )
    return [
        {
            "country": country,
            "partner_country": row["partner"],
            "partner_country_name": countries.name(row["partner"]),
            "inbound": row["inbound"],
            "outbound": row["outbound"],
            "balance_index": balance_index(row["inbound"], row["outbound"]),
        }
        for row in rows
    ]


def balance_index(inbound, outbound):
    total = inbound + outbound
    return round((inbound - outbound) / total, 4) if total else None


# Countries


def country_profiles(user, codes=None):
    """What each country takes part in, as `user` may see it; a fixed number of queries.

    Countries are those with an institution, an event or a flow. Per country: member
    institutions (with a current alliance membership), alliances they belong to, active
    agreements with a party there (visible to `user`), programmes led or partnered from
    there, the kinds of cooperation mechanism (alliance cooperation models, agreement
    kinds, programme kinds, kinds of event held there), and students in and out in the
    latest academic year the country has figures for.
    """
    wanted = {code.upper() for code in codes} if codes is not None else None

    def only(queryset, field):
        return queryset if wanted is None else queryset.filter(**{f"{field}__in": wanted})

    institution_rows = (
        only(Institution.objects.all(), "country")
        .order_by()
        .values("country")
        .annotate(n=Count("pk"))
    )
    memberships = only(Membership.objects.current(), "institution__country")
    member_rows = (
        memberships.order_by()
        .values("institution__country")
        .annotate(
            institutions=Count("institution", distinct=True),
            alliances=Count("alliance", distinct=True),
        )
    )
    models_rows = (
        memberships.order_by()
        .values_list("institution__country", "alliance__cooperation_model")
        .distinct()
    )

    agreements = Agreement.objects.visible_to(user).in_state(
        AgreementState.ACTIVE, AgreementState.EXPIRING
    )
    parties = only(
        AgreementParty.objects.filter(agreement__in=agreements.values("pk")),
        "institution__country",
    )
    agreement_rows = (
        parties.order_by()
        .values("institution__country")
        .annotate(agreements=Count("agreement", distinct=True))
    )
    agreement_kinds = (
        parties.order_by().values_list("institution__country", "agreement__kind").distinct()
    )

    led = only(Programme.objects.all(), "lead__country").values_list("lead__country", "pk", "kind")
    partnered = only(ProgrammePartner.objects.all(), "institution__country").values_list(
        "institution__country", "programme_id", "programme__kind"
    )
    event_kinds = (
        only(Event.objects.order_by(), "country").values_list("country", "kind").distinct()
    )

    flows = StudentFlow.objects.all()
    if wanted is not None:
        flows = flows.filter(Q(origin_country__in=wanted) | Q(destination_country__in=wanted))
    inbound = (
        flows.order_by().values("destination_country", "academic_year").annotate(n=Sum("students"))
    )
    outbound = (
        flows.order_by().values("origin_country", "academic_year").annotate(n=Sum("students"))
    )

    profiles = defaultdict(_empty_profile)
    for row in institution_rows:
        profiles[row["country"]]["institutions"] = row["n"]
    for row in member_rows:
        profile = profiles[row["institution__country"]]
        profile["member_institutions"] = row["institutions"]
        profile["alliances"] = row["alliances"]
    for code, model in models_rows:
        profiles[code]["mechanisms"].add(f"alliance:{model}")
    for row in agreement_rows:
        profiles[row["institution__country"]]["active_agreements"] = row["agreements"]
    for code, kind in agreement_kinds:
        profiles[code]["mechanisms"].add(f"agreement:{kind}")
    programmes = defaultdict(set)
    for code, programme_id, kind in [*led, *partnered]:
        programmes[code].add(programme_id)
        profiles[code]["mechanisms"].add(f"programme:{kind}")
    for code, ids in programmes.items():
        profiles[code]["programmes"] = len(ids)
    for code, kind in event_kinds:
        profiles[code]["mechanisms"].add(f"event:{kind}")
    yearly = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for row in inbound:
        yearly[row["destination_country"]][row["academic_year"]][0] += row["n"]
    for row in outbound:
        yearly[row["origin_country"]][row["academic_year"]][1] += row["n"]
    for code, years in yearly.items():
        latest = max(years)
        profile = profiles[code]
        profile["latest_year"] = latest
        profile["students_in"], profile["students_out"] = years[latest]

    result = []
    for code in sorted(profiles):
        if wanted is not None and code not in wanted:
            continue
        profile = profiles[code]
        mechanisms = sorted(profile.pop("mechanisms"))
        result.append(
            {
                "code": code,
                "name": countries.name(code),
                **profile,
                "mechanisms": mechanisms,
                "mechanism_count": len(mechanisms),
            }
        )
    return result


def _empty_profile():
    return {
        "institutions": 0,
        "member_institutions": 0,
        "alliances": 0,
        "active_agreements": 0,
        "programmes": 0,
        "latest_year": None,
        "students_in": 0,
        "students_out": 0,
        "mechanisms": set(),
    }


def country_profile(code, user):
    """The profile of one country (see `country_profiles`), or None if nothing is there."""
    profiles = country_profiles(user, codes=[code])
    return profiles[0] if profiles else None


def latest_flow_year(flows_qs=None):
    queryset = StudentFlow.objects.all() if flows_qs is None else flows_qs
    return queryset.aggregate(year=Max("academic_year"))["year"]
