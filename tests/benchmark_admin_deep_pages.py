"""How long the admin's returns list takes a superuser on PostgreSQL at national shape (not a
test): 30 partnerships, each with 30 indicators, 24 quarters and 22 wards, about 500,000
returns inserted with INSERT … SELECT generate_series.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<an empty database> \\
        .venv/bin/python -m tests.benchmark_admin_deep_pages

Prints the median time of the unfiltered list's first page, its deepest page served, a page
past it, one partnership's deepest page, and (with the bound lifted, as before it) the list's
last page; then EXPLAIN ANALYZE of the slowest query seen.
"""

import os
import statistics
import time

PARTNERSHIPS, INDICATORS, WARDS = 30, 30, 22
YEARS = range(2019, 2025)  # 24 quarters
ROUNDS = 5


def build() -> None:
    from datetime import date

    from django.db import connection

    from indicators.models import Indicator, ReportingPeriod, Return
    from plans.models import Area, Organisation, Partnership

    if Return.objects.exists():
        return
    for number in range(1, PARTNERSHIPS + 1):
        partnership = Partnership.objects.create(
            name=f"Partnership {number}", slug=f"partnership-{number}", area_name=f"Area {number}"
        )
        police = Organisation.objects.create(name=f"Police {number}")
        partnership.organisations.add(police)
        Area.objects.bulk_create(
            Area(partnership=partnership, name=f"Ward {ward}") for ward in range(1, WARDS + 1)
        )
        ReportingPeriod.objects.bulk_create(
            ReportingPeriod(partnership=partnership, financial_year=year, quarter=quarter,
                            due_date=date(year + 1, 4, 26))
            for year in YEARS
            for quarter in (1, 2, 3, 4)
        )  # fmt: skip
        Indicator.objects.bulk_create(
            Indicator(partnership=partnership, code=f"IND-{n}", name=f"Indicator {n}",
                      unit="count", owner=police)
            for n in range(1, INDICATORS + 1)
        )  # fmt: skip
    with connection.cursor() as cursor:
        # Each indicator: its whole area (ward 0: no area) and each ward, every quarter.
        cursor.execute(
            """
            INSERT INTO indicators_return (status, returned_reason, revision, created_at,
                updated_at, value, commentary, rag_override, rag_override_reason, indicator_id,
                reporting_period_id, area_id)
            SELECT 'approved', '', 0, now(), now(), ward.n * 3 + quarter.quarter, '', '', '',
                indicator.id, quarter.id, area.id
            FROM indicators_indicator indicator
            CROSS JOIN generate_series(0, %s) AS ward(n)
            JOIN indicators_reportingperiod quarter
                ON quarter.partnership_id = indicator.partnership_id
            LEFT JOIN plans_area area
                ON area.partnership_id = indicator.partnership_id AND area.name = 'Ward ' || ward.n
            """,
            [WARDS],
        )
        cursor.execute("ANALYZE")


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    os.environ.update(DEBUG="false", SECRET_KEY="benchmark-only", SECURE_SSL_REDIRECT="false")
    assert os.environ.get("DATABASE_URL", "").startswith("postgres"), "a PostgreSQL DATABASE_URL"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from indicators.models import Return
    from plans.admin_paging import MAX_ROWS
    from plans.models import Partnership

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    # Production settings, without collected static files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    build()
    returns = Return.objects.count()
    print(f"{returns:,} returns (built or found in {time.perf_counter() - started:.0f} s)")
    superuser, _ = get_user_model().objects.get_or_create(
        username="bench-superuser", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(superuser)
    one = Partnership.objects.order_by("pk").first()
    own = Return.objects.filter(indicator__partnership=one).count()
    deepest = MAX_ROWS // 100
    cases = [
        ("unfiltered, first page", {}, None),
        (f"unfiltered, deepest page served (p={deepest})", {"p": deepest}, None),
        ("unfiltered, p=40000 (shows the deepest served)", {"p": 40000}, None),
        (
            f"one partnership ({own:,}), its last page",
            {"indicator__partnership__id__exact": one.pk, "p": -(-own // 100)},
            None,
        ),
        (
            f"unbounded, as before: last page (p={-(-returns // 100)})",
            {"p": -(-returns // 100)},
            10**9,
        ),
    ]
    # The slowest query seen with the bound, and without it (as before).
    slowest = {True: {"time": "0"}, False: {"time": "0"}}
    for label, query, max_rows in cases:
        settings.ADMIN_LIST_MAX_ROWS = max_rows or MAX_ROWS
        timings = []
        for _ in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get("/admin/indicators/return/", query)
                timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200, (label, response.status_code)
            worst = max(queries, key=lambda q: float(q["time"]))
            if float(worst["time"]) > float(slowest[max_rows is None]["time"]):
                slowest[max_rows is None] = {**worst, "label": label}
        page = response.context["cl"].page_num
        print(
            f"{label:<52} median {statistics.median(timings):8.1f} ms   max {max(timings):8.1f}"
            f" ms   {len(queries):2d} queries   page shown {page}   slowest query"
            f" {float(worst['time']) * 1000:7.1f} ms"
        )
    settings.ADMIN_LIST_MAX_ROWS = MAX_ROWS
    for seen in slowest.values():
        print(f"\nSlowest query ({seen['label']}):\n{seen['sql']}\n")
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + seen["sql"])
            print("\n".join(line for (line,) in cursor.fetchall()))


if __name__ == "__main__":
    main()
