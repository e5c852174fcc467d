from django.core.exceptions import ValidationError
from django.db import models

from indicators.models import ReportingPeriod, ReviewedSubmission, SubmissionQuerySet
from indicators.models.periods import figures_public
from indicators.models.workflow import submission_history
from plans.models import Organisation
from plans.models.tenancy import check_same_partnership
from plans.models.text import NOTE, bounded_text

from .contents import ActionRow


class ActionUpdateQuerySet(SubmissionQuerySet):
    def public(self):
        """Updates public pages may show: approved, in a quarter whose figures are public."""
        return self.approved().filter(figures_public())

    def due_in(self, period, versions=None):
        """The quarter's updates on the rows due in it (see ActionRowQuerySet.due_in)."""
        in_force = period.versions_in_force() if versions is None else versions
        return self.for_period(period).filter(action_row__priority__plan_version__in=in_force)


class ActionUpdate(ReviewedSubmission):
    """One lead agency's progress report on one action for one quarter. A jointly led action
    gets one from each lead agency; see priorities/joint.py for how they agree."""

    action_row = models.ForeignKey(ActionRow, on_delete=models.CASCADE, related_name="updates")
    reporting_period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="action_updates"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="action_updates",
        # Null only for updates entered before each lead agency gave its own.
        null=True,
        verbose_name="lead agency",
        help_text="The lead agency whose update this is.",
    )
    action_status = models.CharField(
        max_length=20, choices=ActionRow.Status, default=ActionRow.Status.NOT_STARTED
    )
    progress = bounded_text(NOTE, blank=True, help_text="What was done this quarter.")
    status_note = bounded_text(
        NOTE,
        blank=True,
        verbose_name="why the status differs",
        help_text="On a jointly led action: why this agency's status differs from another lead "
        "agency's.",
    )
    history = submission_history("action_row", "reporting_period", "organisation")

    objects = ActionUpdateQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "action_row__priority__plan_version__plan__partnership"

    class Meta:
        ordering = ["reporting_period", "action_row", "organisation"]
        # What the admin's list filters and sorts by, at national scale.
        indexes = [
            models.Index(fields=["status"], name="action_update_status"),
            models.Index(fields=["reporting_period", "status"], name="action_update_period_status"),
            # The public pages' progress: approved updates by quarter, read from the index
            # alone. A large plan's rows have an update every quarter, scattered among every
            # other partnership's in the table; fetching each from the table cost most of the
            # plan page's query.
            models.Index(
                fields=["reporting_period", "action_row", "action_status"],
                condition=models.Q(status="approved"),
                name="action_update_approved",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["action_row", "reporting_period", "organisation"],
                name="one_update_per_action_period_agency",
                violation_error_message="This agency already has an update for this action and "
                "period.",
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
        if (
            self.organisation_id
            and self.action_row_id
            and not self.action_row.lead_organisations.filter(pk=self.organisation_id).exists()
        ):
            raise ValidationError({"organisation": "Choose one of the action's lead agencies."})
