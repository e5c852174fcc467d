"""The published plan as the public reads it: what each page shows. (What each page costs is
pinned in test_query_counts.)"""

import csv
import io
import json

import pytest
from django.utils.http import http_date

from priorities.models import ActionRow, Priority
from tests.factories import (
    ActionRowFactory,
    OutcomeFactory,
    PlanVersionFactory,
    PriorityFactory,
    SectionFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db

PLAN_URL = "/partnerships/lichfield/delivery-plan-2022-2025/"


def current_rows():
    """The rows of the demo plan's published version (it also has a superseded one and a
    refresh in review)."""
    return ActionRow.objects.filter(priority__plan_version__status="published")


def test_home_leads_to_the_partnership_and_its_plan(client, demo_partnership):
    home = client.get("/").content.decode()
    assert 'href="/partnerships/lichfield/"' in home
    assert f'href="{PLAN_URL}"' in home

    page = client.get("/partnerships/lichfield/").content.decode()
    assert "Community Safety Delivery Plan 2022–2025" in page
    assert f'href="{PLAN_URL}"' in page
    for organisation in demo_partnership.organisations.all():
        assert organisation.name in page


def test_plan_page_has_contents_every_section_priority_and_action_row(client, demo_partnership):
    response = client.get(PLAN_URL)
    page = response.content.decode()

    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "Refresh April 2023" in page
    for priority in Priority.objects.filter(plan_version__status="published"):
        assert f'href="#priority-{priority.slug}"' in page
        assert f'id="priority-{priority.slug}"' in page
    for row in current_rows().prefetch_related("outcomes", "lead_organisations"):
        assert f'<td class="govuk-table__cell">{row.description}</td>' in page.replace(
            "&#x27;", "'"
        )
        for outcome in row.outcomes.all():
            assert outcome.text.replace("'", "&#x27;") in page
    assert page.count('<th scope="col" class="govuk-table__header app-action-table__action">') == 7
    assert "Staffordshire Police" in page
    # Markdown is rendered: the Introduction's footnote and its list.
    assert 'class="app-footnotes"' in page
    assert "<li>(a) crime and disorder" in page


def test_priority_page_shows_the_priority_and_links_back_to_the_plan(client, demo_partnership):
    response = client.get(f"{PLAN_URL}priorities/anti-social-behaviour/")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="govuk-heading-xl">Anti-Social Behaviour</h1>' in page
    assert "What is ASB?" in page
    assert "Chasetown" in page  # a hotspot
    assert "Latest figures" in page
    assert "2023/24 Q4" in page
    assert f'href="{PLAN_URL}"' in page


def test_unknown_priority_is_not_found(client, demo_partnership):
    assert client.get(f"{PLAN_URL}priorities/no-such-thing/").status_code == 404


def test_action_rows_are_grouped_by_theme_when_the_plan_uses_themes(client):
    version = PlanVersionFactory(published=True)
    later = ThemeFactory(plan_version=version, name="Public Confidence", order=20)
    early = ThemeFactory(plan_version=version, name="Early Intervention & Prevention", order=10)
    priority = PriorityFactory(plan_version=version, title="ASB")
    ActionRowFactory(priority=priority, theme=later, description="Regular communications")
    ActionRowFactory(priority=priority, theme=early, description="Diversionary sport")

    page = client.get(version.plan.get_absolute_url()).content.decode()

    early_at = page.index("ASB: Early Intervention &amp; Prevention")
    assert early_at < page.index("Diversionary sport") < page.index("ASB: Public Confidence")
    assert page.index("ASB: Public Confidence") < page.index("Regular communications")


def test_narrative_is_sanitised(client):
    version = PlanVersionFactory(published=True)
    SectionFactory(
        plan_version=version,
        body='Hello <script>alert("x")</script> [bad](javascript:alert(1)) **bold**',
    )
    page = client.get(version.plan.get_absolute_url()).content.decode()
    assert "<script>alert" not in page
    assert "javascript:" not in page
    assert "<strong>bold</strong>" in page


def test_action_rows_csv_has_one_line_per_row(client, demo_partnership):
    response = client.get(f"{PLAN_URL}action-rows.csv")

    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert len(rows) == current_rows().count()
    first = rows[0]
    assert first["priority"] == "Domestic Abuse"
    assert first["action"] == "Further develop the local MARAC"
    assert first["outcomes"] == "Reduced risk for victims"
    three = next(row for row in rows if row["action"].startswith("Continue to support victims"))
    assert three["outcomes"].split("\n") == [
        "Reduced incidents of domestic abuse",
        "Increased resilience in survivors and potential victims",
    ]


def test_plan_json_holds_the_whole_plan(client, demo_partnership):
    data = json.loads(client.get(f"{PLAN_URL}plan.json").getvalue())
    assert data["plan"]["label"] == "Refresh April 2023"
    assert data["priorities"][0]["title"] == "Domestic Abuse"
    assert sum(len(p["action_rows"]) for p in data["priorities"]) == current_rows().count()
    assert data["priorities"][0]["action_rows"][0]["data"] == ["Number of high risk cases"]


def test_pages_link_to_their_open_data(client, demo_partnership):
    page = client.get(PLAN_URL).content.decode()
    assert f'href="{PLAN_URL}action-rows.csv"' in page
    assert f'href="{PLAN_URL}plan.json"' in page


def test_a_revisit_gets_304_and_an_edit_is_seen_at_once(client, demo_partnership):
    first = client.get(PLAN_URL)
    assert first.has_header("ETag")
    assert first.has_header("Last-Modified")
    assert first["Cache-Control"] == "no-cache"

    again = client.get(
        PLAN_URL,
        headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]},
    )
    assert again.status_code == 304
    since = client.get(PLAN_URL, headers={"If-Modified-Since": first["Last-Modified"]})
    assert since.status_code == 304

    row = current_rows().first()
    OutcomeFactory(action_row=row, order=99, text="A brand new outcome")
    changed = client.get(
        PLAN_URL,
        headers={"If-None-Match": first["ETag"], "If-Modified-Since": http_date(0)},
    )
    assert changed.status_code == 200
    assert "A brand new outcome" in changed.content.decode()


def test_editing_a_row_moves_last_modified_on(client, demo_partnership):
    version = demo_partnership.plans.get().versions.published().get()
    before = version.updated_at
    row = current_rows().first()
    row.lead_organisations.clear()
    version.refresh_from_db()
    assert version.updated_at > before
