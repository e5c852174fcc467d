"""Everything an agency owes for a period, returns and action updates together, and how
complete each agency's returns are for the manager."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Prefetch

from indicators import periods as quarters
from indicators.due import DueItemState, ReturnItem, returns_due
from indicators.models import Indicator, ReportingPeriod, Return, SubmissionStatus
from plans.models import Organisation, PlanVersion

from .models import ActionRow, ActionUpdate

FINISHED = {SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED}


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
    def outstanding(self) -> int:
        """Items not yet sent to the manager."""
        return sum(1 for item in self.items if item.status not in FINISHED)

    def is_overdue(self, today: date) -> bool:
        return self.outstanding > 0 and self.period.is_overdue(today)


def led_action_rows(organisation, partnership_id):
    """Rows the agency leads in the partnership's current published plans."""
    return ActionRow.objects.filter(
        lead_organisations=organisation,
        priority__plan_version__plan__partnership_id=partnership_id,
        priority__plan_version__status=PlanVersion.Status.PUBLISHED,
    )


def updates_due(organisation: Organisation, period: ReportingPeriod) -> list[UpdateItem]:
    previous_key = quarters.previous_quarter(period.financial_year, period.quarter)
    previous = ReportingPeriod.objects.filter(
        partnership_id=period.partnership_id,
        financial_year=previous_key[0],
        quarter=previous_key[1],
    ).first()
    rows = (
        led_action_rows(organisation, period.partnership_id)
        .select_related("priority")
        .order_by("priority__order", "order")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ActionUpdate.objects.filter(
                    reporting_period__in=[p for p in (period, previous) if p]
                ),
                to_attr="nearby_updates",
            )
        )
    )
    items = []
    for row in rows:
        by_period = {update.reporting_period_id: update for update in row.nearby_updates}
        last = by_period.get(previous.pk) if previous else None
        approved_last = last if last and last.status == SubmissionStatus.APPROVED else None
        items.append(UpdateItem(row, by_period.get(period.pk), approved_last))
    return items


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
        return self.counts[SubmissionStatus.SUBMITTED] + self.counts[SubmissionStatus.APPROVED]

    @property
    def outstanding(self) -> int:
        return self.due - self.returned_to_manager

    def is_overdue(self, period: ReportingPeriod, today: date) -> bool:
        return self.outstanding > 0 and period.is_overdue(today)


def completeness(period: ReportingPeriod) -> list[Completeness]:
    """Per member agency with anything due: items due and their statuses, in four queries."""
    partnership_id = period.partnership_id
    rows = {
        organisation.pk: Completeness(organisation)
        for organisation in Organisation.objects.filter(partnerships__id=partnership_id)
    }
    indicator_counts = (
        Indicator.objects.filter(partnership_id=partnership_id, is_active=True)
        .values("owner")
        .annotate(total=Count("pk"))
    )
    for line in indicator_counts:
        if line["owner"] in rows:
            rows[line["owner"]].due += line["total"]
    row_counts = (
        ActionRow.objects.filter(
            priority__plan_version__plan__partnership_id=partnership_id,
            priority__plan_version__status=PlanVersion.Status.PUBLISHED,
        )
        .values("lead_organisations")
        .annotate(total=Count("pk"))
    )
    for line in row_counts:
        if line["lead_organisations"] in rows:
            rows[line["lead_organisations"]].due += line["total"]
    return_counts = (
        Return.objects.filter(reporting_period=period, area__isnull=True, indicator__is_active=True)
        .values("indicator__owner", "status")
        .annotate(total=Count("pk"))
    )
    for line in return_counts:
        if line["indicator__owner"] in rows:
            rows[line["indicator__owner"]].counts[line["status"]] += line["total"]
    update_counts = (
        ActionUpdate.objects.filter(
            reporting_period=period, action_row__priority__plan_version__status="published"
        )
        .values("action_row__lead_organisations", "status")
        .annotate(total=Count("pk"))
    )
    for line in update_counts:
        if line["action_row__lead_organisations"] in rows:
            rows[line["action_row__lead_organisations"]].counts[line["status"]] += line["total"]
    return [row for row in rows.values() if row.due]
