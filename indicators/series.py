"""An indicator's figures over time, read from the database in a fixed number of queries and
handed to `figures.quarter_figures`: the one place every page, report and export gets an
indicator's change on last year, year to date, rating and comparators from.

Which figures count is the caller's choice: the approved ones for members, the published ones
(`Return.objects.public()`) for the public.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .figures import Quarter, QuarterFigures, Target, quarter_figures
from .models import Comparator, Indicator, IndicatorTarget, Return


@dataclass
class Series:
    """One indicator's whole-area figures by quarter, its yearly targets and its comparators."""

    indicator: Indicator
    returns: dict[Quarter, Return] = field(default_factory=dict)
    targets: dict[int, Target] = field(default_factory=dict)
    comparators: dict[Quarter, list[tuple[str, Decimal]]] = field(default_factory=dict)

    def figures(self, quarter: Quarter, *, entered: Return | None = None) -> QuarterFigures:
        """The indicator in `quarter`; `entered` stands in for the quarter's own figure (an
        officer's typing, a submitted figure under review)."""
        returns = dict(self.returns)
        if entered is not None:
            returns[quarter] = entered
        current = returns.get(quarter)
        indicator = self.indicator
        return quarter_figures(
            quarter=quarter,
            values={k: r.value for k, r in returns.items() if r.value is not None},
            ranks={
                k: (r.comparison_rank, r.comparison_group_size)
                for k, r in returns.items()
                if r.comparison_rank is not None
            },
            targets=self.targets,
            good=indicator.good_direction,
            cumulative=indicator.is_cumulative,
            tolerance=indicator.rag_tolerance,
            comparators=self.comparators.get(quarter, []),
            override=current.rag_override if current else "",
            override_reason=current.rag_override_reason if current else "",
            format_value=indicator.format_value,
            in_points=indicator.unit == indicator.Unit.PERCENTAGE,
        )

    def history(self) -> list[tuple[Quarter, Return]]:
        """The figures oldest first."""
        return sorted(self.returns.items())

    @property
    def latest_quarter(self) -> Quarter | None:
        return max(self.returns, default=None)

    def latest(self) -> QuarterFigures | None:
        """The most recent quarter with a figure, or None."""
        quarter = self.latest_quarter
        return None if quarter is None else self.figures(quarter)


def series_of(indicator: Indicator, returns, targets, comparators) -> Series:
    """A Series from what a query already fetched (prefetched lists), with no query of its own:
    whole-area `returns` with their reporting_period, and all `targets` and `comparators`."""
    series = Series(indicator)
    for figure in returns:
        if figure.area_id is None:
            period = figure.reporting_period
            series.returns[(period.financial_year, period.quarter)] = figure
    series.targets = {target.financial_year: target.as_target() for target in targets}
    for comparator in comparators:
        period = comparator.reporting_period
        series.comparators.setdefault((period.financial_year, period.quarter), []).append(
            (comparator.name, comparator.value)
        )
    return series


def quarters_around(fy: int, quarter: int) -> list[Quarter]:
    """What one quarter's figures draw on: this year so far and the whole of last year."""
    return [(fy - 1, q) for q in (1, 2, 3, 4)] + [(fy, q) for q in range(1, quarter + 1)]


def load_series(indicators, quarters, figures_queryset) -> dict[int, Series]:
    """Series of `indicators` over `quarters`, by indicator id, in three queries.

    `figures_queryset` says which figures count: e.g. `Return.objects.approved()` or
    `Return.objects.public()`. Only whole-area figures are read.
    """
    indicators = list(indicators)
    wanted = set(quarters)
    years = {fy for fy, _ in wanted}
    found = {indicator.pk: Series(indicator) for indicator in indicators}
    returns = (
        figures_queryset.whole_area()
        .filter(indicator__in=indicators, reporting_period__financial_year__in=years)
        .select_related("reporting_period")
        .order_by()
    )
    for figure in returns:
        period = figure.reporting_period
        if (period.financial_year, period.quarter) in wanted:
            series = found[figure.indicator_id]
            figure.indicator = series.indicator  # its unit formats the figure: no query for it
            series.returns[(period.financial_year, period.quarter)] = figure
    for target in IndicatorTarget.objects.filter(
        indicator__in=indicators, financial_year__in=years
    ):
        found[target.indicator_id].targets[target.financial_year] = target.as_target()
    comparators = (
        Comparator.objects.filter(
            indicator__in=indicators, reporting_period__financial_year__in=years
        )
        .select_related("reporting_period")
        .order_by("name")
    )
    for comparator in comparators:
        period = comparator.reporting_period
        key = (period.financial_year, period.quarter)
        if key in wanted:
            found[comparator.indicator_id].comparators.setdefault(key, []).append(
                (comparator.name, comparator.value)
            )
    return found
