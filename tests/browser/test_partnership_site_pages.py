"""A partnership's own site in the browser: its colour, logo and contact details on its plan,
its accessibility statement and privacy notice, and its manager editing the statement; every
page accessible."""

import base64
import re

import pytest
from playwright.sync_api import expect

from plans.branding import logo_digest
from plans.models import PartnershipLogo
from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

# A 1×1 green PNG: shown 40 pixels high beside the partnership's name.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
GREEN = "rgb(0, 112, 60)"  # #00703c


@pytest.fixture
def branded_demo(demo_partnership):
    PartnershipLogo.objects.create(partnership=demo_partnership, image=PNG)
    demo_partnership.logo_digest, demo_partnership.logo_type = logo_digest(PNG), "image/png"
    demo_partnership.brand_colour = "#00703c"
    demo_partnership.contact_email = "community.safety@lichfielddc.gov.uk"
    demo_partnership.contact_phone = "01543 308000"
    demo_partnership.contact_address = "District Council House\nFrog Lane\nLichfield WS13 6YZ"
    demo_partnership.website = "https://www.lichfielddc.gov.uk/"
    demo_partnership.save()
    return demo_partnership


def test_a_branded_plan_and_its_statements_are_accessible(page, live_server, branded_demo):
    page.goto(f"{live_server.url}/partnerships/lichfield/delivery-plan-2022-2025/")

    logo = page.get_by_role("img", name="Logo of Lichfield District Community Safety Partnership")
    expect(logo).to_be_visible()
    assert page.evaluate("document.querySelector('img.app-logo').naturalWidth") == 1
    expect(page.locator(".app-brand-bar")).to_have_css("background-color", GREEN)
    expect(page.locator(".govuk-footer")).to_have_css("border-top-color", GREEN)
    footer = page.get_by_role("contentinfo")
    expect(footer).to_contain_text("Phone: 01543 308000")
    expect(footer.get_by_role("link", name="community.safety@lichfielddc.gov.uk")).to_be_visible()
    assert_accessible(page)

    footer.get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for Lichfield District Community Safety Partnership"
    )
    expect(page.get_by_role("heading", level=2, name="Enforcement procedure")).to_be_visible()
    expect(page.get_by_role("heading", level=3, name="Compliance status")).to_be_visible()
    expect(page.locator(".app-brand-bar")).to_have_css("background-color", GREEN)
    assert_accessible(page)

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Privacy notice for Lichfield District Community Safety Partnership"
    )
    expect(page.get_by_text("Lichfield District Council is the data controller")).to_be_visible()
    assert_accessible(page)


def test_the_products_own_statements_are_accessible(page, live_server):
    page.goto(live_server.url)
    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Accessibility statement for Community safety plans"
    )
    assert_accessible(page)

    page.get_by_role("contentinfo").get_by_role("link", name="Privacy notice").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Privacy notice for Community safety plans"
    )
    assert_accessible(page)


def test_the_manager_edits_the_accessibility_statement(
    page, live_server, sign_in, demo_partnership
):
    sign_in("manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/partnerships/lichfield/about/accessibility/")
    page.get_by_role("link", name="Edit this statement").click()
    text = page.get_by_label("Text")
    expect(text).to_have_value(re.compile("This accessibility statement applies to the pages of"))
    assert_accessible(page)

    text.fill("")
    page.get_by_role("button", name="Save and publish").click()
    expect(page.get_by_role("alert")).to_contain_text("Write the text: the page cannot be empty.")
    assert_accessible(page)

    page.get_by_label("Text").fill("# How accessible this website is\n\nWe checked every page.")
    page.get_by_role("button", name="Save and publish").click()
    expect(
        page.get_by_role("heading", level=2, name="How accessible this website is")
    ).to_be_visible()
    expect(page.get_by_text("We checked every page.")).to_be_visible()
    assert_accessible(page)
