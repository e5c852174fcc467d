"""A partnership's page for its members: what a reviewer or board member reads before the board
meets. The plan versions in draft or in review, to read and comment on; the quarterly reports,
published or not; and what is overdue, agency by agency. Any member, in any role, may read it.
"""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404

from indicators.models import ReportingPeriod
from plans.models import Partnership, PlanVersion
from plans.roles import is_member_of
from priorities.models import Comment

from .due import Completeness, completeness


def member_partnership_or_403(user, slug: str) -> Partnership:
    """The partnership, for its members; anyone else is refused (its name is public)."""
    partnership = get_object_or_404(Partnership, slug=slug)
    if not is_member_of(user, partnership):
        raise PermissionDenied("The members’ page is only for the partnership’s members.")
    return partnership


@dataclass
class OverdueQuarter:
    """An open quarter past its due date, and the agencies still owing items for it."""

    period: ReportingPeriod
    agencies: list[Completeness]

    @property
    def items_owed(self) -> int:
        return sum(agency.outstanding for agency in self.agencies)


@dataclass
class MembersPage:
    partnership: Partnership
    drafts: list[PlanVersion]
    periods: list[ReportingPeriod]
    overdue: list[OverdueQuarter]


def drafts_to_review(partnership: Partnership):
    """The partnership's plan versions in draft or in review, each with `open_comments`."""
    return (
        PlanVersion.objects.filter(
            plan__partnership=partnership, status__in=PlanVersion.EDITABLE_STATUSES
        )
        .select_related("plan")
        .annotate(open_comments=Count("comments", filter=Q(comments__in=Comment.objects.open())))
        .order_by("plan__title", "number")
    )


def overdue_quarters(periods: list[ReportingPeriod], today: date) -> list[OverdueQuarter]:
    """Of `periods`, the open ones past their due date in which some agency still owes items:
    five queries for each such quarter (see `completeness`), whatever the number of agencies."""
    overdue = []
    for period in periods:
        if not period.is_overdue(today):
            continue
        owing = [agency for agency in completeness(period) if agency.outstanding]
        if owing:
            overdue.append(OverdueQuarter(period, owing))
    return overdue


def members_page(partnership: Partnership, today: date) -> MembersPage:
    periods = list(
        ReportingPeriod.objects.filter(partnership=partnership).order_by(
            "-financial_year", "-quarter"
        )
    )
    return MembersPage(
        partnership=partnership,
        drafts=list(drafts_to_review(partnership)),
        periods=periods,
        overdue=overdue_quarters(periods, today),
    )
