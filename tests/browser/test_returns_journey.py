"""The quarter's round trip in a real browser: the officer drafts, comes back, submits; the
manager returns one figure; the officer corrects it; the manager approves; the public sees it."""

import pytest
from playwright.sync_api import expect

from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

DA_CRIMES = "Domestic abuse related crimes recorded"


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def fill_figures(page, values, *, start=0, stop=None):
    boxes = page.locator("input[name$='-value']")
    for index in range(start, boxes.count() if stop is None else stop):
        boxes.nth(index).fill(values)


def test_officer_and_manager_complete_a_quarter_and_the_public_sees_it(
    page, live_server, sign_in, demo_partnership
):
    # The officer signs in, lands on Due and opens the entry page.
    sign_in("officer", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your returns")
    expect(page.get_by_text("Overdue")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Enter returns").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for 2024/25 Q1")
    assert_accessible(page)

    # Half the figures, then a draft.
    boxes = page.locator("input[name$='-value']")
    half = boxes.count() // 2
    fill_figures(page, "40", stop=half)
    page.get_by_role("button", name="Save draft").first.click()
    expect(page.get_by_text("Your returns for 2024/25 Q1 were saved as a draft.")).to_be_visible()

    # Sign out and back in: the draft is there.
    sign_out(page)
    sign_in("officer", DEMO_PASSWORD)
    expect(page.locator(".govuk-tag", has_text="Draft").first).to_be_visible()
    page.get_by_role("link", name="Enter returns").click()
    expect(boxes.first).to_have_value("40")
    expect(boxes.nth(half)).to_have_value("")

    # Submitting a half-filled page sends what is complete and says, beside each box, what
    # the rest still needs.
    page.get_by_role("button", name="Submit to the partnership manager").first.click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("were not submitted: they stay as they are")).to_be_visible()
    expect(page.locator(".govuk-error-message").first).to_be_visible()
    assert_accessible(page)

    # Complete everything and submit. Commentary, rating and rank are folded under each
    # figure: the officer opens them.
    fill_figures(page, "40")
    folded = page.locator("details.govuk-details:not([open]) > summary")
    while folded.count():
        folded.first.click()
    # The ratings are computed from the targets; the officer overrides one, saying why.
    page.locator("select[name$='-rag_override']").first.select_option("amber")
    page.locator("textarea[name$='-rag_override_reason']").first.fill("A new recording rule.")
    for box in page.locator("textarea[name$='-commentary']").all():
        box.fill("Checked against the police system.")
    for box in page.locator("textarea[name$='-progress']").all():
        box.fill("Meetings held as planned.")
    page.get_by_role("button", name="Submit to the partnership manager").first.click()
    expect(page.get_by_text("were submitted to the partnership manager")).to_be_visible()
    expect(page.locator("input[name$='-value']")).to_have_count(0)
    sign_out(page)

    # The manager returns one figure with a reason.
    sign_in("manager", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage returns")
    assert_accessible(page)
    page.get_by_role("link", name="2024/25 Q1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for 2024/25 Q1")
    assert_accessible(page)
    page.get_by_role("link", name=f"Review {DA_CRIMES}").click()
    assert_accessible(page)
    page.get_by_label("Return to the officer", exact=True).check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.get_by_text("Say why, so the officer knows what to change.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why are you returning it?").fill(
        "Q1 total looks low: please recheck with the crime system."
    )
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.get_by_text(f"Returned to the officer: {'DA-CRIMES'}")).to_be_visible()
    sign_out(page)

    # The officer sees why, corrects the figure and resubmits.
    sign_in("officer", DEMO_PASSWORD)
    page.get_by_role("link", name="Enter returns").click()
    expect(page.get_by_text("Q1 total looks low")).to_be_visible()
    expect(page.locator("input[name$='-value']")).to_have_count(1)
    page.locator("input[name$='-value']").fill("321")
    page.locator("textarea[name$='-commentary']").fill("Recounted: includes late crimes.")
    page.get_by_role("button", name="Submit to the partnership manager").first.click()
    expect(page.get_by_text("were submitted to the partnership manager")).to_be_visible()
    sign_out(page)

    # The manager approves it, and sees its history.
    sign_in("manager", DEMO_PASSWORD)
    page.get_by_role("link", name="2024/25 Q1").click()
    page.get_by_role("link", name=f"Review {DA_CRIMES}").click()
    expect(page.get_by_text("Value: 40.00 → 321.00")).to_be_visible()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.get_by_text("Approved: DA-CRIMES")).to_be_visible()

    # The board has seen it: the manager publishes the quarter's report.
    page.get_by_role("link", name="The 2024/25 Q1 report").click()
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_text("The 2024/25 Q1 report is published")).to_be_visible()

    # The public priority page shows the approved figure.
    page.goto(
        f"{live_server.url}/partnerships/lichfield/delivery-plan-2022-2025/"
        "priorities/domestic-abuse/"
    )
    row = page.get_by_role("row", name=DA_CRIMES)
    expect(row).to_contain_text("321")
    expect(row).to_contain_text("2024/25 Q1")
    assert_accessible(page)


def test_sign_in_and_password_pages_are_accessible(page, live_server, sign_in, demo_partnership):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/password_reset/")
    assert_accessible(page)
    sign_in("officer", DEMO_PASSWORD)
    page.get_by_role("link", name="Change password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")
    assert_accessible(page)
