"""A plan version's life: draft → in review → published → superseded, moved only by its own
methods. Each move is recorded with who made it, when and why; a refused move changes nothing;
publishing and unpublishing move two versions together or neither; one plan's moves never
touch another partnership's plan."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from plans.models import PlanVersion, VersionEvent
from tests import factories as f

pytestmark = pytest.mark.django_db

Status = PlanVersion.Status
Kind = VersionEvent.Kind
CHOSEN_DAY = date(2024, 4, 1)  # the board's date, not the day the button is pressed


@pytest.fixture
def manager():
    return f.UserFactory(username="manager")


@pytest.fixture
def original():
    """Version 1 of a plan, published on 1 April 2023."""
    return f.PlanVersionFactory(number=1, label="Plan 2023", published=True)


@pytest.fixture
def refresh(original):
    """Version 2 of the same plan, a draft."""
    return f.PlanVersionFactory(plan=original.plan, number=2, label="Refresh April 2024")


def stored(version: PlanVersion) -> tuple:
    """What the database holds of a version: its state, its date and its record."""
    fresh = PlanVersion.objects.get(pk=version.pk)
    events = list(fresh.events.values_list("kind", "by", "reason", "on"))
    return fresh.status, fresh.published_on, fresh.updated_at, events


def only_event(version: PlanVersion) -> VersionEvent:
    (event,) = version.events.all()
    return event


# ---- each move, recorded ----------------------------------------------------------------------


def test_a_draft_is_sent_for_review_and_the_record_says_who_and_when(refresh, manager):
    before = timezone.now()

    refresh.send_for_review(manager)

    refresh.refresh_from_db()
    assert refresh.status == Status.IN_REVIEW
    event = only_event(refresh)
    assert (event.kind, event.by, event.reason) == (Kind.SENT_FOR_REVIEW, manager, "")
    assert before <= event.at <= timezone.now()
    assert refresh.history.first().history_user == manager


def test_a_version_in_review_goes_back_to_draft_with_the_reason(refresh, manager):
    refresh.send_for_review(manager)
    reviewer = f.UserFactory(username="reviewer")

    refresh.return_to_draft(reviewer, "  The police figures need updating.  ")

    refresh.refresh_from_db()
    assert refresh.status == Status.DRAFT
    returned = refresh.events.get(kind=Kind.RETURNED_TO_DRAFT)
    assert (returned.by, returned.reason) == (reviewer, "The police figures need updating.")
    assert [event.kind for event in refresh.events.all()] == [
        Kind.SENT_FOR_REVIEW,
        Kind.RETURNED_TO_DRAFT,
    ]


def test_publishing_stores_the_chosen_date_not_today(refresh, manager):
    refresh.send_for_review(manager)

    refresh.publish(manager, on=CHOSEN_DAY, note=" Agreed by the board. ")

    refresh.refresh_from_db()
    assert refresh.status == Status.PUBLISHED
    assert refresh.published_on == CHOSEN_DAY != timezone.localdate()
    published = refresh.events.get(kind=Kind.PUBLISHED)
    assert (published.by, published.on, published.reason) == (
        manager,
        CHOSEN_DAY,
        "Agreed by the board.",
    )


def test_a_draft_is_published_straight_from_draft(refresh, manager):
    refresh.publish(manager, on=CHOSEN_DAY)

    refresh.refresh_from_db()
    assert refresh.status == Status.PUBLISHED
    assert [event.kind for event in refresh.events.all()] == [Kind.PUBLISHED]


def test_publishing_supersedes_the_published_version_and_records_it(original, refresh, manager):
    refresh.publish(manager, on=CHOSEN_DAY)

    original.refresh_from_db()
    assert original.status == Status.SUPERSEDED
    assert original.published_on == date(2023, 4, 1)  # when it was published stays
    superseded = only_event(original)
    assert (superseded.kind, superseded.by) == (Kind.SUPERSEDED, manager)
    assert superseded.reason == "Replaced by Refresh April 2024."
    assert list(original.plan.versions.published()) == [refresh]
    assert set(original.plan.versions.public()) == {original, refresh}


def test_unpublishing_reinstates_the_version_it_superseded_and_records_the_reason(
    original, refresh, manager
):
    refresh.publish(manager, on=CHOSEN_DAY)
    later = timezone.now()

    refresh.unpublish(manager, "  The wrong priorities were published.  ")

    refresh.refresh_from_db()
    original.refresh_from_db()
    assert (refresh.status, refresh.published_on) == (Status.DRAFT, None)
    assert (original.status, original.published_on) == (Status.PUBLISHED, date(2023, 4, 1))
    unpublished = refresh.events.get(kind=Kind.UNPUBLISHED)
    assert (unpublished.by, unpublished.reason) == (
        manager,
        "The wrong priorities were published.",
    )
    assert unpublished.at >= later
    reinstated = original.events.get(kind=Kind.REINSTATED)
    assert reinstated.by == manager
    assert reinstated.reason == (
        "Refresh April 2024 was unpublished: The wrong priorities were published."
    )
    assert list(original.plan.versions.published()) == [original]


def test_unpublishing_reinstates_the_latest_earlier_version_only(original, refresh, manager):
    refresh.publish(manager, on=CHOSEN_DAY)
    third = f.PlanVersionFactory(plan=original.plan, number=3, label="Refresh April 2025")
    third.publish(manager, on=date(2025, 4, 1))

    third.unpublish(manager, "Published too early.")

    statuses = dict(original.plan.versions.values_list("number", "status"))
    assert statuses == {1: Status.SUPERSEDED, 2: Status.PUBLISHED, 3: Status.DRAFT}
    assert not original.events.filter(kind=Kind.REINSTATED).exists()


def test_unpublishing_the_only_version_leaves_the_plan_without_a_public_one(original, manager):
    original.unpublish(manager, "Published by mistake.")

    original.refresh_from_db()
    assert original.status == Status.DRAFT
    assert not original.plan.versions.public().exists()


def test_an_unpublished_version_can_be_published_again_on_a_new_date(original, refresh, manager):
    refresh.publish(manager, on=CHOSEN_DAY)
    refresh.unpublish(manager, "A figure was wrong.")

    refresh.publish(manager, on=date(2024, 5, 1))

    refresh.refresh_from_db()
    original.refresh_from_db()
    assert (refresh.status, refresh.published_on) == (Status.PUBLISHED, date(2024, 5, 1))
    assert original.status == Status.SUPERSEDED
    assert [event.kind for event in refresh.events.all()] == [
        Kind.PUBLISHED,
        Kind.UNPUBLISHED,
        Kind.PUBLISHED,
    ]


def test_a_correction_to_a_public_version_is_recorded_and_changes_nothing_else(original, manager):
    event = original.record_correction(manager, "  Corrected the ward names in Priority 2. ")

    assert (event.kind, event.by, event.reason) == (
        Kind.CORRECTED,
        manager,
        "Corrected the ward names in Priority 2.",
    )
    assert event.is_public
    original.refresh_from_db()
    assert original.status == Status.PUBLISHED
    assert list(original.events.all()) == [event]


def test_a_correction_without_a_reason_is_refused_and_not_recorded(original, manager):
    with pytest.raises(ValidationError, match="what was corrected"):
        original.record_correction(manager, "   ")
    assert not original.events.exists()


# ---- refused moves change nothing -----------------------------------------------------------


def publish(version, by):
    version.publish(by, on=CHOSEN_DAY)


def publish_without_a_date(version, by):
    version.publish(by, on=None)


def unpublish(version, by):
    version.unpublish(by, "A reason.")


def unpublish_without_a_reason(version, by):
    version.unpublish(by, "   ")


def send_for_review(version, by):
    version.send_for_review(by)


def return_to_draft(version, by):
    version.return_to_draft(by, "A reason.")


REFUSED_MOVES = {
    "publishing the published version": ("original", publish, "already public"),
    "publishing a superseded version": ("superseded", publish, "already public"),
    "publishing without a date": ("refresh", publish_without_a_date, "Choose the date"),
    "unpublishing a draft": ("refresh", unpublish, "Only the published version"),
    "unpublishing a version in review": ("in_review", unpublish, "Only the published version"),
    "unpublishing a superseded version": ("superseded", unpublish, "Only the published version"),
    "unpublishing without a reason": ("original", unpublish_without_a_reason, "Say why"),
    "sending the published version for review": ("original", send_for_review, "Only a draft"),
    "sending a version in review for review again": ("in_review", send_for_review, "Only a draft"),
    "returning a draft to draft": ("refresh", return_to_draft, "Only a version in review"),
    "returning the published version to draft": ("original", return_to_draft, "in review"),
}


@pytest.mark.parametrize("case", REFUSED_MOVES)
def test_a_refused_move_raises_and_changes_nothing(original, refresh, manager, case):
    in_review = f.PlanVersionFactory(plan=f.PlanFactory(), number=1)
    in_review.send_for_review(manager)
    superseded = f.PlanVersionFactory(plan=f.PlanFactory(), number=1, published=True)
    f.PlanVersionFactory(plan=superseded.plan, number=2).publish(manager, on=CHOSEN_DAY)
    versions = {"original": original, "refresh": refresh, "in_review": in_review,
                "superseded": superseded}  # fmt: skip
    which, move, message = REFUSED_MOVES[case]
    everything_before = [stored(version) for version in versions.values()]

    with pytest.raises(ValidationError, match=message):
        move(PlanVersion.objects.get(pk=versions[which].pk), manager)

    assert [stored(version) for version in versions.values()] == everything_before


# ---- two versions move together or not at all -----------------------------------------------


def fail_on_second_call(monkeypatch, owner, name: str):
    """Make `owner.name` raise the second time it is called, as a lost connection would."""
    real = getattr(owner, name)
    calls = []

    def failing(*args, **kwargs):
        calls.append(name)
        if len(calls) == 2:
            raise RuntimeError("The database went away.")
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)
    return calls


@pytest.mark.parametrize("failing", ["recording the new version's event", "saving it"])
def test_a_failure_while_publishing_leaves_the_old_version_published(
    monkeypatch, original, refresh, manager, failing
):
    if failing == "saving it":
        # The old version is saved as superseded first, then the new one as published.
        calls = fail_on_second_call(monkeypatch, PlanVersion, "save")
    else:
        # The old version's "superseded" is recorded first, then the new one's "published".
        calls = fail_on_second_call(monkeypatch, VersionEvent.objects, "create")

    with pytest.raises(RuntimeError):
        refresh.publish(manager, on=CHOSEN_DAY)

    assert len(calls) == 2
    original.refresh_from_db()
    refresh.refresh_from_db()
    assert (original.status, original.published_on) == (Status.PUBLISHED, date(2023, 4, 1))
    assert (refresh.status, refresh.published_on) == (Status.DRAFT, None)
    assert not VersionEvent.objects.exists()
    assert list(original.plan.versions.published()) == [original]


def test_a_failure_while_unpublishing_leaves_the_new_version_published(
    monkeypatch, original, refresh, manager
):
    refresh.publish(manager, on=CHOSEN_DAY)
    events_before = VersionEvent.objects.count()
    # The new version is saved as a draft first, then the old one as published again.
    fail_on_second_call(monkeypatch, PlanVersion, "save")

    with pytest.raises(RuntimeError):
        refresh.unpublish(manager, "A figure was wrong.")

    original.refresh_from_db()
    refresh.refresh_from_db()
    assert (refresh.status, refresh.published_on) == (Status.PUBLISHED, CHOSEN_DAY)
    assert original.status == Status.SUPERSEDED
    assert VersionEvent.objects.count() == events_before


# ---- partnerships are apart -----------------------------------------------------------------


def test_moves_in_one_partnerships_plan_leave_another_partnerships_plan_alone(
    original, refresh, manager
):
    theirs = f.PlanVersionFactory(number=1, label="Their plan", published=True)
    their_draft = f.PlanVersionFactory(plan=theirs.plan, number=2)
    assert theirs.plan.partnership != original.plan.partnership
    before = [stored(theirs), stored(their_draft)]

    refresh.send_for_review(manager)
    refresh.publish(manager, on=CHOSEN_DAY)
    refresh.record_correction(manager, "Fixed a typo.")
    refresh.unpublish(manager, "A figure was wrong.")
    original.refresh_from_db()
    assert original.status == Status.PUBLISHED

    assert [stored(theirs), stored(their_draft)] == before
    assert list(PlanVersion.objects.published().order_by("pk")) == [original, theirs]


def test_each_plan_keeps_its_own_published_version(manager):
    ours = f.PlanVersionFactory(number=1, published=True)
    theirs = f.PlanVersionFactory(number=1, published=True)
    our_refresh = f.PlanVersionFactory(plan=ours.plan, number=2)
    their_refresh = f.PlanVersionFactory(plan=theirs.plan, number=2)

    our_refresh.publish(manager, on=CHOSEN_DAY)
    their_refresh.publish(manager, on=CHOSEN_DAY + timedelta(days=7))

    statuses = {
        version: PlanVersion.objects.get(pk=version.pk).status
        for version in (ours, theirs, our_refresh, their_refresh)
    }
    assert statuses == {
        ours: Status.SUPERSEDED,
        theirs: Status.SUPERSEDED,
        our_refresh: Status.PUBLISHED,
        their_refresh: Status.PUBLISHED,
    }
    assert their_refresh.events.get(kind=Kind.PUBLISHED).on == date(2024, 4, 8)
