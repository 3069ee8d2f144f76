"""Signal receivers that keep the audit trail complete."""

from django.db.models import QuerySet
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from partnerships.models import Agreement, AgreementParty


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
