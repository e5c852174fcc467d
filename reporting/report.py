"""The quarterly performance report: what the board reads, built in a fixed number of queries.

Per priority of the partnership's published plan, its indicators in the plan's own order with
every figure (indicators/figures.py computes them), and its actions by status; first, the
exceptions; then the funds with their totals, and the risks in the register's order.
Members read it from the approved figures as soon as they are approved; the public reads the
same report, from the published figures, once the quarter's report is published.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Prefetch
from django.utils import timezone

from indicators.figures import RATING_RULE, QuarterFigures
from indicators.models import Indicator, ReportingPeriod, Return
from indicators.series import load_series, quarters_around
from plans.models import Allocation, Fund, PlanVersion, Risk
from plans.models.funding import FundTotals, fund_totals
from priorities.joint import JointStatus, agency_name
from priorities.models import ActionRow, ActionUpdate, DataLine, Priority

Status = ActionRow.Status
# The order the board reads action statuses in.
STATUS_ORDER = [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK, Status.COMPLETE,
                Status.NOT_STARTED]  # fmt: skip
CONCERNS = {Status.AT_RISK, Status.OFF_TRACK}


@dataclass
class IndicatorLine:
    """One indicator in the quarter: its figures, and the approved figure with its commentary."""

    indicator: Indicator
    figures: QuarterFigures
    figure: Return | None


@dataclass
class ActionLine:
    row: ActionRow
    status: str  # as the quarter's approved updates report it, else the row's own
    joint: JointStatus  # the lead agencies' approved updates and whether they agree

    @property
    def updates(self) -> list[ActionUpdate]:
        return self.joint.updates

    @property
    def progress_text(self) -> str:
        """The progress notes, each named by its agency when more than one agency gave one."""
        if not self.joint.is_joint:
            return self.updates[0].progress if self.updates else ""
        return " ".join(
            f"{agency_name(update)}: {update.progress}"
            for update in self.updates
            if update.progress
        )

    @property
    def status_label(self) -> str:
        return Status(self.status).label


@dataclass
class PrioritySection:
    priority: Priority
    indicators: list[IndicatorLine] = field(default_factory=list)
    actions: list[ActionLine] = field(default_factory=list)

    @property
    def status_counts(self) -> list[tuple[str, str, int]]:
        """(status, label, count) in the board's order, each status shown even when nil."""
        counts = Counter(line.status for line in self.actions)
        return [(status.value, status.label, counts[status.value]) for status in STATUS_ORDER]

    @property
    def concerns(self) -> list[ActionLine]:
        """Actions at risk or off track, or whose lead agencies disagree: their progress notes
        go to the board."""
        return [line for line in self.actions if line.status in CONCERNS or not line.joint.agreed]


@dataclass
class FundSection:
    fund: Fund
    allocations: list[Allocation]
    totals: FundTotals

    @property
    def overspent(self) -> list[Allocation]:
        return [allocation for allocation in self.allocations if allocation.is_overspent]


@dataclass
class QuarterReport:
    period: ReportingPeriod
    version: PlanVersion | None
    priorities: list[PrioritySection]
    funds: list[FundSection]
    risks: list[Risk]
    made_at: datetime
    rating_rule: str = RATING_RULE

    @property
    def partnership(self):
        return self.period.partnership

    @property
    def exceptions(self) -> list[IndicatorLine]:
        """Worsening, and worse than target or in the bottom third of the comparison group;
        each indicator once, in the plan's order."""
        seen, found = set(), []
        for section in self.priorities:
            for line in section.indicators:
                if line.figures.is_exception and line.indicator.pk not in seen:
                    seen.add(line.indicator.pk)
                    found.append(line)
        return found

    @property
    def actions_total(self) -> int:
        return sum(len(section.actions) for section in self.priorities)

    @property
    def actions_on_track(self) -> int:
        return sum(
            1 for s in self.priorities for line in s.actions if line.status == Status.ON_TRACK
        )


def version_in_force(period: ReportingPeriod) -> PlanVersion | None:
    """The plan version the quarter reports on: the one in force when it opened (the latest
    plan's, if several), so a refresh published mid-quarter leaves the quarter's report whole."""
    return period.versions_in_force().order_by("-plan__start_year", "-number").first()


def build_report(period: ReportingPeriod, *, figures_queryset) -> QuarterReport:
    """The report of `period` from the figures `figures_queryset` admits: approved ones for
    members, `Return.objects.public()` for the public. A fixed number of queries, whatever
    the size of the plan or the number of quarters."""
    partnership = period.partnership
    quarter = (period.financial_year, period.quarter)
    version = version_in_force(period)
    priorities = []
    if version is not None:
        priorities = list(
            version.priorities.prefetch_related(
                Prefetch(
                    "action_rows",
                    queryset=ActionRow.objects.order_by("order").prefetch_related(
                        Prefetch(
                            "data_lines",
                            queryset=DataLine.objects.order_by("order").prefetch_related(
                                Prefetch(
                                    "indicators",
                                    queryset=Indicator.objects.select_related("owner").order_by(
                                        "code"
                                    ),
                                )
                            ),
                        ),
                        Prefetch(
                            "updates",
                            queryset=ActionUpdate.objects.approved()
                            .for_period(period)
                            .select_related("organisation")
                            .order_by("organisation__name"),
                            to_attr="quarter_updates",
                        ),
                    ),
                )
            ).order_by("order")
        )
    indicators = {
        indicator.pk: indicator
        for priority in priorities
        for row in priority.action_rows.all()
        for line in row.data_lines.all()
        for indicator in line.indicators.all()
    }
    series = load_series(indicators.values(), quarters_around(*quarter), figures_queryset)
    sections = [_section(priority, series, quarter) for priority in priorities]
    return QuarterReport(
        period=period,
        version=version,
        priorities=sections,
        funds=_funds(partnership, period.financial_year),
        # In the register's own order, each rated on the partnership's scale.
        risks=list(
            Risk.objects.filter(partnership=partnership, is_open=True).select_related(
                "owner", "partnership"
            )
        ),
        made_at=timezone.now(),
    )


def _section(priority: Priority, series, quarter) -> PrioritySection:
    section, listed = PrioritySection(priority), set()
    for row in priority.action_rows.all():
        joint = JointStatus(row.quarter_updates)
        section.actions.append(ActionLine(row, joint.status or row.status, joint))
        for line in row.data_lines.all():
            for indicator in line.indicators.all():
                if indicator.pk in listed:
                    continue
                listed.add(indicator.pk)
                found = series[indicator.pk]
                section.indicators.append(
                    IndicatorLine(indicator, found.figures(quarter), found.returns.get(quarter))
                )
    return section


def _funds(partnership, financial_year: int) -> list[FundSection]:
    funds = (
        Fund.objects.filter(partnership=partnership)
        .for_year(financial_year)
        .prefetch_related(
            Prefetch("allocations", queryset=Allocation.objects.select_related("organisation"))
        )
    )
    sections = []
    for fund in funds:
        # A fund that recurs: only this year's shares count against this year's amount.
        shares = [share for share in fund.allocations.all() if share.year == financial_year]
        sections.append(FundSection(fund, shares, fund_totals(fund, shares)))
    return sections
