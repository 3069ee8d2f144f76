"""Reusable reads: every list the pages and the API show is built here, N+1-free."""

from django.db import models
from django.db.models import Case, Count, Exists, F, Func, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone


class DateMinusDays(Func):
    """`date_field - integer_field` days, on PostgreSQL and SQLite."""

    output_field = models.DateField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="date(%(expressions)s || ' days')",
            arg_joiner=", '-' || ",
            **extra,
        )


def user_institution_ids(user, *, roles=("editor", "viewer")):
    """Ids of the institutions `user` works for in one of `roles`, as a subquery."""
    from partnerships.models import Affiliation

    return Affiliation.objects.filter(user=user, role__in=roles, institution__isnull=False).values(
        "institution_id"
    )


def user_secretariat_alliance_ids(user):
    from partnerships.models import Affiliation

    return Affiliation.objects.filter(user=user, role="secretariat").values("alliance_id")


class InstitutionQuerySet(models.QuerySet):
    def in_countries(self, codes):
        return self.filter(country__in=codes)

    def with_counts(self):
        today = timezone.localdate()
        return self.annotate(
            active_membership_count=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today),
                distinct=True,
            )
        )


class AllianceQuerySet(models.QuerySet):
    def with_member_counts(self):
        today = timezone.localdate()
        current = Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)
        return self.annotate(
            member_count=Count("memberships", filter=current, distinct=True),
            member_country_count=Count(
                "memberships__institution__country", filter=current, distinct=True
            ),
        )


class MembershipQuerySet(models.QuerySet):
    def current(self, on=None):
        day = on or timezone.localdate()
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))

    def former(self, on=None):
        day = on or timezone.localdate()
        return self.filter(left_on__lte=day)

    def with_related(self):
        return self.select_related("alliance", "institution")


class EventQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("host", "alliance", "part_of")


class AgreementQuerySet(models.QuerySet):
    def with_state(self, today=None):
        """Annotate `state`: the one SQL form of `Agreement.state_on`."""
        from partnerships.models.agreements import AgreementState as State

        day = today or timezone.localdate()
        return self.annotate(
            notice_starts=DateMinusDays(F("expires_on"), F("notice_days")),
            state=Case(
                When(terminated_on__lte=day, then=Value(State.TERMINATED)),
                When(signed_on__isnull=True, then=Value(State.DRAFT)),
                When(expires_on__lt=day, then=Value(State.EXPIRED)),
                When(notice_starts__lte=day, then=Value(State.EXPIRING)),
                default=Value(State.ACTIVE),
                output_field=models.CharField(),
            ),
        )

    def in_state(self, *states, today=None):
        return self.with_state(today).filter(state__in=states)

    def expiring_within(self, days, today=None):
        day = today or timezone.localdate()
        return self.with_state(day).filter(
            state__in=["active", "expiring"],
            expires_on__gte=day,
            expires_on__lte=day + timezone.timedelta(days=days),
        )

    def with_parties(self):
        from partnerships.models import AgreementParty

        return self.select_related("alliance", "event").prefetch_related(
            models.Prefetch(
                "parties",
                queryset=AgreementParty.objects.select_related("institution", "unit").order_by(
                    "role", "institution__name"
                ),
            )
        )

    def with_terms(self):
        """`with_parties` and what `Agreement.version` and the approval status read too."""
        from partnerships.models import AgreementApproval, AgreementCondition

        return self.with_parties().prefetch_related(
            models.Prefetch("conditions", queryset=AgreementCondition.objects.with_related()),
            models.Prefetch(
                "approvals",
                queryset=AgreementApproval.objects.select_related("institution", "user"),
            ),
        )

    def with_unit(self, unit_ids):
        """Agreements where one of `unit_ids` signs or is named in a condition."""
        from partnerships.models import AgreementCondition, AgreementParty

        return self.filter(
            Exists(AgreementParty.objects.filter(agreement=OuterRef("pk"), unit__in=unit_ids))
            | Exists(
                AgreementCondition.objects.filter(agreement=OuterRef("pk")).filter(
                    Q(sending_unit__in=unit_ids) | Q(receiving_unit__in=unit_ids)
                )
            )
        )

    def with_renewal(self):
        """Join the agreement it renews and the one that renews it (`Agreement.renewal`)."""
        return self.select_related("renews", "renewed_by")

    def involving(self, institution_ids):
        """Agreements in which any of `institution_ids` signs (party or coordinator)."""
        from partnerships.models import AgreementParty

        return self.filter(
            Exists(
                AgreementParty.objects.filter(
                    agreement=OuterRef("pk"),
                    institution__in=institution_ids,
                    role__in=AgreementParty.SIGNING_ROLES,
                )
            )
        )

    def search(self, text):
        """Agreements whose reference, title, summary or a party's name holds every word."""
        from partnerships.models import AgreementParty

        queryset = self
        for word in text.split():
            named = AgreementParty.objects.filter(agreement=OuterRef("pk")).filter(
                Q(institution__name__icontains=word) | Q(institution__short_name__icontains=word)
            )
            queryset = queryset.filter(
                Q(reference__icontains=word)
                | Q(title__icontains=word)
                | Q(summary__icontains=word)
                | Exists(named)
            )
        return queryset

    def visible_to(self, user):
        """What `user` may see: the one visibility rule (see docs/security.md)."""
        from partnerships import permissions

        return self.filter(permissions.agreement_visibility_q(user))


class ConditionQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related(
            "sending_institution",
            "sending_unit",
            "receiving_institution",
            "receiving_unit",
            "field",
        )

    def in_year(self, year):
        return self.filter(first_academic_year__lte=year, last_academic_year__gte=year)

    def with_unit(self, unit_ids):
        return self.filter(Q(sending_unit__in=unit_ids) | Q(receiving_unit__in=unit_ids))

    def with_places_used(self, year):
        """Annotate `used` (students of the agreement's linked flows in `year` between the
        condition's institutions, of its mobility type) and `left` (places − used)."""
        from partnerships.models.conditions import FLOW_MOBILITY_TYPE
        from programs.models import StudentFlow

        flow_type = Case(
            *[
                When(mobility_type=kind, then=Value(flow))
                for kind, flow in FLOW_MOBILITY_TYPE.items()
            ],
            output_field=models.CharField(),
        )
        used = (
            StudentFlow.objects.filter(
                agreement=OuterRef("agreement"),
                origin_institution=OuterRef("sending_institution"),
                destination_institution=OuterRef("receiving_institution"),
                mobility_type=OuterRef("flow_type"),
                academic_year=year,
            )
            .order_by()
            .values("agreement")
            .annotate(total=Sum("students"))
            .values("total")
        )
        return self.annotate(
            flow_type=flow_type,
            used=Coalesce(Subquery(used, output_field=models.IntegerField()), Value(0)),
        ).annotate(left=F("places") - F("used"))
