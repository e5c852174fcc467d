"""The admin pages a partnership manager works in pass axe-core (WCAG 2.2 AA and best practice),
and adding rows to an inline needs no order numbers."""

import re

import pytest
from playwright.sync_api import expect

from indicators.models import Indicator
from plans.models import Fund, Membership, PlanVersion, Risk
from priorities.demo import DEMO_PASSWORD
from priorities.models import Priority
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


def manager_pages(partnership) -> dict[str, str]:
    """Each page the manager uses to edit the plan, by what it is: lists, forms with their
    inlines, an add form and the spreadsheet import."""
    draft = PlanVersion.objects.get(plan__partnership=partnership, number=3)
    priority = draft.priorities.earliest("order")
    row = priority.action_rows.earliest("order")
    someone_else = Membership.objects.filter(partnership=partnership).exclude(
        user__username="manager"
    )
    pages = {"admin index": "/admin/"}
    for name, path, obj in [
        ("plan", "plans/plan", draft.plan),
        ("plan version", "plans/planversion", draft),
        ("priority", "priorities/priority", priority),
        ("action row", "priorities/actionrow", row),
        ("indicator", "indicators/indicator", Indicator.objects.filter(partnership=partnership)),
        ("risk", "plans/risk", Risk.objects.filter(partnership=partnership)),
        ("fund", "plans/fund", Fund.objects.filter(partnership=partnership)),
        ("partnership", "plans/partnership", partnership),
        ("membership", "plans/membership", someone_else),
    ]:
        obj = obj.first() if hasattr(obj, "first") else obj
        pages[f"{name} list"] = f"/admin/{path}/"
        pages[f"{name} form"] = f"/admin/{path}/{obj.pk}/change/"
    pages["new theme form"] = "/admin/plans/theme/add/"
    pages["action rows import"] = "/admin/priorities/actionrow/import/"
    return pages


def test_every_admin_page_a_manager_uses_passes_axe(page, live_server, sign_in, demo_partnership):
    sign_in("manager", DEMO_PASSWORD)
    failures = []
    for name, path in manager_pages(demo_partnership).items():
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("#content h1, #content h2").first).to_be_visible()
        try:
            assert_accessible(page)
        except AssertionError as problem:  # every page's problems in one report
            failures.append(f"{name}: {problem}")
    assert not failures, "\n\n".join(failures)


def test_two_priorities_added_in_the_browser_go_last_without_order_numbers(
    page, live_server, sign_in, demo_partnership
):
    draft = PlanVersion.objects.get(plan__partnership=demo_partnership, number=3)
    last = draft.priorities.latest("order").order
    sign_in("manager", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/admin/plans/planversion/{draft.pk}/change/")

    add = page.locator("#priorities-group").get_by_role("button", name="Add another Priority")
    add.click()
    add.click()
    new_rows = page.locator("#priorities-group tr.dynamic-priorities:not(.has_original)")
    expect(new_rows).to_have_count(2)
    expect(new_rows.first.get_by_role("spinbutton", name="Order, new priority")).to_have_value("")
    assert_accessible(page)
    new_rows.nth(0).get_by_role("textbox", name="Title, new priority").fill("Road Safety")
    new_rows.nth(1).get_by_role("textbox", name="Title, new priority").fill("Rural Crime")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text(re.compile("was changed successfully"))
    added = Priority.objects.filter(plan_version=draft, title__in=["Road Safety", "Rural Crime"])
    assert list(added.values_list("title", "order")) == [
        ("Road Safety", last + 1),
        ("Rural Crime", last + 2),
    ]
