"""An agreement's terms as canonical JSON, and its version: the SHA-256 of that JSON.

The terms are what both parties approve: the parties (with their units and roles), the
dates the agreement runs, and its conditions. Notes, the summary and the signed PDF are
not terms, nor is the signing date (signing records an approval, it does not change the
text). Institutions and units appear by id, which stays put through renames.
"""

import functools
import hashlib
import json

# `json.dumps(row, sort_keys=True)` and the canonical `json.dumps`, without building a new
# encoder on each call (a list page computes the version of a hundred agreements).
_sort_key = json.JSONEncoder(sort_keys=True).encode
_canonical = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode


def _sorted(rows):
    return sorted(rows, key=_sort_key) if len(rows) > 1 else rows


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
        {name: getattr(condition, attname) for name, attname in _condition_terms()}
        for condition in conditions
    ]
    return {
        "effective_from": _iso(agreement.effective_from),
        "expires_on": _iso(agreement.expires_on),
        "parties": _sorted(parties),
        "conditions": _sorted(conditions),
    }


@functools.cache
def _condition_terms():
    """(name, attribute) of each term of a condition: related records by id."""
    from partnerships.models import AgreementCondition

    fields = AgreementCondition._meta
    return tuple((name, fields.get_field(name).attname) for name in AgreementCondition.TERMS)


def canonical_json(terms):
    return _canonical(terms)


def terms_version(terms):
    return hashlib.sha256(canonical_json(terms).encode("ascii")).hexdigest()


def agreement_version(agreement):
    return terms_version(agreement_terms(agreement))


def _iso(day):
    return day.isoformat() if day is not None else None
