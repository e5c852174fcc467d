"""The admin is where the manager edits the plan: pages open for managers, stay shut to others,
and list pages cost the same number of queries however big the plan is."""

import pytest

from priorities.demo import MANAGER_GROUP
from tests.factories import (
    ActionRowFactory,
    DataLineFactory,
    OrganisationFactory,
    OutcomeFactory,
    PriorityFactory,
    ReturnFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(demo_partnership, django_user_model):
    return django_user_model.objects.get(username="manager")


def test_the_manager_can_open_and_edit_every_level_of_the_plan(client, manager):
    row = ActionRowFactory()
    OutcomeFactory(action_row=row)
    DataLineFactory(action_row=row)
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


def make_rows(count):
    priority = PriorityFactory()
    for _ in range(count):
        ActionRowFactory(priority=priority, lead_organisations=[OrganisationFactory()])
    return priority


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/admin/priorities/actionrow/", make_rows),
        ("/admin/indicators/return/", lambda n: ReturnFactory.create_batch(n)),
    ],
)
def test_admin_lists_cost_the_same_queries_for_a_small_and_a_large_plan(
    client, manager, url, make, django_assert_max_num_queries, django_assert_num_queries
):
    client.force_login(manager)
    make(2)
    with django_assert_max_num_queries(100) as small:
        assert client.get(url).status_code == 200
    make(40)
    with django_assert_num_queries(len(small)):
        assert client.get(url).status_code == 200


def test_fund_list_shows_what_is_not_yet_allocated_in_constant_queries(
    client, manager, django_assert_max_num_queries, django_assert_num_queries
):
    from decimal import Decimal

    from tests.factories import AllocationFactory, FundFactory

    client.force_login(manager)
    fund = FundFactory(name="Test fund", amount=Decimal("1000.00"))
    AllocationFactory(fund=fund, allocated=Decimal("250.00"))
    with django_assert_max_num_queries(100) as small:
        page = client.get("/admin/plans/fund/").content.decode()
    assert "750.00" in page
    queries = len(small)
    for _ in range(10):
        AllocationFactory(fund=FundFactory())
    with django_assert_num_queries(queries):
        client.get("/admin/plans/fund/")
