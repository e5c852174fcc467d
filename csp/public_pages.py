"""A visitor's request for a public page already cached, or their browser's "changed since?",
answered straight after the static files, before the rest of the middleware.

Such a request carries no session and no form, so sessions, CSRF, messages and sign-in have
nothing to do for it, yet they cost more than the answer itself. The page's stamp is read in
one query as the view would (plans.public_cache); anything else (a first visit, a member, a
query string, a page not cached) goes the whole way as usual. The headers the skipped
middleware would have added are added here, and a test compares them.
"""

from functools import lru_cache

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag

from plans.public_cache import held_page, page_key, stamp_of_request

from .security import CONTENT_SECURITY_POLICY

# Every cached public page lives under it (plans.public_cache's users).
PUBLIC_PREFIX = "/partnerships/"


def public_pages_first(get_response):
    def middleware(request):
        return answered_early(request) or get_response(request)

    return middleware


def answered_early(request):
    if not could_share(request):
        return None
    stamp_of, kwargs = public_page_at(get_urlconf(), request.path_info)
    if stamp_of is None:
        return None
    try:
        found = stamp_of_request(request, stamp_of, kwargs, as_health_check=True)
    except (InterfaceError, OperationalError):  # a kept connection the server dropped?
        connection.health_check_done = False  # Django's own check then replaces it
        return None
    if not found:
        return None
    key = page_key(request, found, False)
    etag, last_modified = quote_etag(key), int(found.changed_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if response is None:  # not a revalidation of this version: the page itself, if held
        response = held_page(key)
        if response is None:
            return None
    response["Content-Length"] = str(len(response.content))
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return as_the_stack_would(response)


@lru_cache(maxsize=2048)
def public_page_at(urlconf, path: str) -> tuple:
    """The stamp function and URL arguments of the public page at `path`, if it is one.
    Remembered: resolving tries the URL patterns one by one, which costs more than the 304."""
    if not path.startswith(PUBLIC_PREFIX):
        return None, None
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None, None
    return getattr(match.func, "public_stamp_of", None), match.kwargs


def could_share(request) -> bool:
    """A visitor's plain GET: no session (so not signed in), no message waiting to be shown, no
    query string (pages with one are rendered each time)."""
    return (
        request.method in ("GET", "HEAD")
        and not request.META.get("QUERY_STRING")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def as_the_stack_would(response):
    """The headers the middleware after this one adds to a visitor's public page."""
    patch_cache_control(response, no_cache=True)
    patch_vary_headers(response, ("Cookie",))
    response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
    return response
