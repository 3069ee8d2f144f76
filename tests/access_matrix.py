"""The access matrix: role × visibility × action → expected outcome, in one table.

Every door (permission predicates, querysets, admin, services, the document view, and the
API and pages when they come) is tested against this same table. A door test takes one
role's `row(role, *actions)`, records what the door answered for each cell as an outcome,
and compares the two dicts, so a failure lists exactly the cells that differ; `cases()`
gives one pytest param per cell where a door is cheap enough to run cell by cell.

The agreements: one per visibility, signed within `alliance` by `home_university` and
`partner_university` (both current members), each with a signed PDF
(`agreement_of_each_visibility` in conftest.py). The roles are the cast of conftest.py
plus `member_editor`, an editor of a member of the alliance that is not a party.
"create" means logging an agreement of that visibility naming home_university and
partner_university as parties.

Columns: the role, the agreement's visibility, then one outcome per action; READS and
WRITES are the two halves of one table.

Outcomes:
    see    read actions: listed, counted, found by search, exported, shown (200)
    hide   not there: left out of lists, counts, search, CSV; detail, download and every
           write answer 404 (never 403: a hidden record's existence does not leak)
    do     the write is allowed
    deny   the record is visible but the write is refused: 403, and logged
    login  anonymous: sign in first (API 401/403, pages redirect to the login page)
"""

import pytest

SEE, HIDE, DO, DENY, LOGIN = "see", "hide", "do", "deny", "login"
READ_ACTIONS = ("list", "count", "search", "csv", "detail", "download")
WRITE_ACTIONS = ("create", "edit", "delete", "renew", "terminate")

READS = """
role              visibility list count search csv  detail download
anonymous         public     see  see   see    see  see    see
anonymous         members    hide hide  hide   hide hide   hide
anonymous         parties    hide hide  hide   hide hide   hide
outsider          public     see  see   see    see  see    see
outsider          members    hide hide  hide   hide hide   hide
outsider          parties    hide hide  hide   hide hide   hide
viewer            public     see  see   see    see  see    see
viewer            members    see  see   see    see  see    see
viewer            parties    see  see   see    see  see    see
editor            public     see  see   see    see  see    see
editor            members    see  see   see    see  see    see
editor            parties    see  see   see    see  see    see
other_editor      public     see  see   see    see  see    see
other_editor      members    hide hide  hide   hide hide   hide
other_editor      parties    hide hide  hide   hide hide   hide
member_editor     public     see  see   see    see  see    see
member_editor     members    see  see   see    see  see    see
member_editor     parties    hide hide  hide   hide hide   hide
secretariat       public     see  see   see    see  see    see
secretariat       members    see  see   see    see  see    see
secretariat       parties    hide hide  hide   hide hide   hide
other_secretariat public     see  see   see    see  see    see
other_secretariat members    hide hide  hide   hide hide   hide
other_secretariat parties    hide hide  hide   hide hide   hide
staff             public     see  see   see    see  see    see
staff             members    see  see   see    see  see    see
staff             parties    see  see   see    see  see    see
"""

WRITES = """
role              visibility create edit  delete renew terminate
anonymous         public     login  login login  login login
anonymous         members    login  login login  login login
anonymous         parties    login  login login  login login
outsider          public     deny   deny  deny   deny  deny
outsider          members    deny   hide  hide   hide  hide
outsider          parties    deny   hide  hide   hide  hide
viewer            public     deny   deny  deny   deny  deny
viewer            members    deny   deny  deny   deny  deny
viewer            parties    deny   deny  deny   deny  deny
editor            public     do     do    do     do    do
editor            members    do     do    do     do    do
editor            parties    do     do    do     do    do
other_editor      public     deny   deny  deny   deny  deny
other_editor      members    deny   hide  hide   hide  hide
other_editor      parties    deny   hide  hide   hide  hide
member_editor     public     deny   deny  deny   deny  deny
member_editor     members    deny   deny  deny   deny  deny
member_editor     parties    deny   hide  hide   hide  hide
secretariat       public     deny   deny  deny   deny  deny
secretariat       members    deny   deny  deny   deny  deny
secretariat       parties    deny   hide  hide   hide  hide
other_secretariat public     deny   deny  deny   deny  deny
other_secretariat members    deny   hide  hide   hide  hide
other_secretariat parties    deny   hide  hide   hide  hide
staff             public     do     do    do     do    do
staff             members    do     do    do     do    do
staff             parties    do     do    do     do    do
"""


def _parse(table):
    header, *rows = [line.split() for line in table.strip().splitlines()]
    actions = header[2:]
    expected = {}
    for role, visibility, *outcomes in rows:
        assert len(outcomes) == len(actions), f"row {role} {visibility} is incomplete"
        for action, outcome in zip(actions, outcomes, strict=True):
            assert outcome in (SEE, HIDE, DO, DENY, LOGIN), outcome
            expected[role, visibility, action] = outcome
    return expected


EXPECTED = _parse(READS) | _parse(WRITES)
ROLES = list(dict.fromkeys(role for role, _visibility, _action in EXPECTED))
VISIBILITIES = ["public", "members", "parties"]
ACTIONS = READ_ACTIONS + WRITE_ACTIONS
STAFF_ROLES = ("staff",)


def expected(role, visibility, action):
    return EXPECTED[role, visibility, action]


def cases(*actions, roles=None):
    """pytest params (role, visibility, action, outcome) for `actions`, ids read as cells."""
    return [
        pytest.param(role, visibility, action, EXPECTED[role, visibility, action], id=cell_id)
        for role in roles or ROLES
        for visibility in VISIBILITIES
        for action in actions
        for cell_id in [f"{role}-{action}-{visibility}-{EXPECTED[role, visibility, action]}"]
    ]


def row(role, *actions):
    """{(visibility, action): outcome} for one role: what a door test compares with."""
    return {
        (visibility, action): EXPECTED[role, visibility, action]
        for visibility in VISIBILITIES
        for action in actions
    }


def visible_count(role):
    """How many of the three agreements `role` sees in a list or count."""
    return sum(EXPECTED[role, visibility, "count"] == SEE for visibility in VISIBILITIES)
