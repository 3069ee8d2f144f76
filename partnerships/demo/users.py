"""Demo users, one per role, with fixed demo passwords."""

from django.contrib.auth import get_user_model

from partnerships.demo.store import upsert
from partnerships.models import Affiliation

# username, password, staff and superuser, affiliation as (role, institution or alliance slug)
USERS = [
    ("admin", "admin-demo", True, None),
    ("office", "office-demo", False, (Affiliation.Role.EDITOR, "xjtu")),
    ("secretariat", "secretariat-demo", False, (Affiliation.Role.SECRETARIAT, "uasr")),
    ("partner", "partner-demo", False, (Affiliation.Role.EDITOR, "nuol")),
]


def load_user(username, password, is_admin):
    """One demo user; the password is hashed again only when it no longer matches."""
    user = upsert(
        get_user_model(),
        {"username": username},
        {
            "email": f"{username}@example.org",
            "is_staff": is_admin,
            "is_superuser": is_admin,
            "is_active": True,
        },
        clean=False,
    )
    if not user.password or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def load_users(alliances, institutions):
    """The demo users and their affiliations; returns (username, password) pairs."""
    logins = []
    for username, password, is_admin, affiliation in USERS:
        user = load_user(username, password, is_admin)
        if affiliation:
            role, slug = affiliation
            target = (
                {"alliance": alliances[slug], "institution": None}
                if role == Affiliation.Role.SECRETARIAT
                else {"institution": institutions[slug], "alliance": None}
            )
            upsert(Affiliation, {"user": user, "role": role, **target}, {})
        logins.append((username, password))
    return logins
