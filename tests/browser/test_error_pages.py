"""In a real browser: the reviewer's landing page, the refused, missing, expired and unreadable
pages, and the sign-in page with its errors are GOV.UK pages that axe-core finds nothing wrong
with."""

import re

import pytest
from playwright.sync_api import expect

from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reviewer_lands_on_the_members_page_and_is_refused_the_managers(
    page, live_server, sign_in, demo_partnership
):
    sign_in("reviewer", DEMO_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}/members/{demo_partnership.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Members’ page")
    expect(page.get_by_role("link", name=re.compile("Refresh April 2024"))).to_be_visible()
    assert_accessible(page)

    page.goto(f"{live_server.url}/manage/")
    expect(page.get_by_role("heading", level=1)).to_have_text("You cannot see this page")
    expect(page.get_by_text("This page is for partnership managers.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Go to your pages").click()
    expect(page).to_have_url(f"{live_server.url}/members/{demo_partnership.slug}/")

    page.goto(f"{live_server.url}/members/nowhere/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)


def test_a_visitors_missing_page_and_expired_form(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/partnerships/nowhere/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    assert_accessible(page)

    # The form's CSRF cookie is gone by the time it is sent: the form has expired.
    page.goto(f"{live_server.url}/accounts/login/")
    page.context.clear_cookies()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The form has expired")
    assert_accessible(page)


def test_sign_in_errors_are_beside_each_box_and_linked_from_the_summary(
    page, live_server, sign_in, demo_partnership
):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_title(re.compile("^Error: Sign in"))
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("link")).to_have_text(["Enter your username", "Enter your password"])
    expect(page.locator(".govuk-form-group--error")).to_have_count(2)
    expect(page.locator(".govuk-input--error")).to_have_count(2)
    assert_accessible(page)
    summary.get_by_role("link", name="Enter your password").click()
    expect(page.get_by_label("Password")).to_be_focused()

    sign_in("reviewer", "not-the-password")
    expect(summary.get_by_role("link")).to_have_text(["Enter a correct username and password"])
    expect(page.get_by_text("Enter a correct username and password")).to_have_count(1)
    assert_accessible(page)
    summary.get_by_role("link").click()
    expect(page.get_by_label("Username")).to_be_focused()


def test_a_form_sending_more_than_the_service_takes_gets_the_unreadable_page(
    page, live_server, settings
):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 1  # the sign-in form sends three
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("The page sent could not be read")
    expect(page.get_by_text("nothing was saved")).to_be_visible()
    assert_accessible(page)
