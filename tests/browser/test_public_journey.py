"""A resident's journey: home → partnership → plan → priority → CSV, accessible at every step,
printable, and whole without JavaScript."""

import csv
import io
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_reads_the_plan_a_priority_and_downloads_the_action_rows(
    page, live_server, demo_partnership
):
    page.goto(live_server.url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Community safety delivery plans")
    assert_accessible(page)

    page.get_by_role("link", name="Lichfield District Community Safety Partnership").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Lichfield District Community Safety Partnership"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Read the Community Safety Delivery Plan 2022–2025").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Community Safety Delivery Plan 2022–2025"
    )
    contents = page.get_by_role("navigation", name="Contents")
    # The sections, the demo's priority areas, the priorities.
    expect(contents.get_by_role("link")).to_have_count(5 + 1 + 7)
    expect(page.locator("table.app-action-table tbody tr")).to_have_count(41)
    assert_accessible(page)

    contents.get_by_role("link", name="County Lines").click()
    expect(page.locator("#priority-county-lines")).to_be_in_viewport()
    page.get_by_role("link", name="County Lines on its own page, with its latest figures").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("County Lines")
    expect(page.get_by_role("table").last).to_contain_text("2023/24 Q4")
    assert_accessible(page)

    page.get_by_role("link", name="Community Safety Delivery Plan 2022–2025").last.click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Action rows of this plan (CSV)").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert len(rows) == 41
    assert rows[0]["action"] == "Further develop the local MARAC"


def test_printing_the_plan_gives_a_clean_document(page, live_server, demo_partnership):
    page.goto(f"{live_server.url}/partnerships/lichfield/delivery-plan-2022-2025/")
    page.emulate_media(media="print")

    expect(page.locator(".govuk-service-navigation__wrapper")).to_be_hidden()
    expect(page.locator(".govuk-footer")).to_be_hidden()
    expect(page.locator(".govuk-breadcrumbs")).to_be_hidden()
    row = page.locator("table.app-action-table tbody tr").first
    assert row.evaluate("row => getComputedStyle(row).breakInside") == "avoid"
    head = page.locator("table.app-action-table thead").first
    assert head.evaluate("head => getComputedStyle(head).display") == "table-header-group"

    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")
    assert pdf.count(b"/Type /Page\n") + pdf.count(b"/Type /Page ") + pdf.count(b"/Type/Page") > 5


def test_the_plan_reads_whole_without_javascript(browser, live_server, demo_partnership):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/partnerships/lichfield/delivery-plan-2022-2025/")
    expect(page.locator("table.app-action-table tbody tr")).to_have_count(41)
    expect(page.get_by_role("link", name="Skip to main content")).to_be_attached()
    context.close()


def test_an_earlier_version_is_marked_and_accessible(page, live_server, demo_partnership):
    version = demo_partnership.plans.get().versions.published().get()
    refresh = version.plan.versions.get(label="Refresh April 2024")  # the demo's, in review
    refresh.publish(None, on=date(2024, 4, 1))

    page.goto(f"{live_server.url}{version.get_absolute_url()}")
    expect(page.get_by_text("This version (Refresh April 2023) has been replaced")).to_be_visible()
    expect(
        page.get_by_role("link", name="Read the current version (Refresh April 2024)")
    ).to_be_visible()
    assert_accessible(page)
