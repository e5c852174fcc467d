"""The officer's entry form on the national database: the page for 1 and for 100 indicators,
and saving a draft of 100 figures against 1, as `make bench` measures them (tests/benchmark.py
builds the agencies and times the saves), in the same run as the pages.

It all happens in a transaction rolled back afterwards, so the national database stays as it
was built. Each save then ends at a savepoint, not a commit to disk: a fixed cost per save is
left out of both sides, which makes the ratio, if anything, larger than in service.
"""

import contextlib
import io
import statistics
import time

from .database import use_database
from .measure import ROUNDS, read_whole


def timed_get(label: str, request, rounds: int = ROUNDS) -> None:
    """As tests/benchmark.py's `measure` prints a page: median, worst and queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = read_whole(request())
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (label, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        read_whole(request())
    print(f"{label:<46} median {statistics.median(timings):7.1f} ms"
          f"   max {max(timings):7.1f} ms   {len(queries):3d} queries")  # fmt: skip


def entry_lines(database: str) -> list[str]:
    """What the entry benchmark printed, measured on `database` and then undone."""
    from django.db import transaction
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.benchmark import bench_entry

    use_database(database)
    printed = io.StringIO()
    setup_test_environment()  # the saves read the form from the page's context, as tests do
    try:
        with transaction.atomic(), contextlib.redirect_stdout(printed):
            bench_entry(Client(), timed_get)
            transaction.set_rollback(True)
    finally:
        teardown_test_environment()
    return printed.getvalue().splitlines()
