"""Public pages are rendered once per change and then served from the cache; a browser's
"changed since?" is answered from one small query before anything is rendered; and whatever
changes a page reaches the next reader at once (plans/public_cache.py)."""

import gc
from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import OperationalError

from indicators.models import Return
from plans import public as public_module
from plans import public_cache
from plans.models import PlanVersion
from plans.public import partnership_stamp, version_stamp
from plans.public_cache import Stamp
from priorities.views import public as plan_views
from reporting.views import public as result_views
from tests import factories as f
from tests.builders import build_published_figures

pytestmark = pytest.mark.django_db

PAGES = {
    "plan": "/partnerships/{slug}/{plan}/",
    "numbered version": "/partnerships/{slug}/{plan}/versions/{number}/",
    "priority": "/partnerships/{slug}/{plan}/priorities/{priority}/",
    "plan JSON": "/partnerships/{slug}/{plan}/plan.json",
    "action rows CSV": "/partnerships/{slug}/{plan}/action-rows.csv",
    "partnership": "/partnerships/{slug}/",
    "indicator": "/partnerships/{slug}/indicators/IND-1/",
    "report": "/partnerships/{slug}/reports/2023-24-q4/",
    "report CSV": "/partnerships/{slug}/reports/2023-24-q4/report.csv",
    "figures CSV": "/partnerships/{slug}/figures.csv",
}


def published(indicators: int = 1):
    """A public partnership whose plan has one priority with `indicators` indicators, each
    with approved figures in published quarters."""
    world = build_published_figures(indicators=indicators, quarters=2)
    world.version = world.partnership.plans.get().versions.get()
    world.priority = world.version.priorities.get()
    return world


def address(world, page: str) -> str:
    return PAGES[page].format(
        slug=world.partnership.slug,
        plan=world.version.plan.slug,
        number=world.version.number,
        priority=world.priority.slug,
    )


def body(response) -> bytes:
    return response.getvalue() if response.streaming else response.content


@pytest.fixture
def no_rendering(monkeypatch):
    """From here on, a view that renders or streams fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendered")

    def now():
        for module in (plan_views, result_views):
            monkeypatch.setattr(module, "render", refuse)
            monkeypatch.setattr(module, "streamed", refuse)
        monkeypatch.setattr(result_views.exports, "report_response", refuse)

    return now


@pytest.mark.parametrize("indicators", [1, 3])
@pytest.mark.parametrize("page", PAGES)
def test_a_revalidation_is_answered_from_one_query_before_rendering(
    client, django_assert_num_queries, no_rendering, page, indicators
):
    world = published(indicators)
    first = client.get(address(world, page))
    assert first.status_code == 200
    no_rendering()

    with django_assert_num_queries(1):
        again = client.get(address(world, page), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    with django_assert_num_queries(1):
        since = client.get(
            address(world, page), headers={"If-Modified-Since": first["Last-Modified"]}
        )
    assert since.status_code == 304


@pytest.mark.parametrize("indicators", [1, 3])
@pytest.mark.parametrize("page", PAGES)
def test_a_page_is_rendered_once_then_served_from_the_cache(
    client, django_assert_num_queries, no_rendering, page, indicators
):
    world = published(indicators)
    first = client.get(address(world, page))
    sent = body(first)  # a download is kept once wholly sent
    no_rendering()

    with django_assert_num_queries(1):
        again = client.get(address(world, page))
    assert again.status_code == 200
    assert body(again) == sent
    for header in ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin", "ETag"):
        assert again.get(header) == first.get(header)
    assert "no-cache" in again["Cache-Control"]


def test_editing_the_plan_reaches_the_cached_page_at_once(client):
    world = published()
    assert b"Knife crime" not in client.get(address(world, "plan")).content

    world.priority.title = "Knife crime"
    world.priority.save()

    for page in ("plan", "priority"):
        assert b"Knife crime" in client.get(address(world, page)).content


def test_reopening_a_figure_takes_it_off_the_cached_pages_at_once(client):
    world = published()
    figure = whole_area_figure(world)
    pages = ("indicator", "priority", "figures CSV")
    for page in pages:  # cached with the figure
        assert shows_figure(client, world, page)

    figure.reopen(world.manager, "Typed over")

    for page in pages:
        assert not shows_figure(client, world, page), page


def shows_figure(client, world, page: str) -> bool:
    """Whether the page shows 4321, as pages write it (4,321) or as open data does."""
    text = body(client.get(address(world, page))).decode()
    return ("4321" if page.endswith("CSV") else "4,321") in text


def whole_area_figure(world) -> Return:
    """The first indicator's latest figure for the whole area, made distinctive."""
    figure = Return.objects.get(
        indicator=world.indicators[0], reporting_period=world.period, area=None
    )
    Return.objects.filter(pk=figure.pk).update(value=Decimal("4321"))
    figure.refresh_from_db()
    return figure


def test_approving_a_figure_reaches_the_cached_pages_at_once(client):
    world = published()
    figure = whole_area_figure(world)
    figure.reopen(world.manager, "Typed over")
    for page in ("indicator", "priority", "figures CSV"):
        assert not shows_figure(client, world, page)
    Return.objects.filter(pk=figure.pk).update(status="submitted")  # sent in again
    figure.refresh_from_db()

    figure.approve(world.manager)

    for page in ("indicator", "priority", "figures CSV"):
        assert shows_figure(client, world, page), page


def test_a_figure_of_an_indicator_no_plan_links_reaches_its_page(client):
    world = published()
    unlinked = f.IndicatorFactory(partnership=world.partnership, owner=None, code="SOLO")
    figure = f.ReturnFactory(indicator=unlinked, reporting_period=world.period,
                             value=Decimal("777"), status="submitted")  # fmt: skip
    url = f"/partnerships/{world.partnership.slug}/indicators/SOLO/"
    assert "777" not in client.get(url).content.decode()

    figure.approve(world.manager)

    assert "777" in client.get(url).content.decode()


def test_a_fund_or_risk_edit_reaches_the_cached_results_pages(client):
    world = published()
    fund = world.partnership.funds.get()
    risk = world.partnership.risks.first()
    client.get(address(world, "partnership"))
    client.get(address(world, "report"))

    fund.name = "Safer Streets Fund round 9"
    fund.save()
    risk.title = "Ward boundaries redrawn"
    risk.save()

    assert (
        "Safer Streets Fund round 9" in client.get(address(world, "partnership")).content.decode()
    )
    assert "Ward boundaries redrawn" in client.get(address(world, "report")).content.decode()


def test_unpublishing_the_plan_takes_every_cached_page_down_at_once(client):
    world = published()
    for page in PAGES:
        assert client.get(address(world, page)).status_code == 200

    world.version.unpublish(world.manager, "Published by mistake")

    for page in PAGES:
        assert client.get(address(world, page)).status_code == 404, page


def test_a_refresh_published_moves_the_plans_address_on(client):
    world = published()
    client.get(address(world, "plan"))
    refresh = f.PlanVersionFactory(plan=world.version.plan, label="Refresh April 2024")
    f.PriorityFactory(plan_version=refresh, title="Exploitation")

    refresh.publish(world.manager, on=date(2024, 4, 1))

    assert b"Exploitation" in client.get(address(world, "plan")).content


def test_members_never_get_the_visitors_copy_nor_leave_theirs(client, django_assert_num_queries):
    world = published()
    url = address(world, "plan")
    visitors = client.get(url)
    assert b"Sign out" not in visitors.content

    client.force_login(world.manager)
    members = client.get(url)
    assert b"Sign out" in members.content
    assert members["ETag"] != visitors["ETag"]  # a visitor's copy never answers a member
    assert "no-store" in members["Cache-Control"]

    client.logout()
    assert b"Sign out" not in client.get(url).content


def test_an_address_with_a_query_string_is_rendered_each_time(client, django_assert_num_queries):
    world = published()
    url = address(world, "plan") + "?utm_source=newsletter"
    client.get(url)

    with django_assert_num_queries(15):  # the stamp and the whole page, as the first time
        assert client.get(url).status_code == 200


def test_a_missing_page_is_never_cached(client, django_assert_num_queries):
    world = published()
    url = f"/partnerships/{world.partnership.slug}/indicators/NOPE/"
    assert client.get(url).status_code == 404
    f.IndicatorFactory(partnership=world.partnership, code="NOPE", name="Arson")

    assert "Arson" in client.get(url).content.decode()


def test_a_new_release_never_serves_pages_cached_before_it(client, monkeypatch):
    world = published()
    url = address(world, "plan")
    first = client.get(url)
    monkeypatch.setattr(public_cache, "code_version", lambda: "next-release")

    again = client.get(url, headers={"If-None-Match": first["ETag"]})

    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_large_download_streams_each_time_rather_than_being_kept(
    client, monkeypatch, django_assert_num_queries
):
    world = published(indicators=3)
    monkeypatch.setattr(public_cache, "MAX_KEPT_DOWNLOAD_BYTES", 100)
    url = address(world, "action rows CSV")
    sent = client.get(url).getvalue()
    assert len(sent) > 100

    again = client.get(url)

    assert again.streaming  # not from the cache
    assert again.getvalue() == sent


def test_the_code_version_changes_with_the_templates(tmp_path, settings):
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>One</p>")
    settings.BASE_DIR = tmp_path
    settings.STATIC_ROOT = tmp_path / "static"
    public_cache.code_version.cache_clear()
    try:
        before = public_cache.code_version()
        public_cache.code_version.cache_clear()
        page.write_text("<p>Two</p>")
        assert public_cache.code_version() != before
    finally:
        public_cache.code_version.cache_clear()


def test_workers_share_pages_through_redis(client, settings, django_assert_num_queries):
    """Production's shared cache (REDIS_URL): a page one worker rendered is served by another."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
            "KEY_PREFIX": "csp-test-public-pages",
        }
    }
    world = published()
    url = address(world, "plan")
    try:
        sent = client.get(url).content

        with django_assert_num_queries(1):
            again = client.get(url)
        assert again.content == sent
    finally:
        cache.clear()


def test_stamps_read_what_the_orm_reads():
    world = published()
    slug, plan = world.partnership.slug, world.version.plan.slug
    draft = f.PlanVersionFactory(plan=world.version.plan)
    PlanVersion.objects.filter(pk=draft.pk).mark_changed()  # a draft edited since
    version = PlanVersion.objects.get(pk=world.version.pk)
    draft.refresh_from_db()

    assert version_stamp(slug, plan) == Stamp(f"version {version.pk}", version.updated_at)
    assert version_stamp(slug, plan, version.number) == version_stamp(slug, plan)
    assert version_stamp(slug, plan, draft.number) is None  # not public
    assert partnership_stamp(slug) == Stamp(f"partnership {world.partnership.pk}",
                                            draft.updated_at)  # fmt: skip
    assert draft.updated_at > version.updated_at


@pytest.mark.parametrize("slug", ["figures' OR '1'='1", "figures%", "", "FIGURES"])
def test_odd_addresses_find_no_stamp(slug):
    published()
    assert version_stamp(slug, "community-safety-delivery-plan") is None
    assert partnership_stamp(slug) is None


# ---- answered before the rest of the middleware (csp/public_pages.py) -----------------------


@pytest.mark.parametrize("page", ["plan", "partnership", "indicator", "plan JSON"])
def test_a_page_answered_early_carries_the_headers_the_whole_stack_gives(client, page):
    world = published()
    url = address(world, page)
    rendered = client.get(url)
    sent = body(rendered)  # a download is kept once sent

    early = client.get(url)
    assert dict(early.headers) == dict(rendered.headers) | {"Content-Length": str(len(sent))}

    early_304 = client.get(url, headers={"If-None-Match": early["ETag"]})
    client.cookies["sessionid"] = "no-such-session"  # the whole way, as a visitor still
    whole_way_304 = client.get(url, headers={"If-None-Match": early["ETag"]})
    assert early_304.status_code == whole_way_304.status_code == 304
    assert dict(early_304.headers) == dict(whole_way_304.headers)


@pytest.mark.parametrize(
    "request_headers",
    [
        {"Cookie": "messages=waiting"},  # a message to show: only the stack reads it
        {"Cookie": "sessionid=abc"},
    ],
)
def test_only_a_plain_visitors_request_is_answered_early(client, monkeypatch, request_headers):
    world = published()
    url = address(world, "plan")
    client.get(url)

    def refuse(key):
        raise AssertionError("answered early")

    monkeypatch.setattr("csp.public_pages.held_page", refuse)
    assert client.get(url, headers=request_headers).status_code == 200
    assert client.get(url + "?page=2").status_code == 200
    assert client.post(url).status_code == 405


def test_a_plans_title_or_a_correction_reaches_the_cached_page_at_once(client):
    world = published()
    client.get(address(world, "plan"))
    plan = world.version.plan

    plan.title = "Safer Lichfield Plan"
    plan.save()
    assert b"Safer Lichfield Plan" in client.get(address(world, "plan")).content

    world.version.record_correction(world.manager, "Fixed a ward's name")
    assert b"Fixed a ward&#x27;s name" in client.get(address(world, "plan")).content


def test_the_cycle_collector_is_paused_while_a_page_renders(client, monkeypatch):
    world = published()
    seen = []
    build = plan_views.plan_page_context

    def watched(version):
        seen.append(gc.isenabled())
        return build(version)

    monkeypatch.setattr(plan_views, "plan_page_context", watched)
    assert gc.isenabled()

    client.get(address(world, "plan"))

    assert seen == [False]
    assert gc.isenabled()  # restored after


def test_a_dropped_connection_on_the_early_path_goes_the_whole_way(client, monkeypatch):
    """The early path's stamp query stands in for Django's connection check: if the server
    dropped the kept connection, the request is served the usual way on a new one."""
    world = published()
    url = address(world, "plan")
    sent = client.get(url).content
    real = public_module._CURRENT.first_row
    calls = []

    def dropped_once(**values):
        calls.append(values)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(**values)

    monkeypatch.setattr(public_module._CURRENT, "first_row", dropped_once)

    again = client.get(url)

    assert again.status_code == 200
    assert again.content == sent
    assert len(calls) == 2  # once early (dropped), once the whole way


def test_the_home_page_is_cached_until_its_list_changes(client, django_assert_num_queries):
    world = published()
    assert world.partnership.name in client.get("/").content.decode()
    with django_assert_num_queries(1):
        client.get("/")

    world.partnership.name = "Tamworth Community Safety Partnership"
    world.partnership.save()
    assert "Tamworth Community Safety Partnership" in client.get("/").content.decode()

    other = f.PlanVersionFactory(published=True).plan.partnership  # a second partnership
    assert other.name in client.get("/").content.decode()

    other.plans.get().versions.get().unpublish(world.manager, "Too early")
    assert other.name not in client.get("/").content.decode()
