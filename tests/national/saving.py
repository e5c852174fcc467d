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

from .database import Databases, Server, use_database


def entry_lines(server: Server) -> list[str]:
    """What the entry benchmark printed, measured on a copy of the national database."""
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment

    from tests.benchmark import bench_entry, measure

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
            bench_entry(Client(), measure)
    finally:
        teardown_test_environment()
        use_database(server.demo)
        databases.drop(copy)
    return printed.getvalue().splitlines()
