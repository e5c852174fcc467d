"""The manager approves, returns with a reason, or reopens; sees each return's history; sees who
has returned what; and approved figures go public."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Return
from reporting.due import completeness
from tests.factories import ActionUpdateFactory, ReturnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(cast):
    return ReturnFactory(
        indicator=cast.knives,
        reporting_period=cast.period,
        value=Decimal("44"),
        status="submitted",
        revision=2,
    )


def review(client, item, decision, reason="", revision=None, kind="returns"):
    return client.post(
        f"/manage/{kind}/{item.pk}/",
        {
            "decision": decision,
            "reason": reason,
            "revision": item.revision if revision is None else revision,
        },
    )


def test_period_page_lists_submitted_items_and_completeness(manager_client, cast, submitted):
    page = manager_client.get(f"/manage/periods/{cast.period.pk}/").content.decode()
    assert "Knives surrendered" in page
    assert f"/manage/returns/{submitted.pk}/" in page
    assert "Staffordshire Police" in page


def test_approving_locks_the_figure(manager_client, cast, submitted):
    response = review(manager_client, submitted, "approve")

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "approved"
    assert submitted.approved_by == cast.manager
    assert not submitted.is_editable


def test_returning_needs_a_reason_which_the_officer_then_sees(client, cast, submitted):
    client.force_login(cast.manager)
    refused = review(client, submitted, "return", reason="  ")
    assert refused.status_code == 200
    assert "Say why, so the officer knows what to change." in refused.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"

    assert review(client, submitted, "return", reason="Check the Q1 total").status_code == 302
    client.force_login(cast.officer)
    page = client.get(f"/returns/{cast.period.pk}/{cast.police.pk}/").content.decode()
    assert "Returned by the partnership manager:</strong> Check the Q1 total" in page
    assert f'name="returns-{cast.knives.pk}-value"' in page  # editable again


def test_reopening_an_approved_figure_needs_a_reason(manager_client, cast, submitted):
    submitted.approve(cast.manager)
    assert "Say why" in review(manager_client, submitted, "reopen").content.decode()
    assert review(manager_client, submitted, "reopen", reason="Police recount").status_code == 302
    submitted.refresh_from_db()
    assert (submitted.status, submitted.returned_reason) == ("returned", "Police recount")
    assert submitted.approved_by is None


@pytest.mark.parametrize(
    ("status", "decision", "message"),
    [
        ("draft", "approve", "Only a submitted item can be approved or returned"),
        ("approved", "return", "This item is approved: it can only be reopened."),
        ("submitted", "reopen", "Select whether to approve it or return it to the officer."),
        ("submitted", "delete", "Select whether to approve it or return it to the officer."),
    ],
)
def test_decisions_that_do_not_fit_the_state_are_refused_with_a_message(
    manager_client, cast, status, decision, message
):
    item = ReturnFactory(indicator=cast.knives, reporting_period=cast.period, status=status)
    response = review(manager_client, item, decision, reason="Because")
    assert response.status_code == 200
    assert message in response.content.decode()
    item.refresh_from_db()
    assert item.status == status


def test_a_decision_on_a_stale_page_is_refused(manager_client, submitted):
    response = review(manager_client, submitted, "approve", revision=submitted.revision - 1)
    assert "changed this on" in response.content.decode()
    assert "Nothing was changed." in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == "submitted"


def test_action_updates_are_reviewed_the_same_way(manager_client, cast):
    update = ActionUpdateFactory(
        action_row=cast.action, reporting_period=cast.period, status="submitted"
    )
    assert review(manager_client, update, "approve", kind="updates").status_code == 302
    update.refresh_from_db()
    assert update.status == "approved"


def test_the_manager_sees_who_changed_what_from_what(manager_client, cast, submitted):
    submitted.value = Decimal("45")
    submitted.save()
    submitted.approve(cast.manager)

    page = manager_client.get(f"/manage/returns/{submitted.pk}/").content.decode()

    assert "Value: 44.00 → 45.00" in page
    assert "Status: Submitted → Approved" in page
    decision = page[: page.index("Status: Submitted → Approved")].rsplit("<tr", 1)[1]
    name = cast.manager.get_full_name() or cast.manager.username
    assert f">{name}<" in decision


def test_workflow_methods_refuse_without_a_reason(cast, submitted):
    with pytest.raises(ValidationError):
        submitted.send_back(cast.manager, "")


def test_completeness_counts_each_agencys_items(cast, submitted):
    ReturnFactory(indicator=cast.council_indicator, reporting_period=cast.period, status="draft")
    rows = {row.organisation.name: row for row in completeness(cast.period)}

    police = rows["Staffordshire Police"]
    assert police.due == 3  # two indicators and one action row
    assert police.counts["submitted"] == 1
    assert police.not_started == 2
    assert police.outstanding == 2
    council = rows["Lichfield District Council"]
    assert (council.due, council.counts["draft"], council.outstanding) == (1, 1, 1)
    assert not police.is_overdue(cast.period, date(2099, 7, 26))
    assert police.is_overdue(cast.period, date(2099, 7, 27))


def test_an_approved_figure_reaches_the_public_once_the_quarters_report_is_published(
    client, cast, submitted
):
    url = f"/partnerships/lichfield/{cast.version.plan.slug}/priorities/{cast.priority.slug}/"

    submitted.approve(cast.manager)
    approved_only = client.get(url).content.decode().split("Latest figures")[1]
    was_public = Return.objects.public().filter(pk=submitted.pk).exists()
    cast.period.publish_report(cast.manager)
    published = client.get(url).content.decode().split("Latest figures")[1]

    assert ">44<" not in approved_only  # approved, but the board has not seen it yet
    assert not was_public
    assert "Knives surrendered" in published
    assert ">44<" in published
    assert "2024/25 Q1" in published
    assert Return.objects.public().filter(pk=submitted.pk).exists()


def test_a_partnership_may_publish_each_figure_as_soon_as_it_is_approved(client, cast, submitted):
    cast.partnership.figures_public = "approval"
    cast.partnership.save()
    url = f"/partnerships/lichfield/{cast.version.plan.slug}/priorities/{cast.priority.slug}/"

    submitted.approve(cast.manager)

    assert ">44<" in client.get(url).content.decode().split("Latest figures")[1]
