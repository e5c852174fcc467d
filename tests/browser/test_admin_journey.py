"""The manager's first journey: sign in to the admin and find the whole demo plan there."""

import re

import pytest
from playwright.sync_api import expect

from priorities.demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_signs_in_and_opens_the_demo_plan_down_to_an_action_row(
    page, live_server, sign_in, demo_partnership
):
    sign_in("manager", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage returns")
    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("heading", name="Plans, indicators and returns")).to_be_visible()

    page.get_by_role("link", name="Plan versions").click()
    # The demo plan has three versions: open the draft refresh (the published one is read-only).
    page.get_by_role("link", name=re.compile(r"2022–2025 \(Refresh April 2024\)")).click()
    expect(page.locator("#id_label")).to_have_value("Refresh April 2024")
    priorities = page.locator("#priorities-group tr:not(.empty-form) input[name$='-title']")
    expect(priorities).to_have_count(7)
    expect(priorities.first).to_have_value("Domestic Abuse")

    page.locator(
        "#priorities-group tr", has=page.locator("input[value='Domestic Abuse']")
    ).get_by_role("link", name="Change").click()
    expect(page.locator("#id_what_is_heading")).to_have_value("What is domestic abuse?")
    expect(page.locator("#action_rows-group .inline-related:not(.empty-form)")).to_have_count(8)

    page.locator("#action_rows-group a.inlinechangelink").first.click()
    expect(page.locator("#id_description")).to_have_value("Further develop the local MARAC")
    expect(page.locator("#outcomes-group textarea").first).to_have_value("Reduced risk for victims")


def test_wrong_password_is_refused_with_a_message(page, live_server, sign_in, demo_partnership):
    sign_in("manager", "not-the-password")
    expect(page.get_by_text("Enter a correct username and password").first).to_be_visible()
