"""The manager's review pages in a real browser, keyboard only: the quarter's list with what is
needed to decide, several approved at once (one refused, approved meanwhile by another
manager), and the one-item page asking the decision first, with its errors. axe-core checks
every state."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator, ReportingPeriod, Return
from priorities.demo import DEMO_PASSWORD
from priorities.models import ActionRow
from tests.browser.accessibility import assert_accessible
from tests.factories import ActionUpdateFactory, MembershipFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

SENT_IN = {
    "DA-CRIMES": "Domestic abuse related crimes recorded",
    "DA-HIGH-RISK": "High-risk domestic abuse cases heard at MARAC",
    "SV-CRIMES": "Most serious violence offences recorded",
}


@pytest.fixture
def sent_in(demo_partnership):
    """The police's figures for the open quarter, submitted, and one action's progress."""
    period = ReportingPeriod.objects.get(partnership=demo_partnership, is_open=True)
    figures = {
        code: ReturnFactory(
            indicator=Indicator.objects.get(partnership=demo_partnership, code=code),
            reporting_period=period,
            value=Decimal(30 + n),
            commentary=f"Checked against the police system ({code}).",
            status="submitted",
            revision=1,
        )
        for n, code in enumerate(SENT_IN)
    }
    row = ActionRow.objects.filter(
        priority__plan_version__in=period.versions_in_force(),
        lead_organisations__name="Staffordshire Police",
    ).first()
    ActionUpdateFactory(action_row=row, reporting_period=period, status="submitted", revision=1)
    return figures


def tick(page, name: str) -> None:
    """Tick an item as a keyboard user does: focus its box and press Space."""
    page.get_by_label(f"Select {name}", exact=True).focus()
    page.keyboard.press("Space")


def test_the_manager_approves_several_from_the_list_and_decides_one_on_its_page(
    page, live_server, sign_in, sent_in
):
    deputy = UserFactory(username="deputy", first_name="Dee", last_name="Puty")
    MembershipFactory(
        user=deputy,
        partnership=sent_in["DA-CRIMES"].reporting_period.partnership,
        organisation=sent_in["DA-CRIMES"].indicator.owner,
        role="manager",
    )
    sign_in("manager", DEMO_PASSWORD)
    page.get_by_role("link", name="2024/25 Q1").click()

    # The list shows what is needed to decide.
    crimes = page.get_by_role("row", name=re.compile(SENT_IN["DA-CRIMES"]))
    expect(crimes).to_contain_text("Checked against the police system (DA-CRIMES).")
    expect(page.get_by_role("columnheader", name="Same quarter last year")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Target this year")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Rank among similar areas")).to_be_visible()
    assert_accessible(page)

    # Two ticked; meanwhile another manager approves one of them.
    tick(page, SENT_IN["DA-CRIMES"])
    tick(page, SENT_IN["DA-HIGH-RISK"])
    expect(page.get_by_label(f"Select {SENT_IN['DA-CRIMES']}", exact=True)).to_be_checked()
    Return.objects.get(pk=sent_in["DA-HIGH-RISK"].pk).approve(deputy)
    page.get_by_role("button", name="Approve selected").focus()
    page.keyboard.press("Enter")

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        re.compile(f"{SENT_IN['DA-HIGH-RISK']} was not approved: Dee Puty approved this on")
    )
    expect(page.get_by_text(f"Approved 1 item: {SENT_IN['DA-CRIMES']}.")).to_be_visible()
    assert_accessible(page)
    assert Return.objects.get(pk=sent_in["DA-CRIMES"].pk).status == "approved"

    # Approving with nothing ticked says so.
    page.get_by_role("button", name="Approve selected").click()
    expect(summary).to_contain_text("Select the items to approve.")
    assert_accessible(page)

    # The one-item page: the decision first, the reason revealed under Return.
    page.get_by_role("link", name=f"Review {SENT_IN['SV-CRIMES']}").click()
    reason = page.get_by_label("Why are you returning it?")
    expect(page.get_by_role("group", name="What do you want to do?")).to_be_visible()
    expect(reason).to_be_hidden()
    assert_accessible(page)
    page.get_by_label("Return to the officer", exact=True).focus()
    page.keyboard.press("Space")
    expect(reason).to_be_visible()

    # Return without a reason: the message is beside the box.
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.locator("#id_reason-error")).to_contain_text(
        "Say why, so the officer knows what to change."
    )
    expect(reason).to_be_visible()
    assert_accessible(page)

    # A reason typed, then Approve chosen: refused, the reason still on view.
    reason.fill("The total looks low.")
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Confirm decision").click()
    kept = page.get_by_label("Reason, to return it to the officer")
    expect(kept).to_have_value("The total looks low.")
    expect(page.locator("#id_reason-error")).to_contain_text("You chose Approve and typed a reason")
    assert_accessible(page)

    # Return with it.
    page.get_by_label("Return to the officer", exact=True).check()
    page.get_by_role("button", name="Confirm decision").click()
    expect(page.get_by_text("Returned to the officer: SV-CRIMES")).to_be_visible()
    stored = Return.objects.get(pk=sent_in["SV-CRIMES"].pk)
    assert (stored.status, stored.returned_reason) == ("returned", "The total looks low.")
