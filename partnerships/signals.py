"""Signal receivers that keep the audit trail complete."""

from django.db.models import QuerySet
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from partnerships.models import (
    Agreement,
    AgreementApproval,
    AgreementCondition,
    AgreementParty,
    Alliance,
    Membership,
)


@receiver(pre_delete, sender=AgreementParty)
def mark_parties_deleted_with_their_agreement(sender, instance, origin=None, **kwargs):
    """Tag the history row of a party removed by its agreement's deletion, so a restore
    brings back exactly those parties (and not ones removed earlier by an edit)."""
    from partnerships.services import DELETED_WITH_AGREEMENT

    deleting_agreement = isinstance(origin, Agreement) or (
        isinstance(origin, QuerySet) and origin.model is Agreement
    )
    if not deleting_agreement:
        return
    instance._change_reason = DELETED_WITH_AGREEMENT
    if hasattr(origin, "_history_user"):
        instance._history_user = origin._history_user


def _feed_models():
    from partnerships.models import Alliance, CountryGroup, Event, Institution, Membership, Unit
    from programs.models import Programme, StudentFlow

    return [
        Agreement,
        Alliance,
        CountryGroup,
        Event,
        Institution,
        Membership,
        Unit,
        Programme,
        StudentFlow,
    ]


def record_deletion_for_the_feed(sender, instance, origin=None, **kwargs):
    """Keep a deletion for the change feed (before, so an agreement still has its parties).

    A queryset deleting its own rows (thousands of flows) is recorded in one bulk insert.
    """
    from partnerships.changes import record_deletion, record_deletions

    if isinstance(origin, QuerySet) and origin.model is sender and sender is not Agreement:
        if not getattr(origin, "_feed_deletions_recorded", False):
            origin._feed_deletions_recorded = True
            record_deletions(origin)
        return
    record_deletion(instance)


for _model in _feed_models():
    pre_delete.connect(
        record_deletion_for_the_feed, sender=_model, dispatch_uid=f"feed-{_model.__name__}"
    )


@receiver(pre_save, sender=Agreement)
def record_narrowed_visibility(sender, instance, raw=False, **kwargs):
    from partnerships.changes import record_narrowed_visibility

    if not raw:
        record_narrowed_visibility(instance)


@receiver(pre_save, sender=Membership)
def record_moved_membership(sender, instance, raw=False, **kwargs):
    from partnerships.changes import record_moved_membership

    if not raw:
        record_moved_membership(instance)


def stamp_the_agreement(sender, instance, raw=False, **kwargs):
    """Parties, conditions and approvals show inside their agreement: a change to them is a
    change to it, for `modified_since=` and the change feed."""
    if not raw:
        Agreement.objects.filter(pk=instance.agreement_id).update(updated=timezone.now())


for _model in (AgreementParty, AgreementCondition, AgreementApproval):
    post_save.connect(stamp_the_agreement, sender=_model, dispatch_uid=f"stamp-{_model.__name__}")
    post_delete.connect(
        stamp_the_agreement, sender=_model, dispatch_uid=f"unstamp-{_model.__name__}"
    )


def stamp_the_alliance(sender, instance, raw=False, **kwargs):
    """An alliance shows its member counts: a change to a membership is a change to it."""
    if not raw:
        Alliance.objects.filter(pk=instance.alliance_id).update(updated=timezone.now())


post_save.connect(stamp_the_alliance, sender=Membership, dispatch_uid="stamp-alliance")
post_delete.connect(stamp_the_alliance, sender=Membership, dispatch_uid="unstamp-alliance")
