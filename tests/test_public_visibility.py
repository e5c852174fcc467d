"""Nothing unpublished, ever: drafts and versions in review answer 404 at every URL, and only
approved figures show."""

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings

from plans.models import PlanVersion
from tests.factories import (
    ActionRowFactory,
    DataLineFactory,
    IndicatorFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def urls_of(version, priority, *, current: bool):
    base = f"/partnerships/{version.plan.partnership.slug}/{version.plan.slug}/"
    if not current:
        base += f"versions/{version.number}/"
    return [
        base,
        f"{base}priorities/{priority.slug}/",
        f"{base}plan.json",
        f"{base}action-rows.csv",
    ]


def filled_version(**kwargs):
    version = PlanVersionFactory(**kwargs)
    SectionFactory(plan_version=version, body=f"Secret words of version {version.number}")
    priority = PriorityFactory(plan_version=version, title=f"Priority of v{version.number}")
    ActionRowFactory(priority=priority, description=f"Draft action of v{version.number}")
    return version, priority


@pytest.mark.parametrize("status", [PlanVersion.Status.DRAFT, PlanVersion.Status.IN_REVIEW])
def test_a_plan_that_was_never_published_is_not_found_at_any_url(client, status):
    version, priority = filled_version(status=status)
    partnership = version.plan.partnership

    for url in [
        *urls_of(version, priority, current=True),
        *urls_of(version, priority, current=False),
        f"/partnerships/{partnership.slug}/",
    ]:
        assert client.get(url).status_code == 404, url
    home = client.get("/").content.decode()
    assert partnership.name not in home
    assert version.plan.title not in home


@pytest.mark.parametrize("status", [PlanVersion.Status.DRAFT, PlanVersion.Status.IN_REVIEW])
def test_a_draft_refresh_of_a_published_plan_stays_hidden(client, status):
    published, published_priority = filled_version(published=True, number=1)
    draft, draft_priority = filled_version(plan=published.plan, number=2, status=status)

    for url in urls_of(draft, draft_priority, current=False):
        assert client.get(url).status_code == 404, url
    # The draft's priority is not reachable through the current plan either.
    assert client.get(urls_of(published, draft_priority, current=True)[1]).status_code == 404

    for url in urls_of(published, published_priority, current=True):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.getvalue().decode()
        assert "Secret words of version 2" not in body
        assert "Draft action of v2" not in body
        assert "Priority of v2" not in body
    partnership_page = client.get(f"/partnerships/{published.plan.partnership.slug}/")
    assert "Version 2" not in partnership_page.content.decode()


def test_a_superseded_version_stays_readable_and_points_to_the_current_one(client):
    old, old_priority = filled_version(published=True, number=1)
    new, _ = filled_version(plan=old.plan, number=2)
    new.publish(None, on=date(2024, 4, 1))

    response = client.get(urls_of(old, old_priority, current=False)[0])
    page = response.content.decode()
    assert response.status_code == 200
    assert "This version (Version 1) has been replaced" in page
    assert f'href="{old.plan.get_absolute_url()}"' in page
    assert "Secret words of version 1" in page
    current = client.get(old.plan.get_absolute_url()).content.decode()
    assert "Secret words of version 2" in current
    assert "Secret words of version 1" not in current


@pytest.mark.parametrize("status", ["draft", "submitted", "returned"])
def test_only_approved_figures_reach_the_public(client, status):
    version, priority = filled_version(published=True)
    indicator = IndicatorFactory(partnership=version.plan.partnership, name="Knives surrendered")
    line = DataLineFactory(action_row=priority.action_rows.get())
    line.indicators.add(indicator)
    q1 = ReportingPeriodFactory(
        partnership=indicator.partnership, financial_year=2023, quarter=1, reported=True
    )
    q2 = ReportingPeriodFactory(
        partnership=indicator.partnership, financial_year=2023, quarter=2, reported=True
    )
    ReturnFactory(
        indicator=indicator, reporting_period=q1, value=Decimal("4321"), status="approved"
    )
    ReturnFactory(indicator=indicator, reporting_period=q2, value=Decimal("9876"), status=status)

    page = client.get(urls_of(version, priority, current=True)[1]).content.decode()

    assert "Knives surrendered" in page
    assert "4,321" in page
    assert "2023/24 Q1" in page
    assert "9,876" not in page
    assert "2023/24 Q2" not in page


# The public views and the query modules they read through (import-linter keeps the views
# from importing models at all; this keeps the query modules to the published-only methods).
PUBLIC_MODULES = [
    "plans/views.py",
    "plans/public.py",
    "indicators/public.py",
    "priorities/public.py",
    "priorities/views/public.py",
    "reporting/public.py",
    "reporting/views/public.py",
]
PUBLIC_QUERY_METHODS = {"public", "with_public_plan"}


def test_public_pages_query_models_only_through_the_published_path():
    """Code that reaches `Model.objects` another way could forget the published filter."""
    for module in PUBLIC_MODULES:
        tree = ast.parse(Path(settings.BASE_DIR, module).read_text())
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "objects"
            ):
                assert node.attr in PUBLIC_QUERY_METHODS, (
                    f"{module}:{node.lineno} uses .objects.{node.attr}()"
                )
