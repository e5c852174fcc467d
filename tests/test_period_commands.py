"""Opening and closing a quarter, as a manager does at its start and end: the open_period and
close_period commands and the admin's actions, which all go through ReportingPeriod.open/close."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import ReportingPeriod
from tests.factories import PartnershipFactory, ReportingPeriodFactory

pytestmark = pytest.mark.django_db

LICHFIELD = "Lichfield District Community Safety Partnership"


@pytest.fixture
def lichfield():
    """The partnership with two closed quarters behind it, as a manager finds it in April."""
    partnership = PartnershipFactory(slug="lichfield", name=LICHFIELD)
    for quarter, due in ((3, date(2024, 1, 26)), (4, date(2024, 4, 26))):
        ReportingPeriodFactory(
            partnership=partnership, financial_year=2023, quarter=quarter, due_date=due
        )
    return partnership


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def period(partnership, financial_year, quarter) -> ReportingPeriod:
    return ReportingPeriod.objects.get(
        partnership=partnership, financial_year=financial_year, quarter=quarter
    )


def test_open_period_creates_a_new_quarter_with_its_due_date(lichfield):
    output = run("open_period", "lichfield", "2024/25 Q1", "--due", "2024-07-26")

    assert output == f"Created and opened 2024/25 Q1 for {LICHFIELD}, due 26 July 2024.\n"
    created = period(lichfield, 2024, 1)
    assert created.is_open
    assert created.due_date == date(2024, 7, 26)


def test_open_period_reopens_an_existing_quarter_keeping_its_due_date(lichfield):
    output = run("open_period", "lichfield", "2023/24 Q4")

    assert output == f"Opened 2023/24 Q4 for {LICHFIELD}, due 26 April 2024.\n"
    reopened = period(lichfield, 2023, 4)
    assert reopened.is_open
    assert reopened.due_date == date(2024, 4, 26)


def test_open_period_moves_the_due_date_when_given(lichfield):
    run("open_period", "lichfield", "2023/24 Q4")

    output = run("open_period", "lichfield", " 2023/24 q4 ", "--due", "2024-05-03")

    assert output == f"Kept open 2023/24 Q4 for {LICHFIELD}, due 3 May 2024.\n"
    assert period(lichfield, 2023, 4).due_date == date(2024, 5, 3)
    assert ReportingPeriod.objects.filter(partnership=lichfield).count() == 2


def test_close_period_stops_returns_for_the_quarter(lichfield):
    run("open_period", "lichfield", "2024/25 Q1", "--due", "2024-07-26")

    output = run("close_period", "lichfield", "2024/25 Q1")

    assert output == (
        f"Closed 2024/25 Q1 for {LICHFIELD}: officers can no longer enter returns for it.\n"
    )
    closed = period(lichfield, 2024, 1)
    assert not closed.is_open
    assert closed.due_date == date(2024, 7, 26)


def test_closing_a_closed_quarter_says_so(lichfield):
    output = run("close_period", "lichfield", "2023/24 Q3")

    assert output == f"2023/24 Q3 for {LICHFIELD} was already closed.\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["open_period", "tamworth", "2024/25 Q1", "--due", "2024-07-26"],
            'No partnership has the slug "tamworth" (known: lichfield).',
        ),
        (
            ["close_period", "tamworth", "2024/25 Q1"],
            'No partnership has the slug "tamworth" (known: lichfield).',
        ),
        (
            ["open_period", "lichfield", "Q1 2024", "--due", "2024-07-26"],
            '"Q1 2024" is not a period: write it like "2023/24 Q1".',
        ),
        (
            ["open_period", "lichfield", "2024/26 Q1", "--due", "2024-07-26"],
            '"2024/26 Q1" is not a financial year: the years must follow on, as in 2023/24.',
        ),
        (
            ["close_period", "lichfield", "2024/25 Q5"],
            '"2024/25 Q5" is not a period: write it like "2023/24 Q1".',
        ),
        (
            ["open_period", "lichfield", "2024/25 Q1", "--due", "26/07/2024"],
            '"26/07/2024" is not a date: write it like 2024-07-26.',
        ),
        (
            ["open_period", "lichfield", "2024/25 Q1"],
            f"{LICHFIELD} has no 2024/25 Q1 yet: give its due date to create it "
            "with --due YYYY-MM-DD.",
        ),
        (
            ["close_period", "lichfield", "2024/25 Q1"],
            f"{LICHFIELD} has no 2024/25 Q1, so there is nothing to close.",
        ),
    ],
)
def test_mistakes_are_explained_and_change_nothing(lichfield, args, message):
    before = list(ReportingPeriod.objects.values_list("financial_year", "quarter", "is_open"))

    with pytest.raises(CommandError) as raised:
        run(*args)

    assert str(raised.value) == message
    after = list(ReportingPeriod.objects.values_list("financial_year", "quarter", "is_open"))
    assert after == before


def admin_action(client, action: str, periods) -> str:
    response = client.post(
        "/admin/indicators/reportingperiod/",
        {"action": action, "_selected_action": [p.pk for p in periods]},
        follow=True,
    )
    return response.content.decode()


def test_the_admin_opens_and_closes_quarters_as_the_commands_do(admin_client, lichfield):
    quarters = list(ReportingPeriod.objects.filter(partnership=lichfield))

    page = admin_action(admin_client, "open_periods", quarters)

    assert "2 period(s) opened." in page
    assert all(p.is_open for p in ReportingPeriod.objects.filter(partnership=lichfield))
    assert period(lichfield, 2023, 4).due_date == date(2024, 4, 26)

    page = admin_action(admin_client, "close_periods", quarters[:1])

    assert "1 period(s) closed." in page
    assert [p.is_open for p in ReportingPeriod.objects.filter(partnership=lichfield)] == [
        False,
        True,
    ]


def test_the_admin_form_does_not_let_is_open_be_typed(admin_client, lichfield):
    quarter = period(lichfield, 2023, 4)

    page = admin_client.get(f"/admin/indicators/reportingperiod/{quarter.pk}/change/")

    assert 'name="is_open"' not in page.content.decode()
