"""What an agency owes for a reporting period: a return for each indicator it owns, with the
figures an officer wants beside the box (last quarter, same quarter last year, the target)."""

from dataclasses import dataclass

from django.db.models import Prefetch

from plans.models import Organisation

from . import periods as quarters
from .models import Indicator, IndicatorTarget, ReportingPeriod, Return, SubmissionStatus

NOT_STARTED = "not_started"
STATUS_LABELS = {NOT_STARTED: "Not started", **dict(SubmissionStatus.choices)}


class DueItemState:
    """Where an item due stands, from its submission for the period (`current`), if any."""

    current: object

    @property
    def status(self) -> str:
        return self.current.status if self.current else NOT_STARTED

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def is_editable(self) -> bool:
        return self.current is None or self.current.is_editable


@dataclass
class ReturnItem(DueItemState):
    indicator: Indicator
    current: Return | None
    previous_quarter: Return | None
    same_quarter_last_year: Return | None
    target: IndicatorTarget | None

    @property
    def key(self) -> int:
        return self.indicator.pk


def comparison_periods(period: ReportingPeriod) -> tuple[tuple[int, int], tuple[int, int]]:
    """(financial year, quarter) of the previous quarter and of the same quarter last year."""
    return (
        quarters.previous_quarter(period.financial_year, period.quarter),
        (period.financial_year - 1, period.quarter),
    )


def returns_due(organisation: Organisation, period: ReportingPeriod) -> list[ReturnItem]:
    """One item per active indicator the agency owns in the period's partnership, by code."""
    previous_key, last_year_key = comparison_periods(period)
    nearby = {
        (p.financial_year, p.quarter): p
        for p in ReportingPeriod.objects.filter(partnership_id=period.partnership_id).filter(
            financial_year__in=[previous_key[0], last_year_key[0], period.financial_year]
        )
    }
    wanted = [nearby.get(key) for key in (previous_key, last_year_key)]
    indicators = (
        Indicator.objects.filter(
            partnership_id=period.partnership_id, owner=organisation, is_active=True
        )
        .order_by("code")
        .prefetch_related(
            Prefetch(
                "returns",
                queryset=Return.objects.filter(
                    area__isnull=True,
                    reporting_period__in=[period, *[p for p in wanted if p]],
                ),
                to_attr="nearby_returns",
            ),
            Prefetch(
                "targets",
                queryset=IndicatorTarget.objects.filter(financial_year=period.financial_year),
                to_attr="year_targets",
            ),
        )
    )

    def approved_in(indicator, other):
        if other is None:
            return None
        return next(
            (
                r
                for r in indicator.nearby_returns
                if r.reporting_period_id == other.pk and r.status == SubmissionStatus.APPROVED
            ),
            None,
        )

    return [
        ReturnItem(
            indicator=indicator,
            current=next(
                (r for r in indicator.nearby_returns if r.reporting_period_id == period.pk), None
            ),
            previous_quarter=approved_in(indicator, wanted[0]),
            same_quarter_last_year=approved_in(indicator, wanted[1]),
            target=indicator.year_targets[0] if indicator.year_targets else None,
        )
        for indicator in indicators
    ]
