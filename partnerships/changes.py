"""The change feed: what was created, updated or deleted since a moment, in order.

Created and updated records come from the live tables (`created` and `updated` stamps,
indexed); deletions from `Deletion`, written when a record is deleted or an agreement's
visibility narrows. Each page runs one query per resource, one for deletions, up to four
for the reader's memberships and what they let the reader see, and two for what the
calendar turned, however large the page. Everything is filtered by what the
caller may see: agreements by the visibility rule, their deletions by the rule as it stood
when they left. Parties and conditions travel inside their agreement (changing them stamps
the agreement).

A members-only agreement also enters or leaves a reader's view when a membership of the
reader's institution begins or ends, and an end date may simply pass with the calendar:
no save happens then, so nothing could be written. These changes are computed at read
time instead (see `_sight_changes`): at each moment a membership of the reader's
institutions began (its `joined_on`), ended (its `left_on`), was saved or was deleted,
between `since` and now, every members-only agreement of that alliance is listed as it
stands for the reader now: `deleted` if they no longer see it, `created` or `updated` if
they do. Moments in the future are left out until they come, so a mark never runs ahead
of the clock.
"""

import base64
import binascii
import datetime
import heapq
from dataclasses import dataclass, field

from django.db.models import BooleanField, Case, DateTimeField, Max, Q, Value, When
from django.utils import timezone
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
    reader = Reader.of(user, since=since, now=timezone.now())
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
    streams.append(_deletions(reader, since, position, size))
    streams.append(_sight_changes(reader, since, position, size))
    streams.append(_ended_memberships(since, reader.now, position, size))
    streams.append(_member_counts_turned(since, reader.now, position))
    merged = list(heapq.merge(*streams))
    return merged[:size], len(merged) > size


def start_of(day):
    """The moment `day` begins in the portal's time zone (when `Membership.current` turns)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


@dataclass
class Reader:
    """What the feed needs to know about the caller's memberships, read once per page.

    `sight_moments`: {alliance id: the latest moment between `since` and now at which a
    membership of one of the caller's institutions in that alliance began, ended, was saved
    or was deleted}. `member_since`: {alliance id: the earliest moment after which one of
    the caller's institutions may have belonged to the alliance, for alliances it may have
    belonged to at some time between `since` and now}.
    """

    user: object
    now: datetime.datetime
    institution_ids: list = field(default_factory=list)
    sight_moments: dict = field(default_factory=dict)
    member_since: dict = field(default_factory=dict)

    @classmethod
    def of(cls, user, *, since, now):
        reader = cls(user, now)
        if permissions.is_staff(user) or not permissions.is_signed_in(user):
            return reader
        reader.institution_ids = list(
            user_institution_ids(user).values_list("institution_id", flat=True)
        )
        if not reader.institution_ids:
            return reader
        memberships = Membership.objects.filter(institution__in=reader.institution_ids)
        for alliance_id, joined_on, left_on, created, updated in memberships.values_list(
            "alliance_id", "joined_on", "left_on", "created", "updated"
        ):
            reader._add_period(alliance_id, joined_on, left_on, created, updated, since=since)
            moments = [updated, start_of(joined_on)]
            if left_on is not None:
                moments.append(start_of(left_on))
            reader._saw_change(alliance_id, moments, since=since, now=now)
        deleted = Deletion.objects.filter(
            _names_any(reader.institution_ids),
            resource=MODEL_RESOURCES["Membership"],
            deleted_at__gte=since,
        )
        for alliance_id, deleted_at in deleted.values_list("alliance_id", "deleted_at"):
            reader._saw_change(alliance_id, [deleted_at], since=since, now=now)
            reader._may_have_belonged(alliance_id, since)
        return reader

    def _add_period(self, alliance_id, joined_on, left_on, created, updated, *, since):
        """Note the alliance when this membership may have let the reader in at some time
        since `since`: by its dates as they stand, or, when it was saved since (its earlier
        dates are not kept), from its creation or `since` until that save."""
        start = max(start_of(joined_on), created)
        end = None if left_on is None else start_of(left_on)
        if since <= updated and updated > created:
            start = max(since, created)
            end = None if end is None else max(end, updated)
        if start <= self.now and (end is None or end > since):
            self._may_have_belonged(alliance_id, max(start, since))

    def _may_have_belonged(self, alliance_id, start):
        self.member_since[alliance_id] = min(self.member_since.get(alliance_id, start), start)

    def _saw_change(self, alliance_id, moments, *, since, now):
        in_window = [moment for moment in moments if since <= moment <= now]
        if in_window:
            latest = max(in_window)
            self.sight_moments[alliance_id] = max(
                self.sight_moments.get(alliance_id, latest), latest
            )


def _names_any(institution_ids):
    """Deletions whose `party_ids` name one of `institution_ids`."""
    named = Q(pk__in=[])
    for institution_id in institution_ids:
        named |= Q(party_ids__contains=f",{institution_id},")
    return named


def _deletions(reader, since, position, size):
    """Deletions, in the same order as live rows: (when, resource, id)."""
    deletions = Deletion.objects.filter(deletion_visibility_q(reader), deleted_at__gte=since)
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


def _sight_changes(reader, since, position, size):
    """Members-only agreements whose sight by the reader a membership change may have
    turned: each at the alliance's latest sight moment, as it stands for the reader now."""
    if not reader.sight_moments:
        return []
    moment = Case(
        *[When(alliance_id=pk, then=Value(when)) for pk, when in reader.sight_moments.items()],
        output_field=DateTimeField(),
    )
    seen = Case(
        When(permissions.agreement_visibility_q(reader.user), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    rows = (
        Agreement.objects.filter(visibility=Visibility.MEMBERS, alliance__in=reader.sight_moments)
        .annotate(sight_changed=moment, seen=seen)
        .filter(_after("sight_changed", since, "agreements", position))
        .order_by("sight_changed", "pk")
        .values_list("pk", "created", "sight_changed", "seen")[: size + 1]
    )
    return [
        Change(when, "agreements", pk, _shown_action(seen, created, since))
        for pk, created, when, seen in rows
    ]


def _shown_action(seen, created, since):
    if not seen:
        return DELETED
    return CREATED if created >= since else UPDATED


def _day_moment_q(field, since, now, resource, position):
    """Rows whose `field` day began between `since` and now, after `position` in feed order."""
    start_day = timezone.localdate(since)
    after = Q(
        **{f"{field}__gte": start_day}
        if start_of(start_day) == since
        else {f"{field}__gt": start_day}
    )
    if position is not None:
        when, after_resource, after_id = position
        day = timezone.localdate(when)
        if start_of(day) != when or resource < after_resource:
            after &= Q(**{f"{field}__gt": day})
        elif resource == after_resource:
            after &= Q(**{f"{field}__gt": day}) | Q(**{field: day, "pk__gt": after_id})
        else:
            after &= Q(**{f"{field}__gte": day})
    return after & Q(**{f"{field}__lte": timezone.localdate(now)})


def _ended_memberships(since, now, position, size):
    """Memberships whose `active` turned off with the calendar (no save happens then)."""
    rows = (
        Membership.objects.filter(_day_moment_q("left_on", since, now, "memberships", position))
        .order_by("left_on", "pk")
        .values_list("left_on", "pk")[: size + 1]
    )
    return [Change(start_of(left_on), "memberships", pk, UPDATED) for left_on, pk in rows]


def _member_counts_turned(since, now, position):
    """Alliances whose member counts turned with the calendar: a membership began or ended
    on a day that began between `since` and now. One row per alliance, so few."""
    since_day, today = timezone.localdate(since), timezone.localdate(now)
    in_window = Q(joined_on__range=(since_day, today)) | Q(left_on__range=(since_day, today))
    rows = (
        Membership.objects.filter(in_window)
        .values("alliance_id")
        .annotate(
            joined=Max("joined_on", filter=Q(joined_on__range=(since_day, today))),
            left=Max("left_on", filter=Q(left_on__range=(since_day, today))),
        )
        .values_list("alliance_id", "joined", "left")
    )
    changes = []
    for alliance_id, *days in rows:
        moments = [start_of(day) for day in days if day is not None]
        moments = [moment for moment in moments if since <= moment <= now]
        change = moments and Change(max(moments), "alliances", alliance_id, UPDATED)
        if change and (position is None or (change.when, change.resource, change.id) > position):
            changes.append(change)
    return sorted(changes)


def deletion_visibility_q(reader):
    """The agreement visibility rule, applied to deletions as the record stood then.

    "Members" counts a deletion made after one of the reader's institutions may have
    belonged to the alliance since `since` (`Reader.member_since`): a member that has left
    since still learns of it (its mirror may hold the agreement), one that joined since does
    not learn of deletions made before it joined.
    """
    if permissions.is_staff(reader.user):
        return Q()
    public = Q(visibility=Visibility.PUBLIC)
    if not permissions.is_signed_in(reader.user):
        return public
    insider = Q(alliance_id__in=user_secretariat_alliance_ids(reader.user))
    for alliance_id, start in reader.member_since.items():
        insider |= Q(alliance_id=alliance_id, deleted_at__gte=start)
    named = _names_any(reader.institution_ids)
    return public | named | (Q(visibility=Visibility.MEMBERS) & insider)


def _id_list(ids):
    return "," + "".join(f"{pk}," for pk in sorted(set(ids)))


def record_deletion(instance, *, visibility=None):
    """Write the `Deletion` of `instance`: an agreement keeps its visibility, alliance and
    parties, a membership its alliance and member (the readers who saw through it)."""
    resource = MODEL_RESOURCES.get(type(instance).__name__)
    if resource is None or instance.pk is None:
        return
    values = {}
    if isinstance(instance, Agreement):
        values = {
            "visibility": visibility or instance.visibility,
            "alliance_id": instance.alliance_id,
            "party_ids": _id_list(instance.parties.values_list("institution_id", flat=True)),
        }
    elif isinstance(instance, Membership):
        values = {
            "alliance_id": instance.alliance_id,
            "party_ids": _id_list([instance.institution_id]),
        }
    Deletion.objects.create(resource=resource, object_id=instance.pk, **values)


def record_deletions(queryset):
    """The `Deletion`s of the records of `queryset` (no visibility rule), in bulk."""
    resource = MODEL_RESOURCES.get(queryset.model.__name__)
    if resource is None:
        return
    if queryset.model is Membership:
        deletions = (
            Deletion(
                resource=resource,
                object_id=pk,
                alliance_id=alliance_id,
                party_ids=_id_list([institution_id]),
            )
            for pk, alliance_id, institution_id in queryset.values_list(
                "pk", "alliance_id", "institution_id"
            )
        )
    else:
        deletions = (
            Deletion(resource=resource, object_id=pk)
            for pk in queryset.values_list("pk", flat=True)
        )
    Deletion.objects.bulk_create(deletions, batch_size=1000)


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


def record_moved_membership(membership):
    """A membership moved to another alliance or member ends the old one's sight: it is
    kept as a deletion of the membership as it stood (its `updated` follows), and the old
    alliance's member counts change."""
    if membership.pk is None:
        return
    before = Membership.objects.filter(pk=membership.pk).first()
    if before is None:
        return
    if (before.alliance_id, before.institution_id) != (
        membership.alliance_id,
        membership.institution_id,
    ):
        record_deletion(before)
        Alliance.objects.filter(pk=before.alliance_id).update(updated=timezone.now())
