from datetime import date, timedelta

from django.db import models
from django.db.models import Q

from plans.models import Partnership

from .. import periods


class ReportingPeriodQuerySet(models.QuerySet):
    def open_for_entry(self):
        """Quarters officers can enter and submit returns for now."""
        return self.filter(is_open=True)

    def due_within(self, days: timedelta, *, of: date):
        """Open quarters already overdue on `of`, or due within `days` of it."""
        return self.open_for_entry().filter(due_date__lte=of + days)

    def find(self, partnership, financial_year: int, quarter: int):
        """The partnership's quarter, or None if it has not been created."""
        return self.filter(
            partnership=partnership, financial_year=financial_year, quarter=quarter
        ).first()


class ReportingPeriod(models.Model):
    """A quarter a partnership collects returns for, e.g. "2023/24 Q1", with its due date."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The April year: 2023 means 2023/24."
    )
    quarter = models.PositiveSmallIntegerField(
        choices=[
            (1, "Q1 (April–June)"),
            (2, "Q2 (July–September)"),
            (3, "Q3 (October–December)"),
            (4, "Q4 (January–March)"),
        ]
    )
    due_date = models.DateField(help_text="Returns are overdue after this day.")
    is_open = models.BooleanField(
        default=False, help_text="Officers can enter and submit returns only while it is open."
    )

    objects = ReportingPeriodQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "quarter"],
                name="unique_reporting_period",
                violation_error_message="This partnership already has that quarter.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_is_one_to_four"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return periods.period_label(self.financial_year, self.quarter)

    @property
    def start_date(self) -> date:
        return periods.quarter_dates(self.financial_year, self.quarter)[0]

    @property
    def end_date(self) -> date:
        return periods.quarter_dates(self.financial_year, self.quarter)[1]

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_date

    def open(self, *, due_date: date | None = None) -> None:
        """Let officers enter returns for the quarter, moving its due date if one is given.

        Saves (creating the quarter if it is new).
        """
        if due_date is not None:
            self.due_date = due_date
        self.is_open = True
        self.save()

    def close(self) -> None:
        """Stop entry for the quarter: what was entered stays, read-only. Saves."""
        self.is_open = False
        self.save(update_fields=["is_open"])
