"""The officer's entry form at national scale: the page for 1 and for 100 indicators, and
saving a draft of 100 figures against 1, as `make bench` measures them (tests/benchmark.py
builds the agencies and times the saves), in the same run as the pages.

On a copy of the national database, dropped afterwards, so that every save commits as it does
in service and the national database stays as it was built. (Inside one transaction rolled
back instead, each row a save updates would be one the same transaction wrote: PostgreSQL then
checks its foreign keys again and cannot prune its old versions, which a save in service
never meets.)
"""

import contextlib
import io
import statistics
import time

from .database import Databases, Server, use_database
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


def entry_lines(server: Server) -> list[str]:
    """What the entry benchmark printed, measured on a copy of the national database."""
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.benchmark import bench_entry

    databases = Databases(server)
    copy = f"{server.national}_entry"
    use_database(server.demo)  # no session may stay on the national database while it is copied
    databases.drop(copy)
    databases.create(copy, template=server.national, whole_files=True)
    printed = io.StringIO()
    setup_test_environment()  # the saves read the form from the page's context, as tests do
    try:
        use_database(copy)
        with contextlib.redirect_stdout(printed):
            bench_entry(Client(), timed_get)
    finally:
        teardown_test_environment()
        use_database(server.demo)
        databases.drop(copy)
    return printed.getvalue().splitlines()
