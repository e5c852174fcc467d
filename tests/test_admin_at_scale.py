"""The admin at national scale (hundreds of partnerships, millions of returns): the returns and
action updates lists count once, filter from the small tables, search indexed columns, offer
periods and wards by autocomplete, and export in a fixed number of queries; PostgreSQL stops a
runaway statement before the worker is killed."""

import re
import runpy
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from indicators.admin_filters import NEWEST_PERIODS
from indicators.models import Return
from priorities.models import ActionRow, ActionUpdate
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    AreaFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReportingPeriodFactory,
    ReturnFactory,
)

pytestmark = pytest.mark.django_db

SETTINGS = Path(__file__).resolve().parent.parent / "csp" / "settings.py"


@pytest.fixture
def elsewhere():
    """Another partnership, with its own agency, quarters, wards and figures: never offered."""
    agency = OrganisationFactory(name="Elsewhere Fire Service")
    partnership = PartnershipFactory(slug="elsewhere", organisations=[agency])
    period = ReportingPeriodFactory(partnership=partnership, financial_year=2030, quarter=4)
    indicator = IndicatorFactory(partnership=partnership, owner=agency, code="DA-ELSEWHERE")
    area = AreaFactory(partnership=partnership, name="Elsewhere Ward")
    ReturnFactory(indicator=indicator, reporting_period=period, area=area)
    return period, agency, area


def make_returns(cast, count):
    for number in range(count):
        ReturnFactory(
            indicator=cast.repeat,
            reporting_period=cast.period,
            area=AreaFactory(partnership=cast.partnership),
            value=number,
        )


def make_updates(cast, count):
    for number in range(count):
        row = ActionRowFactory(
            priority=cast.priority,
            order=100 + number,
            description=f"Knife arches {number}",
            lead_organisations=[cast.police],
        )
        ActionUpdateFactory(action_row=row, reporting_period=cast.period)


def filter_choices(response, title):
    (spec,) = [spec for spec in response.context["cl"].filter_specs if spec.title == title]
    return {str(label) for _, label in spec.lookup_choices}


@pytest.mark.parametrize("count", [1, 3])
def test_the_returns_list_filtered_and_searched_costs_the_same_for_any_number(
    admin_manager_client, cast, elsewhere, count, django_assert_num_queries
):
    make_returns(cast, count)
    address = (
        f"/admin/indicators/return/?status__exact=draft&q=DA-"
        f"&reporting_period__id__exact={cast.period.pk}"
    )
    with django_assert_num_queries(11):
        response = admin_manager_client.get(address)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    assert response.context["cl"].full_result_count is None  # no second, unfiltered count


@pytest.mark.parametrize("count", [1, 3])
def test_the_action_updates_list_filtered_and_searched_costs_the_same_for_any_number(
    admin_manager_client, cast, elsewhere, count, django_assert_num_queries
):
    make_updates(cast, count)
    address = (
        f"/admin/priorities/actionupdate/?status__exact=draft&q=knife+arches"
        f"&reporting_period__id__exact={cast.period.pk}"
    )
    # As the returns list: both have the same filters (quarter, agency, partnership).
    with django_assert_num_queries(11):
        response = admin_manager_client.get(address)
    assert response.status_code == 200
    assert response.context["cl"].result_count == count
    assert response.context["cl"].full_result_count is None


def test_lists_sort_by_their_own_columns_newest_quarter_first(admin_manager_client, cast):
    ReturnFactory(indicator=cast.repeat, reporting_period=cast.period)
    with CaptureQueriesContext(connection) as queries:
        response = admin_manager_client.get("/admin/indicators/return/")
    listed = [row.reporting_period for row in response.context["cl"].result_list]
    assert listed == [cast.period, cast.last_year]
    selects = [
        q["sql"]
        for q in queries
        if 'ORDER BY "indicators_return"."reporting_period_id"' in q["sql"]
    ]
    assert selects, "the list is ordered by the return's own period column"


def test_the_search_matches_the_indicator_code_from_its_start_only(admin_manager_client, cast):
    ReturnFactory(indicator=cast.repeat, reporting_period=cast.period, commentary="knives")
    found = admin_manager_client.get("/admin/indicators/return/?q=sv-kni").context["cl"]
    assert [row.indicator for row in found.result_list] == [cast.knives]
    # Not the middle of a code, and not the commentary (a scan of every return).
    assert (
        admin_manager_client.get("/admin/indicators/return/?q=KNIVES").context["cl"].result_count
        == 0
    )


def test_the_filters_offer_only_the_managers_periods_agencies_and_partnerships(
    admin_manager_client, cast, elsewhere
):
    other_period, other_agency, _ = elsewhere
    response = admin_manager_client.get("/admin/indicators/return/")

    periods = filter_choices(response, "reporting period")
    assert periods == {str(cast.period), str(cast.last_year)}
    assert str(other_period) not in periods
    agencies = filter_choices(response, "owner")
    assert agencies == {cast.police.name, cast.council.name}
    assert other_agency.name not in agencies
    # Their one partnership is nothing to choose between: the partnership filter is not shown.
    assert "partnership" not in {spec.title for spec in response.context["cl"].filter_specs}

    updates = admin_manager_client.get("/admin/priorities/actionupdate/")
    assert filter_choices(updates, "reporting period") == periods
    assert filter_choices(updates, "lead agency") == agencies


@pytest.mark.parametrize(
    "address", ["/admin/indicators/return/", "/admin/priorities/actionupdate/"]
)
def test_a_manager_of_two_partnerships_chooses_between_those_two(
    admin_manager_client, cast, elsewhere, address
):
    other_period, other_agency, _ = elsewhere
    MembershipFactory(
        user=cast.manager, partnership=other_period.partnership, organisation=other_agency,
        role="manager",
    )  # fmt: skip
    PartnershipFactory(slug="third", name="A third partnership")

    response = admin_manager_client.get(address)

    assert filter_choices(response, "partnership") == {
        cast.partnership.name,
        other_period.partnership.name,
    }


def test_the_period_filter_lists_the_newest_quarters_first_and_no_more(admin_manager_client, cast):
    for year in range(2010, 2015):
        for quarter in (1, 2, 3, 4):
            ReportingPeriodFactory(
                partnership=cast.partnership, financial_year=year, quarter=quarter
            )
    response = admin_manager_client.get("/admin/indicators/return/")
    (spec,) = [s for s in response.context["cl"].filter_specs if s.title == "reporting period"]
    labels = [label for _, label in spec.lookup_choices]
    assert len(labels) == NEWEST_PERIODS
    assert labels[:3] == ["2024/25 Q1", "2023/24 Q1", "2014/15 Q4"]


@pytest.mark.parametrize(
    "address", ["/admin/indicators/return/", "/admin/priorities/actionupdate/"]
)
def test_the_filters_never_scan_the_listed_table(admin_manager_client, cast, elsewhere, address):
    make_returns(cast, 2)
    make_updates(cast, 2)
    with CaptureQueriesContext(connection) as queries:
        assert admin_manager_client.get(address).status_code == 200
    for query in queries:
        sql = query["sql"].upper()
        assert not ("DISTINCT" in sql and "INDICATORS_RETURN" in sql), sql
        assert not ("DISTINCT" in sql and "PRIORITIES_ACTIONUPDATE" in sql), sql


def options_of(html, name):
    match = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no {name} field"
    return match[0], re.findall(r'<option value="([^"]+)"', match[1])


def test_the_return_form_offers_periods_and_wards_by_autocomplete(
    admin_manager_client, cast, elsewhere
):
    for number in range(5):
        AreaFactory(partnership=cast.partnership, name=f"Ward {number}")
    figure = ReturnFactory(indicator=cast.repeat, reporting_period=cast.period)
    html = admin_manager_client.get(f"/admin/indicators/return/{figure.pk}/change/").content
    html = html.decode()
    period_select, period_options = options_of(html, "reporting_period")
    area_select, area_options = options_of(html, "area")
    assert "admin-autocomplete" in period_select
    assert "admin-autocomplete" in area_select
    assert period_options == [str(cast.period.pk)]  # only the chosen one, never the list
    assert area_options == []


def test_the_action_update_form_offers_periods_by_autocomplete(admin_manager_client, cast):
    update = ActionUpdateFactory(action_row=cast.action, reporting_period=cast.period)
    html = admin_manager_client.get(f"/admin/priorities/actionupdate/{update.pk}/change/")
    period_select, period_options = options_of(html.content.decode(), "reporting_period")
    assert "admin-autocomplete" in period_select
    assert period_options == [str(cast.period.pk)]


@pytest.mark.parametrize(
    ("term", "expected"), [("2024/25 Q1", ["2024/25 Q1"]), ("2023", ["2023/24 Q1"])]
)
def test_the_period_autocomplete_finds_a_quarter_of_the_managers_partnerships_only(
    admin_manager_client, cast, elsewhere, term, expected
):
    other_period, _, _ = elsewhere
    ReportingPeriodFactory(partnership=other_period.partnership, financial_year=2024, quarter=1)
    ReportingPeriodFactory(partnership=other_period.partnership, financial_year=2023, quarter=1)
    found = admin_manager_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "indicators",
            "model_name": "return",
            "field_name": "reporting_period",
            "term": term,
        },
    ).json()
    assert [result["text"] for result in found["results"]] == expected


def test_the_area_autocomplete_finds_the_managers_wards_only(admin_manager_client, cast, elsewhere):
    AreaFactory(partnership=cast.partnership, name="Curborough Ward")
    found = admin_manager_client.get(
        "/admin/autocomplete/",
        {"app_label": "indicators", "model_name": "return", "field_name": "area", "term": "ward"},
    ).json()
    assert [result["text"] for result in found["results"]] == ["Curborough Ward"]


def test_every_quarter_links_to_its_figures(admin_manager_client, cast):
    html = admin_manager_client.get("/admin/indicators/reportingperiod/").content.decode()
    assert f"/admin/indicators/return/?reporting_period__id__exact={cast.period.pk}" in html
    assert f"/admin/priorities/actionupdate/?reporting_period__id__exact={cast.period.pk}" in html


def export(user, model, path=""):
    request = RequestFactory().get(f"/admin/export/{path}")
    request.user = user
    model_admin = admin.site._registry[model]
    return model_admin.get_data_for_export(request, model_admin.get_export_queryset(request))


@pytest.mark.parametrize("count", [1, 3])
def test_the_returns_export_costs_the_same_for_any_number_of_rows(
    admin_manager_client, cast, elsewhere, count, django_assert_num_queries
):
    make_returns(cast, count)
    manager = cast.manager
    # The manager's rights (3), their quarters, two filters' choices (their one partnership
    # is nothing to choose), and the rows with what each row's cells read, in one query.
    with django_assert_num_queries(7):
        data = export(manager, Return, "?status__exact=draft")
    assert len(data) == count
    assert set(data["partnership"]) == {"lichfield"}


@pytest.mark.parametrize("count", [1, 3])
def test_the_action_rows_export_costs_the_same_for_any_number_of_rows(
    admin_manager_client, cast, elsewhere, count, django_assert_num_queries
):
    for number in range(count - 1):
        ActionRowFactory(
            priority=cast.priority, order=200 + number, lead_organisations=[cast.police]
        )
    # The manager's rights, the list's filters, the rows, and each list the rows carry,
    # fetched once for all of them.
    with django_assert_num_queries(13):
        data = export(cast.manager, ActionRow)
    assert len(data) == count
    assert ActionUpdate.objects.count() == 0


def test_postgresql_stops_a_statement_before_the_worker_is_killed(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://csp@localhost/csp")
    monkeypatch.delenv("DATABASE_STATEMENT_TIMEOUT_MS", raising=False)
    default = runpy.run_path(str(SETTINGS))["DATABASES"]["default"]
    assert default["OPTIONS"]["options"] == "-c statement_timeout=25000"

    monkeypatch.setenv("DATABASE_STATEMENT_TIMEOUT_MS", "9000")
    default = runpy.run_path(str(SETTINGS))["DATABASES"]["default"]
    assert default["OPTIONS"]["options"] == "-c statement_timeout=9000"

    monkeypatch.setenv("DATABASE_URL", "sqlite:///tmp.sqlite3")
    assert "options" not in runpy.run_path(str(SETTINGS))["DATABASES"]["default"].get("OPTIONS", {})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's own setting")
def test_the_database_session_has_the_statement_timeout(settings):
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        (shown,) = cursor.fetchone()
    expected = settings.DATABASE_STATEMENT_TIMEOUT_MS
    assert shown in {f"{expected}ms", f"{expected // 1000}s"}


def filter_titles(response) -> set[str]:
    return {spec.title for spec in response.context["cl"].filter_specs if spec.has_output()}


@pytest.mark.parametrize(
    ("address", "chosen", "agency"),
    [
        ("/admin/indicators/return/", "indicator__partnership__id__exact", "owner"),
        (
            "/admin/priorities/actionupdate/",
            "reporting_period__partnership__id__exact",
            "lead agency",
        ),
    ],
)
def test_a_superuser_chooses_a_partnership_before_its_quarters_and_agencies(
    admin_client, cast, elsewhere, address, chosen, agency
):
    """Nationally a superuser's lists would offer thousands of agencies and the same quarter
    from every partnership: those are offered once the list is filtered to a partnership."""
    other_period, other_agency, _ = elsewhere
    earlier = ReportingPeriodFactory(partnership=other_period.partnership, financial_year=2029)
    unfiltered = admin_client.get(address)
    assert "partnership" in filter_titles(unfiltered)
    assert not {"reporting period", agency} & filter_titles(unfiltered)

    theirs = admin_client.get(f"{address}?{chosen}={other_period.partnership_id}")
    assert filter_choices(theirs, "reporting period") == {str(other_period), str(earlier)}
    assert filter_choices(theirs, agency) == {other_agency.name}

    ours = admin_client.get(f"{address}?{chosen}={cast.partnership.pk}")
    assert filter_choices(ours, "reporting period") == {str(cast.period), str(cast.last_year)}
    assert other_agency.name not in filter_choices(ours, agency)


def test_a_partnership_that_is_not_a_number_is_refused_clearly(admin_client, cast, elsewhere):
    response = admin_client.get("/admin/indicators/return/?indicator__partnership__id__exact=x")
    assert response.status_code == 302
    assert response.url.endswith("?e=1")  # the admin's own "invalid filter" message
