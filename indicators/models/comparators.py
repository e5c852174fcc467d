from django.db import models

from plans.models.tenancy import check_same_partnership

from .indicators import Indicator, value_field
from .periods import ReportingPeriod, figures_public


class ComparatorQuerySet(models.QuerySet):
    def public(self):
        """Comparators of quarters whose figures the public may see (see Return.public)."""
        return self.filter(figures_public())


class Comparator(models.Model):
    """The same measure for a wider area or a comparison group in one quarter, shown beside the
    local figure: "18.4 per 1,000 against 27.9 across the force area"."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="comparators")
    reporting_period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="comparators"
    )
    name = models.CharField(
        max_length=120,
        help_text='Where or what it is: "Staffordshire force area", "England and Wales", '
        '"most similar group average".',
    )
    value = value_field()

    objects = ComparatorQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "indicator__partnership"

    class Meta:
        ordering = ["indicator", "reporting_period", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "reporting_period", "name"],
                name="one_comparator_per_name_and_quarter",
                violation_error_message="This indicator already has that comparator this quarter.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.indicator.format_value(self.value)}"

    def clean(self) -> None:
        check_same_partnership(
            self,
            "reporting_period",
            [self.reporting_period if self.reporting_period_id else None],
        )
