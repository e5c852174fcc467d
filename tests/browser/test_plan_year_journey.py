"""The plan's year in a real browser: the reviewer comments on an action of the draft refresh;
the manager replies, resolves it and publishes the refresh on a chosen date; the public then
reads the new version with the same figures as before, the old one marked superseded at its
address, and what changed, word by word."""

import re

import pytest
from playwright.sync_api import expect

from plans.models import PlanVersion
from priorities.demo import DEMO_PASSWORD
from priorities.models import ActionRow, Comment
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PLAN = "/partnerships/lichfield/delivery-plan-2022-2025/"
ACTION = "Embed the triage process across partner agencies"


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )


def figures_table(page) -> str:
    return page.get_by_role("table", name=re.compile("latest published figures")).inner_text()


def test_a_draft_refresh_is_reviewed_commented_on_and_published(
    page, browser, live_server, sign_in, demo_partnership
):
    draft = PlanVersion.objects.get(label="Refresh April 2024")
    current = PlanVersion.objects.get(plan=draft.plan, status="published")
    row = ActionRow.objects.get(priority__plan_version=draft, description__startswith=ACTION)
    priority_path = f"priorities/{row.priority.slug}/"

    visitors = browser.new_context()
    visitor = visitors.new_page()
    visitor.goto(live_server.url + PLAN + priority_path)
    figures_before = figures_table(visitor)

    # The reviewer finds the draft from their reports page and reads it as the public will.
    sign_in("reviewer", DEMO_PASSWORD)
    page.get_by_role("link", name=re.compile("Refresh April 2024")).click()
    expect(page.get_by_role("heading", name="Draft — not published")).to_be_visible()
    assert_accessible(page)

    # …and comments on an action.
    comments = page.locator(f"#comments-row-{row.pk}")
    comments.get_by_text(re.compile("^Comment on")).click()
    comments.get_by_label(re.compile("Your comment on")).fill(
        "Which agencies are in the triage, and who chairs it?"
    )
    comments.get_by_role("button", name="Add comment").click()
    expect(page.get_by_text("Your comment is added")).to_be_visible()
    expect(page.get_by_text("Which agencies are in the triage")).to_be_visible()
    assert_accessible(page)
    comment = Comment.objects.get(body__startswith="Which agencies")
    assert (comment.action_row, comment.organisation.name) == (row, "Support Staffordshire")

    # The manager replies, resolves it, and publishes the refresh on 1 April.
    managers = browser.new_context()
    manager = managers.new_page()
    manager.goto(live_server.url + "/accounts/login/")
    manager.get_by_label("Username").fill("manager")
    manager.get_by_label("Password").fill(DEMO_PASSWORD)
    manager.get_by_role("button", name="Sign in").click()
    manager.goto(live_server.url + "/manage/")
    manager.get_by_role("link", name=re.compile("drafts, review and publishing")).click()
    assert_accessible(manager)
    manager.get_by_role("link", name=re.compile("Read the draft")).click()
    thread = manager.locator(f"#comment-{comment.pk}")
    thread.locator("summary", has_text="Reply").click()
    thread.get_by_label("Your reply").fill("Police, council and Bromford; the council chairs.")
    thread.get_by_role("button", name="Send reply").click()
    expect(manager.get_by_text("Your reply is added")).to_be_visible()
    manager.locator(f"#comment-{comment.pk}").get_by_role(
        "button", name=re.compile("Mark as resolved")
    ).click()
    expect(manager.get_by_text("The comment is marked as resolved")).to_be_visible()
    assert_accessible(manager)

    manager.goto(live_server.url + f"/manage/plans/{draft.plan_id}/")
    manager.get_by_role("link", name="Publish Refresh April 2024").click()
    manager.get_by_label("Publication date").fill("2024-04-01")
    assert_accessible(manager)
    manager.get_by_role("button", name="Publish Refresh April 2024").click()
    expect(manager.get_by_text("Refresh April 2024 is published")).to_be_visible()
    draft.refresh_from_db()
    current.refresh_from_db()
    assert (draft.status, str(draft.published_on), current.status) == (
        "published",
        "2024-04-01",
        "superseded",
    )

    # The public reads the new version, with the same figures as before.
    visitor.goto(live_server.url + PLAN)
    expect(visitor.get_by_text("Refresh April 2024").first).to_be_visible()
    expect(visitor.get_by_text("1 April 2024").first).to_be_visible()
    expect(visitor.get_by_text("Which agencies are in the triage")).to_have_count(0)
    assert_accessible(visitor)
    visitor.goto(live_server.url + PLAN + priority_path)
    assert figures_table(visitor) == figures_before
    expect(visitor.get_by_text(ACTION)).to_be_visible()
    assert_accessible(visitor)

    # The old version is still at its address, marked as replaced.
    visitor.goto(live_server.url + current.get_absolute_url())
    expect(visitor.get_by_text(re.compile("has been replaced"))).to_be_visible()

    # What changed, word by word, from the current plan page.
    visitor.goto(live_server.url + PLAN)
    visitor.get_by_role("link", name=re.compile("What changed since|See every change")).click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Refresh April 2024")
    changed_action = visitor.locator(".app-change", has_text=ACTION).first
    expect(changed_action.locator("ins").first).to_contain_text("[added:")
    expect(changed_action.locator("del").first).to_contain_text("[removed:")
    assert_accessible(visitor)

    # On a phone: no page scrolls sideways.
    visitor.set_viewport_size({"width": 320, "height": 640})
    for path in (PLAN, PLAN + priority_path):
        visitor.goto(live_server.url + path)
        assert no_sideways_scroll(visitor), path
        assert_accessible(visitor)
    visitors.close()
    managers.close()
