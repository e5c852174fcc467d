from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.db.models import Q, Sum

from .partnerships import Organisation, Partnership
from .tenancy import check_same_partnership


def money_field(help_text: str) -> models.DecimalField:
    return models.DecimalField(
        max_digits=12, decimal_places=2, default=Decimal("0.00"), help_text=help_text
    )


class FundQuerySet(models.QuerySet):
    def public(self):
        """Funds of partnerships that publish a plan: the public sees how the money is spent."""
        return self.filter(partnership__in=Partnership.objects.with_public_plan().values("pk"))


class Fund(models.Model):
    """Money the partnership received, e.g. a Commissioner's locality fund of £75,500."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="funds")
    name = models.CharField(max_length=200, help_text="e.g. Locality Fund 2023/24.")
    source = models.CharField(max_length=200, blank=True, help_text="Who gave it.")
    financial_year = models.PositiveSmallIntegerField(
        help_text="The April year: 2023 means 2023/24."
    )
    amount = money_field("Amount received, in pounds.")

    objects = FundQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "-financial_year", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="fund_amount_not_negative")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def allocated_total(self) -> Decimal:
        return self.allocations.aggregate(total=Sum("allocated"))["total"] or Decimal("0.00")

    @property
    def unallocated(self) -> Decimal:
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
    left, and what of the fund is not yet allocated at all."""

    amount: Decimal
    allocated: Decimal
    spent: Decimal
    committed: Decimal

    @property
    def remaining(self) -> Decimal:
        return self.allocated - self.spent - self.committed

    @property
    def unallocated(self) -> Decimal:
        return self.amount - self.allocated


def fund_totals(fund: Fund, allocations) -> FundTotals:
    allocations = list(allocations)
    return FundTotals(
        amount=fund.amount,
        allocated=sum((a.allocated for a in allocations), Decimal("0.00")),
        spent=sum((a.spent for a in allocations), Decimal("0.00")),
        committed=sum((a.committed for a in allocations), Decimal("0.00")),
    )
