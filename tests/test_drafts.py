"""The plan's year on the partnership's pages: members read a draft as the public will, comment
on its parts; the manager replies, resolves, publishes on a chosen date, unpublishes with a
reason; nobody outside the partnership reaches any of it."""

import json
from datetime import date

import pytest
from django.urls import reverse

from plans.models import AreaGroup, PlanVersion, VersionEvent
from priorities.models import Comment

from . import factories as f
from .plan_year import build_plan_year

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    world = build_plan_year("lichfield")
    world.other = build_plan_year("tamworth")
    return world


def draft_urls(world) -> list[tuple[str, str]]:
    """(method, url) of every members-only address of the world's draft."""
    slug, plan, number = world.partnership.slug, world.plan.slug, world.draft.number
    priority = world.draft.priorities.first()
    return [
        ("get", reverse("plan-draft", args=[slug, plan, number])),
        ("get", reverse("priority-draft", args=[slug, plan, number, priority.slug])),
        ("post", reverse("comment-add", args=[slug, plan, number])),
        ("post", reverse("comment-reply", args=[slug, plan, number, world.comment.pk])),
        ("post", reverse("comment-resolve", args=[slug, plan, number, world.comment.pk])),
        ("get", reverse("plan-changes", args=[slug, plan, world.published.number, number])),
        ("get", reverse("plan-changes", args=[slug, plan, number, world.published.number])),
    ]


def manage_urls(world) -> list[tuple[str, str]]:
    """(method, url) of the manager's pages of the world's plan."""
    number = world.draft.number
    return [
        ("get", reverse("manage-plan", args=[world.plan.pk])),
        ("get", reverse("plan-refresh", args=[world.plan.pk])),
        ("get", reverse("version-publish", args=[world.plan.pk, number])),
        ("post", reverse("version-publish", args=[world.plan.pk, number])),
        ("get", reverse("version-unpublish", args=[world.plan.pk, world.published.number])),
        ("post", reverse("version-move", args=[world.plan.pk, number, "send-for-review"])),
    ]


@pytest.mark.parametrize("who", ["anonymous", "manager", "reviewer", "officer"])
def test_nobody_outside_the_partnership_reaches_a_draft_its_comments_or_its_changes(
    client, year, who
):
    if who != "anonymous":
        client.force_login(getattr(year.other, who))
    for method, url in draft_urls(year) + manage_urls(year):
        data = {"body": "Sneaky", "subject": f"plan-{year.draft.pk}", "published_on": "2024-04-01"}
        response = client.post(url, data) if method == "post" else client.get(url)
        if who == "anonymous" and url.startswith("/manage/"):
            assert response.url.startswith("/accounts/login/"), url  # as every manager's page
        else:
            assert response.status_code == 404, (who, url)
    year.draft.refresh_from_db()
    assert year.draft.status == PlanVersion.Status.DRAFT
    assert Comment.objects.filter(body="Sneaky").count() == 0
    assert Comment.objects.get(pk=year.comment.pk).resolved_at is None


@pytest.mark.parametrize("who", ["manager", "reviewer", "officer"])
def test_members_read_the_draft_as_the_public_will_under_a_banner(client, year, who):
    client.force_login(getattr(year, who))
    response = client.get(
        reverse("plan-draft", args=["lichfield", "delivery-plan", year.draft.number])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Draft — not published" in page
    assert "1 open comment." in page
    assert "Say which nights in lichfield: Friday and Saturday?" in page
    assert "Patrol the town centre on Friday nights (1)" in page
    assert year.other.comment.body not in page


def test_only_managers_move_versions_other_members_are_refused(client, year):
    for who in ("reviewer", "officer"):
        client.force_login(getattr(year, who))
        assert client.get(reverse("manage-plan", args=[year.plan.pk])).status_code == 403
        url = reverse("version-publish", args=[year.plan.pk, year.draft.number])
        assert client.post(url, {"published_on": "2024-04-01"}).status_code == 403
    year.draft.refresh_from_db()
    assert year.draft.status == PlanVersion.Status.DRAFT


def test_a_member_comments_on_a_section_with_their_agency(client, year):
    section = year.draft.sections.get()
    client.force_login(year.officer)
    url = reverse("comment-add", args=["lichfield", "delivery-plan", year.draft.number])
    response = client.post(url, {"subject": f"section-{section.pk}", "body": " Add figures. "})
    comment = Comment.objects.get(body="Add figures.")
    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{comment.pk}")
    assert (comment.section, comment.author, comment.organisation) == (
        section,
        year.officer,
        year.police,
    )


def test_an_empty_comment_is_refused_beside_the_field_and_nothing_saved(client, year):
    client.force_login(year.reviewer)
    url = reverse("comment-add", args=["lichfield", "delivery-plan", year.draft.number])
    response = client.post(url, {"subject": f"plan-{year.draft.pk}", "body": "   "})
    assert response.status_code == 200
    assert "Write your comment." in response.content.decode()
    assert Comment.objects.filter(version=year.draft).count() == 1


def test_a_comment_on_a_part_of_another_version_is_refused(client, year):
    published_row = year.published.priorities.first().action_rows.first()
    client.force_login(year.reviewer)
    url = reverse("comment-add", args=["lichfield", "delivery-plan", year.draft.number])
    for subject in (f"row-{published_row.pk}", f"row-{year.other.draft_row.pk}", "nonsense"):
        response = client.post(url, {"subject": subject, "body": "Hello"})
        assert response.status_code == 404
    assert not Comment.objects.filter(body="Hello").exists()


def test_the_manager_replies_and_resolves_and_the_open_count_falls(client, year):
    args = ["lichfield", "delivery-plan", year.draft.number, year.comment.pk]
    client.force_login(year.reviewer)
    assert client.post(reverse("comment-reply", args=args), {"body": "Me too"}).status_code == 403
    assert client.post(reverse("comment-resolve", args=args)).status_code == 403

    client.force_login(year.manager)
    client.post(reverse("comment-reply", args=args), {"body": "Both nights: fixed."})
    client.post(reverse("comment-resolve", args=args))

    reply = Comment.objects.get(reply_to=year.comment)
    assert (reply.body, reply.author, reply.action_row) == (
        "Both nights: fixed.",
        year.manager,
        year.draft_row,
    )
    year.comment.refresh_from_db()
    assert year.comment.resolved_by == year.manager
    page = client.get(
        reverse("plan-draft", args=["lichfield", "delivery-plan", year.draft.number])
    ).content.decode()
    assert "0 open comments." in page
    assert "Both nights: fixed." in page
    assert "Resolved" in page


def test_the_manager_publishes_on_a_chosen_date_and_the_old_version_is_superseded(client, year):
    client.force_login(year.manager)
    url = reverse("version-publish", args=[year.plan.pk, year.draft.number])
    assert "Enter the publication date." in client.post(url, {}).content.decode()
    response = client.post(url, {"published_on": "2024-04-01", "note": "Board agreed it."})
    assert response.status_code == 302

    year.draft.refresh_from_db()
    year.published.refresh_from_db()
    assert (year.draft.status, year.draft.published_on) == ("published", date(2024, 4, 1))
    assert year.published.status == "superseded"
    event = year.draft.events.get(kind=VersionEvent.Kind.PUBLISHED)
    assert (event.by, event.on, event.reason) == (
        year.manager,
        date(2024, 4, 1),
        "Board agreed it.",
    )
    client.logout()
    public = client.get(reverse("plan", args=["lichfield", "delivery-plan"])).content.decode()
    assert "Refresh 2024" in public
    assert "1 April 2024" in public
    assert "Say which nights" not in public  # comments never reach the public
    old = client.get(year.published.get_absolute_url()).content.decode()
    assert "has been replaced" in old


def test_unpublishing_needs_a_reason_and_the_page_says_so(client, year):
    client.force_login(year.manager)
    year.draft.publish(year.manager, on=date(2024, 4, 1))
    url = reverse("version-unpublish", args=[year.plan.pk, year.draft.number])
    response = client.post(url, {"reason": ""})
    assert "Say why" in response.content.decode()
    year.draft.refresh_from_db()
    assert year.draft.status == "published"

    client.post(url, {"reason": "Published before the board met."})
    year.draft.refresh_from_db()
    year.published.refresh_from_db()
    assert (year.draft.status, year.published.status) == ("draft", "published")
    draft_page = client.get(
        reverse("plan-draft", args=["lichfield", "delivery-plan", year.draft.number])
    ).content.decode()
    assert "Unpublished on" in draft_page
    assert "Published before the board met." in draft_page
    client.logout()
    public = client.get(reverse("plan", args=["lichfield", "delivery-plan"])).content.decode()
    assert "Plan 2023" in public
    assert "Published again on" in public
    assert "Published before the board met." in public


def test_a_correction_shows_on_the_public_page(client, year):
    year.published.record_correction(year.manager, "The police phone number was wrong.")
    page = client.get(reverse("plan", args=["lichfield", "delivery-plan"])).content.decode()
    assert "Corrected on" in page
    assert "The police phone number was wrong." in page


def test_send_for_review_and_back_are_recorded(client, year):
    client.force_login(year.manager)
    move = reverse("version-move", args=[year.plan.pk, year.draft.number, "send-for-review"])
    client.post(move)
    year.draft.refresh_from_db()
    assert year.draft.status == "in_review"
    client.post(reverse("version-move", args=[year.plan.pk, year.draft.number, "return-to-draft"]))
    year.draft.refresh_from_db()
    assert year.draft.status == "draft"
    kinds = list(year.draft.events.values_list("kind", "by"))
    assert kinds == [
        ("created", year.manager.pk),
        ("sent_for_review", year.manager.pk),
        ("returned_to_draft", year.manager.pk),
    ]
    bad = reverse("version-move", args=[year.plan.pk, year.draft.number, "explode"])
    assert client.post(bad).status_code == 404


def test_the_yearly_refresh_starts_from_the_managers_page(client, year):
    year.draft.publish(year.manager, on=date(2024, 4, 1))
    client.force_login(year.manager)
    page = client.get(reverse("manage-plan", args=[year.plan.pk])).content.decode()
    assert "Start the yearly refresh" in page
    response = client.post(reverse("plan-refresh", args=[year.plan.pk]), {"label": ""})
    assert "Name the new version." in response.content.decode()
    response = client.post(reverse("plan-refresh", args=[year.plan.pk]), {"label": "Refresh 2025"})
    new = year.plan.versions.get(label="Refresh 2025")
    assert response.url == reverse("plan-draft", args=["lichfield", "delivery-plan", new.number])
    assert new.status == "draft"
    again = client.post(reverse("plan-refresh", args=[year.plan.pk]), {"label": "Another"})
    assert "already has a draft" in again.content.decode()


def test_comments_close_when_the_version_is_published(client, year):
    year.draft.publish(year.manager, on=date(2024, 4, 1))
    client.force_login(year.reviewer)
    url = reverse("comment-add", args=["lichfield", "delivery-plan", year.draft.number])
    assert client.post(url, {"subject": f"plan-{year.draft.pk}", "body": "Late"}).status_code == 403
    draft_url = reverse("plan-draft", args=["lichfield", "delivery-plan", year.draft.number])
    assert client.get(draft_url).url == year.draft.get_absolute_url()


def test_a_plan_grouping_priorities_under_themes_shows_them_with_descriptions(client, year):
    version = year.published
    version.theme_use = PlanVersion.ThemeUse.PRIORITIES
    version.save()
    theme = f.ThemeFactory(
        plan_version=version, name="Safer streets", description="Less crime in public places."
    )
    version.priorities.update(theme=theme)
    group = AreaGroup.objects.create(partnership=year.partnership, name="Hotspot wards")
    group.areas.add(f.AreaFactory(partnership=year.partnership, name="Chasetown"))
    page = client.get(reverse("plan", args=["lichfield", "delivery-plan"])).content.decode()
    theme_heading = f'id="theme-{theme.order}-priorities"'
    assert page.index(theme_heading) < page.index('id="priority-asb-1-heading"')
    assert "Less crime in public places." in page
    assert "Hotspot wards" in page
    assert "Chasetown" in page
    assert "Priority 1</span>" in page
    data = json.loads(
        client.get(reverse("plan-json", args=["lichfield", "delivery-plan"])).getvalue()
    )
    assert data["priority_areas"] == [
        {"group": "Hotspot wards", "description": "", "areas": ["Chasetown"]}
    ]
    assert data["priorities"][0]["label"] == "Priority 1"
    assert data["priorities"][0]["theme"] == "Safer streets"
