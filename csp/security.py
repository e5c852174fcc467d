"""What protects every page: a Content-Security-Policy, no caching of anything shown to someone
signed in (their pages hold figures the public must not see), and who is asking (the visitor's
address, for the limits on signing in and on password resets).

A small middleware of our own: django-csp cannot be installed beside this project, whose
settings package is also called `csp`, and Django's built-in CSP needs Python 3.12.
"""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

# No inline script or style anywhere: our pages load their scripts from /static/. The three
# hashes allow inline style *attributes* in django-import-export's export page and
# django-simple-history's history list ('unsafe-hashes' covers those exact values only).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-hashes'"
        " 'sha256-mHgUAqxc8GPXM/QhzkHrHujcrQTU9fd6ZjWz+icxKcA='"  # padding: 0;
        " 'sha256-+YWRMZ88jMyO7jVlBA52tZADiPobPIUA8LAWee68Fvs='"  # font-weight: bold;
        " 'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='",  # border-top: 0
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def security_headers(get_response):
    def middleware(request):
        response = get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)  # private, no-store: never kept by a proxy
        return response

    return middleware


def client_ip(request) -> str | None:
    """The visitor's address. Behind PROXY_COUNT reverse proxies, each of which appends the
    address it received from to X-Forwarded-For, that is the PROXY_COUNT-th entry from the
    right: the entries to its left were written by the visitor and cannot be trusted."""
    if settings.PROXY_COUNT:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.PROXY_COUNT and forwarded[-settings.PROXY_COUNT]:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR")


def username_for_lockout(request, credentials) -> str:
    """The name django-axes counts failed sign-ins by, cut to what its table holds: Django's
    sign-in form does not check a username's length, and a 6,000-character one would
    otherwise fail the insert (a 500 on PostgreSQL)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(username)[:150]
