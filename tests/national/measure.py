"""Timing each page in-process on both databases, side by side.

For each page: one request on each database to warm up, then rounds taken in turn (demo,
national, demo, national…) so that whatever else the machine does falls on both alike; the
median of each, and the queries of one more request. Public pages are timed uncached: the
cache is cleared before each request (outside the timing), except the "cached" one.
"""

import statistics
import time
from dataclasses import dataclass, field

from .database import use_database
from .pages import Page

ROUNDS = 7
SLOW_SECONDS = 3.0  # a page this slow at national scale gets fewer rounds
FEWEST_ROUNDS = 2


def read_whole(response):
    """The response with its body read: a streamed download costs its time as it is sent."""
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response


@dataclass
class Result:
    """One page on one database."""

    times_ms: list[float] = field(default_factory=list)
    queries: int = 0
    statuses: set[int] = field(default_factory=set)
    slowest_sql: tuple[float, str] = (0.0, "")  # (ms, SQL) of the counted request's slowest

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.times_ms) if self.times_ms else None


class Sides:
    """A test Client per (database, person), each signed in on its own database (sessions
    are rows of the database they were made in)."""

    def __init__(self, databases: list[str]):
        self.databases = databases
        self.current = None
        self.clients: dict[tuple[str, str | None], object] = {}

    def switch(self, database: str) -> None:
        from django.db import connection

        if database != self.current:
            use_database(database)
            connection.ensure_connection()  # connecting is not the page's time
            self.current = database

    def client(self, database: str, user: str | None):
        from django.contrib.auth import get_user_model
        from django.test import Client

        self.switch(database)
        key = (database, user)
        if key not in self.clients:
            client = Client(raise_request_exception=False)
            if user:
                client.force_login(get_user_model().objects.get(username=user))
            self.clients[key] = client
        return self.clients[key]


def untimed_part(page: Page, client):
    """What the timed request needs (a form read from its page), and no cached copy of a
    public page unless the cached one is wanted."""
    from django.core.cache import caches

    needs = page.before(client) if page.before else None
    if page.user is None and not page.cached:
        for cache in caches.all():
            cache.clear()
    return needs


def timed(page: Page, client) -> tuple[float, int]:
    needs = untimed_part(page, client)
    started = time.perf_counter()
    response = read_whole(page.request(client, needs))
    return (time.perf_counter() - started) * 1000, response.status_code


def measure(page: Page, sides: Sides) -> dict[str, Result]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    results = {database: Result() for database in sides.databases}
    slowest = 0.0
    for database in sides.databases:  # warm up: templates, caches, first connection
        took, status = timed(page, sides.client(database, page.user))
        results[database].statuses.add(status)
        slowest = max(slowest, took / 1000)
    rounds = ROUNDS if slowest < SLOW_SECONDS else FEWEST_ROUNDS
    for _ in range(rounds):
        for database in sides.databases:
            took, status = timed(page, sides.client(database, page.user))
            results[database].times_ms.append(took)
            results[database].statuses.add(status)
    for database in sides.databases:
        client = sides.client(database, page.user)
        needs = untimed_part(page, client)
        with CaptureQueriesContext(connection) as queries:
            read_whole(page.request(client, needs))
        results[database].queries = len(queries)
        if queries.captured_queries:
            longest = max(queries.captured_queries, key=lambda query: float(query["time"]))
            results[database].slowest_sql = (float(longest["time"]) * 1000, longest["sql"])
    return results
