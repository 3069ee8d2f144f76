from partnerships.models.access import Affiliation
from partnerships.models.agreements import Agreement, AgreementParty, AgreementState, Visibility
from partnerships.models.alliances import Alliance, Event, Membership
from partnerships.models.institutions import Institution
from partnerships.models.reference import CountryGroup, FieldOfStudy
from partnerships.models.reminders import ExpiryReminder

__all__ = [
    "Affiliation",
    "Agreement",
    "AgreementParty",
    "AgreementState",
    "Alliance",
    "CountryGroup",
    "Event",
    "ExpiryReminder",
    "FieldOfStudy",
    "Institution",
    "Membership",
    "Visibility",
]
