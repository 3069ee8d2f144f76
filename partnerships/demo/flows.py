"""Student flows: the 2018 national figures into China and generated series for 2014–2024.

Rows are disjoint and additive: institution-level rows are carved out of the country-level
row of the same pair, year, level and mobility type (for 2018 into China: out of the
national row), so every sum stays the published total.
"""

import random

from django.utils import timezone

from partnerships.demo.real import BELT_AND_ROAD
from programs.models import StudentFlow

SEED = 2018
YEARS = range(2014, 2025)
NATIONAL_YEAR = 2018
INBOUND_2018_TOTAL = 492_200
INBOUND_2018_BELT_AND_ROAD = 266_600

MOE_2018 = "Ministry of Education of the PRC, 2018 statistics on international students"
MOE_2018_SPLIT = f"{MOE_2018} (national totals; the split by country is generated)"
GENERATED = "Generated demo figures"
DEMO_SOURCES = {MOE_2018, MOE_2018_SPLIT, GENERATED}
FLOW_VALUES = ("students", "source", "is_generated")

# The largest senders of 2018, as published by the Ministry.
PUBLISHED_2018 = {
    "KR": 50_600, "TH": 28_608, "PK": 28_023, "IN": 23_198, "US": 20_996,
    "RU": 19_239, "ID": 15_050, "LA": 14_645, "JP": 14_230, "KZ": 11_784,
    "VN": 11_299, "BD": 10_735, "FR": 10_695, "MN": 10_158, "MY": 9_479,
}  # fmt: skip

# Relative sizes of every other sender, scaled so that the national totals hold exactly.
BELT_AND_ROAD_WEIGHTS = {
    "SG": 3300, "MM": 6000, "KH": 3200, "BN": 150, "PH": 4000, "TL": 200,
    "AF": 3000, "NP": 6400, "BT": 30, "LK": 2500, "MV": 150,
    "UZ": 5500, "TM": 3000, "KG": 4600, "TJ": 4100,
    "SA": 1500, "AE": 350, "OM": 150, "IR": 3400, "TR": 2200, "IL": 1000, "EG": 2600,
    "KW": 120, "IQ": 900, "QA": 80, "JO": 900, "LB": 350, "BH": 60, "YE": 3300, "SY": 1500,
    "PS": 500,
    "PL": 1600, "AL": 200, "EE": 100, "LT": 200, "SI": 150, "BG": 400, "CZ": 500, "HU": 500,
    "MK": 150, "RS": 700, "RO": 700, "SK": 250, "HR": 200, "LV": 150, "BA": 200, "ME": 80,
    "UA": 3300, "BY": 2900, "GE": 700, "AZ": 900, "AM": 900, "MD": 300,
}  # fmt: skip

OTHER_WEIGHTS = {
    # Europe, North America, Oceania
    "DE": 8100, "GB": 6500, "IT": 5300, "CA": 4700, "AU": 4200, "ES": 3300, "NL": 1500,
    "BE": 800, "AT": 700, "CH": 800, "SE": 900, "DK": 600, "NO": 500, "FI": 500, "IE": 500,
    "PT": 600, "GR": 500, "CY": 60, "MT": 40, "LU": 40, "IS": 40, "MC": 10, "AD": 10,
    "LI": 10, "SM": 10, "NZ": 1200,
    # Latin America and the Caribbean
    "BR": 2400, "MX": 2100, "AR": 1000, "CL": 900, "CO": 1300, "PE": 800, "EC": 700,
    "VE": 600, "BO": 300, "PY": 150, "UY": 200, "CU": 700, "DO": 300, "JM": 400, "TT": 300,
    "BS": 100, "BB": 80, "HT": 150, "GT": 200, "HN": 150, "SV": 150, "NI": 150, "CR": 300,
    "PA": 250, "GY": 150, "SR": 120, "BZ": 40, "AG": 60, "DM": 50, "GD": 80, "KN": 30,
    "LC": 60, "VC": 40, "PR": 30,
    # Africa
    "NG": 6600, "GH": 6200, "ZW": 4200, "CM": 4100, "TZ": 3800, "ZM": 3600, "SD": 3300,
    "KE": 3200, "ET": 3000, "MG": 2100, "RW": 2000, "UG": 2000, "CD": 1900, "CG": 1600,
    "MA": 1500, "DZ": 1500, "TN": 700, "LY": 300, "MZ": 1200, "AO": 900, "NA": 800,
    "BW": 800, "ZA": 2100, "MW": 900, "LS": 300, "SZ": 10, "SO": 700, "DJ": 400, "ER": 400,
    "SS": 800, "BJ": 1000, "TG": 900, "CI": 1000, "SN": 900, "ML": 800, "NE": 900, "BF": 200,
    "GN": 700, "GW": 150, "SL": 900, "LR": 900, "GM": 300, "MR": 500, "CV": 200, "GQ": 400,
    "GA": 400, "CF": 200, "TD": 800, "BI": 500, "KM": 400, "MU": 600, "SC": 150, "ST": 100,
    # Asia and the Pacific
    "KP": 1300, "FJ": 400, "PG": 300, "VU": 200, "WS": 200, "TO": 150, "SB": 100, "KI": 50,
    "MH": 5, "FM": 60, "PW": 5, "NR": 5, "TV": 5, "CK": 20, "NU": 10,
}  # fmt: skip

# Partner countries of China: students going from China to them in 2018. Students coming
# to China follow the 2018 national figures.
OUTBOUND_2018 = {
    "US": 360_000, "GB": 110_000, "AU": 150_000, "CA": 140_000, "JP": 115_000,
    "KR": 68_000, "DE": 37_000, "FR": 28_000, "IT": 12_000,
    "MY": 14_000, "RU": 12_000, "TH": 11_000, "SG": 9_000, "HU": 1_800, "BY": 3_000,
    "VN": 2_000, "KZ": 1_500, "PL": 1_500, "PH": 1_500, "ID": 1_200, "MN": 900,
    "TR": 800, "CZ": 700, "AE": 600, "IN": 500, "LA": 500, "UZ": 400, "EG": 400,
    "KG": 300, "PK": 300, "KH": 300, "IR": 300, "RS": 300, "BR": 300, "MM": 200,
    "SA": 200, "GE": 200, "TJ": 150, "NP": 150, "LK": 150, "KE": 150, "BD": 100,
    "TM": 50, "NG": 50, "GH": 40,
}  # fmt: skip

# Pairs without China: (origin, destination) → students in 2018, both directions.
OTHER_PAIRS_2018 = {
    ("KZ", "RU"): 30_000, ("RU", "KZ"): 1_200, ("UZ", "RU"): 20_000, ("RU", "UZ"): 500,
    ("TJ", "RU"): 9_000, ("RU", "TJ"): 100, ("KG", "RU"): 6_000, ("RU", "KG"): 150,
    ("BY", "RU"): 9_000, ("RU", "BY"): 700, ("MN", "RU"): 3_000, ("RU", "MN"): 100,
}  # fmt: skip

INBOUND_TREND = {2014: 0.77, 2015: 0.81, 2016: 0.90, 2017: 0.99, 2018: 1.00, 2019: 1.02,
                 2020: 0.60, 2021: 0.50, 2022: 0.55, 2023: 0.68, 2024: 0.78}  # fmt: skip
OUTBOUND_TREND = {2014: 0.80, 2015: 0.85, 2016: 0.91, 2017: 0.96, 2018: 1.00, 2019: 1.03,
                  2020: 0.70, 2021: 0.72, 2022: 0.80, 2023: 0.88, 2024: 0.93}  # fmt: skip

# (level, mobility type, share of the pair's students)
INBOUND_MIX = [
    ("5", "degree", 0.02), ("6", "degree", 0.30), ("7", "degree", 0.12),
    ("8", "degree", 0.05), ("6", "credit", 0.10), ("non-degree", "training", 0.38),
    ("non-degree", "staff", 0.03),
]  # fmt: skip
OUTBOUND_MIX = [
    ("6", "degree", 0.22), ("7", "degree", 0.33), ("8", "degree", 0.08),
    ("6", "credit", 0.17), ("7", "credit", 0.05), ("non-degree", "training", 0.12),
    ("non-degree", "staff", 0.03),
]  # fmt: skip

# origin, destination, level, mobility type, students in 2018, programme, first, last year
INSTITUTION_FLOWS = [
    ("kaznu", "xjtu", "7", "degree", 24, "xjtu-kaznu-double-masters-electrical-engineering",
     2019, 2024),
    ("enu", "xjtu", "6", "credit", 15, None, 2017, 2024),
    ("nuuz", "xjtu", "non-degree", "training", 30, None, 2014, 2024),
    ("bsu", "xjtu", "non-degree", "staff", 6, None, 2015, 2024),
    ("university-of-the-punjab", "xjtu", "8", "degree", 10, None, 2014, 2024),
    ("cairo-university", "xjtu", "7", "degree", 8, None, 2016, 2024),
    ("bmstu", "hit", "7", "degree", 20, "hit-bmstu-double-masters-aerospace", 2016, 2024),
    ("tpu", "hit", "6", "credit", 18, None, 2018, 2024),
    ("universiti-malaya", "zju", "7", "degree", 12, "zju-um-double-masters-software",
     2018, 2024),
    ("itb", "buct", "6", "degree", 25, "buct-indonesian-student-scholarship", 2018, 2024),
    ("satbayev-university", "xian-shiyou-university", "6", "degree", 30,
     "silk-road-energy-college", 2018, 2024),
    ("nuol", "yunnan-university", "non-degree", "training", 45, None, 2014, 2024),
    ("num", "lzu", "6", "degree", 20, "lzu-num-joint-bachelors-environment", 2016, 2024),
    ("kyrgyz-national-university", "xinjiang-university", "non-degree", "training", 60, None,
     2014, 2024),
    ("tajik-national-university", "xinjiang-university", "6", "credit", 25, None, 2019, 2024),
    ("vnu-hanoi", "guangxi-university", "6", "credit", 40, None, 2017, 2024),
    ("tashkent-state-technical-university", "changan-university", "non-degree", "training",
     20, "chd-road-engineering-short-course", 2019, 2024),
    ("ayutthaya-technical-college", "hebei-vocational-university-of-industry-and-technology",
     "5", "degree", 15, "hbvu-mechatronics-workshop", 2021, 2024),
    ("xjtu", "kaznu", "7", "credit", 10, "xjtu-kaznu-double-masters-electrical-engineering",
     2019, 2024),
    ("hit", "bmstu", "7", "degree", 12, "hit-bmstu-double-masters-aerospace", 2016, 2024),
    ("zju", "universiti-malaya", "7", "credit", 15, "zju-um-double-masters-software",
     2018, 2024),
    ("xjtu", "universiti-malaya", "8", "degree", 3, "xjtu-um-joint-phd-biomedical-engineering",
     2021, 2024),
    ("blcu", "nuol", "non-degree", "staff", 12, "blcu-lao-teacher-training", 2019, 2024),
    ("guangxi-university", "vnu-hanoi", "6", "credit", 20, None, 2017, 2024),
    ("lzu", "num", "6", "credit", 8, "lzu-num-joint-bachelors-environment", 2016, 2024),
    ("pku", "msu", "6", "credit", 15, None, 2017, 2024),
    ("hit", "tpu", "6", "credit", 8, None, 2018, 2024),
    ("yunnan-university", "chiang-mai-university", "7", "credit", 6, None, 2019, 2023),
    ("kaznu", "msu", "7", "degree", 30, None, 2015, 2024),
]  # fmt: skip


def apportion(total, weights):
    """Whole numbers proportional to `weights`, each at least 1, adding up to `total`."""
    scale = total / sum(weights.values())
    exact = {code: weight * scale for code, weight in weights.items()}
    shares = {code: max(1, int(value)) for code, value in exact.items()}
    by_remainder = sorted(exact, key=lambda code: (int(exact[code]) - exact[code], code))
    by_size = sorted(shares, key=lambda code: (-shares[code], code))
    rest = total - sum(shares.values())
    for index in range(abs(rest)):
        if rest > 0:
            shares[by_remainder[index % len(by_remainder)]] += 1
        else:
            shares[by_size[index % len(by_size)]] -= 1
    return shares


def inbound_2018():
    """Students into China in 2018 by origin country: 196 countries, the published totals."""
    belt_and_road = {code: PUBLISHED_2018[code] for code in BELT_AND_ROAD if code in PUBLISHED_2018}
    others = {code: count for code, count in PUBLISHED_2018.items() if code not in belt_and_road}
    belt_and_road |= apportion(
        INBOUND_2018_BELT_AND_ROAD - sum(belt_and_road.values()), BELT_AND_ROAD_WEIGHTS
    )
    others |= apportion(
        INBOUND_2018_TOTAL - INBOUND_2018_BELT_AND_ROAD - sum(others.values()), OTHER_WEIGHTS
    )
    return belt_and_road | others


def pair_bases():
    """Students per (origin, destination) in 2018 for every pair with a generated series."""
    inbound = inbound_2018()
    bases = {}
    for code, outbound in OUTBOUND_2018.items():
        bases[(code, "CN")] = inbound[code]
        bases[("CN", code)] = outbound
    return bases | OTHER_PAIRS_2018


def country_cells(rng):
    """Country-level flows: {(year, origin, destination, level, type): students}."""
    cells = {}
    for code, students in inbound_2018().items():
        # Senders without a breakdown get one national row a year, following the trend.
        years = [NATIONAL_YEAR] if code in OUTBOUND_2018 else YEARS
        for year in years:
            jitter = 1 if year == NATIONAL_YEAR else rng.uniform(0.92, 1.08)
            total = max(1, round(students * INBOUND_TREND[year] * jitter))
            cells[(year, code, "CN", "unspecified", "unspecified")] = total
    for (origin, destination), base in pair_bases().items():
        into_china = destination == "CN"
        trend = OUTBOUND_TREND if origin == "CN" else INBOUND_TREND
        mix = OUTBOUND_MIX if origin == "CN" else INBOUND_MIX
        for year in YEARS:
            if into_china and year == NATIONAL_YEAR:
                continue
            size = base * trend[year] * rng.uniform(0.92, 1.08)
            for level, mobility_type, share in mix:
                students = round(size * share)
                if students >= 1:
                    cells[(year, origin, destination, level, mobility_type)] = students
    return cells


def institution_rows(rng, institutions, programmes):
    """Institution-level flows as (cell key, origin, destination, programme, students)."""
    rows = []
    for row in INSTITUTION_FLOWS:
        origin, destination, level, mobility_type, base, programme, first, last = row
        source, target = institutions[origin], institutions[destination]
        for year in range(first, last + 1):
            trend = OUTBOUND_TREND if source.country == "CN" else INBOUND_TREND
            students = max(1, round(base * trend[year] * rng.uniform(0.85, 1.15)))
            key = (year, source.country.code, target.country.code, level, mobility_type)
            rows.append((key, source, target, programmes.get(programme), students))
    return rows


def national_key(key):
    """The cell an institution-level row is carved from: the national row for 2018 into CN."""
    year, origin, destination, _level, _type = key
    if year == NATIONAL_YEAR and destination == "CN":
        return (year, origin, destination, "unspecified", "unspecified")
    return key


def build_flows(institutions, programmes):
    """Every demo flow, the institution-level ones carved out of their country cells."""
    rng = random.Random(SEED)
    cells = country_cells(rng)
    flows = []
    carved = set()
    for key, origin, destination, programme, students in institution_rows(
        rng, institutions, programmes
    ):
        cell = national_key(key)
        students = min(students, cells[cell] - 1)
        if students < 1:
            continue
        cells[cell] -= students
        carved.add(cell)
        flows.append(make_flow(key, students, GENERATED, origin, destination, programme))
    for cell, students in cells.items():
        year, origin, destination, _level, _type = cell
        national = year == NATIONAL_YEAR and destination == "CN"
        published = national and origin in PUBLISHED_2018 and cell not in carved
        source = MOE_2018 if published else MOE_2018_SPLIT if national else GENERATED
        flows.append(make_flow(cell, students, source, is_generated=not published))
    return flows


def make_flow(
    key, students, source, origin=None, destination=None, programme=None, *, is_generated=True
):
    """One unsaved flow for the cell `key`."""
    year, origin_country, destination_country, level, mobility_type = key
    return StudentFlow(
        academic_year=year,
        origin_country=origin_country,
        destination_country=destination_country,
        origin_institution=origin,
        destination_institution=destination,
        programme=programme,
        level=level,
        mobility_type=mobility_type,
        students=students,
        source=source,
        is_generated=is_generated,
    )


def flow_key(flow):
    return (
        flow.academic_year,
        str(flow.origin_country),
        str(flow.destination_country),
        flow.origin_institution_id,
        flow.destination_institution_id,
        flow.programme_id,
        flow.level,
        flow.mobility_type,
    )


def load_flows(institutions, programmes):
    """Create the missing flows, correct the changed ones and drop stale demo ones, in bulk."""
    existing = {flow_key(flow): flow for flow in StudentFlow.objects.all()}
    now = timezone.now()
    new, changed = [], []
    for flow in build_flows(institutions, programmes):
        current = existing.pop(flow_key(flow), None)
        if current is None:
            new.append(flow)
        elif any(getattr(current, name) != getattr(flow, name) for name in FLOW_VALUES):
            for name in FLOW_VALUES:
                setattr(current, name, getattr(flow, name))
            current.updated = now
            changed.append(current)
    StudentFlow.objects.bulk_create(new, batch_size=1000)
    StudentFlow.objects.bulk_update(changed, [*FLOW_VALUES, "updated"], batch_size=1000)
    # Only rows this loader wrote may go, so that the 2018 totals stay exact.
    stale = [flow.pk for flow in existing.values() if flow.source in DEMO_SOURCES]
    for start in range(0, len(stale), 500):
        StudentFlow.objects.filter(pk__in=stale[start : start + 500]).delete()
