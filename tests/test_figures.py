"""The arithmetic on figures, known inputs against the figures a board paper would print."""

from decimal import Decimal as D

import pytest

from indicators import figures
from indicators.figures import Rating, Travel

# ---- change on last year -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "difference", "change", "text"),
    [
        (D("318"), D("284"), D("34"), D("12.0"), "+12%"),
        (D("95"), D("100"), D("-5"), D("-5.0"), "−5%"),
        (D("104.5"), D("100"), D("4.5"), D("4.5"), "+4.5%"),
        (D("100.04"), D("100"), D("0.04"), D("0.0"), "0%"),
        (D("7"), D("0"), D("7"), None, "n/a"),  # from zero: no percentage
        (D("7"), None, None, None, "n/a"),  # no figure last year
        (None, D("7"), None, None, "n/a"),
        (D("2469"), D("1000"), D("1469"), D("146.9"), "+147%"),
        (D("90.05"), D("100"), D("-9.95"), D("-10.0"), "−10%"),  # 9.95 rounds to 10: no decimal
    ],
)
def test_difference_and_change_as_people_write_them(current, previous, difference, change, text):
    assert figures.difference(current, previous) == difference
    assert figures.percent_change(current, previous) == change
    assert figures.format_percent_change(figures.percent_change(current, previous)) == text


def test_a_difference_is_written_in_the_indicators_unit_with_its_sign():
    def per_thousand(value):
        return f"{value} per 1,000"

    assert figures.format_difference(D("-1.2"), per_thousand) == "−1.2 per 1,000"
    assert figures.format_difference(D("3"), str) == "+3"
    assert figures.format_difference(D("0"), str) == "0"
    assert figures.format_difference(None, str) == "n/a"
    assert figures.format_difference(D("-1.50"), str, points=True) == "−1.5 points"
    assert figures.format_difference(D("1"), str, points=True) == "+1 point"


# ---- direction of travel ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "previous", "good", "travel", "shown"),
    [
        (D("90"), D("100"), "down", Travel.IMPROVING, "↓ improving"),
        (D("110"), D("100"), "down", Travel.WORSENING, "↑ worsening"),
        (D("110"), D("100"), "up", Travel.IMPROVING, "↑ improving"),
        (D("90"), D("100"), "up", Travel.WORSENING, "↓ worsening"),
        (D("100"), D("100"), "up", Travel.NO_CHANGE, "→ no change"),
        (D("110"), D("100"), "none", Travel.NOT_JUDGED, "↑ not judged"),
        (D("110"), None, "down", Travel.UNKNOWN, "no figure to compare"),
    ],
)
def test_direction_is_judged_by_the_way_that_is_good(current, previous, good, travel, shown):
    found = figures.direction(current, previous, good)

    assert found.travel is travel
    assert str(found) == shown


# ---- a year's figures ---------------------------------------------------------------------------


def test_year_to_date_adds_the_quarters_so_far_and_waits_for_a_missing_one():
    quarters = {1: D("300"), 2: D("310"), 3: None}

    assert figures.year_to_date(quarters, 2) == D("610")
    assert figures.year_to_date(quarters, 3) is None


def test_rolling_twelve_months_is_the_last_four_quarters():
    assert figures.rolling_twelve_months([D("1"), D("2"), D("3"), D("4")]) == D("10")
    assert figures.rolling_twelve_months([D("1"), None, D("3"), D("4")]) is None
    assert figures.previous_quarters(2024, 2, 4) == [(2023, 3), (2023, 4), (2024, 1), (2024, 2)]


# ---- the rating ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "target", "good", "expected"),
    [
        (D("100"), D("100"), "down", Rating.GREEN),  # on target
        (D("95"), D("100"), "down", Rating.GREEN),  # better
        (D("110"), D("100"), "down", Rating.AMBER),  # 10% short: within the tolerance
        (D("110.01"), D("100"), "down", Rating.RED),
        (D("90"), D("100"), "up", Rating.AMBER),
        (D("89.9"), D("100"), "up", Rating.RED),
        (D("120"), D("100"), "up", Rating.GREEN),
        (D("120"), None, "up", None),  # no target: no rating
        (D("120"), D("100"), "none", None),  # no good direction: no rating
        (None, D("100"), "up", None),
    ],
)
def test_the_rating_follows_the_stated_rule(value, target, good, expected):
    assert figures.rating(value, target, good, D("10")) is expected


def test_quarters_that_add_up_are_rated_on_the_year_so_far_against_the_target_pro_rata():
    result = figures.quarter_figures(
        quarter=(2023, 2),
        values={(2023, 1): D("290"), (2023, 2): D("320"), (2022, 2): D("300")},
        ranks={},
        targets={2023: D("1200")},
        good="down",
        cumulative=True,
        tolerance=D("10"),
    )

    assert result.year_to_date == D("610")
    assert result.target_so_far == D("600")
    assert result.computed_rating is Rating.AMBER  # 610 against 600: within 10%
    assert result.change_text == "+6.7%"
    assert result.direction.travel is Travel.WORSENING


def test_a_rate_is_rated_on_the_quarter_itself():
    result = figures.quarter_figures(
        quarter=(2023, 3),
        values={(2023, 3): D("14.3")},
        ranks={},
        targets={2023: D("15")},
        good="down",
        cumulative=False,
        tolerance=D("10"),
    )

    assert result.year_to_date is None
    assert result.rolling_twelve_months is None
    assert result.computed_rating is Rating.GREEN


def test_an_override_is_shown_with_its_reason_and_replaces_the_computed_rating():
    result = figures.quarter_figures(
        quarter=(2023, 1),
        values={(2023, 1): D("14.3")},
        ranks={},
        targets={2023: D("15")},
        good="down",
        cumulative=False,
        tolerance=D("10"),
        override="amber",
        override_reason="A rise in reporting after the campaign",
    )

    assert result.computed_rating is Rating.GREEN
    assert result.rating is Rating.AMBER
    assert result.override_reason == "A rise in reporting after the campaign"


# ---- exceptions ---------------------------------------------------------------------------------


def figures_for(value, last_year, target=None, rank=None, good="down"):
    return figures.quarter_figures(
        quarter=(2023, 1),
        values={(2023, 1): D(value), (2022, 1): D(last_year)},
        ranks={(2023, 1): rank} if rank else {},
        targets={2023: D(target)} if target else {},
        good=good,
        cumulative=False,
        tolerance=D("10"),
    )


def test_an_exception_is_worsening_and_behind_target_or_in_the_bottom_third():
    assert figures_for("120", "100", target="100").is_exception  # worse, red
    assert figures_for("108", "100", target="100").is_exception  # worse, amber
    assert figures_for("120", "100", rank=(11, 15)).is_exception  # worse, bottom third
    assert not figures_for("120", "100", rank=(10, 15)).is_exception  # middle third
    assert not figures_for("95", "100", target="100").is_exception  # worse? no: improving
    assert not figures_for("101", "100", target="150").is_exception  # worse but on target


# ---- areas --------------------------------------------------------------------------------------


def test_areas_above_the_mean_by_one_and_two_standard_deviations_stand_out():
    values = [D(v) for v in ["10", "10", "10", "10", "10", "10", "10", "10", "10", "40"]]

    spread = figures.area_spread(values)

    assert spread.mean == D("13")
    assert spread.deviation == D("9")  # population standard deviation of the ten
    assert spread.flag(D("40")) is figures.AreaFlag.WELL_ABOVE  # above 13 + 2 × 9 = 31
    assert spread.flag(D("25")) is figures.AreaFlag.ABOVE  # above 22, not above 31
    assert spread.flag(D("22")) is figures.AreaFlag.NONE  # on the line is not above it
    assert figures.area_spread([D("5")]) is None


# ---- disclosure control -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "is_count", "per_area", "withheld"),
    [
        (D("4"), True, True, True),
        (D("0"), True, True, True),
        (D("5"), True, True, False),
        (D("4"), True, False, False),  # the whole area's count is not withheld
        (D("4.2"), False, True, False),  # a rate identifies nobody
    ],
)
def test_small_counts_per_area_are_withheld(value, is_count, per_area, withheld):
    assert figures.is_withheld(value, is_count=is_count, per_area=per_area, threshold=5) is withheld
    assert figures.withheld_text(5) == "fewer than 5"


def test_one_small_count_takes_the_next_smallest_with_it_so_it_cannot_be_worked_out():
    counts = {"Chasetown": D("12"), "Stonnall": D("2"), "Shenstone": D("6"), "Burntwood": D("9")}

    assert figures.withheld_areas(counts, 5) == {"Stonnall", "Shenstone"}
    assert figures.withheld_areas({**counts, "Fazeley": D("3")}, 5) == {"Stonnall", "Fazeley"}
    assert figures.withheld_areas({"Chasetown": D("12")}, 5) == set()
