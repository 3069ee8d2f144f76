"""Idempotent writes: create what is missing, save only what changed."""

from partnerships.models import Agreement, AgreementParty


def upsert(model, lookup, values, *, clean=True):
    """Create or update the row found by its natural key `lookup`; save only on a change."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
    else:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if not changed:
            return obj
        for name in changed:
            setattr(obj, name, values[name])
    if clean:
        obj.full_clean()
    obj.save()
    return obj


def set_related(obj, relation, keys):
    """Set a many-to-many relation to the rows with primary keys `keys`, if it differs."""
    manager = getattr(obj, relation)
    if set(manager.values_list("pk", flat=True)) != set(keys):
        manager.set(keys)


def upsert_agreement(values, parties, subject_areas=()):
    """One agreement with its parties as (institution, role, signatory, title) tuples."""
    fields = {name: value for name, value in values.items() if name != "reference"}
    agreement = upsert(Agreement, {"reference": values["reference"]}, fields)
    for institution, role, signatory, title in parties:
        upsert(
            AgreementParty,
            {"agreement": agreement, "institution": institution, "role": role},
            {"signatory_name": signatory, "signatory_title": title},
        )
    set_related(agreement, "subject_areas", list(subject_areas))
    return agreement
