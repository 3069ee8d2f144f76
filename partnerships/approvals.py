"""Two-sided approval: who approved which version, who is still to approve, and approving.

Every signing party (party or coordinator; witnesses do not approve) approves the current
version of the terms (`partnerships.terms`). An approval of an older version is stale: it
stays on record but no longer counts. When the last party approves, the terms are kept as
an `ApprovedVersion`, the snapshot the versions page compares the current terms with.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from partnerships import exceptions, permissions
from partnerships.models import (
    Agreement,
    AgreementApproval,
    AgreementParty,
    ApprovedVersion,
)
from partnerships.terms import agreement_terms, terms_version


@dataclass(frozen=True)
class ApprovalStatus:
    version: str
    signing_parties: tuple  # institutions, by name
    current: dict  # institution id → approval of the current version
    stale: tuple  # approvals of earlier versions, newest first

    @property
    def waiting_for(self):
        return tuple(party for party in self.signing_parties if party.pk not in self.current)

    @property
    def current_approvals(self):
        return [
            self.current[party.pk] for party in self.signing_parties if party.pk in self.current
        ]

    @property
    def waiting_ids(self):
        return [party.pk for party in self.waiting_for]

    @property
    def approved_by_all(self):
        return bool(self.signing_parties) and not self.waiting_for


def approval_status(agreement):
    """Where the approval of `agreement` stands; reads prefetched parties, conditions and
    approvals (`Agreement.objects.with_terms()`), so it runs no query of its own then."""
    return approval_status_of(
        version=agreement.version,
        parties=agreement.parties.all(),
        approvals=agreement.approvals.all(),
    )


def approval_status_of(*, version, parties, approvals):
    """Where the approval of `version` stands, given the agreement's parties and approvals."""
    signing = {}
    for party in parties:
        if party.role in AgreementParty.SIGNING_ROLES:
            signing.setdefault(party.institution_id, party.institution)
    approvals = sorted(approvals, key=lambda a: a.approved_at, reverse=True)
    current = {}
    for approval in approvals:
        if approval.version == version and approval.institution_id in signing:
            current.setdefault(approval.institution_id, approval)
    stale = tuple(approval for approval in approvals if approval.version != version)
    parties = tuple(sorted(signing.values(), key=lambda institution: institution.name))
    return ApprovalStatus(version=version, signing_parties=parties, current=current, stale=stale)


def agreement_approve(*, agreement, version, by):
    """Approve `version` of `agreement` for every signing party `by` is an editor of.

    Raises `StaleVersion` when `version` is not the current one. Approving again is
    harmless: the earlier approval stands. Returns the approvals of `by`'s parties.
    """
    institution_ids = permissions.approvable_institution_ids(by, agreement)
    permissions.ensure(
        bool(institution_ids),
        user=by,
        action="approve this agreement",
        target=agreement.reference,
    )
    with transaction.atomic():
        # Lock the agreement so that two last approvals cannot both miss the snapshot.
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
        locked = Agreement.objects.with_terms().get(pk=agreement.pk)
        terms = agreement_terms(locked)
        current = terms_version(terms)
        if (version or "").strip().lower() != current:
            raise exceptions.StaleVersion(current)
        now = timezone.now()
        approvals = [
            AgreementApproval.objects.get_or_create(
                agreement=locked,
                institution_id=institution_id,
                version=current,
                defaults={"user": by, "approved_at": now},
            )[0]
            for institution_id in sorted(institution_ids)
        ]
        status = approval_status(Agreement.objects.with_terms().get(pk=agreement.pk))
        if status.approved_by_all:
            ApprovedVersion.objects.get_or_create(
                agreement=locked, version=current, defaults={"terms": terms, "approved_at": now}
            )
    return approvals


def last_approved_version(agreement):
    """The snapshot of the last version every party approved, or None."""
    return agreement.approved_versions.order_by("-approved_at", "-id").first()
