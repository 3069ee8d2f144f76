"""Reusable reads for programmes and student flows."""

from django.db import models
from django.db.models import Sum


class ProgrammeQuerySet(models.QuerySet):
    def with_related(self):
        from programs.models import ProgrammePartner

        return self.select_related("lead", "field", "alliance", "agreement").prefetch_related(
            models.Prefetch(
                "partnerships",
                queryset=ProgrammePartner.objects.select_related("institution"),
            )
        )


class StudentFlowQuerySet(models.QuerySet):
    def with_related(self):
        return self.select_related("origin_institution", "destination_institution", "programme")

    def in_years(self, year_from=None, year_to=None):
        queryset = self
        if year_from is not None:
            queryset = queryset.filter(academic_year__gte=year_from)
        if year_to is not None:
            queryset = queryset.filter(academic_year__lte=year_to)
        return queryset

    def total_students(self):
        return self.aggregate(total=Sum("students"))["total"] or 0

    def summary(self, *dimensions):
        """Sum of students per combination of `dimensions`, in one GROUP BY."""
        return (
            self.order_by()
            .values(*dimensions)
            .annotate(students=Sum("students"))
            .order_by(*dimensions)
        )
