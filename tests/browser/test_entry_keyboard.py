"""An officer with forty figures to enter, by keyboard only: a figure typed and Enter pressed
saves a draft and leaves focus in that box; a typo is kept beside its error; half filled and
submitted, those go in and the rest stay with what each needs; axe-core clean in every state."""

import re
from datetime import date
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from indicators.models import Return
from plans.models import Membership
from priorities.models import ActionUpdate
from tests import factories as f
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

INDICATORS = 40


@pytest.fixture
def agency(transactional_db):
    """The police owe forty figures, under four priorities and "Other figures", each with its
    last four quarters approved (12 each: a figure of 12 needs no commentary), and two actions."""
    police = f.OrganisationFactory(name="Staffordshire Police")
    partnership = f.PartnershipFactory(slug="lichfield", organisations=[police])
    officer = f.UserFactory(username="officer")
    f.MembershipFactory(
        user=officer, partnership=partnership, organisation=police, role=Membership.Role.OFFICER
    )
    version = f.PlanVersionFactory(plan__partnership=partnership, published=True)
    rows = [
        f.ActionRowFactory(
            priority=f.PriorityFactory(plan_version=version, title=f"Priority {n}", order=n),
            description=f"Action of priority {n}",
            lead_organisations=[police],
        )
        for n in range(1, 5)
    ]
    earlier = [
        f.ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=q)
        for q in (1, 2, 3, 4)
    ]
    period = f.ReportingPeriodFactory(
        partnership=partnership,
        financial_year=2024,
        quarter=1,
        due_date=date(2099, 7, 26),
        is_open=True,
    )
    indicators = []
    for n in range(INDICATORS):
        indicator = f.IndicatorFactory(
            partnership=partnership, owner=police, code=f"IND-{n:02d}", name=f"Figure {n:02d}"
        )
        if n < 36:  # the last four evidence no priority: "Other figures"
            f.DataLineFactory(action_row=rows[n % 4]).indicators.add(indicator)
        for quarter in earlier:
            f.ReturnFactory(indicator=indicator, reporting_period=quarter, status="approved")
        indicators.append(indicator)
    return SimpleNamespace(
        officer=officer,
        period=period,
        indicators=indicators,
        rows=rows,
        url=f"/returns/{period.pk}/{police.pk}/",
    )


def signed_in(page, live_server, user) -> None:
    """The officer's session in the browser (signing in has its own journey tests)."""
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def box(indicator) -> str:
    return f"#id_returns-{indicator.pk}-value"


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_forty_figures_by_keyboard(page, live_server, agency):
    signed_in(page, live_server, agency.officer)
    page.goto(f"{live_server.url}{agency.url}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Returns for 2024/25 Q1")
    expect(page.locator("#entry-progress")).to_have_text("0 of 44 ready to submit.")
    assert_accessible(page)

    # Compact: forty figures and four actions fit in well under the 13,600 px twenty took.
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"The page of {INDICATORS} figures and 4 actions is {height} px tall.")
    assert height < 12_000, height
    # The buttons come early: a dozen Tab presses at most from the top of the page.
    presses = 0
    while focused_id(page) != "save-draft-top" and presses < 12:
        page.keyboard.press("Tab")
        presses += 1
    assert focused_id(page) == "save-draft-top", presses

    # A figure typed in the middle of the page, then Enter: a draft is saved, focus stays.
    middle = agency.indicators[21]
    page.locator(box(middle)).focus()
    page.keyboard.type("12")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your returns for 2024/25 Q1 were saved as a draft.")).to_be_visible()
    expect(page.locator(box(middle))).to_be_focused()
    expect(page.locator(box(middle))).to_have_value("12")
    # A reload later does not move focus again (the script takes it out of the address).
    expect(page).not_to_have_url(re.compile("focus="))
    saved = Return.objects.get(indicator=middle, reporting_period=agency.period)
    assert (saved.value, saved.status) == (12, "draft")
    expect(page.locator("#entry-progress")).to_have_text("1 of 44 ready to submit.")

    # A typo and Enter: kept as typed beside a message naming the figure; nothing else lost.
    typo = agency.indicators[3]
    page.locator(box(typo)).focus()
    page.keyboard.type("1O")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.locator(box(typo))).to_have_value("1O")
    expect(page.locator(f"#id_returns-{typo.pk}-value-error")).to_contain_text(
        "Enter the figure for Figure 03 as a number, like 12 or 12.5."
    )
    expect(page.locator(box(middle))).to_have_value("12")
    assert_accessible(page)

    # Half the figures and one action's progress, then Submit by keyboard. The draft of the
    # middle figure is complete too, so it goes in with them.
    for indicator in agency.indicators[: INDICATORS // 2]:
        page.locator(box(indicator)).focus()
        page.keyboard.press("Control+A")
        page.keyboard.type("12")
    page.locator(f"#id_updates-{agency.rows[0].pk}-progress").focus()
    page.keyboard.type("Bins installed in two parks.")
    page.locator("#submit-bottom").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("22 items were submitted to the partnership manager.")).to_be_visible()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "22 items were not submitted: they stay as they are until they are complete."
    )
    expect(summary).to_contain_text(f"Enter the figure for {agency.indicators[-1].name}.")
    expect(summary).to_contain_text("Describe this quarter's progress on “Action of priority 2”.")
    expect(summary.locator("li")).to_have_count(22)  # 19 figures and 3 actions, each with why
    submitted = Return.objects.filter(reporting_period=agency.period, status="submitted")
    assert submitted.count() == INDICATORS // 2 + 1
    assert ActionUpdate.objects.get(status="submitted").action_row == agency.rows[0]
    expect(page.locator("#entry-progress")).to_have_text(
        "0 of 22 ready to submit, 22 already sent in."
    )
    expect(page.locator(box(agency.indicators[0]))).to_have_count(0)  # sent in: locked
    assert_accessible(page)
