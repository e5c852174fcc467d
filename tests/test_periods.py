from datetime import date

import pytest

from indicators import periods
from tests.factories import ReportingPeriodFactory


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2023, 4, 1), (2023, 1)),
        (date(2023, 6, 30), (2023, 1)),
        (date(2023, 7, 1), (2023, 2)),
        (date(2023, 12, 31), (2023, 3)),
        (date(2024, 1, 1), (2023, 4)),
        (date(2024, 3, 31), (2023, 4)),
    ],
)
def test_quarter_containing_follows_the_uk_financial_year(day, expected):
    assert periods.quarter_containing(day) == expected


def test_quarter_dates_of_q4_fall_in_the_next_calendar_year_and_know_leap_years():
    assert periods.quarter_dates(2023, 4) == (date(2024, 1, 1), date(2024, 3, 31))
    assert periods.quarter_dates(2023, 1) == (date(2023, 4, 1), date(2023, 6, 30))
    assert periods.quarter_dates(2023, 3) == (date(2023, 10, 1), date(2023, 12, 31))


def test_every_day_of_a_quarter_maps_back_to_it():
    start, end = periods.quarter_dates(2024, 2)
    assert periods.quarter_containing(start) == periods.quarter_containing(end) == (2024, 2)


def test_labels_read_like_the_spreadsheet_and_parse_back():
    assert periods.period_label(2023, 1) == "2023/24 Q1"
    assert periods.period_label(1999, 4) == "1999/00 Q4"
    assert periods.parse_period_label(" 2023/24 q3 ") == (2023, 3)


@pytest.mark.parametrize("text", ["2023 Q1", "2023/25 Q1", "2023/24 Q5", "", "Q1 2023/24"])
def test_malformed_labels_are_refused_with_a_message(text):
    with pytest.raises(ValueError, match="2023/24"):
        periods.parse_period_label(text)


def test_previous_quarter_wraps_to_the_year_before():
    assert periods.previous_quarter(2023, 1) == (2022, 4)
    assert periods.previous_quarter(2023, 3) == (2023, 2)


@pytest.mark.django_db
def test_reporting_period_knows_its_label_dates_and_when_it_is_overdue():
    period = ReportingPeriodFactory(
        financial_year=2023, quarter=2, due_date=date(2023, 10, 27), is_open=True
    )
    assert str(period) == "2023/24 Q2"
    assert (period.start_date, period.end_date) == (date(2023, 7, 1), date(2023, 9, 30))
    assert not period.is_overdue(date(2023, 10, 27))
    assert period.is_overdue(date(2023, 10, 28))
    period.is_open = False
    assert not period.is_overdue(date(2023, 10, 28))
