"""The published-only query path for a plan's priorities: public views reach versions, priorities
and their figures through these functions, which start from `plans.public`."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Max, Prefetch, Window
from django.shortcuts import get_object_or_404

from indicators.figures import QuarterFigures
from indicators.models import Comparator, Indicator, Return
from indicators.public import public_figures
from indicators.series import Series, series_of
from plans.models import PlanVersion, Theme
from plans.public import current_version_of, other_public_versions, public_version_or_404

from .models import ActionUpdate, Priority
from .models.plan_contents import (
    attach_hotspot_names,
    attach_row_texts,
    load_priority_contents,
)


@dataclass(frozen=True)
class PublicUpdate:
    """What the public pages read of an approved update: its quarter and the status it gave."""

    reporting_period_id: int
    action_status: str


def attach_public_updates(rows, partnership_id: int) -> None:
    """Give each action row the public updates of its latest public quarter (one per lead
    agency) as `public_updates`, what its `published_status` reads, in one query. Updates follow
    a row's lineage, so a refreshed row shows the progress reported on it under the versions
    before. Only the latest quarter's are read: a large plan's rows have tens of thousands of
    earlier ones, which the pages never show. Read among the partnership's quarters only: the
    updates table holds every partnership's."""
    rows = list(rows)
    quarter = F("reporting_period__financial_year") * 10 + F("reporting_period__quarter")
    updates = (
        ActionUpdate.objects.public()
        .filter(
            action_row__lineage__in={row.lineage for row in rows},
            reporting_period__partnership=partnership_id,
        )
        .annotate(
            row_lineage=F("action_row__lineage"),
            quarter=quarter,
            latest=Window(Max(quarter), partition_by=F("action_row__lineage")),
        )
        .filter(quarter=F("latest"))
        .order_by()
        .values_list("row_lineage", "reporting_period_id", "action_status")
    )
    by_lineage = defaultdict(list)
    for lineage, period_id, status in updates:
        by_lineage[lineage].append(PublicUpdate(period_id, status))
    for row in rows:
        row.public_updates = by_lineage[row.lineage]


# What a whole-plan page shows of the version itself: a few rows, fetched by Django's
# prefetch_related; its priorities' contents, thousands of rows in a large plan, are given them
# by `with_contents`.
VERSION_CONTENTS = (
    "sections",
    "themes",
    "events",
    "plan__partnership__area_groups__areas",
    "priorities__theme",
)
PRIORITY_CONTENTS = ("action_rows__theme",)


def with_contents(version: PlanVersion) -> PlanVersion:
    """A version fetched with VERSION_CONTENTS, given its priorities' hotspots and action rows
    with their outcomes, data lines, agencies and public updates, in a few queries each for the
    whole version (see priorities.models.plan_contents)."""
    attach_public_updates(load_priority_contents(version), version.plan.partnership_id)
    return version


def public_version_with_contents_or_404(
    partnership: str, plan: str, number: int | None = None
) -> PlanVersion:
    return with_contents(
        public_version_or_404(partnership, plan, number, prefetch=VERSION_CONTENTS)
    )


def priority_with_contents_or_404(version: PlanVersion, slug: str) -> Priority:
    """A priority of `version` with its action rows, their texts and their public updates."""
    found = get_object_or_404(
        version.priorities.select_related("theme").prefetch_related(*PRIORITY_CONTENTS), slug=slug
    )
    attach_hotspot_names([found])
    rows = list(found.action_rows.all())
    attach_row_texts(rows, priority=found)
    attach_public_updates(rows, version.plan.partnership_id)
    return found


def public_priority_or_404(version: PlanVersion, slug: str) -> Priority:
    """A priority of a public version (the caller found the version through plans.public)."""
    return priority_with_contents_or_404(version, slug)


@dataclass
class PublicIndicator:
    """An indicator as a public page shows it: its latest published quarter beside last year."""

    indicator: Indicator
    series: Series

    @property
    def latest(self) -> QuarterFigures | None:
        return self.series.latest()

    @property
    def latest_figure(self) -> Return | None:
        quarter = self.series.latest_quarter
        return None if quarter is None else self.series.returns[quarter]


def indicators_with_public_figures(priority: Priority) -> list[PublicIndicator]:
    """The priority's indicators by code, with their published figures, in four queries."""
    indicators = (
        priority.evidencing_indicators()
        .select_related("owner")
        .prefetch_related(
            Prefetch("returns", queryset=public_figures(), to_attr="public_returns"),
            "targets",
            Prefetch(
                "comparators",
                queryset=Comparator.objects.public().select_related("reporting_period"),
            ),
        )
        .order_by("code")
    )
    return [
        PublicIndicator(
            indicator,
            series_of(
                indicator,
                indicator.public_returns,
                indicator.targets.all(),
                indicator.comparators.all(),
            ),
        )
        for indicator in indicators
    ]


def priority_groups(version: PlanVersion) -> list[tuple[Theme | None, list[Priority]]]:
    """The priorities as the plan groups them: under their themes, in theme order, where the
    plan groups its priorities by theme (any without a theme last); else one group."""
    priorities = list(version.priorities.all())
    if version.theme_use != PlanVersion.ThemeUse.PRIORITIES:
        return [(None, priorities)]
    groups = [
        (theme, [priority for priority in priorities if priority.theme_id == theme.pk])
        for theme in version.themes.all()
    ]
    unthemed = [priority for priority in priorities if priority.theme_id is None]
    return [group for group in groups if group[1]] + ([(None, unthemed)] if unthemed else [])


def previous_public_version(version: PlanVersion, others=None) -> PlanVersion | None:
    """The public version before this one, which "what changed" compares it with."""
    if others is None:
        others = other_public_versions(version)
    return next((other for other in others if other.number < version.number), None)


def plan_page_context(version: PlanVersion) -> dict:
    """What the plan page shows of a version fetched with VERSION_CONTENTS (public or draft)."""
    others = list(other_public_versions(version))
    delivery = [priority.actions_on_track for priority in version.priorities.all()]
    return {
        "on_track": sum(on_track for on_track, _ in delivery),
        "actions": sum(total for _, total in delivery),
        "version": version,
        "plan": version.plan,
        "current_version": current_version_of(version),
        "other_versions": others,
        "previous_version": previous_public_version(version, others),
        "version_record": [event for event in version.events.all() if event.kind in RECORDED],
        "area_groups": version.plan.partnership.area_groups.all(),
        "priority_groups": priority_groups(version),
        "site_partnership": version.plan.partnership,
    }


# What the plan page tells readers of a version's own record (see _version_record.html).
RECORDED = {"corrected", "unpublished", "reinstated"}
