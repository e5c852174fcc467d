"""Peak Python memory of the open-data downloads, measured on a throwaway database (not a test).

    .venv/bin/python -m tests.benchmark_downloads

Builds a plan 10 and 100 times the demo's (70 and 700 priorities of six action rows) and a
partnership with 10 and 100 times the demo's published figures, then downloads each plan's
plan.json and action-rows.csv and each partnership's figures.csv and figures.json as a browser
would: chunk by chunk, never holding the whole body. Prints, for each, the body's size, the
time, the number of queries and the peak Python memory (tracemalloc) of the whole request.
"""

import os
import tempfile
import time
import tracemalloc
from datetime import UTC, date, datetime


def download(client, url: str) -> tuple[int, int, float]:
    """(bytes, chunks, milliseconds) of the download, read a chunk at a time."""
    started = time.perf_counter()
    # A query string keeps the public page cache out of it: every download is written afresh.
    response = client.get(url, {"uncached": "1"})
    assert response.status_code == 200, (url, response.status_code)
    size = chunks = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        size += len(chunk)
        chunks += 1
    response.close()
    return size, chunks, (time.perf_counter() - started) * 1000


def build_figures(times: int, demo_indicators: int, slug: str):
    """A partnership with `times` the demo's indicators, each with eight published quarters
    for the whole area and three wards: about `times` the demo's published figures."""
    from indicators.models import Indicator, ReportingPeriod, Return
    from plans.models import Area, Organisation, Partnership, Plan, PlanVersion

    partnership = Partnership.objects.create(name=f"{slug} CSP", slug=slug, area_name=slug)
    police = Organisation.objects.create(name=f"{slug} Police")
    partnership.organisations.add(police)
    plan = Plan.objects.create(
        partnership=partnership, title="Plan", start_year=2022, end_year=2025
    )
    PlanVersion.objects.create(
        plan=plan, number=1, label="Version 1", status="published", published_on=date(2023, 4, 1)
    )
    areas = Area.objects.bulk_create(
        Area(partnership=partnership, name=f"Ward {n}") for n in range(1, 4)
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(partnership=partnership, financial_year=year, quarter=quarter,
                        due_date=date(year + 1, 4, 26),
                        report_published_at=datetime(year + 1, 5, 1, tzinfo=UTC))
        for year in (2022, 2023)
        for quarter in (1, 2, 3, 4)
    )  # fmt: skip
    indicators = Indicator.objects.bulk_create(
        Indicator(partnership=partnership, code=f"IND-{n}", name=f"Indicator {n}", unit="count",
                  owner=police)
        for n in range(1, times * demo_indicators + 1)
    )  # fmt: skip
    Return.objects.bulk_create(
        (
            Return(indicator=indicator, reporting_period=period, area=area, status="approved",
                   value=3 + number, comparison_rank=2, comparison_group_size=15)
            for indicator in indicators
            for period in periods
            for number, area in enumerate([None, *areas])
        ),
        batch_size=2000,
    )  # fmt: skip


def main() -> None:
    folder = tempfile.mkdtemp(prefix="csp-bench-downloads-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    os.environ.update(DEBUG="false", SECRET_KEY="benchmark-only", SECURE_SSL_REDIRECT="false")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from indicators.models import Indicator, Return
    from tests.builders import build_plan

    client = Client()
    demo_indicators = Indicator.objects.filter(partnership__slug="lichfield").count()
    demo_figures = Return.objects.public().filter(indicator__partnership__slug="lichfield").count()
    print(
        f"Database: SQLite in {folder}. Demo: 41 action rows, {demo_indicators} indicators, "
        f"{demo_figures} published figures."
    )
    downloads = []
    for times in (10, 100):
        version = build_plan(priorities=7 * times, rows_per_priority=6, slug=f"plan{times}x")
        base = f"/partnerships/plan{times}x/{version.plan.slug}/"
        rows = f"{times}x plan ({42 * times:,} rows)"
        downloads += [(f"plan.json, {rows}", f"{base}plan.json")]
        downloads += [(f"action-rows.csv, {rows}", f"{base}action-rows.csv")]
        build_figures(times, demo_indicators, slug=f"figures{times}x")
        figures = Return.objects.public().filter(indicator__partnership__slug=f"figures{times}x")
        label = f"{times}x figures ({figures.count():,})"
        for name in ("figures.csv", "figures.json"):
            downloads.append((f"{name}, {label}", f"/partnerships/figures{times}x/{name}"))

    for label, url in downloads:
        download(client, url)  # once to warm imports and caches
        with CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            size, chunks, took = download(client, url)
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(
            f"{label:<40} {size / 1024:8.0f} KiB in {chunks:5d} chunks {took:8.1f} ms"
            f"   {len(queries):4d} queries   peak {peak / 1024:8.0f} KiB"
        )


if __name__ == "__main__":
    main()
