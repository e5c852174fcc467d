"""A new partnership sets itself up from the documents it has, in a real browser: its manager,
with admin rights over their own partnership only, invites an officer, imports the plan from its
Word document (placing the one row read before any heading), adds a theme and two priorities in
the admin without order numbers, and imports the indicators from the blank template — first
with one mistake per rule, every one shown at once and nothing saved, then corrected. axe-core
checks every page on the way."""

import csv
import io
import re
from decimal import Decimal

import pytest
import tablib
from django.core import mail
from playwright.sync_api import expect

from indicators.models import Indicator
from plans.models import Membership, Plan
from tests.browser.accessibility import assert_accessible
from tests.builders import give_admin_rights
from tests.docx_builder import LOOSE_ROW, plan_docx
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a long passphrase for tests"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def newcomer():
    """A partnership with nothing in it yet but its agencies and its manager."""
    council = OrganisationFactory(name="Tamworth Borough Council", short_name="TBC")
    police = OrganisationFactory(name="Staffordshire Police", short_name="SP")
    partnership = PartnershipFactory(
        name="Tamworth Community Safety Partnership",
        slug="tamworth",
        organisations=[council, police],
    )
    manager = UserFactory(username="tamworth-manager", email="manager@tamworth.example")
    manager.set_password(PASSWORD)
    manager.save()
    give_admin_rights(manager)
    MembershipFactory(user=manager, partnership=partnership, organisation=council, role="manager")
    return partnership


def indicator_sheet(template_csv: str, rows: list[dict]) -> tablib.Dataset:
    """The downloaded template's columns, with `rows` (each the example row with changes)."""
    example = next(csv.DictReader(io.StringIO(template_csv)))
    sheet = tablib.Dataset(headers=list(example))
    for changes in rows:
        sheet.append([{**example, **changes}[header] for header in example])
    return sheet


def upload(page, sheet: tablib.Dataset) -> None:
    page.get_by_label("File to import").set_input_files(
        files=[{"name": "indicators.csv", "mimeType": "text/csv", "buffer": sheet.csv.encode()}]
    )
    page.get_by_label("Format").select_option("csv")
    page.get_by_role("button", name="Submit").click()


def test_a_new_partnership_sets_itself_up_from_its_documents(page, live_server, sign_in, newcomer):
    sign_in("tamworth-manager", PASSWORD)

    # 1. An officer is invited, by e-mail, with a role and an agency.
    page.goto(f"{live_server.url}/manage/")
    page.get_by_role("link", name="Members: invite people and remove them").click()
    page.get_by_role("link", name="Invite someone").click()
    page.get_by_label("E-mail address").fill("amir.khan@tamworth.example")
    page.get_by_label("Full name").fill("Amir Khan")
    page.get_by_label("Officer (enters their agency's returns)").check()
    page.get_by_label("Agency", exact=True).select_option(label="Staffordshire Police")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("row", name=re.compile("Amir Khan"))).to_contain_text("Invited")
    assert_accessible(page)
    assert Membership.objects.filter(
        partnership=newcomer, user__email="amir.khan@tamworth.example", role="officer"
    ).exists()
    (invitation,) = mail.outbox
    assert "/accounts/reset/" in invitation.body

    # 2. The plan, from its Word document: one row stands before any heading.
    page.goto(f"{live_server.url}/manage/")
    page.get_by_role("link", name="Import a plan from a Word document").click()
    page.get_by_label("The plan as a Word document").set_input_files(
        files=[
            {
                "name": "tamworth-plan.docx",
                "mimeType": DOCX,
                "buffer": plan_docx(2, table_before_headings=True),
            }
        ]
    )
    page.get_by_label("A new plan", exact=True).check()
    page.get_by_label("Title of the new plan (if new)").fill("Tamworth Community Safety Plan")
    page.get_by_label("First year").fill("2025")
    page.get_by_label("Last year").fill("2028")
    page.get_by_label("Name of the new version").fill("As agreed by the board")
    page.get_by_role("button", name="Read the document").click()
    expect(page.get_by_role("heading", name=re.compile("Check the plan read from"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Where “Map the night")).select_option(label="Domestic Abuse")
    page.get_by_role("button", name="Import as a draft").click()
    expect(page.get_by_text(re.compile("is imported from tamworth-plan.docx"))).to_be_visible()
    assert_accessible(page)
    version = Plan.objects.get(partnership=newcomer).versions.get()
    placed = version.priorities.get(title="Domestic Abuse").action_rows.first()
    assert placed.description == LOOSE_ROW.action

    # 3. A theme and two priorities added in the admin, without order numbers.
    page.goto(f"{live_server.url}/admin/plans/planversion/{version.pk}/change/")
    assert_accessible(page)
    page.locator("#themes-group").get_by_role("button", name="Add another Theme").click()
    page.locator("#themes-group").get_by_role("textbox", name="Name, new theme").fill(
        "Early intervention"
    )
    add = page.locator("#priorities-group").get_by_role("button", name="Add another Priority")
    add.click()
    add.click()
    new_rows = page.locator("#priorities-group tr.dynamic-priorities:not(.has_original)")
    new_rows.nth(0).get_by_role("textbox", name="Title, new priority").fill("Road Safety")
    new_rows.nth(1).get_by_role("textbox", name="Title, new priority").fill("Rural Crime")
    assert_accessible(page)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("was changed successfully"))
    assert_accessible(page)
    assert list(version.priorities.values_list("title", flat=True)) == [
        "Domestic Abuse",
        "Anti-Social Behaviour",
        "Road Safety",
        "Rural Crime",
    ]
    assert version.themes.filter(name="Early intervention").exists()

    # 4. The indicators, from the blank template: one mistake per rule, all shown at once.
    page.goto(f"{live_server.url}/admin/indicators/indicator/import/")
    assert_accessible(page)
    template = page.get_by_role("link", name="template (CSV)").get_attribute("href")
    template_csv = page.request.get(f"{live_server.url}{template}").text()
    ours = {"partnership": "tamworth", "owner": "SP"}
    mistakes = [
        {**ours, "code": "ASB-1", "baseline_value": "41.5"},  # a count is whole
        {**ours, "code": "ASB-2", "unit": "Percentage", "baseline_value": "181"},  # 0 to 100
        {**ours, "code": "ASB-3", "baseline_value": "+12%"},  # never stripped
        {**ours, "code": "ASB-4", "is_active": "yes please"},  # yes or no only
        {**ours, "code": "ASB-5", "owner": "Staffordshire Polce"},  # a near miss
    ]
    upload(page, indicator_sheet(template_csv, mistakes))
    expect(page.locator(".import-problem-summary a")).to_have_count(5)
    expect(page.locator("#row-6-owner")).to_contain_text('Did you mean "Staffordshire Police"?')
    assert_accessible(page)
    assert not Indicator.objects.filter(partnership=newcomer).exists()

    corrected = [
        {**ours, "code": "ASB-1", "baseline_value": "41"},
        {**ours, "code": "ASB-2", "unit": "Percentage", "baseline_value": "18.1"},
        {**ours, "code": "ASB-3", "baseline_value": "12"},
        {**ours, "code": "ASB-4", "is_active": "no"},
        {**ours, "code": "ASB-5", "owner": "Staffordshire Police"},
    ]
    upload(page, indicator_sheet(template_csv, corrected))
    expect(page.locator(".import-preview-rows")).to_contain_text("ASB-5")
    assert_accessible(page)
    page.get_by_role("button", name="Confirm import").click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert_accessible(page)
    imported = Indicator.objects.filter(partnership=newcomer).order_by("code")
    assert [(i.code, i.is_active) for i in imported] == [
        ("ASB-1", True), ("ASB-2", True), ("ASB-3", True), ("ASB-4", False), ("ASB-5", True),
    ]  # fmt: skip
    baselines = {i.code: i.baseline_value for i in imported}
    assert (baselines["ASB-1"], baselines["ASB-2"], baselines["ASB-3"]) == (
        41,
        Decimal("18.1"),
        12,
    )
    assert {indicator.owner.short_name for indicator in imported} == {"SP"}
