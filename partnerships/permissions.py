"""Who may see and do what. The one module the admin, the pages and the API ask.

Roles come from `Affiliation`: an editor or viewer of an institution (international
office), a secretariat of an alliance; staff may do everything. Visibility of an
agreement: public to everyone; "alliance members" to users affiliated with a current
member of its alliance and to its secretariat; "parties" to users affiliated with a party.
Parties always see their own agreements.
"""

from django.db.models import Exists, OuterRef, Q

from partnerships.models import Affiliation, AgreementParty, Membership, Visibility
from partnerships.querysets import user_institution_ids, user_secretariat_alliance_ids


def is_staff(user):
    return bool(user and user.is_authenticated and user.is_staff and user.is_active)


def is_signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def agreement_visibility_q(user):
    """A Q that keeps the agreements `user` may see; used by every list, count and export."""
    if is_staff(user):
        return Q()
    public = Q(visibility=Visibility.PUBLIC)
    if not is_signed_in(user):
        return public
    institutions = user_institution_ids(user)
    is_party = Exists(
        AgreementParty.objects.filter(agreement=OuterRef("pk"), institution__in=institutions)
    )
    member_alliances = Membership.objects.current().filter(institution__in=institutions)
    alliance_insider = Q(alliance__in=member_alliances.values("alliance_id")) | Q(
        alliance__in=user_secretariat_alliance_ids(user)
    )
    return public | is_party | (Q(visibility=Visibility.MEMBERS) & alliance_insider)


def can_view_agreement(user, agreement):
    from partnerships.models import Agreement

    if agreement.visibility == Visibility.PUBLIC or is_staff(user):
        return True
    return Agreement.objects.visible_to(user).filter(pk=agreement.pk).exists()


def editable_institution_ids(user):
    """Institutions whose records `user` may edit (as a subquery)."""
    return user_institution_ids(user, roles=(Affiliation.Role.EDITOR,))


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


def can_create_agreement(user):
    if is_staff(user):
        return True
    return is_signed_in(user) and editable_institution_ids(user).exists()


def can_edit_agreement(user, agreement):
    """Staff, or an editor of an institution that signs the agreement."""
    if is_staff(user):
        return True
    if not is_signed_in(user):
        return False
    return agreement.parties.filter(
        institution__in=editable_institution_ids(user),
        role__in=AgreementParty.SIGNING_ROLES,
    ).exists()


def can_sign_for(user, institution_id):
    """May `user` name this institution as a party of an agreement they log?"""
    return is_staff(user) or is_editor_of(user, institution_id)


def can_edit_institution(user, institution):
    return is_staff(user) or is_editor_of(user, institution.pk)


def can_edit_alliance(user, alliance):
    return is_staff(user) or is_secretariat_of(user, alliance.pk)


def can_edit_membership(user, membership):
    return can_edit_alliance(user, membership.alliance)


def can_edit_event(user, event):
    if is_staff(user):
        return True
    return event.alliance_id is not None and is_secretariat_of(user, event.alliance_id)


def can_edit_programme(user, programme):
    return is_staff(user) or is_editor_of(user, programme.lead_id)


def can_edit_flow(user, flow):
    if is_staff(user):
        return True
    return any(
        is_editor_of(user, institution_id)
        for institution_id in (flow.origin_institution_id, flow.destination_institution_id)
        if institution_id
    )
