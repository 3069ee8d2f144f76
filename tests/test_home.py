"""The home page lists the alliances with their current member counts."""

import datetime

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_home_lists_alliances_with_current_member_counts(client):
    alliance = factories.AllianceFactory(name="University Alliance of the New Silk Road")
    factories.MembershipFactory.create_batch(3, alliance=alliance)
    factories.MembershipFactory(alliance=alliance, left_on=datetime.date(2020, 1, 1))
    response = client.get("/")
    assert response.status_code == 200
    listed = {a.name: a.member_count for a in response.context["alliances"]}
    assert listed == {"University Alliance of the New Silk Road": 3}
    assert "University Alliance of the New Silk Road" in response.content.decode()
