from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q

from plans.models import Area
from plans.models.text import NOTE, bounded_text

from .indicators import Indicator, value_field
from .periods import ReportingPeriod, figures_public
from .workflow import ReviewedSubmission, SubmissionQuerySet, submission_history

# What the column holds on every database: SQLite would store more, PostgreSQL refuse it.
LARGEST_GROUP = 32_767
GROUP_TOO_LARGE = "Comparison groups are at most 32,767 partnerships: check the number."


class ReturnQuerySet(SubmissionQuerySet):
    def public(self):
        """The only returns public pages may show: approved, and their quarter's report
        published (or the partnership publishes figures as soon as they are approved)."""
        return self.approved().filter(figures_public())

    def whole_area(self):
        """Figures for the partnership's whole area, not broken down by ward."""
        return self.filter(area__isnull=True)

    def newest_first(self):
        return self.order_by("-reporting_period__financial_year", "-reporting_period__quarter")


class Return(ReviewedSubmission):
    """One figure for one indicator in one reporting period (and optionally one area)."""

    class Rag(models.TextChoices):
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="returns")
    reporting_period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="returns"
    )
    area = models.ForeignKey(
        Area,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="returns",
        help_text="Leave empty for the whole partnership area.",
    )
    value = value_field(null=True, blank=True)
    commentary = bounded_text(NOTE, blank=True, help_text="What explains the figure.")
    # The rating is computed from the target (indicators/figures.py); an agency may override it,
    # saying why, and the reason is shown wherever the rating is.
    rag_override = models.CharField(
        "rating override",
        max_length=10,
        choices=Rag,
        blank=True,
        help_text="Leave empty to use the rating computed from the target.",
    )
    rag_override_reason = bounded_text(
        NOTE, blank=True, help_text="Why the agency rates it differently from the computed rating."
    )
    comparison_rank = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(LARGEST_GROUP, GROUP_TOO_LARGE)],
        help_text='Position in the comparison group: the 11 in "11 of 15".',
    )
    comparison_group_size = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MaxValueValidator(LARGEST_GROUP, GROUP_TOO_LARGE)],
        help_text='Partnerships compared: the 15 in "11 of 15".',
    )
    history = submission_history("indicator", "reporting_period", "area")

    objects = ReturnQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "indicator__partnership"

    class Meta:
        ordering = ["reporting_period", "indicator", "area"]
        # What the admin's list filters and sorts by, at national scale (millions of rows).
        indexes = [
            models.Index(fields=["status"], name="return_status"),
            models.Index(fields=["reporting_period", "status"], name="return_period_status"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "reporting_period"],
                condition=Q(area__isnull=True),
                name="one_return_per_indicator_period",
                violation_error_message="There is already a return for this indicator and period.",
            ),
            models.UniqueConstraint(
                fields=["indicator", "reporting_period", "area"],
                condition=Q(area__isnull=False),
                name="one_return_per_indicator_period_area",
                violation_error_message=(
                    "There is already a return for this indicator, period and area."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(comparison_rank__isnull=True, comparison_group_size__isnull=True)
                    | Q(
                        comparison_rank__isnull=False,
                        comparison_group_size__isnull=False,
                        comparison_rank__gte=1,
                        comparison_group_size__gte=models.F("comparison_rank"),
                    )
                ),
                name="comparison_rank_within_group",
                violation_error_message=(
                    "Give both the rank and the group size, with the rank between 1 and the size."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "returned"]) | Q(value__isnull=False),
                name="submitted_return_has_value",
                violation_error_message="A submitted or approved return needs a value.",
            ),
        ]

    def __str__(self) -> str:
        where = f" – {self.area}" if self.area_id else ""
        return f"{self.indicator.code} {self.reporting_period}{where}"

    @property
    def formatted_value(self) -> str:
        return self.indicator.format_value(self.value)

    @property
    def comparison(self) -> str:
        if self.comparison_rank is None:
            return ""
        return f"{self.comparison_rank} of {self.comparison_group_size}"

    def clean(self) -> None:
        partnership_id = self.indicator.partnership_id if self.indicator_id else None
        if (
            self.reporting_period_id
            and partnership_id
            and (self.reporting_period.partnership_id != partnership_id)
        ):
            raise ValidationError(
                {"reporting_period": "This period belongs to another partnership."}
            )
        if self.area_id and partnership_id and self.area.partnership_id != partnership_id:
            raise ValidationError({"area": "This area belongs to another partnership."})
        if self.value is not None and self.indicator_id:
            try:
                self.indicator.check_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error
        if self.rag_override and not self.rag_override_reason.strip():
            raise ValidationError(
                {"rag_override_reason": "Say why the rating differs from the computed one."}
            )
