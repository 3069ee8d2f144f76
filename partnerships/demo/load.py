"""The whole demo data set, loaded in dependency order."""

from django.db import transaction
from django.utils import timezone

from partnerships.demo import agreements, conditions, flows, generated, programmes, real, users


@transaction.atomic
def load_demo(today=None):
    """Load or refresh every demo record; returns the demo logins as (username, password)."""
    today = today or timezone.localdate()
    real.load_country_groups()
    institutions = real.load_institutions() | generated.load_institutions()
    units = conditions.load_identity(institutions)
    alliances = real.load_alliances(institutions)
    real.load_memberships(alliances, institutions)
    generated.load_memberships(alliances, institutions)
    events = real.load_events(alliances, institutions)
    loaded_agreements = real.load_agreements(alliances, institutions, events)
    loaded_agreements |= agreements.load_agreements(alliances, institutions, today)
    loaded_programmes = real.load_programmes(institutions)
    loaded_programmes |= programmes.load_programmes(alliances, institutions, loaded_agreements)
    flows.load_flows(institutions, loaded_programmes)
    conditions.load_conditions(loaded_agreements, institutions, units, today)
    conditions.link_flows(loaded_agreements)
    logins = users.load_users(alliances, institutions)
    conditions.load_approvals(loaded_agreements, institutions)
    return logins
