"""The change feed: what was created, updated or deleted since a moment, in order.

Created and updated records come from the live tables (`created` and `updated` stamps,
indexed); deletions from `Deletion`, written when a record is deleted or an agreement's
visibility narrows. Each page runs one query per resource and one for deletions, however
large the page. Everything is filtered by what the caller may see: agreements by the
visibility rule, their deletions by the rule as it stood when they left. Parties and
conditions travel inside their agreement (changing them stamps the agreement).
"""

import base64
import binascii
import datetime
import heapq
from dataclasses import dataclass

from django.db.models import Q
from django.utils.dateparse import parse_datetime

from partnerships import permissions
from partnerships.models import (
    Agreement,
    Alliance,
    CountryGroup,
    Deletion,
    Event,
    Institution,
    Membership,
    Unit,
    Visibility,
)
from partnerships.querysets import user_institution_ids, user_secretariat_alliance_ids

CREATED, UPDATED, DELETED = "created", "updated", "deleted"


def _programmes():
    from programs.models import Programme

    return Programme.objects.all()


def _flows():
    from programs.models import StudentFlow

    return StudentFlow.objects.all()


# resource (as in the API's URLs) → the records of it `user` may see
RESOURCES = {
    "agreements": lambda user: Agreement.objects.visible_to(user),
    "alliances": lambda user: Alliance.objects.all(),
    "country-groups": lambda user: CountryGroup.objects.all(),
    "events": lambda user: Event.objects.all(),
    "flows": lambda user: _flows(),
    "institutions": lambda user: Institution.objects.all(),
    "memberships": lambda user: Membership.objects.all(),
    "programmes": lambda user: _programmes(),
    "units": lambda user: Unit.objects.all(),
}
MODEL_RESOURCES = {
    "Agreement": "agreements",
    "Alliance": "alliances",
    "CountryGroup": "country-groups",
    "Event": "events",
    "StudentFlow": "flows",
    "Institution": "institutions",
    "Membership": "memberships",
    "Programme": "programmes",
    "Unit": "units",
}


@dataclass(frozen=True, order=True)
class Change:
    when: datetime.datetime
    resource: str
    id: int
    action: str


class InvalidCursor(ValueError):
    pass


def parse_moment(value):
    """An ISO 8601 date-time with a time zone, or None when it is not one."""
    try:
        moment = parse_datetime((value or "").strip().replace(" ", "+"))
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def encode_cursor(change):
    raw = f"{change.when.isoformat()}|{change.resource}|{change.id}"
    return base64.urlsafe_b64encode(raw.encode()).decode()


def decode_cursor(cursor):
    try:
        when, resource, pk = base64.urlsafe_b64decode(cursor.encode()).decode().split("|")
        moment = parse_moment(when)
        if moment is None or resource not in RESOURCES:
            raise InvalidCursor(cursor)
        return moment, resource, int(pk)
    except (ValueError, binascii.Error, UnicodeError):
        raise InvalidCursor(cursor) from None


def _after(field, moment, resource, position):
    """Rows of `resource` that come after `position` (when, resource, id) in the feed order."""
    if position is None:
        return Q(**{f"{field}__gte": moment})
    when, after_resource, after_id = position
    if resource > after_resource:
        return Q(**{f"{field}__gte": when})
    if resource < after_resource:
        return Q(**{f"{field}__gt": when})
    return Q(**{f"{field}__gt": when}) | Q(**{field: when, "pk__gt": after_id})


def changes_page(*, user, since, size, cursor=None):
    """Up to `size` changes since `since` (after `cursor`), and whether more follow."""
    position = decode_cursor(cursor) if cursor else None
    streams = []
    for resource, visible in RESOURCES.items():
        rows = (
            visible(user)
            .filter(_after("updated", since, resource, position))
            .order_by("updated", "pk")
            .values_list("pk", "created", "updated")[: size + 1]
        )
        streams.append(
            [
                Change(updated, resource, pk, CREATED if created >= since else UPDATED)
                for pk, created, updated in rows
            ]
        )
    streams.append(_deletions(user, since, position, size))
    merged = list(heapq.merge(*streams))
    return merged[:size], len(merged) > size


def _deletions(user, since, position, size):
    """Deletions, in the same order as live rows: (when, resource, id)."""
    deletions = Deletion.objects.filter(deletion_visibility_q(user), deleted_at__gte=since)
    if position is not None:
        when, resource, pk = position
        deletions = deletions.filter(
            Q(deleted_at__gt=when)
            | Q(deleted_at=when, resource__gt=resource)
            | Q(deleted_at=when, resource=resource, object_id__gt=pk)
        )
    rows = deletions.order_by("deleted_at", "resource", "object_id").values_list(
        "deleted_at", "resource", "object_id"
    )
    return [Change(when, resource, pk, DELETED) for when, resource, pk in rows[: size + 1]]


def deletion_visibility_q(user):
    """The agreement visibility rule, applied to deletions as the record stood then."""
    if permissions.is_staff(user):
        return Q()
    public = Q(visibility=Visibility.PUBLIC)
    if not permissions.is_signed_in(user):
        return public
    institution_ids = list(user_institution_ids(user).values_list("institution_id", flat=True))
    named = Q(pk__in=[])
    for institution_id in institution_ids:
        named |= Q(party_ids__contains=f",{institution_id},")
    member_alliances = Membership.objects.current().filter(institution__in=institution_ids)
    insider = Q(alliance_id__in=member_alliances.values("alliance_id")) | Q(
        alliance_id__in=user_secretariat_alliance_ids(user)
    )
    return public | named | (Q(visibility=Visibility.MEMBERS) & insider)


def record_deletion(instance, *, visibility=None):
    """Write the `Deletion` of `instance` (an agreement keeps its visibility and parties)."""
    resource = MODEL_RESOURCES.get(type(instance).__name__)
    if resource is None or instance.pk is None:
        return
    values = {}
    if isinstance(instance, Agreement):
        party_ids = instance.parties.values_list("institution_id", flat=True)
        values = {
            "visibility": visibility or instance.visibility,
            "alliance_id": instance.alliance_id,
            "party_ids": "," + "".join(f"{pk}," for pk in sorted(set(party_ids))),
        }
    Deletion.objects.create(resource=resource, object_id=instance.pk, **values)


def record_deletions(model, pks):
    """The `Deletion`s of many records of a model that has no visibility rule, in bulk."""
    resource = MODEL_RESOURCES.get(model.__name__)
    if resource is None:
        return
    Deletion.objects.bulk_create(
        (Deletion(resource=resource, object_id=pk) for pk in pks), batch_size=1000
    )


NARROWER = {
    Visibility.PUBLIC: set(),
    Visibility.MEMBERS: {Visibility.PUBLIC},
    Visibility.PARTIES: {Visibility.PUBLIC, Visibility.MEMBERS},
}


def record_narrowed_visibility(agreement):
    """Readers who lose sight of `agreement` by this save see it deleted in the feed."""
    if agreement.pk is None:
        return
    before = Agreement.objects.filter(pk=agreement.pk).values("visibility", "alliance_id").first()
    if before is None:
        return
    narrowed = before["visibility"] in NARROWER.get(agreement.visibility, set())
    if narrowed or before["alliance_id"] != agreement.alliance_id:
        record_deletion(
            Agreement(pk=agreement.pk, alliance_id=before["alliance_id"]),
            visibility=before["visibility"],
        )
