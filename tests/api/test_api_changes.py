"""The change feed and `modified_since=`: a mirror kept exactly, deletions included."""

import datetime

import pytest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from partnerships.changes import RESOURCES
from partnerships.models import Agreement, Membership
from programs.models import StudentFlow
from tests import factories

pytestmark = pytest.mark.django_db

EPOCH = "1970-01-01T00:00:00Z"


def feed(client, since, **params):
    return client.get("/api/v1/changes/", {"since": since, **params})


# modified_since=


def test_modified_since_keeps_the_records_changed_since(api):
    old = factories.InstitutionFactory(name="Old")
    type(old).objects.filter(pk=old.pk).update(updated=timezone.now() - datetime.timedelta(days=3))
    new = factories.InstitutionFactory(name="New")
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    body = api.get("/api/v1/institutions/", {"modified_since": since}).json()
    assert [row["id"] for row in body["results"]] == [new.pk]


@pytest.mark.parametrize(
    "resource",
    ["institutions", "agreements", "flows", "units", "conditions", "programmes", "memberships"],
)
@pytest.mark.parametrize("value", ["yesterday", "2026-01-31", "2026-01-31T08:00:00"])
def test_modified_since_that_is_not_a_date_time_with_zone_is_a_400(api, resource, value):
    response = api.get(f"/api/v1/{resource}/", {"modified_since": value})
    assert response.status_code == 400
    assert "modified_since" in response.json()


def test_a_change_to_a_condition_stamps_its_agreement(api, home_university, other_university):
    agreement = factories.agreement_between(home_university, other_university)
    Agreement.objects.filter(pk=agreement.pk).update(
        updated=timezone.now() - datetime.timedelta(days=2)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert api.get("/api/v1/agreements/", {"modified_since": since}).json()["results"] == []
    factories.ConditionFactory(agreement=agreement)
    body = api.get("/api/v1/agreements/", {"modified_since": since}).json()
    assert [row["id"] for row in body["results"]] == [agreement.pk]


# The feed


@pytest.mark.parametrize("since", [None, "", "last week", "2026-01-31", "2026-01-31T08:00"])
def test_since_that_is_not_a_date_time_with_zone_is_a_400(api, since):
    params = {} if since is None else {"since": since}
    response = api.get("/api/v1/changes/", params)
    assert response.status_code == 400
    assert "since" in response.json()


def test_a_forged_cursor_is_a_400(api):
    response = feed(api, EPOCH, cursor="bm90LWEtY3Vyc29y")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_the_feed_lists_creations_updates_and_deletions_in_order(api):
    institution = factories.InstitutionFactory()
    flow = factories.StudentFlowFactory()
    since = timezone.now().isoformat()
    institution.city = "Harbin"
    institution.save()
    created = factories.InstitutionFactory()
    flow_id = flow.pk
    flow.delete()

    results = feed(api, since).json()["results"]
    assert [(row["resource"], row["id"], row["action"]) for row in results] == [
        ("institutions", institution.pk, "updated"),
        ("institutions", created.pk, "created"),
        ("flows", flow_id, "deleted"),
    ]
    assert results[0]["url"].endswith(f"/api/v1/institutions/{institution.pk}/")
    assert results[2]["url"] is None
    times = [row["when"] for row in results]
    assert times == sorted(times)


def test_the_feed_hides_what_the_caller_may_not_see(
    client_for, anonymous, editor, home_university, partner_university
):
    hidden = factories.agreement_between(home_university, partner_university, visibility="parties")
    hidden_id = hidden.pk
    hidden.delete()
    anonymous_view = feed(client_for(None), EPOCH).json()["results"]
    assert ("agreements", hidden_id) not in {(r["resource"], r["id"]) for r in anonymous_view}
    editor_view = feed(client_for(editor), EPOCH).json()["results"]
    assert ("agreements", hidden_id, "deleted") in {
        (r["resource"], r["id"], r["action"]) for r in editor_view
    }


def test_narrowing_visibility_shows_as_a_deletion_to_those_who_lose_sight(
    client_for, editor, home_university, partner_university
):
    agreement = factories.agreement_between(home_university, partner_university)
    since = timezone.now().isoformat()
    agreement.visibility = "parties"
    agreement.save()
    anonymous_view = feed(client_for(None), since).json()["results"]
    assert [(r["id"], r["action"]) for r in anonymous_view] == [(agreement.pk, "deleted")]
    editor_view = feed(client_for(editor), since).json()["results"]
    assert [(r["id"], r["action"]) for r in editor_view] == [
        (agreement.pk, "deleted"),
        (agreement.pk, "updated"),
    ]


def test_the_feed_pages_with_a_cursor_without_gaps_or_repeats(api):
    made = [factories.InstitutionFactory().pk for _ in range(7)]
    for pk in made[:3]:
        factories.InstitutionFactory._meta.model.objects.get(pk=pk).delete()
    seen, response = [], feed(api, EPOCH, page_size=2).json()
    while True:
        seen += [(row["resource"], row["id"], row["action"]) for row in response["results"]]
        if not response["next"]:
            break
        response = api.get(response["next"]).json()
    # A record created and deleted since the moment shows only as deleted.
    assert len(seen) == len(set(seen)) == 7
    assert {row for row in seen if row[2] == "deleted"} == {
        ("institutions", pk, "deleted") for pk in made[:3]
    }


def test_the_feed_runs_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    factories.InstitutionFactory.create_batch(20)
    factories.StudentFlowFactory.create_batch(20)
    for flow in StudentFlow.objects.all()[:10]:
        flow.delete()
    with django_assert_max_num_queries(len(RESOURCES) + 3):
        body = feed(api, EPOCH, page_size=200).json()
    assert len(body["results"]) == 40  # 20 institutions, 10 flows, 10 deleted flows


# Sight gained or lost through a membership of the reader's institution


def feed_rows(client, since, resource="agreements"):
    rows = feed(client, since).json()["results"]
    return [(row["id"], row["action"]) for row in rows if row["resource"] == resource]


def backdate(*records, days):
    moment = timezone.now() - datetime.timedelta(days=days)
    for record in records:
        type(record).objects.filter(pk=record.pk).update(created=moment, updated=moment)


@pytest.fixture
def club_agreement(home_university, partner_university, alliance):
    """A members-only agreement of `alliance` that `member_university` does not sign."""
    return factories.agreement_between(
        home_university, partner_university, alliance=alliance, visibility="members"
    )


def membership_of(institution, alliance):
    return Membership.objects.get(institution=institution, alliance=alliance)


def test_a_membership_ended_today_shows_its_alliances_agreements_deleted_to_its_readers(
    client_for, member_editor, editor, member_university, alliance, club_agreement
):
    since = timezone.now().isoformat()
    membership = membership_of(member_university, alliance)
    membership.left_on = timezone.localdate()
    membership.save()

    assert feed_rows(client_for(member_editor), since) == [(club_agreement.pk, "deleted")]
    # A party's reader still sees it: nothing to delete from their mirror.
    assert feed_rows(client_for(editor), since) == []
    assert feed_rows(client_for(None), since) == []


def test_a_membership_ending_tomorrow_changes_nothing_yet(
    client_for, member_editor, member_university, alliance, club_agreement
):
    since = timezone.now().isoformat()
    membership = membership_of(member_university, alliance)
    membership.left_on = timezone.localdate() + datetime.timedelta(days=1)
    membership.save()
    assert feed_rows(client_for(member_editor), since) == [(club_agreement.pk, "updated")]


def test_a_deleted_membership_shows_its_alliances_agreements_deleted_to_its_readers(
    client_for, member_editor, member_university, alliance, club_agreement
):
    since = timezone.now().isoformat()
    membership_of(member_university, alliance).delete()
    assert feed_rows(client_for(member_editor), since) == [(club_agreement.pk, "deleted")]


def test_an_end_date_that_passes_with_the_calendar_shows_as_deleted_when_the_day_begins(
    client_for, member_editor, member_university, alliance, club_agreement
):
    """No save happens when an end date arrives: the feed computes it at read time."""
    membership = membership_of(member_university, alliance)
    backdate(club_agreement, membership, days=3)
    since = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    today = timezone.localdate()
    Membership.objects.filter(pk=membership.pk).update(left_on=today)

    rows = feed(client_for(member_editor), since).json()["results"]
    rows = [row for row in rows if row["resource"] == "agreements"]
    assert [(row["id"], row["action"]) for row in rows] == [(club_agreement.pk, "deleted")]
    day_begins = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    assert parse_datetime(rows[0]["when"]) == day_begins


def test_an_end_date_that_passes_turns_the_membership_and_its_alliances_counts_for_all(
    client_for, member_university, alliance
):
    membership = membership_of(member_university, alliance)
    backdate(membership, alliance, days=3)
    since = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    today = timezone.localdate()
    Membership.objects.filter(pk=membership.pk).update(left_on=today)

    day_begins = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    rows = feed(client_for(None), since).json()["results"]
    turned = {(r["resource"], r["id"]) for r in rows if parse_datetime(r["when"]) == day_begins}
    assert turned == {("memberships", membership.pk), ("alliances", alliance.pk)}
    # Those who read the feed since today began have seen it already.
    assert feed_rows(client_for(None), timezone.now().isoformat(), "memberships") == []


def test_a_membership_that_begins_brings_its_alliances_agreements_into_view(
    client_for, other_university, other_editor, alliance, club_agreement
):
    backdate(club_agreement, days=3)
    since = timezone.now().isoformat()
    factories.MembershipFactory(alliance=alliance, institution=other_university)
    assert feed_rows(client_for(other_editor), since) == [(club_agreement.pk, "updated")]


def test_a_start_date_that_passes_with_the_calendar_brings_the_agreements_into_view(
    client_for, other_university, other_editor, alliance, club_agreement
):
    membership = factories.MembershipFactory(
        alliance=alliance, institution=other_university, joined_on=timezone.localdate()
    )
    backdate(club_agreement, membership, days=3)
    since = (timezone.now() - datetime.timedelta(days=2)).isoformat()
    assert feed_rows(client_for(other_editor), since) == [(club_agreement.pk, "updated")]


def test_an_agreement_deleted_after_its_reader_left_still_shows_as_deleted_to_them(
    client_for, member_editor, member_university, alliance, club_agreement
):
    since = timezone.now().isoformat()
    membership = membership_of(member_university, alliance)
    membership.left_on = timezone.localdate()
    membership.save()
    club_agreement_id = club_agreement.pk
    club_agreement.delete()
    assert feed_rows(client_for(member_editor), since) == [(club_agreement_id, "deleted")]


def test_a_member_that_joined_since_does_not_learn_of_deletions_made_before(
    client_for, other_university, other_editor, member_editor, alliance, club_agreement
):
    since = timezone.now().isoformat()
    club_agreement_id = club_agreement.pk
    club_agreement.delete()
    factories.MembershipFactory(
        alliance=alliance,
        institution=other_university,
        joined_on=timezone.localdate() - datetime.timedelta(days=30),
    )
    assert feed_rows(client_for(member_editor), since) == [(club_agreement_id, "deleted")]
    assert feed_rows(client_for(other_editor), since) == []


def test_a_membership_moved_to_another_alliance_ends_the_sight_through_the_first(
    client_for, member_editor, member_university, alliance, other_alliance, club_agreement
):
    since = timezone.now().isoformat()
    membership = membership_of(member_university, alliance)
    membership.alliance = other_alliance
    membership.save()
    assert feed_rows(client_for(member_editor), since) == [(club_agreement.pk, "deleted")]
    assert feed_rows(client_for(member_editor), since, "memberships") == [
        (membership.pk, "deleted"),
        (membership.pk, "updated"),
    ]


def test_sight_changes_page_with_the_cursor_without_gaps_or_repeats(
    client_for, member_editor, member_university, alliance, home_university, partner_university
):
    made = {
        factories.agreement_between(
            home_university, partner_university, alliance=alliance, visibility="members"
        ).pk
        for _ in range(5)
    }
    since = timezone.now().isoformat()
    membership_of(member_university, alliance).delete()
    client, seen = client_for(member_editor), []
    response = feed(client, since, page_size=2).json()
    while True:
        seen += [(r["resource"], r["id"], r["action"]) for r in response["results"]]
        if not response["next"]:
            break
        response = client.get(response["next"]).json()
    assert len(seen) == len(set(seen))
    assert {row for row in seen if row[0] == "agreements"} == {
        ("agreements", pk, "deleted") for pk in made
    }


def test_sight_changes_run_a_fixed_number_of_queries(
    client_for,
    member_editor,
    member_university,
    alliance,
    other_alliance,
    home_university,
    partner_university,
    django_assert_max_num_queries,
):
    for _ in range(30):
        factories.agreement_between(
            home_university, partner_university, alliance=alliance, visibility="members"
        )
    since = timezone.now().isoformat()
    membership_of(member_university, alliance).delete()
    factories.MembershipFactory(alliance=other_alliance, institution=member_university)
    # One per resource, deletions, three for the reader's memberships, sight changes, and
    # the memberships and alliances the calendar turned.
    with django_assert_max_num_queries(len(RESOURCES) + 7):
        body = feed(client_for(member_editor), since, page_size=200).json()
    assert len([r for r in body["results"] if r["action"] == "deleted"]) == 31


# The sync recipe of docs/api.md, followed step by step


def list_everything(client, resource):
    records, url, params = {}, f"/api/v1/{resource}/", {"page_size": 500}
    while url:
        body = client.get(url, params).json()
        records.update({row["id"]: row for row in body["results"]})
        url, params = body["next"], {}
    return records


def truth(client):
    return {
        (resource, pk): row
        for resource in RESOURCES
        for pk, row in list_everything(client, resource).items()
    }


def sync(client, mirror, since):
    """Step 2 of the recipe: apply every change since `since`; return the new mark."""
    mark = since
    url, params = "/api/v1/changes/", {"since": since, "page_size": 3}
    while url:
        body = client.get(url, params).json()
        for change in body["results"]:
            key = (change["resource"], change["id"])
            if change["action"] == "deleted":
                mirror.pop(key, None)
            else:
                response = client.get(change["url"])
                if response.status_code == 404:
                    mirror.pop(key, None)
                else:
                    mirror[key] = response.json()
            mark = max(mark, change["when"])
        url, params = body["next"], {}
    return mark


@pytest.mark.parametrize("who", ["anonymous", "editor", "member_editor"])
def test_a_client_following_the_sync_recipe_mirrors_the_registry_exactly(
    client_for,
    who,
    request,
    home_university,
    partner_university,
    other_university,
    member_university,
    alliance,
    other_alliance,
):
    user = request.getfixturevalue(who)
    client = client_for(user if who != "anonymous" else None)
    public = factories.agreement_between(home_university, other_university, reference="PUB-1")
    factories.ConditionFactory(agreement=public)
    private = factories.agreement_between(
        home_university, partner_university, reference="PRIV-1", visibility="parties"
    )
    doomed = factories.agreement_between(home_university, other_university, reference="DEL-1")
    flows = factories.StudentFlowFactory.create_batch(3)
    unit = factories.UnitFactory(institution=home_university)
    # Members-only agreements neither home nor member university signs.
    old_club = factories.agreement_between(
        partner_university, other_university, alliance=alliance, visibility="members"
    )
    new_club = factories.agreement_between(
        partner_university, other_university, alliance=other_alliance, visibility="members"
    )

    mirror = {}
    mark = sync(client, mirror, EPOCH)
    assert mirror == truth(client)
    assert (("agreements", old_club.pk) in mirror) == (who != "anonymous")

    public.title = "Renamed"
    public.save()
    factories.ConditionFactory(agreement=public, first_academic_year=2025)
    doomed.delete()
    flows[0].delete()
    flows[1].students = 999
    flows[1].save()
    unit.name = "School of Energy"
    unit.save()
    private.visibility = "public"
    private.save()
    public.visibility = "parties"
    public.save()
    factories.InstitutionFactory(name="Newcomer University")
    # Sight through memberships: home's membership is deleted, member's ends today, and
    # both join the other alliance.
    membership_of(home_university, alliance).delete()
    ended = membership_of(member_university, alliance)
    ended.left_on = timezone.localdate()
    ended.save()
    for institution in (home_university, member_university):
        factories.MembershipFactory(alliance=other_alliance, institution=institution)

    sync(client, mirror, mark)
    assert mirror == truth(client)
    assert ("agreements", doomed.pk) not in mirror
    assert ("agreements", private.pk) in mirror
    assert (("agreements", public.pk) in mirror) == (who == "editor")
    assert ("agreements", old_club.pk) not in mirror
    assert (("agreements", new_club.pk) in mirror) == (who != "anonymous")


@pytest.fixture
def clock(monkeypatch):
    """The portal's clock, at noon yesterday until the test moves it (`clock.now`); ask for
    it first, so the other fixtures' records take their stamps from it too."""
    noon = datetime.datetime.combine(timezone.localdate(), datetime.time(12))

    class Clock:
        now = timezone.make_aware(noon) - datetime.timedelta(days=1)

    monkeypatch.setattr(timezone, "now", lambda: Clock.now)
    return Clock


def test_the_recipe_mirror_loses_an_agreement_when_a_membership_end_date_passes(
    clock, client_for, member_editor, member_university, alliance, club_agreement
):
    """Yesterday the membership ran until today: nothing is saved when today begins."""
    today = timezone.localdate() + datetime.timedelta(days=1)
    membership = membership_of(member_university, alliance)
    Membership.objects.filter(pk=membership.pk).update(left_on=today)
    client, mirror = client_for(member_editor), {}
    mark = sync(client, mirror, EPOCH)
    assert ("agreements", club_agreement.pk) in mirror

    clock.now += datetime.timedelta(days=1)
    sync(client, mirror, mark)
    assert ("agreements", club_agreement.pk) not in mirror
    assert mirror == truth(client)


def test_an_approval_stamps_its_agreement(client_for, editor, home_university, other_university):
    from partnerships.approvals import agreement_approve

    agreement = factories.agreement_between(home_university, other_university)
    Agreement.objects.filter(pk=agreement.pk).update(
        updated=timezone.now() - datetime.timedelta(days=2)
    )
    since = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    version = Agreement.objects.with_terms().get(pk=agreement.pk).version
    agreement_approve(agreement=agreement, version=version, by=editor)
    body = client_for(None).get("/api/v1/agreements/", {"modified_since": since}).json()
    assert [row["id"] for row in body["results"]] == [agreement.pk]
    assert body["results"][0]["approval"]["approved"][0]["institution"] == home_university.pk
