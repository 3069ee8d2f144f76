"""An agreement's terms as canonical JSON, and its version: the SHA-256 of that JSON.

The terms are what both parties approve: the parties (with their units and roles), the
dates the agreement runs, and its conditions. Notes, the summary and the signed PDF are
not terms, nor is the signing date (signing records an approval, it does not change the
text). Institutions and units appear by id, which stays put through renames.
"""

import hashlib
import json

CONDITION_TERMS = (
    "sending_institution_id",
    "sending_unit_id",
    "receiving_institution_id",
    "receiving_unit_id",
    "mobility_type",
    "field_id",
    "levels",
    "first_academic_year",
    "last_academic_year",
    "places",
    "months_per_year",
    "days_per_year",
    "language",
    "language_level",
)


def _sorted(rows):
    return sorted(rows, key=lambda row: json.dumps(row, sort_keys=True))


def agreement_terms(agreement):
    """The terms of `agreement` as plain data; reads `parties` and `conditions` (prefetch them)."""
    return terms_of(
        agreement, parties=agreement.parties.all(), conditions=agreement.conditions.all()
    )


def terms_of(agreement, *, parties, conditions):
    """The terms of `agreement` with these parties and conditions (already fetched)."""
    parties = [
        {"institution": party.institution_id, "unit": party.unit_id, "role": party.role}
        for party in parties
    ]
    conditions = [
        {name.removesuffix("_id"): getattr(condition, name) for name in CONDITION_TERMS}
        for condition in conditions
    ]
    return {
        "effective_from": _iso(agreement.effective_from),
        "expires_on": _iso(agreement.expires_on),
        "parties": _sorted(parties),
        "conditions": _sorted(conditions),
    }


def canonical_json(terms):
    return json.dumps(terms, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def terms_version(terms):
    return hashlib.sha256(canonical_json(terms).encode("ascii")).hexdigest()


def agreement_version(agreement):
    return terms_version(agreement_terms(agreement))


def _iso(day):
    return day.isoformat() if day is not None else None
