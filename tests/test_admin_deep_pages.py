"""Admin lists page through their first rows only (plans/admin_paging.py): past the last page
served the list shows that page, never an error or a deep OFFSET scan, and says that a filter
or a search finds the others."""

import pytest
from django.contrib import admin

from indicators.models import Return
from priorities.models import ActionUpdate
from tests.factories import ActionRowFactory, ActionUpdateFactory, AreaFactory, ReturnFactory

pytestmark = pytest.mark.django_db

RETURNS = "/admin/indicators/return/"
UPDATES = "/admin/priorities/actionupdate/"


@pytest.fixture
def two_a_page(monkeypatch, settings):
    """Lists of two rows a page that page through their first four rows only."""
    settings.ADMIN_LIST_MAX_ROWS = 4
    for model in (Return, ActionUpdate):
        monkeypatch.setattr(admin.site._registry[model], "list_per_page", 2)


def make_returns(cast, count) -> list[Return]:
    """`count` returns, listed newest first (the list's order: its period, then newest)."""
    made = [
        ReturnFactory(
            indicator=cast.repeat,
            reporting_period=cast.period,
            area=AreaFactory(partnership=cast.partnership),
            value=number,
        )
        for number in range(count)
    ]
    return made[::-1]


def make_updates(cast, count) -> None:
    for number in range(count):
        row = ActionRowFactory(
            priority=cast.priority, order=100 + number, lead_organisations=[cast.police]
        )
        ActionUpdateFactory(action_row=row, reporting_period=cast.period)


def listed(response) -> list:
    return list(response.context["cl"].result_list)


def notices(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_a_page_past_the_last_served_shows_the_last_served(admin_manager_client, cast, two_a_page):
    newest_first = make_returns(cast, 7)  # and the cast's one of last year, listed last

    response = admin_manager_client.get(RETURNS, {"p": "3"})

    assert response.status_code == 200
    assert listed(response) == newest_first[2:4]
    assert response.context["cl"].page_num == 2
    page = response.content.decode()
    assert '<span class="this-page">2</span>' in page
    assert "?p=3" not in page  # no link deeper than the pages served
    assert notices(response) == [
        "This list holds more than 4 returns: showing the first 4 (2 pages). Filter or search "
        "to find the others."
    ]
    assert "More than 4 returns" in page


@pytest.mark.parametrize(("asked", "shown"), [("9" * 30, 2), ("0", 1), ("-5", 1), ("abc", 1)])
def test_a_page_number_out_of_range_is_never_an_error(
    admin_manager_client, cast, two_a_page, asked, shown
):
    make_returns(cast, 7)

    response = admin_manager_client.get(RETURNS, {"p": asked})

    assert response.status_code == 200
    assert response.context["cl"].page_num == shown


def test_a_filter_that_narrows_the_list_pages_through_all_of_it(
    admin_manager_client, cast, two_a_page
):
    newest_first = make_returns(cast, 3)
    ReturnFactory(indicator=cast.knives, reporting_period=cast.period)  # not DA-

    response = admin_manager_client.get(RETURNS, {"q": "DA-", "p": "2"})

    assert listed(response) == newest_first[2:]
    assert notices(response) == []


def test_the_action_updates_list_is_bounded_too(admin_manager_client, cast, two_a_page):
    make_updates(cast, 5)

    response = admin_manager_client.get(UPDATES, {"p": "40000"})

    assert response.status_code == 200
    assert response.context["cl"].page_num == 2
    assert notices(response) == [
        "This list holds more than 4 action updates: showing the first 4 (2 pages). Filter or "
        "search to find the others."
    ]


def test_the_bound_holds_a_partnerships_whole_history_by_default(admin_manager_client, cast):
    make_returns(cast, 1)

    paginator = admin_manager_client.get(RETURNS).context["cl"].paginator

    assert paginator.per_page == 100
    assert paginator.max_pages * paginator.per_page == 20_000  # one partnership: about 16,000


@pytest.mark.parametrize("count", [1, 3])
def test_a_deep_page_costs_what_the_first_does(
    admin_manager_client, cast, count, monkeypatch, settings, django_assert_num_queries
):
    """One row a page and one page served: three returns are bounded, one is not."""
    settings.ADMIN_LIST_MAX_ROWS = 1
    monkeypatch.setattr(admin.site._registry[Return], "list_per_page", 1)
    make_returns(cast, count)

    with django_assert_num_queries(11):
        response = admin_manager_client.get(RETURNS, {"p": "40000", "status__exact": "draft"})

    assert len(listed(response)) == 1
    assert len(notices(response)) == (count > 1)


@pytest.mark.parametrize("count", [1, 3])
def test_a_later_page_reads_its_rows_ids_first(
    admin_manager_client, cast, count, monkeypatch, django_assert_num_queries
):
    monkeypatch.setattr(admin.site._registry[Return], "list_per_page", count)
    newest_first = make_returns(cast, 2 * count)

    # The first page's eleven, and the second page's ids before its rows.
    with django_assert_num_queries(12):
        response = admin_manager_client.get(RETURNS, {"p": "2"})

    assert listed(response) == newest_first[count : 2 * count]


def test_a_later_page_sorted_by_a_column_keeps_that_order(admin_manager_client, cast, two_a_page):
    returns = make_returns(cast, 5)
    by_value = sorted(returns, key=lambda figure: figure.value)

    response = admin_manager_client.get(RETURNS, {"p": "2", "o": "4"})  # 4th column: value

    assert listed(response) == by_value[2:4]


def test_rows_are_counted_only_as_far_as_the_pages_go(admin_manager_client, cast, two_a_page):
    make_returns(cast, 7)  # 8 with the cast's own

    response = admin_manager_client.get(RETURNS)

    assert response.context["cl"].paginator.count == 5  # one past the 4 the pages hold
    assert response.context["cl"].paginator.is_bounded
