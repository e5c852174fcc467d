from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum

from .partnerships import Organisation, Partnership
from .tenancy import check_same_partnership


def money_field(help_text: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), help_text=help_text
    )


def pounds(amount: Decimal) -> str:
    """As a plan writes money: "£75,500", "£1,250.50", "−£200" (an overspend)."""
    sign = "\u2212" if amount < 0 else ""
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"


def year_label(financial_year: int) -> str:
    return f"{financial_year}/{(financial_year + 1) % 100:02d}"


class AmountKind(models.TextChoices):
    EXACT = "exact", "Exact"
    APPROXIMATE = "approximate", "Approximate (circa)"
    RANGE = "range", "A range (from … to …)"


class FundQuerySet(models.QuerySet):
    def public(self):
        """Funds of partnerships that publish a plan: the public sees how the money is spent."""
        return self.filter(partnership__in=Partnership.objects.with_public_plan().values("pk"))

    def for_year(self, financial_year: int):
        """Funds received in the year: given for it, or recurring and still running (the
        query form of Fund.runs_in)."""
        return self.filter(
            Q(financial_year=financial_year)
            | Q(recurs_yearly=True, financial_year__lte=financial_year)
            & (Q(last_year__isnull=True) | Q(last_year__gte=financial_year))
        )


class Fund(models.Model):
    """Money the partnership received, e.g. a Commissioner's locality fund of £75,500."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="funds")
    name = models.CharField(max_length=200, help_text="e.g. Locality Fund 2023/24.")
    source = models.CharField(max_length=200, blank=True, help_text="Who gave it.")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The April year: 2023 means 2023/24."
    )
    amount_kind = models.CharField(
        "the amount is",
        max_length=12,
        choices=AmountKind,
        default=AmountKind.EXACT,
        help_text="As the plan gives it: exact, approximate (“circa £75,000”) or a range "
        "(“£10,000 to £15,000”).",
    )
    amount = money_field("Amount received, in pounds; for a range, the lower end.")
    amount_high = models.DecimalField(
        "up to",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="For a range only: the upper end, in pounds.",
    )
    recurs_yearly = models.BooleanField(
        "recurs each year",
        default=False,
        help_text="Tick when the same amount comes every year from the year above.",
    )
    last_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a fund that recurs: the last April year it comes (2025 means 2025/26). "
        "Leave empty if no end is set.",
    )

    objects = FundQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "-financial_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(amount_kind=AmountKind.RANGE, amount_high__gt=F("amount"))
                | (~Q(amount_kind=AmountKind.RANGE) & Q(amount_high__isnull=True)),
                name="fund_range_has_high_end_above_low",
                violation_error_message="A range needs an upper end above its lower end; "
                "other amounts have none.",
            ),
            models.CheckConstraint(
                condition=Q(last_year__isnull=True)
                | Q(recurs_yearly=True, last_year__gte=F("financial_year")),
                name="fund_last_year_after_first",
                violation_error_message="A last year is for a fund that recurs, and comes no "
                "earlier than its first year.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.amount is not None and self.amount < 0:
            errors["amount"] = "The amount cannot be negative."
        if self.amount_kind == AmountKind.RANGE:
            if self.amount_high is None:
                errors["amount_high"] = "Enter the upper end of the range."
            elif self.amount is not None and self.amount_high <= self.amount:
                errors["amount_high"] = "The upper end must be more than the lower end."
        elif self.amount_high is not None:
            errors["amount_high"] = "Leave this empty unless the amount is a range."
        if self.last_year is not None:
            if not self.recurs_yearly:
                errors["last_year"] = "A last year is only for a fund that recurs each year."
            elif self.financial_year is not None and self.last_year < self.financial_year:
                errors["last_year"] = "The last year cannot come before the first year."
        if errors:
            raise ValidationError(errors)

    @property
    def amount_text(self) -> str:
        """The amount as the plan writes it: "£75,500", "circa £75,000", "£10,000 to £15,000"."""
        if self.amount_kind == AmountKind.RANGE and self.amount_high is not None:
            return f"{pounds(self.amount)} to {pounds(self.amount_high)}"
        if self.amount_kind == AmountKind.APPROXIMATE:
            return f"circa {pounds(self.amount)}"
        return pounds(self.amount)

    def runs_in(self, financial_year: int) -> bool:
        """Whether the fund is received in the year: its own, or any until its last if it
        recurs (FundQuerySet.for_year asks the same of the database)."""
        if financial_year == self.financial_year:
            return True
        return (
            self.recurs_yearly
            and self.financial_year < financial_year
            and (self.last_year is None or financial_year <= self.last_year)
        )

    @property
    def years_text(self) -> str:
        """ "2023/24", "each year from 2023/24", "each year, 2023/24 to 2025/26"."""
        first = year_label(self.financial_year)
        if not self.recurs_yearly:
            return first
        if self.last_year is None:
            return f"each year from {first}"
        return f"each year, {first} to {year_label(self.last_year)}"

    @property
    def allocated_total(self) -> Decimal:
        return self.allocations.aggregate(total=Sum("allocated"))["total"] or Decimal("0.00")

    @property
    def unallocated(self) -> Decimal:
        """Against the amount sure to come: the lower end of a range."""
        return self.amount - self.allocated_total


class Allocation(models.Model):
    """A share of a fund given to a project; what is left is allocated − spent − committed."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="allocations")
    title = models.CharField(max_length=200, help_text="The project or service funded.")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="allocations",
        help_text="The agency delivering it, if any.",
    )
    allocated = money_field("Pounds set aside for it.")
    spent = money_field("Pounds already paid out.")
    committed = money_field("Pounds promised but not yet paid.")
    financial_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a fund that recurs each year: the year this share is from (2024 means "
        "2024/25). Leave empty for the fund's first year.",
    )

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "fund__partnership"

    class Meta:
        ordering = ["fund", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(allocated__gte=0) & Q(spent__gte=0) & Q(committed__gte=0),
                name="allocation_amounts_not_negative",
                violation_error_message="Amounts cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_same_partnership(
            self, "organisation", [self.organisation if self.organisation_id else None]
        )
        year, fund = self.financial_year, self.fund if self.fund_id else None
        if year is not None and fund is not None and not fund.runs_in(year):
            message = f"That year is outside the fund's years: {fund.years_text}."
            raise ValidationError({"financial_year": message})

    @property
    def year(self) -> int:
        """The financial year the share is from: its own, else its fund's first."""
        return self.financial_year or self.fund.financial_year

    @property
    def remaining(self) -> Decimal:
        """Negative when spending and commitments exceed the allocation (an overspend)."""
        return self.allocated - self.spent - self.committed

    @property
    def is_overspent(self) -> bool:
        return self.remaining < 0

    @property
    def overspend(self) -> Decimal:
        """How far spending and commitments go beyond the allocation (0 when they do not)."""
        return max(-self.remaining, Decimal("0.00"))


@dataclass(frozen=True)
class FundTotals:
    """A fund's allocations added up, for the report: what is allocated, spent, committed and
    left, and what of the fund is not yet allocated at all.

    `amount` is what is sure to come: the lower end of a range, so that what is unallocated is
    never more than the fund may give; `amount_high` is a range's upper end."""

    amount: Decimal
    allocated: Decimal
    spent: Decimal
    committed: Decimal
    amount_high: Decimal | None = None
    amount_text: str = ""  # as the plan writes it: "circa £75,000", "£10,000 to £15,000"

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent - self.committed

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated

    @property
    def unallocated_high(self) -> Decimal | None:
        """For a range: what would be unallocated if the upper end came."""
        return None if self.amount_high is None else self.amount_high - self.allocated

    @property
    def unallocated_text(self) -> str:
        """ "£2,000", or for a range "£2,000 to £7,000" (the lower end first)."""
        if self.amount_high is None:
            return pounds(self.unallocated)
        return f"{pounds(self.unallocated)} to {pounds(self.unallocated_high)}"


def fund_totals(fund: Fund, allocations) -> FundTotals:
    allocations = list(allocations)
    return FundTotals(
        amount=fund.amount,
        allocated=sum((a.allocated for a in allocations), Decimal("0.00")),
        spent=sum((a.spent for a in allocations), Decimal("0.00")),
        committed=sum((a.committed for a in allocations), Decimal("0.00")),
        amount_high=fund.amount_high if fund.amount_kind == AmountKind.RANGE else None,
        amount_text=fund.amount_text,
    )
