from datetime import date

from django.db import models
from django.db.models import Q

from plans.models import Partnership

from .. import periods


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
