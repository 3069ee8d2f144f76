"""The cast: one person per role, used by every test of who may see and do what.

- anonymous: reads public records only.
- outsider: signed in, no affiliation; reads public records only.
- viewer: viewer of `home_university`; reads what its institution may read, edits nothing.
- editor: editor of `home_university` (an international office); logs and edits the
  agreements its institution signs.
- other_editor: editor of `other_university`; may not touch `home_university`'s records.
- secretariat: secretariat of `alliance`; edits the alliance and its memberships, reads
  its members-only agreements.
- other_secretariat: secretariat of `other_alliance`.
- staff: everything, in the admin.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from partnerships.models import Affiliation
from tests import factories

# Hashing is what the login tests exercise, not what makes them correct: keep it fast.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def home_university(db):
    return factories.InstitutionFactory(name="Xi'an Jiaotong University", slug="xjtu")


@pytest.fixture
def other_university(db):
    return factories.InstitutionFactory(name="Tomsk Polytechnic University", country="RU")


@pytest.fixture
def alliance(db, home_university):
    alliance = factories.AllianceFactory(name="University Alliance of the New Silk Road")
    factories.MembershipFactory(alliance=alliance, institution=home_university)
    return alliance


@pytest.fixture
def other_alliance(db):
    return factories.AllianceFactory(name="Association of Sino-Russian Technical Universities")


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def outsider(db):
    return factories.UserFactory(username="outsider")


@pytest.fixture
def viewer(db, home_university):
    return factories.AffiliationFactory(
        user__username="viewer", institution=home_university, role=Affiliation.Role.VIEWER
    ).user


@pytest.fixture
def editor(db, home_university):
    return factories.AffiliationFactory(
        user__username="editor", institution=home_university, role=Affiliation.Role.EDITOR
    ).user


@pytest.fixture
def other_editor(db, other_university):
    return factories.AffiliationFactory(
        user__username="other_editor", institution=other_university
    ).user


@pytest.fixture
def secretariat(db, alliance):
    return factories.AffiliationFactory(
        user__username="secretariat",
        institution=None,
        alliance=alliance,
        role=Affiliation.Role.SECRETARIAT,
    ).user


@pytest.fixture
def other_secretariat(db, other_alliance):
    return factories.AffiliationFactory(
        user__username="other_secretariat",
        institution=None,
        alliance=other_alliance,
        role=Affiliation.Role.SECRETARIAT,
    ).user


@pytest.fixture
def staff(db):
    return factories.UserFactory(username="staff", is_staff=True, is_superuser=True)
