"""The published-only query path for a plan's priorities: public views reach versions, priorities
and their figures through these functions, which start from `plans.public`."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from indicators.figures import QuarterFigures
from indicators.models import Comparator, Indicator, Return
from indicators.public import public_figures
from indicators.series import Series, series_of
from plans.models import PlanVersion
from plans.public import public_version_or_404

from .models import ActionUpdate, Priority


def public_updates(path: str) -> Prefetch:
    """Each action row's public updates, newest first, as `public_updates` (what its
    `published_status` reads)."""
    return Prefetch(
        path,
        queryset=ActionUpdate.objects.public().order_by(
            "-reporting_period__financial_year", "-reporting_period__quarter"
        ),
        to_attr="public_updates",
    )


# Everything a whole-plan page shows, fetched in a number of queries that does not grow.
VERSION_CONTENTS = (
    "sections",
    "themes",
    "priorities__hotspots",
    "priorities__action_rows__theme",
    "priorities__action_rows__outcomes",
    "priorities__action_rows__data_lines",
    "priorities__action_rows__lead_organisations",
    "priorities__action_rows__supporting_organisations",
    public_updates("priorities__action_rows__updates"),
)
PRIORITY_CONTENTS = (
    "hotspots",
    "action_rows__theme",
    "action_rows__outcomes",
    "action_rows__data_lines",
    "action_rows__lead_organisations",
    public_updates("action_rows__updates"),
)


def public_version_with_contents_or_404(
    partnership: str, plan: str, number: int | None = None
) -> PlanVersion:
    return public_version_or_404(partnership, plan, number, prefetch=VERSION_CONTENTS)


def public_priority_or_404(version: PlanVersion, slug: str) -> Priority:
    """A priority of a public version with its action rows (the version must be public)."""
    return get_object_or_404(version.priorities.prefetch_related(*PRIORITY_CONTENTS), slug=slug)


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
