"""Saving an officer's entry page: every figure and progress note in one go, or none of them.

A form carries the revision of the item it was shown with; if the stored item has moved on
since (someone else saved it), that item is refused with the value now stored and nothing on
the page is saved. Writes are bulk, so the cost does not grow with the number of items.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from indicators.models import ReportingPeriod, Return, SubmissionStatus
from priorities.models import ActionUpdate

WORKFLOW_FIELDS = ["status", "entered_by", "submitted_by", "submitted_at", "revision", "updated_at"]


@dataclass(frozen=True)
class Kind:
    """How one kind of item is stored: its model, what links it to its item, what is typed."""

    model: type
    item_field: str  # "indicator" or "action_row"
    typed_fields: list[str]
    whole_area_only: bool = False

    def stored(self, period, keys) -> dict:
        """The stored rows for these items, locked until the save ends, by item key."""
        rows = (
            self.model.objects.select_for_update()
            .for_period(period)
            .filter(**{f"{self.item_field}_id__in": keys})
        )
        if self.whole_area_only:
            rows = rows.whole_area()
        # No ordering: Return's default one joins the nullable area, which PostgreSQL
        # cannot lock FOR UPDATE.
        return {getattr(row, f"{self.item_field}_id"): row for row in rows.order_by()}

    def new(self, item, period):
        return self.model(
            **{self.item_field: getattr(item, self.item_field)}, reporting_period=period
        )


RETURNS = Kind(
    Return,
    "indicator",
    [
        "value",
        "commentary",
        "rag_override",
        "rag_override_reason",
        "comparison_rank",
        "comparison_group_size",
    ],
    whole_area_only=True,
)
UPDATES = Kind(ActionUpdate, "action_row", ["action_status", "progress"])


class PeriodClosed(Exception):
    """Nothing was saved: the quarter was closed to entry (perhaps while the page was open)."""

    def __init__(self, period: ReportingPeriod):
        self.period = period
        super().__init__(f"{period.label} is closed: returns can no longer be entered.")


class EntryRefused(Exception):
    """Nothing was saved; `conflicts` maps each refused form to the item now stored."""

    def __init__(self, conflicts: list[tuple]):
        self.conflicts = conflicts
        super().__init__(f"{len(conflicts)} item(s) changed since the page was shown")


@dataclass
class Saved:
    created: int
    updated: int


def _apply(stored, form, fields, *, user, submitting, now) -> None:
    for name in fields:
        setattr(stored, name, form.cleaned_data[name])
    stored.entered_by = user
    stored.revision += 1
    stored.updated_at = now
    if submitting:
        stored.status = SubmissionStatus.SUBMITTED
        stored.submitted_by, stored.submitted_at = user, now
    elif stored.status != SubmissionStatus.RETURNED:
        stored.status = SubmissionStatus.DRAFT


def _plan(kind: Kind, forms, stored_by_key, *, period, user, submitting, now):
    """Split valid forms into rows to create and rows to update, or collect conflicts."""
    fields = kind.typed_fields
    to_create, to_update, conflicts = [], [], []
    for form in forms:
        stored = stored_by_key.get(form.item.key)
        posted_revision = form.cleaned_data["revision"]
        if stored is None:
            if posted_revision != 0:
                conflicts.append((form, None))
                continue
            if not submitting and not form.has_changed():
                continue  # an untouched item stays "not started"
            stored = kind.new(form.item, period)
            _apply(stored, form, fields, user=user, submitting=submitting, now=now)
            stored.revision = 1
            to_create.append(stored)
        elif stored.revision != posted_revision or not stored.is_editable:
            conflicts.append((form, stored))
        elif submitting or form.has_changed():
            _apply(stored, form, fields, user=user, submitting=submitting, now=now)
            to_update.append(stored)
    return to_create, to_update, conflicts


def save_entry(
    *, user, period: ReportingPeriod, return_forms, update_forms, submitting: bool
) -> Saved:
    """Save every valid entry form of one agency's page, all or nothing.

    `return_forms` and `update_forms` are bound, valid forms whose `item` is the
    indicator or action row they are for. Side effects: creates and updates Return and
    ActionUpdate rows with their history. Raises EntryRefused when any item changed
    since the page was shown, and PeriodClosed when the quarter is closed, even if it was
    closed after `period` was read: the quarter's row is re-read, locked, inside the save.
    """
    now = timezone.now()
    planned = []
    try:
        with transaction.atomic():
            still_open = ReportingPeriod.objects.select_for_update().open_for_entry()
            if not still_open.filter(pk=period.pk).order_by().values_list("pk", flat=True):
                raise PeriodClosed(period)
            conflicts = []
            for kind, forms in ((RETURNS, return_forms), (UPDATES, update_forms)):
                stored = kind.stored(period, [form.item.key for form in forms])
                new, changed, refused = _plan(
                    kind, forms, stored, period=period, user=user, submitting=submitting, now=now
                )
                planned.append((kind, new, changed))
                conflicts += refused
            if conflicts:
                raise EntryRefused(conflicts)
            for kind, new, changed in planned:
                if new:
                    bulk_create_with_history(new, kind.model, default_user=user, default_date=now)
                if changed:
                    bulk_update_with_history(
                        changed,
                        kind.model,
                        [*kind.typed_fields, *WORKFLOW_FIELDS],
                        default_user=user,
                        default_date=now,
                    )
    except IntegrityError:
        # Someone created the same return between our read and our write.
        raise EntryRefused([]) from None
    return Saved(
        created=sum(len(new) for _, new, _ in planned),
        updated=sum(len(changed) for _, _, changed in planned),
    )
