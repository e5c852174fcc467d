"""What changed between two versions: parts added, removed and changed, text word by word,
marked in words as well as colour; public for two public versions, members only with a draft."""

from datetime import date

import pytest
from django.urls import reverse

from priorities.changes import ADDED, REMOVED, SAME, Piece, compare, word_diff

from . import factories as f
from .plan_year import build_plan_year

pytestmark = pytest.mark.django_db


def test_word_diff_marks_only_the_words_that_changed():
    assert word_diff("Patrol on Friday nights", "Patrol on Friday and Saturday nights") == [
        Piece(SAME, "Patrol on Friday "),
        Piece(ADDED, "and Saturday "),
        Piece(SAME, "nights"),
    ]
    assert word_diff("Fewer incidents reported", "Fewer reported") == [
        Piece(SAME, "Fewer "),
        Piece(REMOVED, "incidents "),
        Piece(SAME, "reported"),
    ]
    assert word_diff("same", "same") == [Piece(SAME, "same")]


@pytest.fixture
def edited():
    """A draft refresh with one edit of each kind: a section reworded, a row reworded, a row
    added, a row removed, a priority added."""
    world = build_plan_year("lichfield", priorities=2)
    draft = world.draft
    section = draft.sections.get()
    section.body = "We keep people safe together."
    section.save()
    first, second = draft.priorities.all()
    row = first.action_rows.get()
    row.description = "Patrol the town centre on Friday and Saturday nights (1)"
    row.save()
    f.ActionRowFactory(priority=first, order=20, description="Open a youth club")
    second.action_rows.get().delete()
    f.PriorityFactory(plan_version=draft, order=90, title="Fraud", slug="fraud", label="Priority 9")
    world.draft.publish(world.manager, on=date(2024, 4, 1))
    return world


def test_compare_lists_every_edit_by_kind(edited):
    changes = compare(edited.published, edited.draft)
    assert [(part.kind, part.name) for part in changes.sections] == [("changed", "Introduction")]
    kinds = {
        (part.kind, part.noun, part.name)
        for priority in changes.priorities
        for part in [priority, *priority.rows]
    }
    assert kinds == {
        ("changed", "priority", "Priority 1: Anti-social behaviour 1"),
        ("changed", "action", "Patrol the town centre on Friday and Saturday nights (1)"),
        ("added", "action", "Open a youth club"),
        ("changed", "priority", "Priority 2: Anti-social behaviour 2"),
        ("removed", "action", "Patrol the town centre on Friday nights (2)"),
        ("added", "priority", "Priority 9: Fraud"),
    }
    # The priorities listed only for their rows' changes are not counted as changed.
    assert (changes.count("added"), changes.count("removed"), changes.count("changed")) == (
        2,
        1,
        2,
    )
    assert [p.only_rows_changed for p in changes.priorities] == [True, True, False]


def test_the_public_reads_changes_between_public_versions_word_by_word(client, edited):
    url = reverse("plan-changes", args=["lichfield", "delivery-plan", 1, 2])
    page = client.get(url).content.decode()
    assert "What changed from the Plan 2023 to the Refresh 2024" in page
    assert "We keep people <del" in page  # the words kept are left unmarked
    assert "[removed: </span>safe.<span" in page
    assert "[added: </span>safe together.<span" in page
    assert "[added: </span>and Saturday <span" in page
    assert "Draft — not published" not in page


def test_the_current_plan_links_to_what_changed(client, edited):
    page = client.get(reverse("plan", args=["lichfield", "delivery-plan"])).content.decode()
    assert reverse("plan-changes", args=["lichfield", "delivery-plan", 1, 2]) in page
    assert "What changed since the Plan 2023" in page


def test_members_compare_with_a_draft_under_the_banner(client):
    world = build_plan_year("lichfield")
    client.force_login(world.officer)
    url = reverse("plan-changes", args=["lichfield", "delivery-plan", 1, world.draft.number])
    response = client.get(url)
    assert response.status_code == 200
    assert "Draft — not published" in response.content.decode()
    assert "Nothing: the two versions say the same." in response.content.decode()
    client.logout()
    assert client.get(url).status_code == 404


def test_comparing_a_version_with_itself_or_a_missing_one_is_404(client, edited):
    for old, new in ((1, 1), (1, 7), (7, 1)):
        url = reverse("plan-changes", args=["lichfield", "delivery-plan", old, new])
        assert client.get(url).status_code == 404
