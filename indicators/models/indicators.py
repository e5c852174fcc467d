from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from plans.models import Organisation, Partnership
from plans.models.tenancy import check_same_partnership
from plans.models.text import NOTE, bounded_text

from .. import figures

FIGURE_DIGITS_BEFORE_POINT = 12
NEEDS_VALUE_OR_DIRECTION = (
    "Enter the target figure, or choose whether to reduce, increase or maintain."
)


def value_field(**kwargs) -> models.DecimalField:
    """Every measured value: exact decimals (money to the penny), never floats."""
    return models.DecimalField(
        max_digits=FIGURE_DIGITS_BEFORE_POINT + 2, decimal_places=2, **kwargs
    )


class IndicatorQuerySet(models.QuerySet):
    def active(self):
        """Indicators still collected: figures are due for them each quarter."""
        return self.filter(is_active=True)

    def public(self):
        """Indicators of partnerships with a published plan: their pages are public (their
        figures only once published, see Return.public)."""
        return self.filter(partnership__in=Partnership.objects.with_public_plan().values("pk"))

    def owed_by(self, organisation, partnership_id: int):
        """The indicators an agency sends figures for in one partnership."""
        return self.active().filter(partnership_id=partnership_id, owner=organisation)


class Indicator(models.Model):
    """A measured quantity the partnership tracks, owned by one agency."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        RATE = "rate", "Rate per 1,000 population"
        MONEY = "money", "Sum of money (£)"

    class Direction(models.TextChoices):
        UP = "up", "Higher is better"
        DOWN = "down", "Lower is better"
        NONE = "none", "Neither (context only)"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField(
        max_length=40, help_text="Short reference, unique in the partnership, e.g. DA-HIGH-RISK."
    )
    name = models.CharField(max_length=200)
    description = bounded_text(
        NOTE, blank=True, help_text="What is counted and where it comes from."
    )
    unit = models.CharField(max_length=20, choices=Unit)
    good_direction = models.CharField(max_length=10, choices=Direction, default=Direction.NONE)
    baseline_value = value_field(null=True, blank=True, help_text="The starting figure.")
    baseline_period = models.CharField(
        max_length=20, blank=True, help_text='When the baseline was measured, e.g. "2021/22".'
    )

    class Span(models.TextChoices):
        YEAR = "year", "A whole year"
        QUARTER = "quarter", "One quarter"

    baseline_span = models.CharField(
        "the baseline covers",
        max_length=10,
        choices=Span,
        default=Span.YEAR,
        help_text="So that a quarter's figure is never shown beside a year's without saying so.",
    )
    is_cumulative = models.BooleanField(
        "quarters add up",
        default=False,
        help_text="Tick for counts and sums (crimes, incidents, pounds): a year is its four "
        "quarters added together, and the year to date is compared with the yearly target. "
        "Leave unticked for rates and percentages.",
    )
    rag_tolerance = models.DecimalField(
        "amber tolerance (%)",
        max_digits=5,
        decimal_places=1,
        default=Decimal("10.0"),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text="How far short of the target (as a % of it) is amber rather than red.",
    )
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_indicators",
        help_text="The agency that sends in the figures; blank where the plan names none.",
    )
    is_active = models.BooleanField(default=True, help_text="Untick to stop collecting it.")
    history = HistoricalRecords()

    objects = IndicatorQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "code"],
                name="unique_indicator_code",
                violation_error_message="Another indicator of this partnership has this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"

    def clean(self) -> None:
        check_same_partnership(self, "owner", [self.owner if self.owner_id else None])

    def format_value(self, value: Decimal | None) -> str:
        """A figure as readers expect it: "1,232", "12.5%", "15.1 per 1,000", "£75,500.00"."""
        if value is None:
            return ""
        if self.unit == self.Unit.MONEY:
            return f"£{value:,.2f}"
        number = f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,}"
        if "." in number:
            number = number.rstrip("0").rstrip(".")
        if self.unit == self.Unit.PERCENTAGE:
            return f"{number}%"
        if self.unit == self.Unit.RATE:
            return f"{number} per 1,000"
        return number

    @property
    def formatted_baseline(self) -> str:
        return self.format_value(self.baseline_value)

    @property
    def baseline_text(self) -> str:
        """The baseline with what it covers, so a quarter is never read against a year:
        "1,232 in 2021/22 (the whole year)"."""
        if self.baseline_value is None:
            return ""
        covers = "the whole year" if self.baseline_span == self.Span.YEAR else "one quarter"
        when = f" in {self.baseline_period}" if self.baseline_period else ""
        return f"{self.formatted_baseline}{when} ({covers})"

    def check_value(self, value: Decimal) -> None:
        """Raise ValidationError unless the value can be a figure in this indicator's unit."""
        if not value.is_finite():
            raise ValidationError("Enter the figure as a number, like 12 or 12.5.", code="nan")
        if value.adjusted() >= FIGURE_DIGITS_BEFORE_POINT:  # what the database column holds
            raise ValidationError(
                "The figure is too large: it must be below 1,000,000,000,000.", code="too_large"
            )
        if value < 0:
            raise ValidationError("The figure cannot be negative.", code="negative")
        if self.unit == self.Unit.COUNT and value != value.to_integral_value():
            raise ValidationError("A count is a whole number.", code="not_whole")
        if self.unit == self.Unit.PERCENTAGE and value > 100:
            raise ValidationError("A percentage is between 0 and 100.", code="over_100")
        if self.unit == self.Unit.MONEY and value.as_tuple().exponent < -2:
            raise ValidationError("Give money in pounds and pence, e.g. 1250.50.", code="pence")


class IndicatorTarget(models.Model):
    """What is aimed for in one financial year: a figure, a direction (reduce, increase,
    maintain), or both, with the plan's own words. How each is rated: indicators/figures.py."""

    class Direction(models.TextChoices):
        REDUCE = figures.REDUCE, "Reduce"
        INCREASE = figures.INCREASE, "Increase"
        MAINTAIN = figures.MAINTAIN, "Maintain"

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The April year: 2023 means 2023/24."
    )
    value = value_field(
        null=True,
        blank=True,
        help_text="The figure aimed for in the year, in the indicator's unit. Leave empty when "
        "the plan gives only a direction.",
    )
    direction = models.CharField(
        max_length=10,
        choices=Direction,
        blank=True,
        help_text="For a target written as a trend: rated against the same quarter last year "
        "when there is no figure.",
    )
    text = models.CharField(
        "as the plan words it",
        max_length=200,
        blank=True,
        help_text='Optional, e.g. "Reduce by 5% on the 2018 baseline".',
    )

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "indicator__partnership"

    class Meta:
        ordering = ["indicator", "financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "financial_year"], name="one_target_per_indicator_year"
            ),
            models.CheckConstraint(
                condition=models.Q(value__isnull=False) | ~models.Q(direction=""),
                name="target_has_value_or_direction",
                violation_error_message=NEEDS_VALUE_OR_DIRECTION,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} target {self.financial_year}: {self.as_target().describe()}"

    def clean(self) -> None:
        if self.value is None and not self.direction:
            raise ValidationError({"value": NEEDS_VALUE_OR_DIRECTION})
        if self.value is not None and self.indicator_id is not None:
            try:
                self.indicator.check_value(self.value)
            except ValidationError as error:
                raise ValidationError({"value": error.messages}) from error

    def as_target(self) -> figures.Target:
        return figures.Target(value=self.value, direction=self.direction, text=self.text)

    @property
    def formatted_value(self) -> str:
        return self.indicator.format_value(self.value)

    @property
    def target_text(self) -> str:
        """As readers see it: "1,200", "Reduce on last year", "Reduce by 5% on the 2018 …"."""
        return self.as_target().describe(self.indicator.format_value)
