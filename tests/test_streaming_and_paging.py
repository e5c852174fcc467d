"""At national scale: the home page a page of partnerships at a time, searchable by name or area,
in a fixed number of queries; the open data streamed as it is written, byte for byte what it
was, without the whole file in memory."""

import csv
import io
import json
import tracemalloc
from datetime import date

import pytest
from django.http import JsonResponse
from django.utils.http import http_date

from plans.models import PlanVersion
from plans.streaming import StreamedList, csv_lines, gathered, json_chunks
from tests.builders import build_plan, build_published_figures
from tests.factories import (
    ActionRowFactory,
    DataLineFactory,
    OrganisationFactory,
    OutcomeFactory,
    PartnershipFactory,
    PlanVersionFactory,
    PriorityFactory,
)

pytestmark = pytest.mark.django_db


def publish_partnerships(count, *, area="Shire"):
    """`count` partnerships with a published plan, named so that their order is their number."""
    for n in range(1, count + 1):
        partnership = PartnershipFactory(name=f"Partnership {n:02d}", area_name=f"{area} {n:02d}")
        PlanVersionFactory(plan__partnership=partnership, published=True)


def listed(page: str) -> list[str]:
    return [line.split(">")[1].split("<")[0] for line in page.split('href="/partnerships/')[1:]]


def names_on(page: str) -> list[str]:
    return [name for name in listed(page) if name.startswith("Partnership ")]


# ---- the home page ----------------------------------------------------------------------------


def test_the_home_page_shows_twenty_partnerships_a_page_in_name_order(client):
    publish_partnerships(25)

    first = client.get("/").content.decode()
    second = client.get("/?page=2").content.decode()

    assert names_on(first) == [f"Partnership {n:02d}" for n in range(1, 21)]
    assert names_on(second) == [f"Partnership {n:02d}" for n in range(21, 26)]
    assert 'class="govuk-pagination" aria-label="Pages of partnerships"' in first
    assert 'href="?page=2" rel="next"' in first
    assert 'rel="prev"' not in first
    assert 'href="?page=1" rel="prev"' in second
    assert 'rel="next"' not in second
    assert 'aria-label="Page 2" aria-current="page">2</a>' in second
    assert "(page 2 of 2)" in second


def test_one_page_of_partnerships_has_no_pagination(client):
    publish_partnerships(3)

    page = client.get("/").content.decode()

    assert len(names_on(page)) == 3
    assert "govuk-pagination" not in page


def test_a_partnership_is_listed_once_however_many_public_versions_and_plans(client):
    publish_partnerships(2)
    twice = PartnershipFactory(name="Partnership 03", area_name="Shire 03")
    PlanVersionFactory(plan__partnership=twice, published=True)
    PlanVersionFactory(plan__partnership=twice, published=True, plan__title="Another plan")
    PartnershipFactory(name="Partnership 04")  # no public plan: not listed

    page = client.get("/").content.decode()

    assert names_on(page) == ["Partnership 01", "Partnership 02", "Partnership 03"]
    assert page.count("Another plan") == 1


def test_a_partnerships_plans_are_listed_once_each_newest_first_with_the_current_version(
    client,
):
    partnership = PartnershipFactory(name="Partnership 01")
    older = PlanVersionFactory(
        plan__partnership=partnership, plan__title="Plan 2019", plan__start_year=2019,
        plan__end_year=2021, status=PlanVersion.Status.SUPERSEDED, label="First edition",
        published_on=date(2019, 4, 1),
    )  # fmt: skip
    PlanVersionFactory(plan=older.plan, published=True, label="Refresh 2020")
    PlanVersionFactory(plan=older.plan, label="Draft 2021")  # not public
    PlanVersionFactory(
        plan__partnership=partnership, plan__title="Plan 2022", plan__start_year=2022,
        plan__end_year=2025, published=True, label="Adopted 2022",
    )  # fmt: skip
    PlanVersionFactory(plan__partnership=partnership, plan__title="Unpublished plan")

    page = client.get("/").content.decode()

    assert page.count("Plan 2019") == 1
    assert page.index("Plan 2022") < page.index("Plan 2019")
    assert "(Refresh 2020)" in page
    assert "(Adopted 2022)" in page
    assert "First edition" not in page
    assert "Draft 2021" not in page
    assert "Unpublished plan" not in page


@pytest.mark.parametrize(
    ("asked", "shown"),
    [("abc", 1), ("", 1), ("1.5", 1), ("999", 2), ("0", 2), ("-3", 2), ("9" * 400, 2)],
)
def test_a_page_number_that_is_no_page_gives_the_first_or_last_page(client, asked, shown):
    publish_partnerships(25)

    response = client.get("/", {"page": asked})

    assert response.status_code == 200
    assert f'aria-label="Page {shown}" aria-current="page"' in response.content.decode()


def test_the_search_finds_partnerships_by_name_or_area_whatever_the_case(client):
    publish_partnerships(3)
    lichfield = PartnershipFactory(name="Lichfield District CSP", area_name="Staffordshire")
    PlanVersionFactory(plan__partnership=lichfield, published=True)

    by_name = client.get("/", {"q": "  LICHFIELD "}).content.decode()
    by_area = client.get("/", {"q": "fordSHIRE"}).content.decode()
    by_number = client.get("/", {"q": "shire 02"}).content.decode()

    assert listed(by_name)[0] == "Lichfield District CSP"
    assert names_on(by_name) == []
    assert "1 partnership matches “LICHFIELD”." in by_name
    assert 'value="LICHFIELD"' in by_name
    assert listed(by_area)[0] == "Lichfield District CSP"
    assert names_on(by_number) == ["Partnership 02"]
    assert 'role="search"' in by_name


def test_a_search_that_matches_nothing_says_so(client):
    publish_partnerships(2)

    page = client.get("/", {"q": "Atlantis"}).content.decode()

    assert "No partnership matches “Atlantis”." in page
    assert names_on(page) == []
    assert 'href="/">Show every partnership</a>' in page
    assert "No partnership has published a plan yet." not in page


def test_the_search_does_not_find_a_partnership_with_only_a_draft(client):
    PlanVersionFactory(plan__partnership__name="Secret Draft Partnership")

    page = client.get("/", {"q": "secret"}).content.decode()

    assert "No partnership matches “secret”." in page


def test_search_results_are_paged_and_the_page_links_keep_the_search(client):
    publish_partnerships(45)

    page = client.get("/", {"q": "shire"}).content.decode()
    last = client.get("/", {"q": "shire", "page": "3"}).content.decode()

    assert "45 partnerships match “shire”." in page
    assert 'href="?q=shire&amp;page=2" rel="next"' in page
    assert names_on(last) == [f"Partnership {n:02d}" for n in range(41, 46)]
    assert 'href="?q=shire&amp;page=2" rel="prev"' in last


def test_a_long_search_gets_a_page(client):
    publish_partnerships(1)

    response = client.get("/", {"q": "x" * 5000, "page": "abc"})

    assert response.status_code == 200
    assert "No partnership matches “" + "x" * 100 + "”." in response.content.decode()


def test_the_page_links_are_elided_at_national_scale(client):
    publish_partnerships(141)  # eight pages

    page = client.get("/", {"page": "5"}).content.decode()

    assert page.count('govuk-pagination__item--ellipses">&ctdot;</li>') == 1
    for shown in (1, 4, 5, 6, 7, 8):
        assert f'aria-label="Page {shown}"' in page
    for hidden in (2, 3):
        assert f'aria-label="Page {hidden}"' not in page


@pytest.mark.parametrize("count", [1, 3, 25])
def test_the_home_page_reads_a_page_in_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    """The page's stamp (plans.public_cache), a count, the page of partnerships, and the
    current versions of their plans."""
    publish_partnerships(count)

    with django_assert_num_queries(4):
        page = client.get("/", {"q": "partnership"}).content.decode()

    assert len(names_on(page)) == min(count, 20)


# ---- streamed open data -----------------------------------------------------------------------


@pytest.fixture
def small_plan():
    version = PlanVersionFactory(
        published=True, plan__title="Safer Streets", plan__partnership__name="Small CSP"
    )
    priority = PriorityFactory(plan_version=version, title="Violence", slug="violence")
    police = OrganisationFactory(name="Small Police")
    row = ActionRowFactory(
        priority=priority, description="Patrol hotspots", lead_organisations=[police]
    )
    OutcomeFactory(action_row=row, text="Fewer assaults", order=1)
    OutcomeFactory(action_row=row, text="=HYPERLINK(1)", order=2)
    DataLineFactory(action_row=row, text="Assaults recorded")
    ActionRowFactory(priority=priority, description="=Share data")
    return version


def open_data_url(version, name):
    return f"{version.plan.get_absolute_url()}{name}"


def test_the_action_rows_csv_is_streamed_byte_for_byte_as_before(client, small_plan):
    response = client.get(open_data_url(small_plan, "action-rows.csv"))

    assert response.streaming
    assert response.getvalue().decode() == (
        "priority,row,action,outcomes,data,lead_organisations,supporting_organisations,"
        "theme,status\r\n"
        'Violence,1,Patrol hotspots,"Fewer assaults\n=HYPERLINK(1)",Assaults recorded,'
        "Small Police,,,On track\r\n"
        "Violence,2,'=Share data,,,,,,On track\r\n"
    )


def test_the_plan_json_is_streamed_byte_for_byte_as_json_response_wrote_it(client, small_plan):
    response = client.get(open_data_url(small_plan, "plan.json"))

    body = response.getvalue()
    data = json.loads(body)
    assert response.streaming
    assert response["Content-Type"] == "application/json"
    assert body == JsonResponse(data, json_dumps_params={"indent": 2}).content
    [priority] = data["priorities"]
    assert [row["action"] for row in priority["action_rows"]] == ["Patrol hotspots", "=Share data"]
    assert priority["action_rows"][1]["outcomes"] == []
    assert '"action_rows": [\n' in body.decode()


def test_a_plan_without_priorities_writes_an_empty_list(client):
    version = PlanVersionFactory(published=True)

    body = client.get(open_data_url(version, "plan.json")).getvalue().decode()

    assert '"priorities": []\n}' in body


@pytest.mark.parametrize("name", ["plan.json", "action-rows.csv"])
def test_the_streamed_plan_keeps_its_headers_and_is_revalidated(client, small_plan, name):
    small_plan.refresh_from_db()
    url = open_data_url(small_plan, name)

    response = client.get(url)

    assert response["Last-Modified"] == http_date(small_plan.updated_at.timestamp())
    assert response["Cache-Control"] == "no-cache"
    assert response["Access-Control-Allow-Origin"] == "*"
    again = client.get(url, HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_the_action_rows_csv_keeps_its_file_name(client, small_plan):
    response = client.get(open_data_url(small_plan, "action-rows.csv"))

    assert response["Content-Disposition"] == (
        f'attachment; filename="{small_plan.plan.slug}-version-{small_plan.number}-action-rows.csv"'
    )


def test_a_big_plans_csv_is_sent_in_many_chunks_without_the_whole_file_in_memory(client):
    """Memory is measured from the second chunk on: the first pays once for what any download
    needs (the iterators, Django's related managers), whatever the plan's size. The rows are
    read a batch at a time as they are sent, so the peak is one batch's, whatever the plan's
    size (tests/test_streamed_rows.py compares plans ten times apart)."""
    version = build_plan(priorities=10, rows_per_priority=400)
    response = client.get(f"/partnerships/big/{version.plan.slug}/action-rows.csv")
    chunks = iter(response.streaming_content)
    first = next(chunks)

    tracemalloc.start()
    try:
        size, count = len(first), 1
        for chunk in chunks:
            size += len(chunk)
            count += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert size > 400_000
    assert count > 40
    assert peak < 1_000_000  # one batch of rows (plans.streaming.ROWS_AT_A_TIME)


def test_the_figures_are_streamed_with_their_headers(client):
    world = build_published_figures(indicators=3, quarters=2)
    slug = world.partnership.slug

    as_csv = client.get(f"/partnerships/{slug}/figures.csv")
    as_json = client.get(f"/partnerships/{slug}/figures.json")

    assert as_csv.streaming
    assert as_json.streaming
    assert as_csv["Content-Disposition"] == f'attachment; filename="{slug}-figures.csv"'
    for response in (as_csv, as_json):
        assert response["Access-Control-Allow-Origin"] == "*"
        assert "open-government-licence" in response["Link"]
    table = list(csv.DictReader(io.StringIO(as_csv.getvalue().decode())))
    body = as_json.getvalue()
    data = json.loads(body)
    assert body.decode() == json.dumps(data, indent=2)
    assert len(data["figures"]) == len(table) == 3 * (2 + 3)
    assert [row["value"] for row in table][:2] == ["90", "91"]
    assert data["figures"][0]["value"] == 90


def test_a_partnership_without_published_figures_streams_empty_open_data(client):
    version = PlanVersionFactory(published=True)
    slug = version.plan.partnership.slug

    body = client.get(f"/partnerships/{slug}/figures.json").getvalue().decode()
    lines = client.get(f"/partnerships/{slug}/figures.csv").getvalue().decode()

    assert body.endswith('"figures": []\n}')
    assert lines == "indicator,name,unit,period,area,value,note,rank,status\r\n"


# ---- the streaming helpers ---------------------------------------------------------------------


@pytest.mark.parametrize("items", [[], [1], [{"a": [1, 2]}, "b", None]])
def test_a_streamed_list_is_written_as_json_dumps_writes_the_list(items):
    data = {"before": 1, "items": StreamedList(iter(items)), "after": []}

    written = "".join(json_chunks(data, indent=2))

    assert written == json.dumps({"before": 1, "items": items, "after": []}, indent=2)


def test_csv_lines_are_what_csv_writer_writes():
    rows = [["a", 'say "hi"'], ["two\nlines", 3]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows([["h1", "h2"], *rows])

    assert "".join(csv_lines(["h1", "h2"], iter(rows))) == buffer.getvalue()


def test_small_pieces_are_gathered_into_chunks():
    chunks = list(gathered(("x" * 3 for _ in range(10)), size=7))

    assert chunks == ["xxxxxxxxx"] * 3 + ["xxx"]
