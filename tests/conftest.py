"""The cast: one person per role, used by every test of who may see and do what.

- anonymous: reads public records only.
- outsider: signed in, no affiliation; reads public records only.
- viewer: viewer of `home_university`; reads what its institution may read, edits nothing.
- editor: editor of `home_university` (an international office); logs and edits the
  agreements its institution signs.
- other_editor: editor of `other_university`; may not touch `home_university`'s records.
- member_editor: editor of `member_university`, a member of `alliance` that signs nothing
  here; reads the alliance's members-only agreements, edits none of them.
- secretariat: secretariat of `alliance`; edits the alliance and its memberships, reads
  its members-only agreements.
- other_secretariat: secretariat of `other_alliance`.
- staff: everything, in the admin (staff, not superuser: the permission module decides).

`agreement_of_each_visibility` gives one agreement per visibility between home_university
and partner_university within `alliance`; tests/access_matrix.py says who sees what.
"""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.utils import translation

from partnerships.models import Affiliation
from tests import factories

# Hashing is what the login tests exercise, not what makes them correct: keep it fast.
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def fresh_throttle():
    """Throttle counters live in the cache; one test's requests must not slow the next."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def back_to_english():
    """A request in another language leaves it active in this thread; tests expect English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


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
def partner_university(db, alliance):
    partner = factories.InstitutionFactory(
        name="Harbin Institute of Technology", short_name="HIT", slug="hit"
    )
    factories.MembershipFactory(alliance=alliance, institution=partner)
    return partner


@pytest.fixture
def member_university(db, alliance):
    member = factories.InstitutionFactory(name="Al-Farabi Kazakh National University", country="KZ")
    factories.MembershipFactory(alliance=alliance, institution=member)
    return member


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
def member_editor(db, member_university):
    return factories.AffiliationFactory(
        user__username="member_editor", institution=member_university
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
    return factories.UserFactory(username="staff", is_staff=True)


@pytest.fixture
def documents_dir(settings, tmp_path):
    """Signed documents go to a fresh MEDIA_ROOT for each test."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def agreement_of_each_visibility(db, home_university, partner_university, alliance, documents_dir):
    """{visibility: agreement} signed within `alliance` by home and partner, each with a PDF."""
    agreements = {}
    for visibility in ("public", "members", "parties"):
        agreement = factories.agreement_between(
            home_university,
            partner_university,
            reference=f"XJTU-HIT-{visibility.upper()}",
            title=f"Memorandum on joint training ({visibility})",
            alliance=alliance,
            visibility=visibility,
        )
        factories.attach_document(agreement, name=f"memorandum-{visibility}.pdf")
        agreements[visibility] = agreement
    return agreements
