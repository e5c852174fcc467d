"""Importing a plan from its Word document in a real browser: the manager uploads a generated
.docx from the managers' home, is refused the demo plan (its refresh is still in review) beside
the choice, imports into a new plan instead, checks the preview, places the one row read before
any heading under a priority, and imports; the draft holds the priorities and the placed row.
axe-core checks every page."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import Plan
from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible
from tests.docx_builder import LOOSE_ROW, plan_docx

pytestmark = pytest.mark.django_db(transaction=True)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def choose_document(page, content: bytes) -> None:
    page.get_by_label("The plan as a Word document").set_input_files(
        files=[{"name": "delivery-plan.docx", "mimeType": DOCX, "buffer": content}]
    )


def test_the_manager_imports_a_word_document_as_a_draft_of_a_new_plan(
    page, live_server, sign_in, demo_partnership
):
    content = plan_docx(2, contents=True, table_before_headings=True, empty_action_row=True)
    sign_in("manager", DEMO_PASSWORD)
    page.goto(live_server.url + "/manage/")
    page.get_by_role("link", name="Import a plan from a Word document").click()
    expect(page.get_by_role("heading", name="Import a plan from a Word document")).to_be_visible()
    assert_accessible(page)

    # The demo plan's refresh is still in review: a second draft is refused beside the choice.
    choose_document(page, content)
    page.get_by_label("Community Safety Delivery Plan 2022–2025").check()
    page.get_by_label("Name of the new version").fill("Imported April 2025")
    page.get_by_role("button", name="Read the document").click()
    expect(page.locator("#id_plan_1_error")).to_contain_text("already has a version in progress")
    assert_accessible(page)

    choose_document(page, content)
    page.get_by_label("A new plan", exact=True).check()
    page.get_by_label("Title of the new plan (if new)").fill("Community Safety Plan 2025–2028")
    page.get_by_label("First year").fill("2025")
    page.get_by_label("Last year").fill("2028")
    page.get_by_role("button", name="Read the document").click()
    expect(
        page.get_by_role("heading", name="Check the plan read from delivery-plan.docx")
    ).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Actions of Domestic Abuse"))).to_be_visible()
    expect(page.get_by_text("Its Action cell is empty.")).to_be_visible()
    assert_accessible(page)

    page.get_by_label(re.compile("Where “Map the night")).select_option(
        label="Anti-Social Behaviour"
    )
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.get_by_text(re.compile("is imported from delivery-plan.docx"))).to_be_visible()
    assert_accessible(page)

    plan = Plan.objects.get(partnership=demo_partnership, title="Community Safety Plan 2025–2028")
    (version,) = plan.versions.all()
    assert (version.number, version.status, version.label) == (1, "draft", "Imported April 2025")
    assert list(version.priorities.values_list("title", flat=True)) == [
        "Domestic Abuse",
        "Anti-Social Behaviour",
    ]
    asb = version.priorities.get(title="Anti-Social Behaviour")
    assert list(asb.action_rows.values_list("description", flat=True)) == [
        LOOSE_ROW.action,
        "Develop a triage process",
        "Fund diversionary activities",
    ]
