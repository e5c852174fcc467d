"""Speed and memory of the main pages, measured on a throwaway database (not a test).

    make bench        # or: .venv/bin/python -m tests.benchmark
    .venv/bin/python -m tests.benchmark entry     # the officer's entry page only
    .venv/bin/python -m tests.benchmark plan      # the plan page uncached, demo to 100x
    PROFILE=1 .venv/bin/python -m tests.benchmark plan   # and where the 100x page's time goes

Prints, for the demo plan and for a plan ten times its size: median and worst time of each
page over repeated requests, its number of queries, and the peak Python memory it used.
"""

import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from urllib.parse import urlencode

ROUNDS = 15
SAVE_ROUNDS = 41  # saves are quick: more rounds steady their medians
FORM_ENCODED = "application/x-www-form-urlencoded"


def read_whole(response):
    """The response with its body read: a streamed download costs its time as it is sent."""
    if getattr(response, "streaming", False):
        response.getvalue()
    return response


def measure(label: str, request, rounds: int = ROUNDS) -> None:
    """Print a page's median and worst time over `rounds` requests, then the queries and the
    peak Python memory of one more."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(rounds):
        reset_queries()
        started = time.perf_counter()
        response = read_whole(request())
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (200, 302), (label, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        tracemalloc.start()
        read_whole(request())
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(
        f"{label:<46} median {statistics.median(timings):7.1f} ms"
        f"   max {max(timings):7.1f} ms   {len(queries):3d} queries"
        f"   peak {peak / 1024:8.0f} KiB"
    )


def main() -> None:
    only_entry = sys.argv[1:] == ["entry"]
    only_plan = sys.argv[1:] == ["plan"]
    folder = tempfile.mkdtemp(prefix="csp-bench-")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "csp.settings")
    # Production settings (cached templates), without HTTPS redirects or collected static files.
    os.environ.update(DEBUG="false", SECRET_KEY="benchmark-only", SECURE_SSL_REDIRECT="false")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # so responses carry their template context, as in tests

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from indicators.models import Indicator, ReportingPeriod
    from tests.builders import build_plan, build_published_figures

    client = Client()

    print(f"Rounds per page: {ROUNDS}. Database: SQLite in {folder}.")
    if only_entry:
        bench_entry(client, measure)
        return
    if only_plan:
        bench_plan_page(client, measure)
        return

    big = build_plan(priorities=70, rows_per_priority=6, indicators=40)
    demo_indicators = Indicator.objects.filter(partnership__slug="lichfield").count()
    # The report at 10x: ten times the demo's indicators, each with eight published quarters.
    reported = build_published_figures(indicators=10 * demo_indicators, quarters=8, slug="tenfold")
    demo = "/partnerships/lichfield/delivery-plan-2022-2025/"
    large = f"/partnerships/big/{big.plan.slug}/"
    for name, base, priority in (
        ("demo plan (41 rows)", demo, "anti-social-behaviour"),
        ("10x plan (420 rows)", large, "priority-1"),
    ):
        measure(f"plan page, {name}", lambda base=base: client.get(base))
        measure(
            f"priority page, {name}",
            lambda base=base, p=priority: client.get(f"{base}priorities/{p}/"),
        )
        measure(f"action rows CSV, {name}", lambda base=base: client.get(f"{base}action-rows.csv"))
        measure(f"plan JSON, {name}", lambda base=base: client.get(f"{base}plan.json"))

    # The plan's year: copying a version into a draft, a member reading the draft, and what
    # changed, at demo size and at 10x.
    from plans.models import Membership
    from priorities.refresh import start_refresh

    big_partnership = big.plan.partnership
    big_reader = get_user_model().objects.create(username="big-manager")
    Membership.objects.create(
        user=big_reader,
        partnership=big_partnership,
        organisation=big_partnership.organisations.first(),
        role=Membership.Role.MANAGER,
    )
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        big_draft = start_refresh(big, big_reader, "Refresh")
    print(
        f"{'yearly refresh copy, 10x plan (420 rows)':<46} once   "
        f"{(time.perf_counter() - started) * 1000:7.1f} ms"
        f"                  {len(queries):3d} queries"
    )
    for name, base, reader, old, draft_number in (
        ("demo plan", demo, "reviewer", 2, 3),
        ("10x plan", large, "big-manager", 1, big_draft.number),
    ):
        client.force_login(get_user_model().objects.get(username=reader))
        measure(f"draft page, {name}", lambda b=base, n=draft_number: client.get(f"{b}drafts/{n}/"))
        measure(
            f"what changed with the draft, {name}",
            lambda b=base, o=old, n=draft_number: client.get(f"{b}changes/{o}-{n}/"),
        )
        client.logout()

    # The quarterly report and the public results, at demo size and at 10x.
    manager = get_user_model().objects.get(username="manager")
    demo_q4 = ReportingPeriod.objects.get(
        partnership__slug="lichfield", financial_year=2023, quarter=4
    )
    for name, slug, period, manager_user in (
        (f"demo ({demo_indicators} indicators)", "lichfield", demo_q4, manager),
        (f"10x ({10 * demo_indicators} indicators)", "tenfold", reported.period, reported.manager),
    ):
        client.force_login(manager_user)
        measure(f"report page, {name}", lambda p=period: client.get(f"/reports/{p.pk}/"))
        measure(f"report XLSX, {name}", lambda p=period: client.get(f"/reports/{p.pk}/report.xlsx"))
        client.logout()
        public = f"/partnerships/{slug}/"
        measure(f"public report, {name}", lambda b=public: client.get(f"{b}reports/2023-24-q4/"))
        code = Indicator.objects.filter(partnership__slug=slug).order_by("code").first().code
        measure(
            f"indicator page, {name}", lambda b=public, c=code: client.get(f"{b}indicators/{c}/")
        )
        measure(f"open data JSON, {name}", lambda b=public: client.get(f"{b}figures.json"))

    # The plan page rendered afresh at 100x (demo size and 10x are measured above).
    bench_plan_page(client, measure, sizes=PLAN_SIZES[1:], with_demo=False)

    # Last: its agencies join the demo partnership, which the pages above measure as loaded.
    bench_entry(client, measure)


PLAN_SIZES = ((10, "10x plan (420 rows)"), (100, "100x plan (4,200 rows)"))


def bench_plan_page(client, measure, sizes=PLAN_SIZES, *, with_demo=True) -> None:
    """The plan page rendered afresh (the public page cache cleared before each request) at
    demo size and at each of `sizes` times it, then the largest profiled: where its time goes."""
    import cProfile
    import pstats

    from django.core.cache import cache

    from tests.builders import build_plan

    def uncached(url: str):
        def request():
            cache.clear()
            return client.get(url)

        return request

    pages = [("demo plan (41 rows)", "lichfield/delivery-plan-2022-2025")] if with_demo else []
    for times, name in sizes:
        version = build_plan(
            priorities=7 * times, rows_per_priority=6, indicators=40, slug=f"plan{times}x"
        )
        pages.append((name, f"plan{times}x/{version.plan.slug}"))
    for name, path in pages:
        # A slow page needs fewer rounds for a steady median.
        rounds = ROUNDS if "100x" not in name else int(os.environ.get("PLAN_ROUNDS", 5))
        measure(f"plan page uncached, {name}", uncached(f"/partnerships/{path}/"), rounds)
    if os.environ.get("PROFILE"):
        profiler = cProfile.Profile()
        request = uncached(f"/partnerships/{pages[-1][1]}/")
        profiler.runcall(request)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


def bench_entry(client, measure) -> None:
    """The officer's entry page of an agency with 1 indicator, the demo's police (as loaded)
    and an agency with 100, each indicator with its last four quarters approved and a target;
    then saving a draft of every figure at 1 and at 100 indicators."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from indicators.models import Indicator, IndicatorTarget, ReportingPeriod, Return
    from plans.models import Membership, Organisation
    from priorities.models import DataLine
    from tests.entry_helpers import entry_form_data

    period = ReportingPeriod.objects.get(partnership__slug="lichfield", is_open=True)
    partnership = period.partnership
    earlier = list(
        ReportingPeriod.objects.filter(partnership=partnership, financial_year=2023).order_by(
            "quarter"
        )
    )
    lines = list(
        DataLine.objects.filter(action_row__priority__plan_version__plan__partnership=partnership)
    )

    def agency(size: int):
        organisation = Organisation.objects.create(name=f"Bench agency of {size}")
        partnership.organisations.add(organisation)
        officer = get_user_model().objects.create(username=f"bench-officer-{size}")
        Membership.objects.create(
            user=officer, partnership=partnership, organisation=organisation, role="officer"
        )
        made = Indicator.objects.bulk_create(
            Indicator(partnership=partnership, owner=organisation, code=f"BENCH-{size}-{n}",
                      name=f"Benchmark {size}/{n}", unit="count", good_direction="down")
            for n in range(size)
        )  # fmt: skip
        Return.objects.bulk_create(
            Return(indicator=indicator, reporting_period=quarter, value=10 + quarter.quarter,
                   status="approved")
            for indicator in made
            for quarter in earlier
        )  # fmt: skip
        IndicatorTarget.objects.bulk_create(
            IndicatorTarget(indicator=indicator, financial_year=2024, value=60)
            for indicator in made
        )
        DataLine.indicators.through.objects.bulk_create(
            DataLine.indicators.through(dataline=lines[n % len(lines)], indicator=indicator)
            for n, indicator in enumerate(made)
        )
        return officer, f"/returns/{period.pk}/{organisation.pk}/"

    police = Organisation.objects.get(name="Staffordshire Police")
    demo_size = Indicator.objects.owed_by(police, partnership.pk).count()
    pages = {
        1: agency(1),
        demo_size: (get_user_model().objects.get(username="officer"),
                    f"/returns/{period.pk}/{police.pk}/"),
        100: agency(100),
    }  # fmt: skip
    for size, (officer, url) in pages.items():
        client.force_login(officer)
        measure(
            f"entry page, {size} indicator{'s' if size > 1 else ''} (GET)",
            lambda u=url: client.get(u),
        )

    def draft_saver(size: int, changed: int):
        """A function that saves a draft on the page of `size` indicators with `changed` of
        its figures changed, as the officer would after reloading the page; it returns the
        time taken in ms and the queries made."""
        officer, url = pages[size]

        def save() -> tuple[float, int]:
            client.force_login(officer)
            data = {**entry_form_data(client.get(url)), "action": "draft"}
            boxes = [key for key in data if key.startswith("returns-") and key.endswith("-value")]
            for box in boxes[:changed]:
                data[box] = "12" if data[box] == "11" else "11"
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                # As a browser sends the form (it has no enctype): url-encoded, not multipart.
                response = client.post(url, urlencode(data), content_type=FORM_ENCODED)
                took = (time.perf_counter() - started) * 1000
            assert response.status_code == 302, (size, response.status_code)
            return took, len(queries)

        save()  # the first creates the rows: the ones timed update them, as officers do
        return save

    # Taken in turn, round after round, so that whatever else the machine does falls on every
    # case alike; each ratio is the median of the rounds' own ratios.
    cases = [(1, 1), (demo_size, 1), (100, 1), (100, 100)]
    savers = {case: draft_saver(*case) for case in cases}
    timings = {case: [] for case in cases}
    queries = {}
    for _ in range(SAVE_ROUNDS):
        for case in cases:
            took, queries[case] = savers[case]()
            timings[case].append(took)
    for size, changed in cases:
        times = timings[size, changed]
        label = f"save draft, {changed} of {size} indicator{'s' if size > 1 else ''} changed"
        print(
            f"{label:<46} median {statistics.median(times):7.1f} ms"
            f"   max {max(times):7.1f} ms   {queries[size, changed]:3d} queries"
        )

    def ratio(case, base) -> float:
        return statistics.median(a / b for a, b in zip(timings[case], timings[base], strict=True))

    print(
        f"{'save draft ratio, 100 of 100 / 1 of 1':<46} {ratio((100, 100), (1, 1)):7.2f}"
        f"   (/ 1 of {demo_size}: {ratio((100, 100), (demo_size, 1)):.2f};"
        f" 100 / 1 changed of 100: {ratio((100, 100), (100, 1)):.2f})"
    )
    client.logout()


if __name__ == "__main__":
    main()
