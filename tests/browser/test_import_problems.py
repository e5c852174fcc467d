"""A manager imports action rows into the demo's draft refresh in a real browser: a sheet with
mistakes shows every problem as text, listed at the top; the keyboard reaches each one and
follows it to its row and column; the corrected sheet previews every column and imports.
axe-core checks each page, and nothing is refused by the Content-Security-Policy."""

import re

import pytest
import tablib
from playwright.sync_api import expect

from priorities.demo import DEMO_PASSWORD
from priorities.models import ActionRow
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

HEADERS = ["priority", "order", "action", "outcomes", "data", "indicators", "lead_organisations"]


def upload(page, sheet: tablib.Dataset) -> None:
    page.get_by_label("File to import").set_input_files(
        files=[{"name": "rows.csv", "mimeType": "text/csv", "buffer": sheet.csv.encode()}]
    )
    page.get_by_label("Format").select_option("csv")
    page.get_by_label("Plan version to import into").select_option(
        label="Community Safety Delivery Plan 2022–2025 (Refresh April 2024)"
    )
    page.get_by_role("button", name="Submit").click()


def test_problems_are_text_the_keyboard_reaches_then_the_fixed_sheet_imports(
    page, live_server, sign_in, demo_partnership
):
    sign_in("manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/priorities/actionrow/import/")
    expect(page.get_by_role("link", name="template (XLSX)")).to_be_visible()
    assert_accessible(page)

    upload(
        page,
        tablib.Dataset(
            ["domestic abuse", "ten", "Run a survivors' forum", "Voices heard", "Attendance",
             "", "Staffordshire Polce"],
            headers=HEADERS,
        ),
    )  # fmt: skip

    summary = page.locator(".import-problem-summary a")
    expect(summary).to_have_count(2)
    expect(summary.first).to_contain_text('Row 2, column “order”: "ten" is not a whole number.')
    expect(page.locator("#row-2-lead_organisations")).to_contain_text(
        'Did you mean "Staffordshire Police"?'
    )
    assert_accessible(page)
    summary.first.focus()
    page.keyboard.press("Enter")
    # Following a link to an anchor updates the address after the key press returns.
    expect(page).to_have_url(re.compile(r"#row-2-order$"))
    expect(page.locator("#row-2-order")).to_be_in_viewport()

    upload(
        page,
        tablib.Dataset(
            ["domestic abuse", 99, "Run a survivors' forum", "Voices heard", "Attendance",
             "", "Staffordshire Police"],
            headers=HEADERS,
        ),
    )  # fmt: skip
    preview = page.locator(".import-preview-rows")
    expect(preview).to_contain_text("Domestic Abuse")
    expect(preview).to_contain_text("Voices heard")
    expect(preview).to_contain_text("Staffordshire Police")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm import").click()

    row = ActionRow.objects.get(description="Run a survivors' forum")
    assert row.priority.plan_version.label == "Refresh April 2024"
    assert [outcome.text for outcome in row.outcomes.all()] == ["Voices heard"]
