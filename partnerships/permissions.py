"""Who may see and do what. The one module the admin, the pages and the API ask.

Roles come from `Affiliation`: an editor or viewer of an institution (international
office), a secretariat of an alliance; staff may do everything. Visibility of an
agreement: public to everyone; "alliance members" to users affiliated with a current
member of its alliance and to its secretariat; "parties" to users affiliated with an
institution named on it. Parties always see their own agreements. See docs/security.md.

Doors fetch agreements with `get_visible_agreement_or_404` (a hidden record is a 404,
never a 403) and refuse writes with `ensure`, which logs the refusal.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.http import Http404

from partnerships.models import Affiliation, AgreementParty, Membership, Visibility
from partnerships.querysets import user_institution_ids, user_secretariat_alliance_ids

security_log = logging.getLogger("alliance_portal.security")


# Who the user is


def is_staff(user):
    return bool(user and user.is_authenticated and user.is_staff and user.is_active)


def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_editor_of(user, institution_id):
    if not is_signed_in(user):
        return False
    return Affiliation.objects.filter(
        user=user, role=Affiliation.Role.EDITOR, institution_id=institution_id
    ).exists()


def is_secretariat_of(user, alliance_id):
    if not is_signed_in(user):
        return False
    return Affiliation.objects.filter(
        user=user, role=Affiliation.Role.SECRETARIAT, alliance_id=alliance_id
    ).exists()


def editable_institution_ids(user):
    """Institutions whose records `user` may edit (as a subquery)."""
    return user_institution_ids(user, roles=(Affiliation.Role.EDITOR,))


def can_use_admin(user):
    """The admin is for staff, who may do everything there (DESIGN: "Who may do what")."""
    return is_staff(user)


# Agreements: reading


def agreement_visibility_q(user):
    """A Q that keeps the agreements `user` may see; used by every list, count and export."""
    if is_staff(user):
        return Q()
    public = Q(visibility=Visibility.PUBLIC)
    if not is_signed_in(user):
        return public
    institutions = user_institution_ids(user)
    is_named = Exists(
        AgreementParty.objects.filter(agreement=OuterRef("pk"), institution__in=institutions)
    )
    member_alliances = Membership.objects.current().filter(institution__in=institutions)
    alliance_insider = Q(alliance__in=member_alliances.values("alliance_id")) | Q(
        alliance__in=user_secretariat_alliance_ids(user)
    )
    return public | is_named | (Q(visibility=Visibility.MEMBERS) & alliance_insider)


def can_view_agreement(user, agreement):
    from partnerships.models import Agreement

    if agreement.visibility == Visibility.PUBLIC or is_staff(user):
        return True
    return Agreement.objects.visible_to(user).filter(pk=agreement.pk).exists()


def can_view_agreement_history(user, agreement):
    """Whoever may see an agreement may see how it changed."""
    return can_view_agreement(user, agreement)


def can_download_document(user, agreement):
    """The signed PDF is as visible as the agreement it belongs to."""
    return can_view_agreement(user, agreement)


# Agreements: writing


def can_create_agreement(user):
    """May `user` log agreements at all (staff, or an editor of some institution)?"""
    if is_staff(user):
        return True
    return is_signed_in(user) and editable_institution_ids(user).exists()


def can_sign_for(user, institution_id):
    """Does `user` act for this institution (staff, or its editor)?"""
    return is_staff(user) or is_editor_of(user, institution_id)


def can_create_agreement_for(user, institution_ids):
    """May `user` log an agreement signed by `institution_ids`? One of them must be theirs."""
    if is_staff(user):
        return True
    if not is_signed_in(user) or not institution_ids:
        return False
    return editable_institution_ids(user).filter(institution_id__in=list(institution_ids)).exists()


def can_edit_agreement(user, agreement):
    """Staff, or an editor of an institution that signs the agreement."""
    if is_staff(user):
        return True
    if not is_signed_in(user) or agreement.pk is None:
        return False
    return agreement.parties.filter(
        institution__in=editable_institution_ids(user),
        role__in=AgreementParty.SIGNING_ROLES,
    ).exists()


def can_upload_document(user, agreement):
    return can_edit_agreement(user, agreement)


def can_delete_agreement(user, agreement):
    """Like editing: a deleted agreement keeps its history and staff can restore it."""
    return can_edit_agreement(user, agreement)


def can_renew_agreement(user, agreement):
    return can_edit_agreement(user, agreement)


def can_terminate_agreement(user, agreement):
    return can_edit_agreement(user, agreement)


def approvable_institution_ids(user, agreement):
    """The signing parties of `agreement` for which `user` is an editor (may approve for)."""
    if not is_signed_in(user) or agreement.pk is None:
        return set()
    return set(
        agreement.parties.filter(
            institution__in=editable_institution_ids(user),
            role__in=AgreementParty.SIGNING_ROLES,
        ).values_list("institution_id", flat=True)
    )


def can_approve_agreement(user, agreement):
    """Only an editor of a signing party approves: an approval speaks for an institution,
    so staff approve only where they are also an editor of a party."""
    return bool(approvable_institution_ids(user, agreement))


def can_edit_conditions(user, agreement):
    """Conditions are terms of the agreement: whoever edits the agreement edits them."""
    return can_edit_agreement(user, agreement)


def can_view_places(user, agreement):
    """Places used and left are as visible as the agreement."""
    return can_view_agreement(user, agreement)


def can_restore_agreement(user):
    """Bringing back a deleted agreement is for staff."""
    return is_staff(user)


# Institutions, alliances, memberships, events


def can_create_institution(user):
    """Staff, or any editor: a partner abroad may need a record before it can sign."""
    return can_create_agreement(user)


def can_edit_institution(user, institution):
    return is_staff(user) or is_editor_of(user, institution.pk)


def can_delete_institution(user, institution):
    return is_staff(user)


def can_create_unit(user, institution_id):
    """A unit is edited by its institution's editors (and staff)."""
    return is_staff(user) or is_editor_of(user, institution_id)


def can_edit_unit(user, unit):
    return can_create_unit(user, unit.institution_id)


def can_delete_unit(user, unit):
    return can_edit_unit(user, unit)


def can_create_alliance(user):
    return is_staff(user)


def can_edit_alliance(user, alliance):
    return is_staff(user) or is_secretariat_of(user, alliance.pk)


def can_delete_alliance(user, alliance):
    return is_staff(user)


def can_add_membership(user, alliance):
    return can_edit_alliance(user, alliance)


def can_edit_membership(user, membership):
    return can_edit_alliance(user, membership.alliance)


def can_end_membership(user, membership):
    """Recording that a member left is the secretariat's (or staff's) work."""
    return can_edit_membership(user, membership)


def can_delete_membership(user, membership):
    return can_edit_membership(user, membership)


def can_create_event(user, alliance=None):
    """Staff anywhere; a secretariat for its own alliance."""
    if is_staff(user):
        return True
    return alliance is not None and is_secretariat_of(user, alliance.pk)


def can_edit_event(user, event):
    if is_staff(user):
        return True
    return event.alliance_id is not None and is_secretariat_of(user, event.alliance_id)


def can_delete_event(user, event):
    return can_edit_event(user, event)


# Programmes and flows


def can_create_programme(user, lead_id):
    return is_staff(user) or is_editor_of(user, lead_id)


def can_edit_programme(user, programme):
    return is_staff(user) or is_editor_of(user, programme.lead_id)


def can_delete_programme(user, programme):
    return can_edit_programme(user, programme)


def can_create_flow(user, origin_institution_id=None, destination_institution_id=None):
    """Staff for national figures; an editor for flows of their own institution."""
    if is_staff(user):
        return True
    return any(
        is_editor_of(user, institution_id)
        for institution_id in (origin_institution_id, destination_institution_id)
        if institution_id
    )


def can_edit_flow(user, flow):
    return can_create_flow(user, flow.origin_institution_id, flow.destination_institution_id)


def can_delete_flow(user, flow):
    return can_edit_flow(user, flow)


# Reference data and access


def can_edit_country_group(user, group=None):
    """Country groups are shared vocabulary: staff keep them."""
    return is_staff(user)


def can_edit_affiliation(user, affiliation=None):
    """Who may give whom which rights: staff."""
    return is_staff(user)


# Bulk import


def can_import(user):
    """The import doors (upload page, API, command) are for staff and alliance secretariats."""
    if is_staff(user):
        return True
    return is_signed_in(user) and user_secretariat_alliance_ids(user).exists()


# A secretariat may load what it may edit one by one: its alliance's memberships and events.
SECRETARIAT_IMPORT_KINDS = ("memberships", "events")


def can_import_kind(user, kind):
    if is_staff(user):
        return True
    return kind in SECRETARIAT_IMPORT_KINDS and can_import(user)


def can_import_through_api(user):
    """The API's import endpoint is for staff tokens (integrators loading national data)."""
    return is_staff(user)


def importable_alliance_ids(user):
    """Alliances whose rows `user` may import; None means every alliance (staff)."""
    if is_staff(user):
        return None
    if not is_signed_in(user):
        return set()
    return set(user_secretariat_alliance_ids(user).values_list("alliance_id", flat=True))


# Helpers the doors use


def get_visible_agreement_or_404(user, queryset=None, **lookup):
    """The agreement `user` may see, or 404 whether it is hidden or does not exist."""
    from partnerships.models import Agreement

    queryset = Agreement.objects.all() if queryset is None else queryset
    try:
        return queryset.visible_to(user).get(**lookup)
    except Agreement.DoesNotExist:
        raise Http404("No agreement matches the given query.") from None


def ensure(allowed, *, user, action, target):
    """Raise PermissionDenied, and log who tried what on which record, unless `allowed`."""
    if allowed:
        return
    security_log.warning(
        "refused %s on %s for user %s",
        action,
        target,
        describe_user(user),
        extra={"action": action, "target": str(target), "user_id": getattr(user, "pk", None)},
    )
    raise PermissionDenied(f"You may not {action}.")


def describe_user(user):
    if not is_signed_in(user):
        return "anonymous"
    return f"{user.get_username()} (id {user.pk})"
