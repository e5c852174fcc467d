"""The admin is where the manager edits the plan: pages open for managers and stay shut to
others. (What its list pages cost is pinned in test_query_counts.)"""

from decimal import Decimal

import pytest

from plans.models import PlanVersion
from priorities.demo import MANAGER_GROUP
from priorities.models import ActionRow
from tests.factories import (
    AllocationFactory,
    FundFactory,
    PlanVersionFactory,
)

pytestmark = pytest.mark.django_db

DEMO_PLAN = "delivery-plan-2022-2025"


@pytest.fixture
def manager(demo_partnership, django_user_model):
    return django_user_model.objects.get(username="manager")


def test_the_manager_can_open_and_edit_every_level_of_the_plan(client, manager):
    row = ActionRow.objects.filter(priority__plan_version__plan__slug=DEMO_PLAN).first()
    client.force_login(manager)

    pages = [
        f"/admin/plans/planversion/{row.priority.plan_version.pk}/change/",
        f"/admin/priorities/priority/{row.priority.pk}/change/",
        f"/admin/priorities/actionrow/{row.pk}/change/",
        "/admin/priorities/actionrow/?q=Action",
        "/admin/indicators/return/",
        "/admin/priorities/actionrow/import/",
        "/admin/priorities/actionrow/export/",
    ]
    for page in pages:
        assert client.get(page).status_code == 200, page


def test_the_manager_belongs_to_the_group_that_may_edit(manager):
    assert manager.groups.filter(name=MANAGER_GROUP).exists()
    assert manager.has_perm("priorities.change_actionrow")
    assert manager.has_perm("indicators.add_return")


@pytest.mark.parametrize("role", ["officer", "reviewer"])
def test_officers_and_reviewers_are_kept_out_of_the_admin(client, manager, role, django_user_model):
    client.force_login(django_user_model.objects.get(username=role))
    response = client.get("/admin/priorities/actionrow/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/plans/planversion/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")


def test_fund_list_shows_what_is_not_yet_allocated(client, manager, demo_partnership):
    fund = FundFactory(partnership=demo_partnership, name="Test fund", amount=Decimal("1000.00"))
    AllocationFactory(fund=fund, allocated=Decimal("250.00"))
    client.force_login(manager)

    page = client.get("/admin/plans/fund/").content.decode()

    assert "750.00" in page


def test_versions_are_not_published_from_the_admin_list(client, manager, demo_partnership):
    """A version's state moves on the plan's own page, with the chosen date; the admin list
    offers no shortcut round it."""
    current = PlanVersion.objects.published().filter(plan__partnership=demo_partnership).first()
    number = current.plan.versions.order_by("-number").first().number + 1
    refresh = PlanVersionFactory(plan=current.plan, number=number, label="Refresh April 2026")
    client.force_login(manager)

    listing = client.get("/admin/plans/planversion/")
    client.post(
        "/admin/plans/planversion/",
        {"action": "publish", "_selected_action": [refresh.pk]},
        follow=True,
    )

    offered = [name for name, _ in listing.context["action_form"].fields["action"].choices]
    assert "publish" not in offered
    current.refresh_from_db()
    refresh.refresh_from_db()
    assert (current.status, refresh.status) == ("published", "draft")
