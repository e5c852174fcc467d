"""Every page costs a fixed number of queries, whatever the size of what it shows.

Each page is asked for with 1 and with 3 of the things it lists (indicators, action rows,
priorities, periods, list rows), each with the history beside it, and the count is pinned
exactly: a query per item (an N+1) fails the 3-item case, and any other new query fails both.
"""

from datetime import date
from types import SimpleNamespace

import pytest

from indicators.models import Return
from plans.models import Membership
from reporting.reminders import build_reminders
from tests.builders import build_plan, build_published_figures, give_admin_rights
from tests.entry_helpers import entry_form_data
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    AllocationFactory,
    FundFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ITEM_COUNTS = [1, 3]


def agency_quarter(count: int) -> SimpleNamespace:
    """An open quarter in which the police owe `count` figures and `count` action updates, each
    with last quarter's and last year's approved entries (shown beside every box)."""
    police = OrganisationFactory(name="Staffordshire Police")
    council = OrganisationFactory(name="Lichfield District Council")
    partnership = PartnershipFactory(organisations=[police, council])
    officer, manager = UserFactory(username="officer"), UserFactory(username="manager")
    MembershipFactory(user=officer, partnership=partnership, organisation=police)
    MembershipFactory(
        user=manager, partnership=partnership, organisation=council, role=Membership.Role.MANAGER
    )
    priority = PriorityFactory(
        plan_version=PlanVersionFactory(plan__partnership=partnership, published=True)
    )
    last_year = ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=1)
    previous = ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=4)
    period = ReportingPeriodFactory(
        partnership=partnership,
        financial_year=2024,
        quarter=1,
        due_date=date(2024, 7, 26),
        is_open=True,
    )
    indicators, rows = [], []
    for _ in range(count):
        indicator = IndicatorFactory(partnership=partnership, owner=police)
        IndicatorTargetFactory(indicator=indicator, financial_year=2024)
        for earlier in (last_year, previous):
            ReturnFactory(indicator=indicator, reporting_period=earlier, status="approved")
        row = ActionRowFactory(priority=priority, lead_organisations=[police])
        ActionUpdateFactory(action_row=row, reporting_period=previous, status="approved")
        indicators.append(indicator)
        rows.append(row)
    return SimpleNamespace(
        partnership=partnership,
        police=police,
        officer=officer,
        manager=manager,
        period=period,
        indicators=indicators,
        rows=rows,
        entry_url=f"/returns/{period.pk}/{police.pk}/",
    )


def submit_everything(quarter: SimpleNamespace) -> None:
    for indicator in quarter.indicators:
        ReturnFactory(indicator=indicator, reporting_period=quarter.period, status="submitted")
    for row in quarter.rows:
        ActionUpdateFactory(action_row=row, reporting_period=quarter.period, status="submitted")


# ---- officers' pages ------------------------------------------------------------------------


@pytest.mark.parametrize("count", ITEM_COUNTS)
def test_officers_list_of_returns(client, django_assert_num_queries, count):
    quarter = agency_quarter(count)
    client.force_login(quarter.officer)

    with django_assert_num_queries(10):
        assert client.get("/returns/").status_code == 200


@pytest.mark.parametrize("count", ITEM_COUNTS)
def test_entry_page(client, django_assert_num_queries, count):
    quarter = agency_quarter(count)
    client.force_login(quarter.officer)

    with django_assert_num_queries(15):
        page = client.get(quarter.entry_url)
    assert len(page.context["returns"].forms) == count


@pytest.mark.parametrize("count", ITEM_COUNTS)
@pytest.mark.parametrize("action", ["draft", "submit"])
def test_saving_the_entry_page(client, django_assert_num_queries, count, action):
    quarter = agency_quarter(count)
    client.force_login(quarter.officer)
    page = client.get(quarter.entry_url)
    data = entry_form_data(page)
    for form in page.context["returns"].forms:
        data[form.add_prefix("value")] = "12"  # as last year: no commentary needed
    for form in page.context["updates"].forms:
        data[form.add_prefix("progress")] = "Going well"

    # A draft reads no earlier figures: only submitting checks a figure against them.
    with django_assert_num_queries(22 if action == "submit" else 19):
        assert client.post(quarter.entry_url, {**data, "action": action}).status_code == 302
    saved = Return.objects.filter(reporting_period=quarter.period)
    assert saved.count() == count
    assert Return.history.filter(reporting_period=quarter.period).count() == count


# ---- managers' pages ------------------------------------------------------------------------


@pytest.mark.parametrize("count", ITEM_COUNTS)
def test_manage_home(client, django_assert_num_queries, count):
    quarter = agency_quarter(1)
    for year in range(2015, 2015 + count):
        ReportingPeriodFactory(partnership=quarter.partnership, financial_year=year, quarter=2)
    client.force_login(quarter.manager)

    with django_assert_num_queries(6):  # the quarters and the plans
        assert client.get("/manage/").status_code == 200


@pytest.mark.parametrize("count", ITEM_COUNTS)
def test_managers_quarter_page(client, django_assert_num_queries, count):
    quarter = agency_quarter(count)
    submit_everything(quarter)
    client.force_login(quarter.manager)

    with django_assert_num_queries(17):
        page = client.get(f"/manage/periods/{quarter.period.pk}/")
    assert len(page.context["submitted_returns"]) == count


@pytest.mark.parametrize("count", ITEM_COUNTS)
def test_review_page_with_its_history(client, django_assert_num_queries, count):
    quarter = agency_quarter(1)
    figure = ReturnFactory(
        indicator=quarter.indicators[0], reporting_period=quarter.period, status="submitted"
    )
    for value in range(count):  # each save adds a line to the history
        figure.value = value
        figure.save()
    client.force_login(quarter.manager)

    with django_assert_num_queries(9):
        page = client.get(f"/manage/returns/{figure.pk}/")
    assert len(page.context["history"]) == count + 1


# ---- reminders ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", ITEM_COUNTS)
def test_building_reminders(django_assert_num_queries, count):
    agency_quarter(count)

    with django_assert_num_queries(7):
        [reminder] = build_reminders(date(2024, 7, 30))
    assert reminder.overdue == 2 * count


# ---- public pages ---------------------------------------------------------------------------

# Rendered, not yet cached: each page's first query is its stamp (plans.public_cache); served
# from the cache it takes that one query only (tests/test_public_page_cache.py).
PUBLIC_PAGES = {
    "/": 4,  # the stamp, a count, a page of partnerships, their plans' current versions
    "/partnerships/{partnership}/": 8,
    # The plan and priority pages read their rows' outcomes, data lines and lead and supporting
    # agencies as texts, a query each (priorities.models.plan_contents.attach_row_texts).
    "/partnerships/{partnership}/{plan}/": 15,
    "/partnerships/{partnership}/{plan}/versions/1/": 15,
    "/partnerships/{partnership}/{plan}/priorities/priority-1/": 14,
    "/partnerships/{partnership}/{plan}/plan.json": 13,
    "/partnerships/{partnership}/{plan}/action-rows.csv": 10,
}


@pytest.mark.parametrize("count", ITEM_COUNTS)
@pytest.mark.parametrize(("address", "queries"), PUBLIC_PAGES.items())
def test_public_page(client, django_assert_num_queries, address, queries, count):
    """`count` priorities of `count` rows, and `count` indicators with four approved quarters."""
    version = build_plan(priorities=count, rows_per_priority=count, indicators=count)
    url = address.format(partnership=version.plan.partnership.slug, plan=version.plan.slug)

    with django_assert_num_queries(queries):
        response = client.get(url)
        response.getvalue()  # a download reads its rows as it is sent
    assert response.status_code == 200


# ---- the admin ------------------------------------------------------------------------------


def make_action_rows(partnership, count):
    priority = PriorityFactory(plan_version__plan__partnership=partnership)
    for _ in range(count):
        ActionRowFactory(priority=priority, lead_organisations=[OrganisationFactory()])


def make_returns(partnership, count):
    ReturnFactory.create_batch(count, indicator__partnership=partnership)


def make_funds(partnership, count):
    for _ in range(count):
        AllocationFactory(fund=FundFactory(partnership=partnership))


ADMIN_LISTS = {
    "/admin/priorities/actionrow/": (make_action_rows, 12),
    # No second, unfiltered count; no partnership filter for a manager of one.
    "/admin/indicators/return/": (make_returns, 11),
    "/admin/plans/fund/": (make_funds, 11),
}


@pytest.fixture
def staff_manager(client):
    """A signed-in partnership manager with the demo's admin rights (not a superuser, so
    permissions and the partnership are read as for a real manager); another partnership's
    rows are there too, unseen."""
    user = give_admin_rights(UserFactory(username="staff-manager"))
    membership = MembershipFactory(user=user, role=Membership.Role.MANAGER)
    client.force_login(user)
    return SimpleNamespace(client=client, partnership=membership.partnership)


@pytest.mark.parametrize("count", ITEM_COUNTS)
@pytest.mark.parametrize(("url", "make", "queries"), [(u, *v) for u, v in ADMIN_LISTS.items()])
def test_admin_list(staff_manager, django_assert_num_queries, url, make, queries, count):
    make(staff_manager.partnership, count)
    make(PartnershipFactory(), 2)

    with django_assert_num_queries(queries):
        page = staff_manager.client.get(url)
    assert page.status_code == 200
    assert page.context["cl"].result_count == count


# ---- the quarterly report and public results --------------------------------------------------

RESULT_PAGES = {
    "/reports/{period}/": 18,
    "/reports/{period}/report.xlsx": 16,
    "/partnerships/{partnership}/": 10,
    "/partnerships/{partnership}/reports/2023-24-q4/": 15,
    "/partnerships/{partnership}/reports/2023-24-q4/report.csv": 15,
    "/partnerships/{partnership}/indicators/IND-1/": 6,
    "/partnerships/{partnership}/figures.json": 3,
}


@pytest.mark.parametrize(("indicators", "quarters"), [(1, 2), (3, 2), (1, 8), (3, 8)])
@pytest.mark.parametrize(("address", "queries"), RESULT_PAGES.items())
def test_result_page(client, django_assert_num_queries, address, queries, indicators, quarters):
    """1 and 3 indicators (with as many action rows, allocations and risks), over 2 and 8
    published quarters."""
    world = build_published_figures(indicators=indicators, quarters=quarters)
    if address.startswith("/reports/"):  # members' pages; the rest are public
        client.force_login(world.manager)
    url = address.format(partnership=world.partnership.slug, period=world.period.pk)

    with django_assert_num_queries(queries):
        response = client.get(url)
        response.getvalue()  # a download reads its rows as it is sent
    assert response.status_code == 200
