"""The published-only query path for results: published reports, indicators' published figures
and the open data. Public views of this app reach data only through here (import-linter keeps
them from importing models), starting from the querysets' `public()` methods."""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from indicators import figures
from indicators.models import Comparator, Indicator, ReportingPeriod, Return
from indicators.series import Series, series_of
from plans.models import Fund, Partnership
from plans.models.funding import fund_totals
from plans.public import public_partnership_or_404

from .report import build_report

# Published figures read from the database at once for the open data (see published_figures).
FIGURES_AT_A_TIME = 500
FIGURE_FIELDS = (
    "value",
    "comparison_rank",
    "comparison_group_size",
    "indicator__code",
    "indicator__name",
    "indicator__unit",
    "reporting_period__financial_year",
    "reporting_period__quarter",
    "area__name",
)


def published_report_or_404(partnership: str, year: int, yy: int, quarter: int):
    """The report of a quarter whose report is published, built from published figures."""
    if (year + 1) % 100 != yy:
        raise Http404("No such quarter.")
    found = public_partnership_or_404(partnership)
    period = get_object_or_404(
        ReportingPeriod.objects.public().select_related("partnership"),
        partnership=found,
        financial_year=year,
        quarter=quarter,
    )
    return build_report(period, figures_queryset=Return.objects.public())


def published_reports(partnership: Partnership):
    return (
        ReportingPeriod.objects.public()
        .filter(partnership=partnership)
        .order_by("-financial_year", "-quarter")
    )


def public_indicators(partnership: Partnership):
    return Indicator.objects.public().filter(partnership=partnership).order_by("code")


def public_funds(partnership: Partnership):
    """The partnership's funds, newest first, each with its allocations and `totals`."""
    funds = (
        Fund.objects.public()
        .filter(partnership=partnership)
        .prefetch_related("allocations__organisation")
        .order_by("-financial_year", "name")
    )
    for fund in funds:
        fund.totals = fund_totals(fund, fund.allocations.all())
    return funds


@dataclass
class AreaRow:
    area_name: str
    value: Decimal | None
    shown: str
    flag: figures.AreaFlag
    withheld: bool


@dataclass
class AreaTable:
    """Each area's published figure for one quarter, with the areas that stand out."""

    period: ReportingPeriod
    rows: list[AreaRow]
    spread: figures.AreaSpread | None
    any_withheld: bool
    threshold: int

    @property
    def mean_text(self) -> str:
        return _spread_text(self.spread.mean if self.spread else None, self.any_withheld)

    @property
    def deviation_text(self) -> str:
        return _spread_text(self.spread.deviation if self.spread else None, self.any_withheld)


def _spread_text(value: Decimal | None, rounded: bool) -> str:
    if value is None:
        return ""
    # With counts withheld, whole numbers only: precise ones would let them be worked out.
    return f"{value:.0f}" if rounded else f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass
class PublicIndicatorPage:
    indicator: Indicator
    series: Series
    areas: AreaTable | None


def public_indicator_or_404(partnership: str, code: str) -> PublicIndicatorPage:
    """An indicator's page: its published figures over time and, for the latest published
    quarter with figures by area, the area table with small counts withheld."""
    found = public_partnership_or_404(partnership)
    indicator = get_object_or_404(
        Indicator.objects.public()
        .select_related("owner", "partnership")
        .prefetch_related(
            Prefetch(
                "returns",
                queryset=Return.objects.public().select_related("reporting_period", "area"),
                to_attr="public_returns",
            ),
            "targets",
            Prefetch(
                "comparators",
                queryset=Comparator.objects.public().select_related("reporting_period"),
            ),
        ),
        partnership=found,
        code__iexact=code,
    )
    series = series_of(
        indicator, indicator.public_returns, indicator.targets.all(), indicator.comparators.all()
    )
    return PublicIndicatorPage(indicator, series, _area_table(indicator, found))


def _area_table(indicator: Indicator, partnership: Partnership) -> AreaTable | None:
    by_area = [figure for figure in indicator.public_returns if figure.area_id is not None]
    if not by_area:
        return None
    latest = max(
        by_area, key=lambda f: (f.reporting_period.financial_year, f.reporting_period.quarter)
    )
    period = latest.reporting_period
    rows = sorted(
        (f for f in by_area if f.reporting_period_id == period.pk), key=lambda f: f.area.name
    )
    threshold = partnership.small_count_threshold
    withheld = (
        figures.withheld_areas({f.area.name: f.value for f in rows}, threshold)
        if indicator.unit == Indicator.Unit.COUNT
        else set()
    )
    spread = figures.area_spread([f.value for f in rows])
    return AreaTable(
        period=period,
        rows=[
            AreaRow(
                area_name=f.area.name,
                value=None if f.area.name in withheld else f.value,
                shown=figures.withheld_text(threshold)
                if f.area.name in withheld
                else indicator.format_value(f.value),
                flag=spread.flag(f.value) if spread else figures.AreaFlag.NONE,
                withheld=f.area.name in withheld,
            )
            for f in rows
        ],
        spread=spread,
        any_withheld=bool(withheld),
        threshold=threshold,
    )


def published_figures(partnership: Partnership) -> Iterator[dict]:
    """Every published figure of the partnership as open data rows, small counts by area
    withheld exactly as on the pages. Read from the database a batch at a time as the rows are
    written (nothing before the first is asked for), so memory holds one quarter's table."""
    returns = (
        Return.objects.public()
        .filter(indicator__partnership=partnership)
        .select_related("indicator", "reporting_period", "area")
        # Only what a row shows: a batch of whole returns with their indicators is several
        # times the size.
        .only(*FIGURE_FIELDS)
        .order_by(
            "indicator__code", "reporting_period__financial_year", "reporting_period__quarter"
        )
    )
    threshold = partnership.small_count_threshold
    # An indicator's code and a quarter are unique in a partnership, so each table (one
    # indicator's figures for one quarter, by area) comes in one run of the ordered returns.
    tables = groupby(
        returns.iterator(chunk_size=FIGURES_AT_A_TIME),
        key=lambda figure: (figure.indicator_id, figure.reporting_period_id),
    )
    for _, run in tables:
        table = list(run)
        indicator = table[0].indicator
        by_area = {f.area.name: f.value for f in table if f.area_id}
        withheld = (
            figures.withheld_areas(by_area, threshold)
            if indicator.unit == Indicator.Unit.COUNT
            else set()
        )
        for f in table:
            hidden = f.area_id is not None and f.area.name in withheld
            yield {
                "indicator": indicator.code,
                "name": indicator.name,
                "unit": indicator.get_unit_display(),
                "period": f.reporting_period.label,
                "area": f.area.name if f.area_id else "whole area",
                "value": None if hidden else f.value,
                "note": figures.withheld_text(threshold) if hidden else "",
                "rank": f.comparison,
                "status": "published",
            }
