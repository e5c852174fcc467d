"""Public pages served like static files.

A public page is rendered once per change and then served from Django's cache (Redis when
REDIS_URL is set, shared by every worker; else each worker's own memory). The cache key holds
the page's address, what it shows (a version, a partnership) and when that last changed, read
in one small query: a change moves the key, so a stale page is never served and nothing needs
invalidating. The same query answers a browser's "changed since?" with a 304 before anything
is rendered (Django's `condition`).

Only visitors who are not signed in share cached pages: members' pages carry their own
navigation. Addresses with a query string are rendered each time, so a visitor cannot fill the
cache with variants of one page.
"""

import gc
import hashlib
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache as once
from functools import wraps
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.views.decorators.http import condition

# Pages up to this size are kept. A streamed download is kept only if small: holding a large
# one while it is sent would cost the memory streaming saves, so it streams each time.
MAX_CACHED_BYTES = 2 * 1024 * 1024
MAX_KEPT_DOWNLOAD_BYTES = 64 * 1024
# A page's key changes when it does, so old entries are never read again: let them expire.
KEPT_SECONDS = 24 * 60 * 60
# Headers a view sets that belong to the page itself (the middleware adds the rest each time).
PAGE_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin", "Link")


@dataclass(frozen=True)
class Stamp:
    """What a page shows (e.g. "version 12") and when that last changed."""

    shows: str
    changed_at: datetime


class Prepared:
    """One small query compiled by the ORM once and then run as SQL with new values; on
    PostgreSQL, prepared once per connection, so it is not planned again either.

    Every cached page and every 304 makes one query (its stamp): building it through the ORM
    cost more than running it, and planning it more than executing it. `build(**marks)` is
    the queryset, built with a distinct mark for each value (of the field's type); calls pass
    values by the same names. Behind a pooler that cannot keep prepared statements (PgBouncer
    in transaction mode), set DISABLE_SERVER_SIDE_CURSORS on the database, as Django asks.
    """

    made = 0

    def __init__(self, build: Callable, **marks):
        self.build, self.marks = build, marks
        Prepared.made += 1
        self.name = f"csp_prepared_{Prepared.made}"

    @cached_property
    def compiled(self) -> tuple[str, list, dict[int, str], str]:
        queryset = self.build(**self.marks)
        sql, params = queryset.query.sql_with_params()
        slots = {i: name for i, p in enumerate(params) for name, m in self.marks.items() if p == m}
        assert len(slots) == len(self.marks), "a mark must be unlike every other value"
        return sql, list(params), slots, queryset.db

    def first_row(self, **values) -> tuple | None:
        sql, compiled_params, slots, alias = self.compiled
        params = list(compiled_params)  # shared by every thread
        for i, name in slots.items():
            params[i] = values[name]
        connection = connections[alias]
        with connection.cursor() as cursor:
            if self._prepared_on(connection):
                values = f"({', '.join(['%s'] * len(params))})" if params else ""
                cursor.execute(f"EXECUTE {self.name}{values}", params)
            else:
                cursor.execute(sql, params)
            return cursor.fetchone()

    def _prepared_on(self, connection) -> bool:
        """Whether the statement is prepared on this connection (preparing it if need be)."""
        if connection.vendor != "postgresql" or connection.settings_dict.get(
            "DISABLE_SERVER_SIDE_CURSORS"
        ):
            return False
        held = getattr(connection, "prepared_statements", None)
        if held is None or held[0] is not connection.connection:  # a new connection
            held = connection.prepared_statements = (connection.connection, set())
        if self.name not in held[1]:
            numbered = iter(range(1, 1000))
            sql = re.sub("%s", lambda _: f"${next(numbered)}", self.compiled[0])
            # On the connection itself, as Django's own connection setup is: once per
            # connection, not a query of the request that happens to come first.
            with connection.connection.cursor() as setup:
                setup.execute(f"PREPARE {self.name} AS {sql}")
            held[1].add(self.name)
        return True


def as_aware(moment) -> datetime:
    """A timestamp as SQLite's plain SQL returns it (naive, UTC) or PostgreSQL's (aware)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@once
def code_version() -> str:
    """A digest of the templates and the code that render pages, and of the static files'
    manifest: a release that changes how a page looks never meets pages cached before it."""
    digest = hashlib.sha256()
    roots = [Path(settings.BASE_DIR) / name for name in ("templates", "plans", "indicators",
             "priorities", "reporting")]  # fmt: skip
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".html", ".py", ".txt", ".json") and path.is_file():
                digest.update(path.read_bytes())
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


def public_page(stamp_of: Callable[..., Stamp | None]):
    """Serve a public view from the cache, keyed by `stamp_of(**url_kwargs)`, and answer
    conditional requests from the stamp alone. A view whose stamp is None (no such page) runs
    as it is and is never cached. (csp.public_pages answers a visitor's request for a page
    already cached before the rest of the middleware; this is the way for everyone else.)"""

    def decorator(view):
        def last_modified(request, *args, **kwargs):
            found = stamp_of_request(request, stamp_of, kwargs)
            return found.changed_at if found else None

        def etag(request, *args, **kwargs):
            found = stamp_of_request(request, stamp_of, kwargs)
            return page_key(request, found, signed_in(request)) if found else None

        @wraps(view)
        def served(request, *args, **kwargs):
            found = stamp_of_request(request, stamp_of, kwargs)
            if found is None or request.GET or signed_in(request):
                response = view(request, *args, **kwargs)
            else:
                key = page_key(request, found, False)
                held = held_page(key)
                if held is not None:
                    response = held
                else:
                    response = _rendered_and_kept(request, view, key, args, kwargs)
            return response

        conditional = condition(etag_func=etag, last_modified_func=last_modified)(served)

        @wraps(conditional)
        def decorated(request, *args, **kwargs):
            with cycle_collection_paused():
                response = conditional(request, *args, **kwargs)
            patch_cache_control(response, no_cache=True)  # revalidate: never shown stale
            return response

        decorated.public_stamp_of = stamp_of  # for csp.public_pages
        return decorated

    return decorator


def stamp_of_request(
    request, stamp_of, url_kwargs: dict, *, as_health_check: bool = False
) -> Stamp | None:
    """The page's stamp, read once per request (condition asks twice). `as_health_check`: the
    stamp's query stands in for the check Django makes of a kept connection before its first
    query (a round trip of its own); the caller handles a connection found dropped."""
    if not hasattr(request, "public_stamp"):
        if as_health_check:
            connection.health_check_done = True
        request.public_stamp = stamp_of(**url_kwargs)
    return request.public_stamp


def signed_in(request) -> bool:
    return request.user.is_authenticated


def page_key(request, found: Stamp, member: bool) -> str:
    """The page's ETag and cache key: a member's differs, so a visitor's copy never answers
    them."""
    parts = [code_version(), request.path, found.shows, found.changed_at.isoformat(), str(member)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def held_page(key: str) -> HttpResponse | None:
    held = cache.get(f"public-page:{key}")
    if held is None:
        return None
    headers, content = held
    return HttpResponse(content, headers=headers)


def _rendered_and_kept(request, view, key: str, args, kwargs) -> HttpResponse:
    key = f"public-page:{key}"
    response = view(request, *args, **kwargs)
    if response.status_code != 200:
        return response
    headers = {name: response[name] for name in PAGE_HEADERS if response.has_header(name)}
    if response.streaming:
        response.streaming_content = _kept_when_sent(response.streaming_content, key, headers)
    elif len(response.content) <= MAX_CACHED_BYTES:
        cache.set(key, (headers, response.content), timeout=KEPT_SECONDS)
    return response


@contextmanager
def cycle_collection_paused():
    """Rendering a page builds tens of thousands of short-lived objects (a large plan's rows,
    their parts, the template's nodes' output), all freed by reference counting when it is
    done; the cycle collector's passes over them took a third of a large plan's page. Paused
    while rendering, it runs after (on what is left) as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _kept_when_sent(chunks, key: str, headers: dict) -> Iterator[bytes]:
    """A streamed download passed on chunk by chunk, and cached once wholly sent if small."""
    kept: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size <= MAX_KEPT_DOWNLOAD_BYTES:
            kept.append(chunk)
        elif kept:
            kept.clear()
        yield chunk
    if size <= MAX_KEPT_DOWNLOAD_BYTES:
        cache.set(key, (headers, b"".join(kept)), timeout=KEPT_SECONDS)
