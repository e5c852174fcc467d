"""Speed and memory of the main pages, measured on a throwaway database (not a test).

    make bench        # or: .venv/bin/python -m tests.benchmark

Prints, for the demo plan and for a plan ten times its size: median and worst time of each
page over repeated requests, its number of queries, and the peak Python memory it used.
"""

import os
import statistics
import tempfile
import time
import tracemalloc

ROUNDS = 15


def main() -> None:
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
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    setup_test_environment()  # so responses carry their template context, as in tests

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115

    from indicators.models import Indicator, ReportingPeriod
    from plans.models import Organisation
    from tests.builders import build_plan, build_published_figures

    big = build_plan(priorities=70, rows_per_priority=6, indicators=40)
    demo_indicators = Indicator.objects.filter(partnership__slug="lichfield").count()
    # The report at 10x: ten times the demo's indicators, each with eight published quarters.
    reported = build_published_figures(indicators=10 * demo_indicators, quarters=8, slug="tenfold")
    client = Client()

    def measure(label: str, request) -> None:
        timings = []
        for _ in range(ROUNDS):
            reset_queries()
            started = time.perf_counter()
            response = request()
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 302), (label, response.status_code)
        with CaptureQueriesContext(connection) as queries:
            tracemalloc.start()
            request()
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
        print(
            f"{label:<46} median {statistics.median(timings):7.1f} ms"
            f"   max {max(timings):7.1f} ms   {len(queries):3d} queries"
            f"   peak {peak / 1024:8.0f} KiB"
        )

    demo = "/partnerships/lichfield/delivery-plan-2022-2025/"
    large = f"/partnerships/big/{big.plan.slug}/"
    print(f"Rounds per page: {ROUNDS}. Database: SQLite in {folder}.")
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

    # An officer's entry page: 100 indicators saved as a draft in one post.
    police = Organisation.objects.get(name="Staffordshire Police")
    period = ReportingPeriod.objects.get(partnership__slug="lichfield", is_open=True)
    have = Indicator.objects.filter(owner=police, partnership=period.partnership).count()
    Indicator.objects.bulk_create(
        Indicator(partnership=period.partnership, owner=police, code=f"BENCH-{n}",
                  name=f"Benchmark {n}", unit="count")
        for n in range(100 - have)
    )  # fmt: skip
    client.force_login(get_user_model().objects.get(username="officer"))
    url = f"/returns/{period.pk}/{police.pk}/"
    page = client.get(url)
    data = {}
    for formset in (page.context["returns"], page.context["updates"]):
        for form in [formset.management_form, *formset.forms]:
            for field in form.fields:
                value = form[field].value()
                data[form.add_prefix(field)] = "" if value is None else value
    measure("entry page, 100 indicators (GET)", lambda: client.get(url))

    def save_draft():
        fresh = client.get(url)  # the current revisions, as a person reloading would have
        for form in fresh.context["returns"].forms:
            data[form.add_prefix("value")] = str(7 + int(time.time() * 1000) % 5)
            data[form.add_prefix("revision")] = form["revision"].value()
        return client.post(url, {**data, "action": "draft"})

    measure("entry page, 100 indicators (GET + save draft)", save_draft)


if __name__ == "__main__":
    main()
