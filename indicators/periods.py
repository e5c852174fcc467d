"""UK financial-year quarters: Q1 is April–June, Q4 is January–March of the next year.

A financial year is named by the calendar year it starts in: 2023 is "2023/24".
"""

import calendar
import re
from datetime import date

LABEL_PATTERN = re.compile(r"^\s*(\d{4})\s*/\s*(\d{2})\s*Q([1-4])\s*$", re.IGNORECASE)


def financial_year_label(financial_year: int) -> str:
    return f"{financial_year}/{(financial_year + 1) % 100:02d}"


def period_label(financial_year: int, quarter: int) -> str:
    return f"{financial_year_label(financial_year)} Q{quarter}"


def quarter_containing(day: date) -> tuple[int, int]:
    """The (financial year, quarter) a date falls in."""
    if day.month >= 4:
        return day.year, (day.month - 4) // 3 + 1
    return day.year - 1, 4


def quarter_dates(financial_year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"A quarter is 1 to 4, not {quarter}.")
    first_month = 4 + 3 * (quarter - 1)
    year = financial_year
    if first_month > 12:
        first_month -= 12
        year += 1
    last_month = first_month + 2
    return date(year, first_month, 1), date(
        year, last_month, calendar.monthrange(year, last_month)[1]
    )


def previous_quarter(financial_year: int, quarter: int) -> tuple[int, int]:
    return (financial_year, quarter - 1) if quarter > 1 else (financial_year - 1, 4)


def parse_period_label(text: str) -> tuple[int, int]:
    """Read "2023/24 Q1" back into (2023, 1); ValueError with a readable message otherwise."""
    match = LABEL_PATTERN.match(text or "")
    if not match:
        raise ValueError(f'"{text}" is not a period: write it like "2023/24 Q1".')
    start, end, quarter = int(match[1]), int(match[2]), int(match[3])
    if (start + 1) % 100 != end:
        raise ValueError(
            f'"{text}" is not a financial year: the years must follow on, as in 2023/24.'
        )
    return start, quarter
