"""Requests against the running production server (see .ci/smoke): public pages, a static file
served by WhiteNoise, and the demo manager signing in. Standard library only.

Every request carries X-Forwarded-Proto: https, as the reverse proxy in front of Gunicorn does,
so the secure cookies and HTTPS redirects of production are in force.
"""

import http.cookies
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

BASE, PASSWORD = sys.argv[1], sys.argv[2]
PLAN = "/partnerships/lichfield/delivery-plan-2022-2025/"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


opener = urllib.request.build_opener(NoRedirect)
cookies: dict[str, str] = {}


def request(path: str, data: dict | None = None, **headers):
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    sent = {
        "X-Forwarded-Proto": "https",
        "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
        **headers,
    }
    try:
        response = opener.open(urllib.request.Request(BASE + path, data=body, headers=sent))
    except urllib.error.HTTPError as error:
        response = error
    for header in response.headers.get_all("Set-Cookie") or []:
        for name, morsel in http.cookies.SimpleCookie(header).items():
            cookies[name] = morsel.value
    return response.status, response.headers, response.read().decode("utf-8", "replace")


def expect(what: str, condition: bool) -> None:
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        sys.exit(1)


for path, words in [
    ("/", "Lichfield District Community Safety Partnership"),
    ("/partnerships/lichfield/", "Delivery plans"),
    (PLAN, "Refresh April 2023"),
    (PLAN + "priorities/domestic-abuse/", "Domestic Abuse"),
    (PLAN + "plan.json", '"title": "Community Safety Delivery Plan'),
    (PLAN + "action-rows.csv", "priority,row,action"),
]:
    status, headers, page = request(path)
    expect(f"GET {path} answers 200 with its content", status == 200 and words in page)
    expect(
        f"GET {path} sends HSTS, a script policy, and refuses framing",
        "max-age=" in headers.get("Strict-Transport-Security", "")
        and "script-src 'self'" in headers.get("Content-Security-Policy", "")
        and headers.get("X-Frame-Options") == "DENY",
    )

status, _, page = request("/")
stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]+\.css)"', page)
expect("the home page links the hashed stylesheet collectstatic wrote", stylesheet is not None)
status, headers, css = request(stylesheet.group(1))
expect(
    "WhiteNoise serves it, cached for a year",
    status == 200 and ".govuk-" in css and "max-age=315360000" in headers["Cache-Control"],
)

status, _, _ = request("/no-such-page/")
expect("an unknown address answers 404", status == 404)

status, _, page = request("/accounts/login/")
token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
expect("the sign-in page has its form", status == 200 and token is not None)
status, headers, _ = request(
    "/accounts/login/",
    {"csrfmiddlewaretoken": token.group(1), "username": "manager", "password": PASSWORD},
    Referer=BASE.replace("http://", "https://") + "/accounts/login/",
)
expect("the demo manager signs in", status == 302 and "sessionid" in cookies)
status, headers, page = request("/manage/")
expect("and reaches Manage returns", status == 200 and "Manage returns" in page)
expect(
    "signed-in pages are not cached",
    "no-store" in headers.get("Cache-Control", "") and "private" in headers["Cache-Control"],
)
