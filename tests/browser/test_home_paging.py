"""The home page at national scale: a page of partnerships at a time and a search, accessible
and usable with the keyboard, without JavaScript's help."""

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.factories import PartnershipFactory, PlanVersionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_pages_through_partnerships_and_searches_for_one(page, live_server):
    for n in range(1, 46):
        partnership = PartnershipFactory(name=f"Partnership {n:02d}", area_name=f"Shire {n:02d}")
        PlanVersionFactory(plan__partnership=partnership, published=True)

    page.goto(live_server.url)
    pages = page.get_by_role("navigation", name="Pages of partnerships")
    expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    assert_accessible(page)

    pages.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(f"{live_server.url}/?page=2")
    expect(page.get_by_role("link", name="Partnership 21")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Find a partnership").fill("shire 3")
    page.get_by_label("Find a partnership").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("10 partnerships match “shire 3”.")
    expect(page.get_by_role("link", name="Partnership 30")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Find a partnership").fill("Atlantis")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("status")).to_contain_text("No partnership matches “Atlantis”.")
    assert_accessible(page)
