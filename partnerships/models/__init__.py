from partnerships.models.access import Affiliation
from partnerships.models.agreements import Agreement, AgreementParty, AgreementState, Visibility
from partnerships.models.alliances import Alliance, Event, Membership
from partnerships.models.approvals import AgreementApproval, ApprovedVersion
from partnerships.models.changes import Deletion
from partnerships.models.conditions import AgreementCondition, ConditionMobilityType
from partnerships.models.institutions import Institution
from partnerships.models.reference import CountryGroup, FieldOfStudy
from partnerships.models.reminders import ExpiryReminder
from partnerships.models.units import Unit

__all__ = [
    "Affiliation",
    "Agreement",
    "AgreementApproval",
    "AgreementCondition",
    "AgreementParty",
    "AgreementState",
    "Alliance",
    "ApprovedVersion",
    "ConditionMobilityType",
    "CountryGroup",
    "Deletion",
    "Event",
    "ExpiryReminder",
    "FieldOfStudy",
    "Institution",
    "Membership",
    "Unit",
    "Visibility",
]
