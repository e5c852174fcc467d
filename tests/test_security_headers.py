"""Headers that protect every page: a Content-Security-Policy with no inline script, and no
caching of anything shown to someone signed in."""

import pytest

from csp.security import CONTENT_SECURITY_POLICY
from tests.factories import PlanVersionFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/", "/accounts/login/", "/admin/login/", "/no-such-page/"])
def test_every_page_forbids_inline_scripts_and_framing(client, url):
    response = client.get(url)

    policy = response["Content-Security-Policy"]
    assert policy == CONTENT_SECURITY_POLICY
    directives = dict(d.split(" ", 1) for d in policy.split("; "))
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in policy
    assert directives["frame-ancestors"] == "'none'"


def test_pages_carry_no_inline_script(client, cast):
    client.force_login(cast.officer)
    for url in ["/", "/accounts/login/", "/returns/"]:
        page = client.get(url).content.decode()
        assert "<script>" not in page
        assert '<script type="module">' not in page


def test_signed_in_pages_are_never_stored(client, cast):
    client.force_login(cast.manager)

    for url in ["/manage/", "/", f"/manage/periods/{cast.period.pk}/"]:
        cache_control = client.get(url)["Cache-Control"]
        assert "private" in cache_control
        assert "no-store" in cache_control


def test_public_pages_may_be_revalidated_by_caches(client):
    version = PlanVersionFactory(published=True)

    response = client.get(version.plan.get_absolute_url())

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
