"""Saving an officer's entry page, item by item: every valid item is saved, as a draft or
submitted, whatever happens to the others.

A form carries the revision of the item it was shown with; if the stored item has moved on
since (someone else saved it, or the manager decided on it), that item is refused with what is
stored now and the others are saved. A quarter closed meanwhile saves nothing. Writes are bulk,
so the cost does not grow with the number of items.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from indicators.models import ReportingPeriod, Return, SubmissionStatus
from priorities.models import ActionUpdate

from .bulk_writes import update_with_history

# By column (attname): a save writes people as ids, not through the lazy request.user.
WORKFLOW_FIELDS = [
    "status",
    "entered_by_id",
    "submitted_by_id",
    "submitted_at",
    "revision",
    "updated_at",
]


@dataclass(frozen=True)
class Kind:
    """How one kind of item is stored: its model, what links it to its item, what is typed."""

    model: type
    item_field: str  # "indicator" or "action_row"
    typed_fields: list[str]
    whole_area_only: bool = False
    per_agency: bool = False  # one row per lead agency (action updates), not one per item

    def _rows(self, period, keys):
        rows = self.model.objects.for_period(period).filter(**{f"{self.item_field}_id__in": keys})
        if self.whole_area_only:
            rows = rows.whole_area()
        return rows

    def stored(self, period, items) -> dict:
        """The stored rows for these items, locked until the save ends, by item key.

        An item's row as the page's read found it (its `current`) is used as it is when its
        revision and status are still those stored: only the few that moved on are read again
        whole. Reading a hundred rows twice costs more than the rest of a draft's save."""
        keys = [item.key for item in items]
        rows = self._rows(period, keys).select_for_update()
        if self.per_agency and items:
            rows = rows.filter(organisation=items[0].organisation)
        # No ordering: Return's default one joins the nullable area, which PostgreSQL
        # cannot lock FOR UPDATE.
        now = rows.order_by().values_list(f"{self.item_field}_id", "pk", "revision", "status")
        as_read = {item.key: item.current for item in items if item.current is not None}
        stored, moved = {}, []
        for key, pk, revision, status in now:
            row = as_read.get(key)
            if row is not None and (row.pk, row.revision, row.status) == (pk, revision, status):
                stored[key] = row
            else:
                moved.append(pk)
        if moved:
            for row in self.model.objects.filter(pk__in=moved).select_related("entered_by"):
                stored[getattr(row, f"{self.item_field}_id")] = row
        return stored

    def new(self, item, period):
        agency = {"organisation": item.organisation} if self.per_agency else {}
        return self.model(
            **{self.item_field: getattr(item, self.item_field)}, reporting_period=period, **agency
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
UPDATES = Kind(
    ActionUpdate, "action_row", ["action_status", "progress", "status_note"], per_agency=True
)


class PeriodClosed(Exception):
    """Nothing was saved: the quarter was closed to entry (perhaps while the page was open)."""

    def __init__(self, period: ReportingPeriod):
        self.period = period
        super().__init__(f"{period.label} is closed: returns can no longer be entered.")


class EntryRefused(Exception):
    """Nothing was saved: another save created some of the same items at the same moment."""

    def __init__(self):
        super().__init__("another save created the same items at the same moment")


@dataclass
class Saved:
    """What one save did, item by item."""

    saved: list[tuple]  # (form, the stored row as saved now)
    refused: list[tuple]  # (form, the stored row or None): changed since the page was shown

    @property
    def submitted(self) -> int:
        return sum(1 for form, _ in self.saved if form.submitting)

    @property
    def drafted(self) -> int:
        return sum(1 for form, _ in self.saved if not form.submitting)


def _new_values(stored, form, fields, *, user_id, now) -> dict:
    """The row's columns as this save leaves them, by attname: what was typed, who, when, and
    its status (submitted, or a draft; a returned item stays returned until it is submitted)."""
    values = {name: form.cleaned_data[name] for name in fields}
    values.update(entered_by_id=user_id, revision=stored.revision + 1, updated_at=now)
    if form.submitting:
        values.update(status=SubmissionStatus.SUBMITTED, submitted_by_id=user_id, submitted_at=now)
    elif stored.status != SubmissionStatus.RETURNED:
        values["status"] = SubmissionStatus.DRAFT
    return values


def _apply(row, values: dict) -> None:
    for name, value in values.items():
        setattr(row, name, value)


def _changed_fields(form, stored, fields) -> set[str]:
    """The typed fields the form would change (compared as values: a typed 97 is the stored
    97.00); cheaper than the form's has_changed, on a hundred items."""
    return {name for name in fields if form.cleaned_data[name] != getattr(stored, name)}


@dataclass
class Plan:
    """What one kind's save will do. Rows to update are left as read until the save commits,
    so that a save refused part way leaves the page's items as they are stored."""

    new: list = field(default_factory=list)  # (form, new row)
    changed: list = field(default_factory=list)  # (form, stored row, its new values)
    refused: list = field(default_factory=list)  # (form, stored row or None)
    columns: set = field(default_factory=set)  # the fields any update changes


def _plan(kind: Kind, forms, stored_by_key, *, period, user_id, now) -> Plan:
    """Split valid forms into rows to create, rows to update and refused forms."""
    fields = kind.typed_fields
    plan = Plan()
    for form in forms:
        stored = stored_by_key.get(form.item.key)
        posted_revision = form.cleaned_data["revision"]
        if stored is None:
            if posted_revision != 0:
                plan.refused.append((form, None))  # removed since the page was shown
                continue
            if not form.submitting and not form.has_changed():
                continue  # an untouched item stays "not started"
            row = kind.new(form.item, period)
            _apply(row, _new_values(row, form, fields, user_id=user_id, now=now))
            plan.new.append((form, row))
        elif stored.revision != posted_revision or not stored.is_editable:
            plan.refused.append((form, stored))
        elif (typed := _changed_fields(form, stored, fields)) or form.submitting:
            values = _new_values(stored, form, fields, user_id=user_id, now=now)
            plan.changed.append((form, stored, values))
            plan.columns |= typed | {name for name in WORKFLOW_FIELDS if name in values}
    return plan


def save_entry(*, user, period: ReportingPeriod, return_forms, update_forms) -> Saved:
    """Save each valid entry form of one agency's page on its own: submitted when the form is
    a submitting one (`form.submitting`), else as a draft.

    `return_forms` and `update_forms` are bound, valid forms whose `item` is the indicator or
    action row they are for. Side effects: creates and updates Return and ActionUpdate rows
    with their history, in a fixed number of queries. Forms whose item changed since the page
    was shown are refused (in `Saved.refused`) and the others saved. Raises PeriodClosed when
    the quarter is closed, even if it was closed after `period` was read (the quarter's row is
    re-read, locked, inside the save), and EntryRefused when another save created the same
    item at the same moment; either way nothing is saved.
    """
    now = timezone.now()
    plans = []
    try:
        with transaction.atomic():
            still_open = ReportingPeriod.objects.select_for_update().open_for_entry()
            if not still_open.filter(pk=period.pk).order_by().values_list("pk", flat=True):
                raise PeriodClosed(period)
            for kind, forms in ((RETURNS, return_forms), (UPDATES, update_forms)):
                if not forms:
                    continue
                stored = kind.stored(period, [form.item for form in forms])
                plan = _plan(kind, forms, stored, period=period, user_id=user.pk, now=now)
                if plan.new:
                    rows = [row for _, row in plan.new]
                    bulk_create_with_history(rows, kind.model, default_user=user, default_date=now)
                if plan.changed:
                    update_with_history(
                        kind.model,
                        [(row, values) for _, row, values in plan.changed],
                        plan.columns,
                        user=user,
                        now=now,
                    )
                plans.append(plan)
    except IntegrityError:
        # Someone created the same return between our read and our write.
        raise EntryRefused() from None
    saved, refused = [], []
    for plan in plans:
        for _form, row, values in plan.changed:
            _apply(row, values)  # saved: the rows as read now stand as stored
        saved += [*plan.new, *((form, row) for form, row, _ in plan.changed)]
        refused += plan.refused
    return Saved(saved, refused)
