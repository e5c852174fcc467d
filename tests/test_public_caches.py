"""Public caches tell the truth: whatever changes what a public page shows moves its
Last-Modified, so a browser or proxy revalidating with If-Modified-Since gets the new page,
never a 304 with a withdrawn figure."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from plans.models import PlanVersion
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    ComparatorFactory,
    DataLineFactory,
    IndicatorFactory,
    OrganisationFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan():
    """A published plan whose one priority is evidenced by an indicator with an approved
    figure, as the public sees it; its pages last changed an hour ago."""
    version = PlanVersionFactory(published=True, label="Refresh April 2023")
    partnership = version.plan.partnership
    police = OrganisationFactory(name="Staffordshire Police")
    priority = PriorityFactory(plan_version=version, title="Serious Violence", slug="violence")
    row = ActionRowFactory(priority=priority, description="Knife bins", lead_organisations=[police])
    indicator = IndicatorFactory(partnership=partnership, owner=police, name="Knives surrendered")
    DataLineFactory(action_row=row).indicators.add(indicator)
    period = ReportingPeriodFactory(
        partnership=partnership, financial_year=2023, quarter=1, reported=True
    )
    figure = ReturnFactory(
        indicator=indicator, reporting_period=period, value=Decimal("4321"), status="approved"
    )
    an_hour_ago = timezone.now() - timedelta(hours=1)
    PlanVersion.objects.update(updated_at=an_hour_ago)
    type(figure).objects.update(updated_at=an_hour_ago)
    base = f"/partnerships/{partnership.slug}/{version.plan.slug}/"
    return {
        "version": version,
        "row": row,
        "indicator": indicator,
        "police": police,
        "figure": figure,
        "plan_page": base,
        "priority_page": f"{base}priorities/violence/",
        "json": f"{base}plan.json",
    }


def revalidate(client, url, last_modified):
    """A cache asking "changed since?" with the date it holds, and no ETag."""
    return client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)


def cached(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert revalidate(client, url, response["Last-Modified"]).status_code == 304
    return response["Last-Modified"]


def test_reopening_an_approved_figure_withdraws_it_from_caches(client, plan):
    held = cached(client, plan["priority_page"])

    plan["figure"].reopen(UserFactory(), "Miscounted")

    fresh = revalidate(client, plan["priority_page"], held)
    assert fresh.status_code == 200
    assert "4,321" not in fresh.content.decode()


def test_approving_a_figure_reaches_caches(client, plan):
    figure = plan["figure"]
    figure.reopen(UserFactory(), "Miscounted")
    type(figure).objects.filter(pk=figure.pk).update(status="submitted", value=Decimal("4400"))
    figure.refresh_from_db()
    PlanVersion.objects.update(updated_at=timezone.now() - timedelta(hours=1))
    held = cached(client, plan["priority_page"])

    figure.approve(UserFactory())

    fresh = revalidate(client, plan["priority_page"], held)
    assert fresh.status_code == 200
    assert "4,400" in fresh.content.decode()


def test_publishing_a_refresh_moves_both_versions_on(client, plan):
    held = cached(client, plan["plan_page"])
    refresh = PlanVersionFactory(plan=plan["version"].plan, label="Refresh April 2024")

    refresh.publish(None, on=date(2024, 4, 1))

    fresh = revalidate(client, plan["plan_page"], held)
    assert fresh.status_code == 200
    assert "Refresh April 2024" in fresh.content.decode()
    old = plan["version"].get_absolute_url()
    assert revalidate(client, old, held).status_code == 200  # now marked as replaced


@pytest.mark.parametrize(
    "change",
    [
        "row wording",
        "lead agency's name",
        "indicator's name",
        "link from the other side",
        "quarter's report withdrawn",
        "action update approved",
        "comparator added",
    ],
)
def test_edits_to_what_the_pages_show_reach_caches(client, plan, change):
    held_plan = cached(client, plan["plan_page"])
    held_json = cached(client, plan["json"])
    held_priority = cached(client, plan["priority_page"])

    if change == "row wording":
        plan["row"].description = "Knife bins in every ward"
        plan["row"].save()
    elif change == "lead agency's name":
        plan["police"].name = "Staffordshire Police and Fire"
        plan["police"].save()
    elif change == "indicator's name":
        plan["indicator"].name = "Knives handed in"
        plan["indicator"].save()
    elif change == "link from the other side":
        plan["police"].supported_action_rows.add(plan["row"])
    elif change == "quarter's report withdrawn":
        plan["figure"].reporting_period.withdraw_report(UserFactory(), "A figure was wrong.")
    elif change == "action update approved":
        ActionUpdateFactory(
            action_row=plan["row"], reporting_period=plan["figure"].reporting_period,
            action_status="off_track", status="approved",
        )  # fmt: skip
    else:
        ComparatorFactory(
            indicator=plan["indicator"], reporting_period=plan["figure"].reporting_period
        )

    assert revalidate(client, plan["plan_page"], held_plan).status_code == 200
    assert revalidate(client, plan["json"], held_json).status_code == 200
    assert revalidate(client, plan["priority_page"], held_priority).status_code == 200


def test_loading_a_backup_keeps_the_timestamps_it_brings(plan, tmp_path):
    backup = tmp_path / "backup.json"
    call_command("dumpdata", "plans", "indicators", "priorities", output=str(backup), verbosity=0)
    before = PlanVersion.objects.get(pk=plan["version"].pk).updated_at

    call_command("loaddata", str(backup), verbosity=0)

    after = PlanVersion.objects.get(pk=plan["version"].pk).updated_at
    assert abs(after - before) < timedelta(milliseconds=1)  # JSON keeps milliseconds
