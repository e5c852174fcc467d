"""Browser tests: Playwright driving the system Chromium against pytest-django's live server.

A missing Chromium is an error, never a skip: CI must not pass without the browser tests.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import load_demo

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# The tests use the ORM between browser steps, inside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (apt-get install -y chromium).")
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_FLAGS}


@pytest.fixture
def sign_in(page, live_server):
    """Sign in through the sign-in page, as a person would."""

    def sign_in_as(username: str, password: str) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return sign_in_as


@pytest.fixture
def demo_partnership(transactional_db):
    """The demo, committed so that the live server's own connection sees it; the database is
    emptied after each test."""
    return load_demo()


@pytest.fixture(autouse=True)
def no_content_security_policy_violations(request):
    """Every page a browser test opens loads without anything refused by the CSP."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield
    assert not refused, "The Content-Security-Policy refused:\n" + "\n".join(refused)
