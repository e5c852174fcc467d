"""What an agency owes for a quarter, returns and action updates together, with the figures an
officer wants beside each box; and how complete each agency's returns are, for the manager."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, F, Q

from indicators import figures
from indicators import periods as quarters
from indicators.models import (
    SENT_IN_STATUSES,
    Indicator,
    ReportingPeriod,
    Return,
    SubmissionStatus,
)
from indicators.series import Series, load_series, quarters_around
from plans.models import Organisation
from priorities.models import ActionRow, ActionUpdate

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

    @property
    def is_sent_in(self) -> bool:
        return self.status in SENT_IN_STATUSES


@dataclass
class ReturnItem(DueItemState):
    indicator: Indicator
    current: Return | None
    series: Series  # the indicator's approved figures, last year and this year so far
    quarter: figures.Quarter

    @property
    def key(self) -> int:
        return self.indicator.pk

    @property
    def previous_quarter(self) -> Return | None:
        return self.series.returns.get(quarters.previous_quarter(*self.quarter))

    @property
    def same_quarter_last_year(self) -> Return | None:
        fy, q = self.quarter
        return self.series.returns.get((fy - 1, q))

    @property
    def target_text(self) -> str:
        target = self.series.targets.get(self.quarter[0])
        return "" if target is None else self.indicator.format_value(target)

    def figures(self, entered: Return | None = None) -> figures.QuarterFigures:
        """The quarter as it stands, or as it would with `entered` (what is being typed)."""
        return self.series.figures(self.quarter, entered=entered or self.current)


@dataclass
class UpdateItem(DueItemState):
    action_row: ActionRow
    current: ActionUpdate | None
    previous: ActionUpdate | None

    @property
    def key(self) -> int:
        return self.action_row.pk


@dataclass
class DueList:
    organisation: Organisation
    period: ReportingPeriod
    returns: list[ReturnItem]
    updates: list[UpdateItem]

    @property
    def items(self) -> list:
        return [*self.returns, *self.updates]

    @property
    def outstanding_items(self) -> list:
        """Items not yet sent to the manager."""
        return [item for item in self.items if not item.is_sent_in]

    @property
    def outstanding(self) -> int:
        return len(self.outstanding_items)

    def is_overdue(self, today: date) -> bool:
        return self.outstanding > 0 and self.period.is_overdue(today)


def _nearby_periods(period: ReportingPeriod) -> tuple[ReportingPeriod | None, ...]:
    """The partnership's previous quarter and same quarter last year, where they exist."""
    previous_key = quarters.previous_quarter(period.financial_year, period.quarter)
    last_year_key = (period.financial_year - 1, period.quarter)
    nearby = {
        (p.financial_year, p.quarter): p
        for p in ReportingPeriod.objects.filter(
            partnership_id=period.partnership_id,
            financial_year__in=[previous_key[0], last_year_key[0]],
        )
    }
    return nearby.get(previous_key), nearby.get(last_year_key)


def returns_due(organisation: Organisation, period: ReportingPeriod) -> list[ReturnItem]:
    """One item per active indicator the agency owns in the period's partnership, by code,
    with its approved figures of last year and this year so far."""
    quarter = (period.financial_year, period.quarter)
    indicators = list(
        Indicator.objects.owed_by(organisation, period.partnership_id).order_by("code")
    )
    wanted = [*quarters_around(*quarter), quarters.previous_quarter(*quarter)]
    series = load_series(indicators, wanted, Return.objects.approved())
    current = {
        figure.indicator_id: figure
        for figure in Return.objects.whole_area()
        .for_period(period)
        .filter(indicator__in=indicators)
    }
    return [
        ReturnItem(indicator, current.get(indicator.pk), series[indicator.pk], quarter)
        for indicator in indicators
    ]


def updates_due(organisation: Organisation, period: ReportingPeriod) -> list[UpdateItem]:
    """One item per action the agency leads in the plan versions in force for the quarter, in
    plan order, with the row's update for the quarter and last quarter's approved update.

    Last quarter's update follows the row's lineage: one entered on the same action under the
    version before a refresh counts. Three queries, whatever the number of rows."""
    previous, _ = _nearby_periods(period)
    rows = list(
        ActionRow.objects.due_in(period)
        .led_by(organisation)
        .select_related("priority")
        .order_by("priority__order", "order")
    )
    current, earlier = _nearby_updates(rows, period, previous)
    return [UpdateItem(row, current.get(row.pk), earlier.get(row.lineage)) for row in rows]


def _nearby_updates(rows, period: ReportingPeriod, previous: ReportingPeriod | None):
    """In one query: the rows' updates for `period`, by row, and the approved updates of
    `previous` on any row of the same lineage, by lineage (the row's own first)."""
    if not rows:
        return {}, {}
    wanted = Q(reporting_period=period, action_row__in=rows)
    if previous is not None:
        wanted |= Q(
            reporting_period=previous,
            status=SubmissionStatus.APPROVED,
            action_row__lineage__in={row.lineage for row in rows},
        )
    updates = (
        ActionUpdate.objects.filter(wanted)
        .annotate(row_lineage=F("action_row__lineage"))
        .select_related("reporting_period")
        .order_by("pk")
    )
    own_rows = {row.pk for row in rows}
    current, earlier = {}, {}
    for update in updates:
        if update.reporting_period_id == period.pk:
            current[update.action_row_id] = update
        elif update.row_lineage not in earlier or update.action_row_id in own_rows:
            earlier[update.row_lineage] = update
    return current, earlier


def due_list(organisation: Organisation, period: ReportingPeriod) -> DueList:
    return DueList(
        organisation, period, returns_due(organisation, period), updates_due(organisation, period)
    )


@dataclass
class Completeness:
    organisation: Organisation
    due: int = 0
    counts: Counter = field(default_factory=Counter)

    @property
    def not_started(self) -> int:
        return self.due - sum(self.counts.values())

    @property
    def returned_to_manager(self) -> int:
        """Sent in: submitted or already approved."""
        return sum(self.counts[status] for status in SENT_IN_STATUSES)

    @property
    def outstanding(self) -> int:
        return self.due - self.returned_to_manager

    def is_overdue(self, period: ReportingPeriod, today: date) -> bool:
        return self.outstanding > 0 and period.is_overdue(today)


def completeness(period: ReportingPeriod) -> list[Completeness]:
    """Per member agency with anything due: items due and their statuses, in five queries."""
    partnership_id = period.partnership_id
    rows = {
        organisation.pk: Completeness(organisation)
        for organisation in Organisation.objects.filter(partnerships__id=partnership_id)
    }

    def add(lines, organisation_key: str, status_key: str | None = None) -> None:
        for line in lines:
            row = rows.get(line[organisation_key])
            if row is None:
                continue
            if status_key is None:
                row.due += line["total"]
            else:
                row.counts[line[status_key]] += line["total"]

    indicators = Indicator.objects.active().filter(partnership_id=partnership_id)
    add(indicators.values("owner").annotate(total=Count("pk")), "owner")
    action_rows = ActionRow.objects.due_in(period)
    add(action_rows.values("lead_organisations").annotate(total=Count("pk")), "lead_organisations")
    returns = Return.objects.for_period(period).whole_area().filter(indicator__is_active=True)
    add(
        returns.values("indicator__owner", "status").annotate(total=Count("pk")),
        "indicator__owner",
        "status",
    )
    updates = ActionUpdate.objects.due_in(period)
    add(
        updates.values("action_row__lead_organisations", "status").annotate(total=Count("pk")),
        "action_row__lead_organisations",
        "status",
    )
    return [row for row in rows.values() if row.due]
