"""The arithmetic on figures, defined once and used by every page, report and export: change on
last year, direction of travel, year to date and rolling twelve months, the rating from the
target, comparisons between areas, and small counts withheld from the public.

Pure functions of numbers and choices: no database, no templates.
"""

import statistics
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

OUTLIER_PERCENT = Decimal(50)
MINUS = "\u2212"  # the minus sign people print, not a hyphen


# ---- change on last year ----------------------------------------------------------------------


def difference(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return current - previous


def percent_change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """Change from `previous` to `current` as a percentage of `previous`, to 1 decimal place.

    None when there is nothing to compare with (no previous figure, or a previous zero).
    """
    if previous is None or current is None or previous == 0:
        return None
    return ((current - previous) / previous * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)


def format_percent_change(change: Decimal | None) -> str:
    """As people write it: "+12%", "−5%", "+4.5%" (one decimal below 10%), "0%", "n/a"."""
    if change is None:
        return "n/a"
    places = Decimal("1") if abs(change) >= 10 else Decimal("0.1")
    change = change.quantize(places, ROUND_HALF_UP)
    if change == 0:
        return "0%"
    sign = "+" if change > 0 else MINUS
    return f"{sign}{abs(change).normalize():,f}%"


def format_difference(change: Decimal | None, format_value, points: bool = False) -> str:
    """ "+36", "−1.2 per 1,000", "n/a": the figure's own format with its sign. A difference
    between two percentages is in percentage `points` ("−1.5 points"), so it is never read as
    the percentage change beside it."""
    if change is None:
        return "n/a"
    sign = "" if change == 0 else "+" if change > 0 else MINUS
    if points:
        size = abs(change)
        number = f"{size.normalize():f}"
        return f"{sign}{number} point{'' if size == 1 else 's'}"
    return sign + format_value(abs(change))


def is_outlier(current: Decimal, previous: Decimal | None) -> bool:
    """Moves more than 50% either way from the comparison figure; any rise from zero counts."""
    if previous is None or current is None:
        return False
    if previous == 0:
        return current != 0
    return abs(percent_change(current, previous)) > OUTLIER_PERCENT


# ---- direction of travel ----------------------------------------------------------------------


class Travel(Enum):
    """Which way a figure went compared with last year, judged by the way that is good."""

    IMPROVING = ("improving", "improving")
    WORSENING = ("worsening", "worsening")
    NO_CHANGE = ("no change", "no-change")
    NOT_JUDGED = ("not judged", "not-judged")  # the indicator has no good direction
    UNKNOWN = ("no figure to compare", "unknown")  # a figure is missing

    def __init__(self, words: str, css: str):
        self.words, self.css = words, css


@dataclass(frozen=True)
class Direction:
    travel: Travel
    arrow: str  # which way the figure itself moved: ↑ ↓ →, or "" when unknown

    @property
    def words(self) -> str:
        return self.travel.words

    def __str__(self) -> str:
        return f"{self.arrow} {self.words}".strip()


def direction(current: Decimal | None, previous: Decimal | None, good: str) -> Direction:
    """`good` is the indicator's good direction: "up", "down" or "none"."""
    if current is None or previous is None:
        return Direction(Travel.UNKNOWN, "")
    if current == previous:
        return Direction(Travel.NO_CHANGE, "→")
    arrow = "↑" if current > previous else "↓"
    if good not in ("up", "down"):
        return Direction(Travel.NOT_JUDGED, arrow)
    went_the_good_way = (current > previous) == (good == "up")
    return Direction(Travel.IMPROVING if went_the_good_way else Travel.WORSENING, arrow)


# ---- a year's figures -------------------------------------------------------------------------


def year_to_date(quarters: dict[int, Decimal | None], quarter: int) -> Decimal | None:
    """Q1 to `quarter` of one financial year added up; None while any of them is missing.
    Only for indicators whose quarters add up (counts, sums)."""
    values = [quarters.get(q) for q in range(1, quarter + 1)]
    if any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def rolling_twelve_months(last_four: list[Decimal | None]) -> Decimal | None:
    """The four quarters to and including this one added up; None while any is missing."""
    if len(last_four) != 4 or any(value is None for value in last_four):
        return None
    return sum(last_four, Decimal(0))


# ---- the rating, from the target --------------------------------------------------------------


class Rating(Enum):
    GREEN = ("green", "Green", "on or better than target")
    AMBER = ("amber", "Amber", "short of target, within the tolerance")
    RED = ("red", "Red", "short of target by more than the tolerance")

    def __init__(self, code: str, label: str, meaning: str):
        self.code, self.label, self.meaning = code, label, meaning

    @classmethod
    def of(cls, code: str) -> "Rating | None":
        return next((rating for rating in cls if rating.code == code), None)


RATING_RULE = (
    "The rating compares the figure with its target for the year. Green: on or better than "
    "the target. Amber: short of it by no more than the indicator's tolerance (10% of the "
    "target unless the indicator sets another). Red: short of it by more. For figures whose "
    "quarters add up, such as counts of crimes, the total so far this year is compared with the "
    "part of the yearly target the quarters so far make up (a quarter of it after Q1, half "
    "after Q2). A target that gives a direction rather than a number (reduce, increase or "
    "maintain) is measured against the same quarter last year (for figures that add up, last "
    "year's total to the same quarter): to reduce or increase, the figure must have moved that "
    "way (no change is amber); to maintain, it must be no worse than last year. There is no "
    "rating where there is no target, where last year's figure is missing, or where neither "
    "higher nor lower is better and the target gives no direction. An agency may override the "
    "rating; its reason is shown beside it."
)

REDUCE, INCREASE, MAINTAIN = "reduce", "increase", "maintain"
# How a direction-only target reads: it is measured against the same quarter last year.
DIRECTION_WORDS = {
    REDUCE: "Reduce on last year",
    INCREASE: "Increase on last year",
    MAINTAIN: "Maintain last year's level",
}
# How a direction reads beside a number: "Reduce to 1,200".
DIRECTION_WITH_NUMBER = {REDUCE: "Reduce to", INCREASE: "Increase to", MAINTAIN: "Maintain at"}


@dataclass(frozen=True)
class Target:
    """A yearly target as the plan writes it: a number, a direction (reduce, increase or
    maintain), or both, with the plan's own words ("Reduce by 5% on the 2018 baseline").
    When there is a number, the figure is rated against the number; a direction alone is
    rated against last year (see RATING_RULE)."""

    value: Decimal | None = None
    direction: str = ""
    text: str = ""

    def describe(self, format_value=str) -> str:
        """ "1,200", "Reduce to 1,200", "Reduce on last year", or the plan's words (after the
        number, when there is one): "1,140 (Reduce by 5% on the 2018 baseline)"."""
        if self.value is None:
            return self.text or DIRECTION_WORDS.get(self.direction, "")
        number = format_value(self.value)
        if self.text:
            return f"{number} ({self.text})"
        if self.direction:
            return f"{DIRECTION_WITH_NUMBER[self.direction]} {number}"
        return number


def as_target(target: "Target | Decimal | None") -> Target | None:
    """Callers may give a bare number for a target that is only a number."""
    if target is None or isinstance(target, Target):
        return target
    return Target(value=target)


def target_so_far(target: Decimal, quarter: int, cumulative: bool) -> Decimal:
    """The part of a yearly target to compare with: pro rata for quarters that add up."""
    return target * quarter / 4 if cumulative else target


def rating(
    value: Decimal | None, target: Decimal | None, good: str, tolerance_percent: Decimal
) -> Rating | None:
    """RATING_RULE, for a figure already made comparable with its target (see target_so_far)."""
    if value is None or target is None or good not in ("up", "down"):
        return None
    shortfall = value - target if good == "down" else target - value
    if shortfall <= 0:
        return Rating.GREEN
    if shortfall <= abs(target) * tolerance_percent / 100:
        return Rating.AMBER
    return Rating.RED


def rating_on_last_year(
    value: Decimal | None,
    last_year: Decimal | None,
    target_direction: str,
    good: str,
    tolerance_percent: Decimal,
) -> Rating | None:
    """RATING_RULE for a target that is a direction only: the figure against last year's
    comparable figure. Reduce and increase need a move that way (no change is amber, as the
    target was not met but missed by nothing); maintain needs no worsening, judged by the
    indicator's good direction (none: not rated)."""
    if value is None or last_year is None:
        return None
    if target_direction == MAINTAIN:
        return rating(value, last_year, good, tolerance_percent)
    if target_direction not in (REDUCE, INCREASE):
        return None
    if value == last_year:
        return Rating.AMBER
    return rating(
        value, last_year, "down" if target_direction == REDUCE else "up", tolerance_percent
    )


# ---- comparison groups ------------------------------------------------------------------------


def in_bottom_third(rank: int | None, size: int | None) -> bool:
    """Ranked in the worst third of the comparison group (rank 1 is the best)."""
    if rank is None or not size:
        return False
    return rank > size * 2 / 3


def format_rank(rank: int | None, size: int | None) -> str:
    return f"{rank} of {size}" if rank is not None and size else ""


# ---- areas -------------------------------------------------------------------------------------


class AreaFlag(Enum):
    NONE = ("", "")
    ABOVE = ("above average", "above")
    WELL_ABOVE = ("well above average", "well-above")

    def __init__(self, words: str, css: str):
        self.words, self.css = words, css


@dataclass(frozen=True)
class AreaSpread:
    """How the areas' figures spread: the mean and the population standard deviation (every
    area is counted, none is a sample), and the lines above which an area stands out."""

    mean: Decimal
    deviation: Decimal

    @property
    def above(self) -> Decimal:
        return self.mean + self.deviation

    @property
    def well_above(self) -> Decimal:
        return self.mean + 2 * self.deviation

    def flag(self, value: Decimal | None) -> AreaFlag:
        if value is None or self.deviation == 0:
            return AreaFlag.NONE
        if value > self.well_above:
            return AreaFlag.WELL_ABOVE
        if value > self.above:
            return AreaFlag.ABOVE
        return AreaFlag.NONE


def area_spread(values: list[Decimal | None]) -> AreaSpread | None:
    """None with fewer than two areas' figures: there is nothing to compare."""
    known = [value for value in values if value is not None]
    if len(known) < 2:
        return None
    mean = statistics.fmean(known)
    deviation = statistics.pstdev(known)
    return AreaSpread(Decimal(str(round(mean, 2))), Decimal(str(round(deviation, 2))))


# ---- disclosure control ------------------------------------------------------------------------


def is_withheld(value: Decimal | None, *, is_count: bool, per_area: bool, threshold: int) -> bool:
    """A small count for one area could identify the people in it: the public sees
    "fewer than N" instead. Whole-area figures and rates are not withheld."""
    return value is not None and is_count and per_area and value < threshold


def withheld_text(threshold: int) -> str:
    return f"fewer than {threshold}"


def withheld_areas(counts: dict, threshold: int) -> set:
    """Which areas' counts a public table withholds: every count below the threshold, and,
    when that is only one, the next smallest as well, so that nobody can work the withheld
    count out from the whole area's total (secondary suppression)."""
    withheld = {key for key, value in counts.items() if value is not None and value < threshold}
    if len(withheld) == 1:
        rest = sorted(
            (value, str(key), key)
            for key, value in counts.items()
            if key not in withheld and value is not None
        )
        if rest:
            withheld.add(rest[0][2])
    return withheld


# ---- everything about one indicator in one quarter ---------------------------------------------

Quarter = tuple[int, int]  # (financial year, quarter): (2023, 1) is 2023/24 Q1


def previous_quarters(fy: int, quarter: int, count: int) -> list[Quarter]:
    """`count` quarters ending with this one, oldest first."""
    found, (year, q) = [], (fy, quarter)
    for _ in range(count):
        found.append((year, q))
        year, q = (year, q - 1) if q > 1 else (year - 1, 4)
    return found[::-1]


@dataclass(frozen=True)
class QuarterFigures:
    """One indicator in one quarter, as the report and the public pages show it.

    Built by `quarter_figures` from the indicator's approved figures; `format_value` writes a
    number in the indicator's unit ("1,232", "14.3 per 1,000").
    """

    value: Decimal | None
    last_year: Decimal | None
    difference: Decimal | None
    change: Decimal | None
    direction: Direction
    rank: tuple[int, int] | None
    last_year_rank: tuple[int, int] | None
    year_to_date: Decimal | None
    rolling_twelve_months: Decimal | None
    target: Decimal | None  # the year's target as a number, if it has one
    compared_with_target: Decimal | None  # the quarter, or the year so far, against target_so_far
    # A number's part so far, or, for a direction-only target, last year's comparable figure.
    target_so_far: Decimal | None
    computed_rating: Rating | None
    override: Rating | None
    override_reason: str
    comparators: list[tuple[str, Decimal]]
    format_value: object
    in_points: bool = False  # the figure is a percentage: differences are percentage points
    year_target: Target | None = None  # the year's target as the plan writes it

    @property
    def target_text(self) -> str:
        """The year's target as readers see it ("1,200", "Reduce on last year"), "" if none."""
        return "" if self.year_target is None else self.year_target.describe(self.format_value)

    @property
    def rating(self) -> Rating | None:
        """What the figure is rated: the agency's override if it gave one, else the computed."""
        return self.override or self.computed_rating

    @property
    def change_text(self) -> str:
        return format_percent_change(self.change)

    @property
    def difference_text(self) -> str:
        return format_difference(self.difference, self.format_value, self.in_points)

    @property
    def rank_text(self) -> str:
        return format_rank(*self.rank) if self.rank else ""

    @property
    def last_year_rank_text(self) -> str:
        return format_rank(*self.last_year_rank) if self.last_year_rank else ""

    def shown(self, name: str) -> str:
        value = getattr(self, name)
        return "" if value is None else self.format_value(value)

    @property
    def comparators_text(self) -> list[str]:
        return [f"{self.format_value(value)} across {name}" for name, value in self.comparators]

    @property
    def in_bottom_third(self) -> bool:
        return in_bottom_third(*(self.rank or (None, None)))

    @property
    def is_exception(self) -> bool:
        """What the board looks at first: worsening, and worse than target or in the bottom
        third of the comparison group. Against the target as computed: an agency's override
        explains a figure, it does not take it off the board's list."""
        behind = self.computed_rating in (Rating.AMBER, Rating.RED)
        return self.direction.travel is Travel.WORSENING and (behind or self.in_bottom_third)


def quarter_figures(
    *,
    quarter: Quarter,
    values: dict[Quarter, Decimal],
    ranks: dict[Quarter, tuple[int, int]],
    targets: dict[int, Target | Decimal],
    good: str,
    cumulative: bool,
    tolerance: Decimal,
    comparators: list[tuple[str, Decimal]] = (),
    override: str = "",
    override_reason: str = "",
    format_value=str,
    in_points: bool = False,
) -> QuarterFigures:
    """Everything shown for one indicator in one quarter, from its approved whole-area figures
    (`values` and `ranks` by quarter) and its yearly `targets`."""
    fy, q = quarter
    value = values.get(quarter)
    last_year_quarter = (fy - 1, q)
    last_year = values.get(last_year_quarter)
    so_far = year_to_date({n: values.get((fy, n)) for n in range(1, q + 1)}, q)
    year_target = as_target(targets.get(fy))
    compared = so_far if cumulative else value
    if year_target is None:
        target_now, computed = None, None
    elif year_target.value is not None:
        target_now = target_so_far(year_target.value, q, cumulative)
        computed = rating(compared, target_now, good, tolerance)
    else:
        last_year_so_far = year_to_date({n: values.get((fy - 1, n)) for n in range(1, q + 1)}, q)
        target_now = last_year_so_far if cumulative else last_year
        computed = rating_on_last_year(compared, target_now, year_target.direction, good, tolerance)
    return QuarterFigures(
        value=value,
        last_year=last_year,
        difference=difference(value, last_year),
        change=percent_change(value, last_year),
        direction=direction(value, last_year, good),
        rank=ranks.get(quarter),
        last_year_rank=ranks.get(last_year_quarter),
        year_to_date=so_far if cumulative else None,
        rolling_twelve_months=(
            rolling_twelve_months([values.get(k) for k in previous_quarters(fy, q, 4)])
            if cumulative
            else None
        ),
        target=None if year_target is None else year_target.value,
        compared_with_target=compared,
        target_so_far=target_now,
        computed_rating=computed,
        override=Rating.of(override),
        override_reason=override_reason,
        comparators=list(comparators),
        format_value=format_value,
        in_points=in_points,
        year_target=year_target,
    )
