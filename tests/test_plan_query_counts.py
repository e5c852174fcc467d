"""The plan, draft and what-changed pages fetch a plan of 1 priority and of 3 in the same,
pinned, number of queries."""

from datetime import date

import pytest
from django.urls import reverse

from .plan_year import build_plan_year

pytestmark = pytest.mark.django_db

# (page, who reads it, queries); a signed-in reader adds the session, the user and the
# navigation's roles. The public plan page's first query is its stamp (plans.public_cache).
# A plan's hotspots, and its rows' outcomes, data lines and lead and supporting agencies, take
# a query each, read as texts (priorities.models.plan_contents), on a priority's page as on the
# plan's.
PAGES = [
    ("plan", "anonymous", 15),
    ("draft", "reviewer", 19),
    ("draft-priority", "reviewer", 19),
    ("changes", "anonymous", 18),
    ("changes-with-draft", "reviewer", 22),
]


def url_of(page: str, world) -> str:
    slug, plan, draft = "lichfield", "delivery-plan", world.draft.number
    return {
        "plan": reverse("plan", args=[slug, plan]),
        "draft": reverse("plan-draft", args=[slug, plan, draft]),
        "draft-priority": reverse("priority-draft", args=[slug, plan, draft, "asb-1"]),
        "changes": reverse("plan-changes", args=[slug, plan, 1, 2]),
        "changes-with-draft": reverse("plan-changes", args=[slug, plan, 1, draft]),
    }[page]


@pytest.mark.parametrize("priorities", [1, 3])
@pytest.mark.parametrize(("page", "who", "queries"), PAGES)
def test_plan_pages_take_a_fixed_number_of_queries(
    client, django_assert_num_queries, priorities, page, who, queries
):
    world = build_plan_year("lichfield", priorities=priorities)
    if page == "changes":  # two public versions: publish the refresh, then start another
        world.draft.publish(world.manager, on=date(2024, 4, 1))
    if who != "anonymous":
        client.force_login(getattr(world, who))
    url = url_of(page, world)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
