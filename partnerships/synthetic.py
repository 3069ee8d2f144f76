"""A large synthetic data set for benchmarks, built set-based and the same for the same seed.

Every row is marked as generated: `is_generated` where the model has it, otherwise a
`synthetic-` slug (alliances) or the synthetic institutions it joins (memberships).
Data is skewed like the real registry: a few countries and institutions hold most records.
"""

import datetime
import io
import itertools
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django_countries import countries

from partnerships.models import (
    Affiliation,
    Agreement,
    AgreementParty,
    Alliance,
    Institution,
    Membership,
)
from partnerships.vocabularies import StudyLevel
from programs.models import MobilityType, StudentFlow

SLUG_PREFIX = "synthetic-"
REFERENCE_PREFIX = "SYN-"
FLOW_SOURCE_PREFIX = "Synthetic data"
BATCH_SIZE = 50_000

# The countries that send and host most students and sign most agreements come first;
# the rest follow in a fixed order so the long tail is the same for every seed.
LEADING_COUNTRIES = ["CN", "RU", "KZ", "US", "DE", "GB", "FR", "UZ", "IN", "KR", "JP", "TR"]
FIRST_YEAR, LAST_YEAR = 2000, 2024

INSTITUTION_KINDS = [
    (Institution.Kind.UNIVERSITY, 60),
    (Institution.Kind.VOCATIONAL_COLLEGE, 12),
    (Institution.Kind.RESEARCH_INSTITUTE, 10),
    (Institution.Kind.ENTERPRISE, 10),
    (Institution.Kind.ASSOCIATION, 3),
    (Institution.Kind.GOVERNMENT_BODY, 3),
    (Institution.Kind.NETWORK, 1),
    (Institution.Kind.INTERNATIONAL_ORGANISATION, 1),
]
VISIBILITIES = [
    (Agreement.Visibility.PUBLIC, 85),
    (Agreement.Visibility.MEMBERS, 10),
    (Agreement.Visibility.PARTIES, 5),
]
LEVELS = list(zip(StudyLevel.values, [5, 40, 25, 10, 10, 10], strict=True))
MOBILITY_TYPES = list(zip(MobilityType.values, [35, 35, 15, 5, 10], strict=True))


@dataclass(frozen=True)
class Scale:
    institutions: int
    alliances: int
    agreements: int
    flows: int
    # The first alliance gets this many members, for the benchmark of a big alliance page.
    largest_alliance: int = 1000


def country_codes():
    """All ISO codes, the leading countries first, then the others in alphabetical order."""
    rest = sorted(code for code, _name in countries if code not in LEADING_COUNTRIES)
    return LEADING_COUNTRIES + rest


def zipf_weights(count, exponent):
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


class WeightedPicker:
    """Draws from `values` with fixed weights, in O(log n) per draw."""

    def __init__(self, rng, values, weights):
        self.rng = rng
        self.values = list(values)
        self.cum_weights = list(itertools.accumulate(weights))

    def __call__(self):
        return self.rng.choices(self.values, cum_weights=self.cum_weights)[0]

    @classmethod
    def of(cls, rng, pairs):
        return cls(rng, [value for value, _ in pairs], [weight for _, weight in pairs])


def generate(scale, *, seed, stdout=None):
    """Write the synthetic data set of `scale`; returns the number of rows per model."""
    rng = random.Random(seed)
    now = timezone.now()
    note = f"Generated record (synthetic data, seed {seed})."
    say = stdout.write if stdout else (lambda message: None)
    counts = {}
    with transaction.atomic():
        countries_list = country_codes()
        country = WeightedPicker(rng, countries_list, zipf_weights(len(countries_list), 1.3))
        institutions = institution_rows(rng, scale.institutions, country, now, note)
        counts["institutions"] = write_rows(Institution, institutions)
        say(f"institutions: {counts['institutions']}\n")
        institution_ids = dict(
            Institution.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "id")
        )
        # (id, country) in creation order; popularity follows a Zipf law over a shuffled order
        # so big signers are spread over countries rather than all in the first one.
        members = [(institution_ids[row["slug"]], row["country"]) for row in institutions]
        popular = members[:]
        rng.shuffle(popular)
        signer = WeightedPicker(rng, popular, zipf_weights(len(popular), 0.8))

        alliances = alliance_rows(rng, scale.alliances, members, now, note)
        counts["alliances"] = write_rows(Alliance, alliances)
        alliance_ids = [
            alliance_id
            for _slug, alliance_id in sorted(
                Alliance.objects.filter(slug__startswith=SLUG_PREFIX).values_list("slug", "id"),
                key=lambda pair: int(pair[0].rsplit("-", 1)[1]),
            )
        ]
        counts["memberships"] = write_rows(
            Membership, membership_rows(rng, scale, alliance_ids, members, now)
        )
        say(f"alliances: {counts['alliances']}, memberships: {counts['memberships']}\n")

        agreements = agreement_rows(rng, scale.agreements, alliance_ids, now, note, seed)
        counts["agreements"] = write_rows(Agreement, agreements)
        agreement_ids = dict(
            Agreement.objects.filter(reference__startswith=f"{REFERENCE_PREFIX}{seed}-")
            .values_list("reference", "id")
            .iterator(chunk_size=10_000)
        )
        counts["agreement_parties"] = write_rows(
            AgreementParty,
            party_rows(rng, [agreement_ids[row["reference"]] for row in agreements], signer, now),
        )
        say(f"agreements: {counts['agreements']}, parties: {counts['agreement_parties']}\n")

        counts["flows"] = write_rows(
            StudentFlow, flow_rows(rng, scale.flows, country, signer, now, seed)
        )
        say(f"flows: {counts['flows']}\n")
    if connection.vendor == "postgresql":
        vacuum_and_analyze()
    return counts


def vacuum_and_analyze():
    """Statistics for the planner and, outside a transaction, a vacuum: rows just copied in
    have no visibility map yet, so until autovacuum comes by (or ever, where it is off) an
    index-only scan still reads the heap and a `COUNT(*)` reads the whole table."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")


def institution_rows(rng, count, country, now, note):
    kind = WeightedPicker.of(rng, INSTITUTION_KINDS)
    rows = []
    for number in range(1, count + 1):
        code = country()
        institution_kind = kind()
        label = Institution.Kind(institution_kind).label
        rows.append(
            {
                "name": f"{countries.name(code)} {label} No. {number}",
                "slug": f"{SLUG_PREFIX}institution-{number}",
                "short_name": f"S{number}",
                "native_name": "",
                "kind": institution_kind,
                "country": code,
                "city": "",
                "website": "",
                "ror_id": "",
                "founded_year": rng.randint(1850, 2020),
                "description": note,
                "is_generated": True,
                "created": now,
                "updated": now,
            }
        )
    return rows


def alliance_rows(rng, count, members, now, note):
    cooperation_models = Alliance.CooperationModel.values
    return [
        {
            "name": f"Synthetic Alliance {number}",
            "slug": f"{SLUG_PREFIX}alliance-{number}",
            "acronym": f"SA{number}",
            "founded_on": datetime.date(rng.randint(1995, 2023), rng.randint(1, 12), 1),
            "headquarters_id": rng.choice(members)[0],
            "cooperation_model": rng.choice(cooperation_models),
            "focus_areas": "",
            "website": "",
            "description": note,
            "contact_email": "",
            "created": now,
            "updated": now,
        }
        for number in range(1, count + 1)
    ]


def membership_rows(rng, scale, alliance_ids, members, now):
    roles = Membership.Role
    for position, alliance_id in enumerate(alliance_ids):
        # A few big alliances, many small ones; the first is the big one the bench pages.
        size = (
            scale.largest_alliance
            if position == 0
            else min(400, 3 + int(6 * rng.paretovariate(1.2)))
        )
        size = min(size, len(members))
        for rank, (institution_id, _country) in enumerate(rng.sample(members, size)):
            joined = datetime.date(rng.randint(2000, 2024), rng.randint(1, 12), 1)
            left = joined + datetime.timedelta(days=rng.randint(365, 3000))
            yield {
                "alliance_id": alliance_id,
                "institution_id": institution_id,
                "role": roles.FOUNDING_MEMBER
                if rank < 3
                else rng.choice([roles.MEMBER, roles.MEMBER, roles.ASSOCIATE, roles.OBSERVER]),
                "joined_on": joined,
                # A few have left; they are never the open membership the constraint guards.
                "left_on": left if rng.random() < 0.05 else None,
                "notes": "",
                "created": now,
                "updated": now,
            }


def agreement_rows(rng, count, alliance_ids, now, note, seed):
    kind = WeightedPicker(rng, Agreement.Kind.values, zipf_weights(len(Agreement.Kind.values), 1))
    visibility = WeightedPicker.of(rng, VISIBILITIES)
    rows = []
    for number in range(1, count + 1):
        # Recent years sign more: the square root bends the draw towards the end of the range.
        signed = datetime.date(2005, 1, 1) + datetime.timedelta(
            days=int(7300 * rng.random() ** 0.5)
        )
        draft = rng.random() < 0.05
        expires = (
            signed + datetime.timedelta(days=365 * rng.randint(2, 6))
            if rng.random() < 0.8
            else None
        )
        terminated = (
            signed + datetime.timedelta(days=rng.randint(30, 700)) if rng.random() < 0.03 else None
        )
        agreement_kind = kind()
        rows.append(
            {
                "reference": f"{REFERENCE_PREFIX}{seed}-{number:07d}",
                "title": f"{Agreement.Kind(agreement_kind).label} No. {number}",
                "kind": agreement_kind,
                "alliance_id": rng.choice(alliance_ids) if rng.random() < 0.4 else None,
                "event_id": None,
                "signed_on": None if draft else signed,
                "effective_from": None if draft else signed,
                "expires_on": None if draft else expires,
                "auto_renews": rng.random() < 0.2,
                "notice_days": 180,
                "renews_id": None,
                "terminated_on": None if draft else terminated,
                "termination_reason": "",
                "summary": note,
                "visibility": visibility(),
                "document": "",
                "document_name": "",
                "is_generated": True,
                "created_by_id": None,
                "created": now,
                "updated": now,
            }
        )
    return rows


def party_rows(rng, agreement_ids, signer, now):
    roles = AgreementParty.Role
    for agreement_id in agreement_ids:
        draw = rng.random()
        size = 2 if draw < 0.8 else 3 if draw < 0.95 else rng.randint(4, 6)
        chosen = set()
        while len(chosen) < size:
            chosen.add(signer()[0])
        for position, institution_id in enumerate(sorted(chosen)):
            yield {
                "agreement_id": agreement_id,
                "institution_id": institution_id,
                "role": roles.COORDINATOR if position == 0 and size > 2 else roles.PARTY,
                "signatory_name": "",
                "signatory_title": "",
                "created": now,
                "updated": now,
            }


def flow_rows(rng, count, country, signer, now, seed):
    """`count` distinct flows: a third national rows, the rest between two institutions."""
    level = WeightedPicker.of(rng, LEVELS)
    mobility = WeightedPicker.of(rng, MOBILITY_TYPES)
    source = f"{FLOW_SOURCE_PREFIX}, seed {seed}"
    seen = set()
    while len(seen) < count:
        year = FIRST_YEAR + int((LAST_YEAR - FIRST_YEAR + 1) * rng.random() ** 0.7)
        if rng.random() < 0.33:
            origin_id = destination_id = None
            origin, destination = country(), country()
        else:
            (origin_id, origin), (destination_id, destination) = signer(), signer()
        if origin == destination:
            continue
        key = (year, origin, destination, origin_id, destination_id, level(), mobility())
        if key in seen:
            continue
        seen.add(key)
        yield {
            "academic_year": year,
            "origin_country": origin,
            "destination_country": destination,
            "origin_institution_id": origin_id,
            "destination_institution_id": destination_id,
            "programme_id": None,
            "level": key[5],
            "mobility_type": key[6],
            "students": max(1, int(rng.lognormvariate(2.0, 1.3))),
            "source": source,
            "is_generated": True,
            "created": now,
            "updated": now,
        }


def write_rows(model, rows):
    """Insert `rows` (dicts of column attnames) in big batches: COPY on PostgreSQL."""
    total = 0
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, BATCH_SIZE)):
        if connection.vendor == "postgresql":
            copy_rows(model, batch)
        else:
            model.objects.bulk_create([model(**row) for row in batch], batch_size=2000)
        total += len(batch)
    return total


def copy_rows(model, batch):
    # Columns the generator leaves out get the model's default, as bulk_create would give.
    defaults = {
        field.attname: field.get_default()
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname not in batch[0]
    }
    columns = [*batch[0], *defaults]
    buffer = io.StringIO()
    for row in batch:
        row = {**row, **defaults}
        buffer.write("\t".join(copy_value(row[column]) for column in columns))
        buffer.write("\n")
    buffer.seek(0)
    column_list = ", ".join(connection.ops.quote_name(column) for column in columns)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.copy_expert(f"COPY {table} ({column_list}) FROM STDIN", buffer)


COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def copy_value(value):
    """One value in COPY's text format."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return str(value).translate(COPY_ESCAPES)


def existing_counts():
    """How many synthetic rows each model holds now."""
    return {
        "institutions": Institution.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "alliances": Alliance.objects.filter(slug__startswith=SLUG_PREFIX).count(),
        "agreements": Agreement.objects.filter(reference__startswith=REFERENCE_PREFIX).count(),
        "flows": StudentFlow.objects.filter(source__startswith=FLOW_SOURCE_PREFIX).count(),
    }


def delete_synthetic():
    """Remove every synthetic row, set-based (no per-row signals: synthetic rows have no
    history to keep)."""
    synthetic_institutions = Institution.objects.filter(slug__startswith=SLUG_PREFIX)
    synthetic_agreements = Agreement.objects.filter(reference__startswith=REFERENCE_PREFIX)
    synthetic_alliances = Alliance.objects.filter(slug__startswith=SLUG_PREFIX)
    with transaction.atomic():
        for queryset in [
            StudentFlow.objects.filter(
                Q(source__startswith=FLOW_SOURCE_PREFIX)
                | Q(origin_institution__in=synthetic_institutions)
                | Q(destination_institution__in=synthetic_institutions)
            ),
            AgreementParty.objects.filter(agreement__in=synthetic_agreements),
            Agreement.subject_areas.through.objects.filter(agreement__in=synthetic_agreements),
            synthetic_agreements,
            Membership.objects.filter(alliance__in=synthetic_alliances),
            Membership.objects.filter(institution__in=synthetic_institutions),
            Affiliation.objects.filter(
                Q(alliance__in=synthetic_alliances) | Q(institution__in=synthetic_institutions)
            ),
            synthetic_alliances,
            synthetic_institutions,
        ]:
            queryset._raw_delete(queryset.db)
