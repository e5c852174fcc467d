"""The open data read from the database as it is written: a plan's JSON and CSV and a
partnership's figures come a batch of rows at a time, in a fixed number of queries per batch,
the same bytes whatever the batch size, and in memory that does not grow with the plan."""

import json
import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import streaming
from priorities.models import ActionRow, Priority
from reporting import public as reporting_public
from tests.benchmark_downloads import build_figures
from tests.builders import build_plan, build_published_figures
from tests.factories import (
    ActionUpdateFactory,
    AreaFactory,
    OrganisationFactory,
    ReportingPeriodFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def plan_url(version, name: str) -> str:
    # A query string: rendered afresh each time, never served from the public page cache.
    return f"{version.plan.get_absolute_url()}{name}?fresh=1"


def sent(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return response.getvalue()


@pytest.fixture
def in_batches_of(monkeypatch):
    """Read rows `size` at a time instead of ROWS_AT_A_TIME."""

    def use(size: int) -> None:
        monkeypatch.setattr(streaming.in_batches, "__defaults__", (size,))
        monkeypatch.setattr(reporting_public, "FIGURES_AT_A_TIME", size)

    return use


@pytest.fixture
def varied_plan():
    """Three priorities of three rows, the middle one without rows, with a theme, hotspots,
    a supporting agency and an approved update that puts the last row off track."""
    version = build_plan(priorities=4, rows_per_priority=3)
    partnership = version.plan.partnership
    ActionRow.objects.filter(priority__order=2).delete()
    theme = ThemeFactory(plan_version=version, name="Violence")
    first = Priority.objects.get(plan_version=version, order=1)
    first.theme = theme
    first.save()
    first.hotspots.add(
        AreaFactory(partnership=partnership, name="Ward B"),
        AreaFactory(partnership=partnership, name="Ward A"),
    )
    last_row = ActionRow.objects.filter(priority__plan_version=version).order_by("pk").last()
    last_row.theme = theme
    last_row.save()
    helper = OrganisationFactory(name="Helping Charity")
    partnership.organisations.add(helper)
    last_row.supporting_organisations.add(helper)
    quarter = ReportingPeriodFactory(
        partnership=partnership, financial_year=2024, quarter=1, reported=True
    )
    ActionUpdateFactory(
        action_row=last_row, reporting_period=quarter, status="approved", action_status="off_track"
    )
    return version


@pytest.mark.parametrize("name", ["plan.json", "action-rows.csv"])
def test_the_plan_is_written_the_same_whatever_the_batch_size(
    client, varied_plan, in_batches_of, name
):
    whole = sent(client, plan_url(varied_plan, name))
    for size in (1, 2, 4):
        in_batches_of(size)
        assert sent(client, plan_url(varied_plan, name)) == whole


def test_each_priority_gets_its_own_rows_across_batches(client, varied_plan, in_batches_of):
    in_batches_of(2)

    data = json.loads(sent(client, plan_url(varied_plan, "plan.json")))

    rows = {p["title"]: [row["action"] for row in p["action_rows"]] for p in data["priorities"]}
    assert rows == {
        "Priority 1": [f"Priority 1 action {n}" for n in (1, 2, 3)],
        "Priority 2": [],
        "Priority 3": [f"Priority 3 action {n}" for n in (1, 2, 3)],
        "Priority 4": [f"Priority 4 action {n}" for n in (1, 2, 3)],
    }
    first, *_, last = data["priorities"]
    assert first["theme"] == "Violence"
    assert first["hotspots"] == ["Ward A", "Ward B"]
    assert last["action_rows"][-1]["status"] == "Off track"
    assert last["action_rows"][-1]["theme"] == "Violence"
    assert last["action_rows"][-1]["supporting_organisations"] == ["Helping Charity"]
    assert last["action_rows"][0]["status"] == "Not started"  # as the plan says: no update


@pytest.mark.parametrize("name", ["plan.json", "action-rows.csv"])
def test_the_rows_are_read_while_the_download_is_sent(client, varied_plan, name):
    with CaptureQueriesContext(connection) as before_sending:
        response = client.get(plan_url(varied_plan, name))
    with CaptureQueriesContext(connection) as while_sending:
        response.getvalue()

    def reads_rows(queries):
        return any('FROM "priorities_actionrow"' in query["sql"] for query in queries)

    assert not reads_rows(before_sending)
    assert reads_rows(while_sending)


# When the version last changed (the page cache's stamp) and the version; for the JSON, its
# themes, area groups (none here) and sections. Then a batch of priorities and their hotspots,
# and a batch of rows with their outcomes, data lines, lead and supporting agencies and public
# updates.
PLAN_QUERIES = {"plan.json": 13, "action-rows.csv": 10}


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize(("name", "queries"), PLAN_QUERIES.items())
def test_the_plan_downloads_cost_the_same_for_any_number_of_rows(
    client, django_assert_num_queries, name, queries, count
):
    version = build_plan(priorities=count, rows_per_priority=count, indicators=count)

    with django_assert_num_queries(queries):
        body = sent(client, plan_url(version, name))

    assert f"Priority {count} action {count}".encode() in body


# When the partnership's figures last changed (the page cache's stamp), the partnership, then
# the published figures in one query.
FIGURES_QUERIES = 3


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("name", ["figures.csv", "figures.json"])
def test_the_figures_cost_the_same_for_any_number_of_indicators(
    client, django_assert_num_queries, name, count
):
    world = build_published_figures(indicators=count, quarters=2)

    with django_assert_num_queries(FIGURES_QUERIES):
        body = sent(client, f"/partnerships/{world.partnership.slug}/{name}?fresh=1")

    assert f"IND-{count}".encode() in body


@pytest.mark.parametrize("name", ["figures.csv", "figures.json"])
def test_the_figures_are_written_the_same_whatever_the_batch_size(client, in_batches_of, name):
    world = build_published_figures(indicators=3, quarters=2)
    url = f"/partnerships/{world.partnership.slug}/{name}?fresh=1"
    whole = sent(client, url)

    in_batches_of(2)  # a quarter's table by area split across batches

    assert sent(client, url) == whole


def peak_while_downloading(client, url: str) -> tuple[int, int]:
    """(peak Python memory of the whole request, bytes sent), read a chunk at a time."""
    tracemalloc.start()
    try:
        response = client.get(url)
        size = sum(len(chunk) for chunk in response.streaming_content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak, size


@pytest.mark.parametrize("name", ["plan.json", "action-rows.csv"])
def test_a_plan_ten_times_larger_is_sent_in_the_same_memory(client, name):
    small = build_plan(priorities=5, rows_per_priority=80, slug="small")
    large = build_plan(priorities=50, rows_per_priority=80, slug="large")
    peak_while_downloading(client, plan_url(small, name))  # imports and caches, once

    small_peak, small_size = peak_while_downloading(client, plan_url(small, name))
    large_peak, large_size = peak_while_downloading(client, plan_url(large, name))

    assert large_size > 9 * small_size
    assert large_peak < 1.5 * small_peak


@pytest.mark.parametrize("name", ["figures.csv", "figures.json"])
def test_ten_times_the_figures_are_sent_in_the_same_memory(client, name):
    build_figures(30, 1, slug="small")  # 960 figures: two batches
    build_figures(300, 1, slug="large")  # 9,600
    url = "/partnerships/{}/" + name + "?fresh=1"
    peak_while_downloading(client, url.format("small"))

    small_peak, small_size = peak_while_downloading(client, url.format("small"))
    large_peak, large_size = peak_while_downloading(client, url.format("large"))

    assert large_size > 9 * small_size
    assert large_peak < 1.5 * small_peak
