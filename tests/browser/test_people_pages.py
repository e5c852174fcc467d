"""The manager's members pages in a real browser: the list, the invitation with its errors
and then sent (and sent again), and removing someone after the confirmation page. axe-core
checks each page."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from plans.models import Membership
from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_manager_invites_someone_and_removes_them(page, live_server, sign_in, demo_partnership):
    sign_in("manager", DEMO_PASSWORD)
    page.get_by_role("link", name="Members: invite people and remove them").click()

    # The members, with who has never signed in.
    expect(page.get_by_role("heading", level=1)).to_have_text("Members")
    officer = page.get_by_role("row", name=re.compile("officer@example.org"))
    expect(officer).to_contain_text("Staffordshire Police")
    expect(officer).to_contain_text("Invited")
    assert_accessible(page)

    # The invitation: errors beside the fields and in the summary.
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("E-mail address").fill("not an address")
    page.get_by_role("button", name="Send the invitation").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter an e-mail address in the correct format")
    expect(summary).to_contain_text("Choose the person's role")
    expect(page.locator("#id_full_name_1_error")).to_contain_text("Enter the person's full name")
    assert_accessible(page)
    summary.get_by_role("link", name="Choose the person's role").click()
    expect(page.get_by_label("Officer (enters their agency's returns)")).to_be_focused()

    # Sent.
    page.get_by_label("E-mail address").fill("jane.smith@example.org")
    page.get_by_label("Full name").fill("Jane Smith")
    page.get_by_label("Reviewer (partner or board member)").check()
    page.get_by_label("Agency", exact=True).select_option(label="Staffordshire Police")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Jane Smith was added as a reviewer for Staffordshire Police"
    )
    jane = page.get_by_role("row", name=re.compile("Jane Smith"))
    expect(jane).to_contain_text("Invited")
    assert_accessible(page)
    (sent,) = mail.outbox
    assert "/accounts/reset/" in sent.body

    # A fresh link, should the first expire.
    jane.get_by_role("button", name="Send again the invitation to Jane Smith").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "The invitation was sent again to Jane Smith"
    )
    assert len(mail.outbox) == 2

    # Removed, after the confirmation page.
    jane.get_by_role("link", name="Remove Jane Smith (reviewer, Staffordshire Police)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Remove Jane Smith")
    assert_accessible(page)
    page.get_by_role("button", name="Remove Jane Smith").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Jane Smith was removed from"
    )
    expect(page.get_by_role("row", name=re.compile("Jane Smith"))).to_have_count(0)
    assert not Membership.objects.filter(user__email="jane.smith@example.org").exists()


def test_a_manager_is_told_why_they_cannot_remove_themself(
    page, live_server, sign_in, demo_partnership
):
    own = Membership.objects.get(user__username="manager", partnership=demo_partnership)
    sign_in("manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/manage/people/{demo_partnership.slug}/{own.pk}/remove/")

    expect(page.locator(".govuk-error-summary")).to_contain_text("You cannot remove yourself")
    expect(page.get_by_role("button", name=re.compile("Remove"))).to_have_count(0)
    assert_accessible(page)
