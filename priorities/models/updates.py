from django.db import models
from simple_history.models import HistoricalRecords

from indicators.models import ReportingPeriod, ReviewedSubmission, SubmissionQuerySet
from indicators.models.periods import figures_public
from plans.models.tenancy import check_same_partnership
from plans.models.text import NOTE, bounded_text

from .contents import ActionRow


class ActionUpdateQuerySet(SubmissionQuerySet):
    def public(self):
        """Updates public pages may show: approved, in a quarter whose figures are public."""
        return self.approved().filter(figures_public())

    def due_in(self, period):
        """The quarter's updates on the rows due in it (see ActionRowQuerySet.due_in)."""
        return self.for_period(period).filter(
            action_row__priority__plan_version__in=period.versions_in_force()
        )


class ActionUpdate(ReviewedSubmission):
    """The lead agency's progress report on one action for one quarter."""

    action_row = models.ForeignKey(ActionRow, on_delete=models.CASCADE, related_name="updates")
    reporting_period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="action_updates"
    )
    action_status = models.CharField(
        max_length=20, choices=ActionRow.Status, default=ActionRow.Status.NOT_STARTED
    )
    progress = bounded_text(NOTE, blank=True, help_text="What was done this quarter.")
    history = HistoricalRecords()

    objects = ActionUpdateQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "action_row__priority__plan_version__plan__partnership"

    class Meta:
        ordering = ["reporting_period", "action_row"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_row", "reporting_period"],
                name="one_update_per_action_period",
                violation_error_message="There is already an update for this action and period.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.action_row} – {self.reporting_period}"

    def clean(self) -> None:
        check_same_partnership(
            self,
            "reporting_period",
            [self.reporting_period if self.reporting_period_id else None],
        )
