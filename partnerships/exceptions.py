"""Domain errors: a rule of the registry refuses an operation. Doors show the message.

A form adds it as a non-field error, the API answers 400 with it; none of them is a 500.
"""

from django.utils.translation import gettext_lazy as _


class PartnershipError(Exception):
    """Base of the registry's domain errors; `code` names the rule for the API."""

    code = "invalid"
    default_message = _("This operation is not possible.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))


class AgreementNotSigned(PartnershipError):
    code = "agreement_not_signed"
    default_message = _("A draft agreement cannot be renewed or terminated: it is not signed.")


class AgreementAlreadyRenewed(PartnershipError):
    code = "agreement_already_renewed"
    default_message = _("This agreement has already been renewed.")


class AgreementTerminated(PartnershipError):
    code = "agreement_terminated"
    default_message = _("A terminated agreement cannot be renewed; log a new agreement.")


class AgreementAlreadyTerminated(PartnershipError):
    code = "agreement_already_terminated"
    default_message = _("This agreement is already terminated.")


class TooFewParties(PartnershipError):
    code = "too_few_parties"
    default_message = _("An agreement has at least two parties (party or coordinator).")


class NothingToRestore(PartnershipError):
    code = "nothing_to_restore"
    default_message = _("No deleted agreement matches.")


class AgreementNotDeleted(PartnershipError):
    code = "agreement_not_deleted"
    default_message = _("This agreement exists; there is nothing to restore.")


class ReferenceTaken(PartnershipError):
    code = "reference_taken"
    default_message = _("Another agreement now uses this reference.")


class StaleVersion(PartnershipError):
    """The API answers 409 Conflict: the terms changed since the client read them."""

    code = "stale_version"
    default_message = _(
        "The terms of this agreement have changed since you read them: review the current "
        "version and approve that one."
    )

    def __init__(self, current_version, message=None):
        self.current_version = current_version
        super().__init__(message)


class MembershipAlreadyEnded(PartnershipError):
    code = "membership_already_ended"
    default_message = _("This membership has already ended.")


class PartyNamedInConditions(PartnershipError):
    code = "party_named_in_conditions"
    default_message = _(
        "A party that sends or receives under a condition cannot leave the agreement; change "
        "or remove those conditions first."
    )
