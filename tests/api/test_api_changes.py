"""The change feed and `modified_since=`: a mirror kept exactly, deletions included."""

import datetime

import pytest
from django.utils import timezone

from partnerships.changes import RESOURCES
from partnerships.models import Agreement
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


@pytest.mark.parametrize("who", ["anonymous", "editor"])
def test_a_client_following_the_sync_recipe_mirrors_the_registry_exactly(
    client_for, who, request, home_university, partner_university, other_university
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

    mirror = {}
    mark = sync(client, mirror, EPOCH)
    assert mirror == truth(client)

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

    sync(client, mirror, mark)
    assert mirror == truth(client)
    assert ("agreements", doomed.pk) not in mirror
    assert ("agreements", private.pk) in mirror
    assert (("agreements", public.pk) in mirror) == (who == "editor")


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
