"""A quarter for a real agency, keyboard only, in a real browser: an officer with forty
indicators saves a draft with Enter and keeps their place, submits the half that is complete;
the manager approves fifteen at once from the list and returns one with a reason; the officer
is e-mailed the reason, corrects the figure and sends it again. axe-core checks every page."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from playwright.sync_api import expect

from indicators.models import Return
from tests import factories as f
from tests.browser.accessibility import assert_accessible
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

INDICATORS = 40


@pytest.fixture
def quarter(transactional_db):
    police = f.OrganisationFactory(name="Staffordshire Police")
    partnership = f.PartnershipFactory(slug="district", organisations=[police])
    for username, role in (("officer", "officer"), ("manager", "manager")):
        f.MembershipFactory(
            user=f.UserFactory(username=username, email=f"{username}@example.org"),
            partnership=partnership,
            organisation=police,
            role=role,
        )
    period = f.ReportingPeriodFactory(
        partnership=partnership,
        financial_year=2024,
        quarter=1,
        due_date=date(2099, 7, 26),
        is_open=True,
    )
    last_year = f.ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=1)
    indicators = []
    for number in range(1, INDICATORS + 1):
        indicator = f.IndicatorFactory(
            partnership=partnership,
            owner=police,
            code=f"POL-{number:02d}",
            name=f"Police measure {number:02d}",
        )
        f.ReturnFactory(
            indicator=indicator, reporting_period=last_year, value=Decimal(100), status="approved"
        )
        indicators.append(indicator)
    return period, police, indicators


def box(page, indicator):
    return page.locator(f"#id_returns-{indicator.pk}-value")


def press_enter_in(page, indicator, text: str) -> None:
    field = box(page, indicator)
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def statuses(period) -> dict[str, int]:
    found = {}
    for status in Return.objects.for_period(period).values_list("status", flat=True):
        found[status] = found.get(status, 0) + 1
    return found


def test_an_agencys_quarter_by_keyboard(page, live_server, sign_in, quarter):
    period, police, indicators = quarter
    entry = f"{live_server.url}/returns/{period.pk}/{police.pk}/"

    # The officer types one figure and presses Enter: a draft is saved, focus stays there.
    sign_in("officer", PASSWORD)
    page.goto(entry)
    expect(page.locator("#entry-progress")).to_contain_text(f"0 of {INDICATORS}")
    assert_accessible(page)
    press_enter_in(page, indicators[4], "97")
    expect(page.get_by_text(re.compile("saved as a draft", re.I)).first).to_be_visible()
    expect(box(page, indicators[4])).to_be_focused()
    expect(box(page, indicators[4])).to_have_value("97")
    assert statuses(period) == {"draft": 1}

    # Half the figures typed, then Submit: those go in, the rest stay with the reason.
    for indicator in indicators[: INDICATORS // 2]:
        field = box(page, indicator)
        field.focus()
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type("95")
    page.locator("#submit-bottom").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("20 items? (were )?submitted", re.I)).first).to_be_visible()
    expect(page.get_by_text("Enter the figure for Police measure 40.").first).to_be_visible()
    assert statuses(period) == {"submitted": INDICATORS // 2}
    assert_accessible(page)

    # The manager approves fifteen from the list at once and returns one with a reason.
    page.context.clear_cookies()
    sign_in("manager", PASSWORD)
    page.goto(f"{live_server.url}/manage/periods/{period.pk}/")
    assert_accessible(page)
    for indicator in indicators[:15]:
        page.get_by_label(f"Select {indicator.name}", exact=True).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Approve selected").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("Approved 15 items"))).to_be_visible()
    assert statuses(period) == {"approved": 15, "submitted": 5}
    assert_accessible(page)

    returned = indicators[17]
    page.get_by_role("link", name=f"Review {returned.name}").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Return to the officer", exact=True).focus()
    page.keyboard.press("Space")
    page.get_by_label("Why are you returning it?").focus()
    page.keyboard.type("95 matches last quarter exactly: check it is this quarter's.")
    page.get_by_role("button", name="Confirm decision").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_text(re.compile(f"Returned to the officer: {returned.code}"))
    ).to_be_visible()

    # The officer is e-mailed the reason, once.
    to_officer = [message for message in mail.outbox if message.to == ["officer@example.org"]]
    assert len(to_officer) == 1
    assert "95 matches last quarter exactly" in to_officer[0].body
    assert returned.name in to_officer[0].body

    # The officer corrects it and sends it again.
    page.context.clear_cookies()
    sign_in("officer", PASSWORD)
    page.goto(entry)
    expect(page.get_by_text("95 matches last quarter exactly").first).to_be_visible()
    assert_accessible(page)
    field = box(page, returned)
    field.focus()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("88")
    page.locator("#submit-top").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile("1 item (was )?submitted", re.I)).first).to_be_visible()
    corrected = Return.objects.get(indicator=returned, reporting_period=period)
    assert (corrected.status, corrected.value) == ("submitted", Decimal("88"))
    assert_accessible(page)
