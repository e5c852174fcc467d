"""Saving an officer's entry page, item by item: every valid item is saved, as a draft or
submitted, whatever happens to the others.

A form carries the revision of the item it was shown with; if the stored item has moved on
since (someone else saved it, or the manager decided on it), that item is refused with what is
stored now and the others are saved. A quarter closed meanwhile saves nothing. Writes are bulk,
so the cost does not grow with the number of items.
"""

from dataclasses import dataclass

from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, get_history_manager_for_model

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
    per_agency: bool = False  # one row per lead agency (action updates), not one per item

    def stored(self, period, items) -> dict:
        """The stored rows for these items, locked until the save ends, by item key."""
        rows = (
            self.model.objects.select_for_update()
            .for_period(period)
            .filter(**{f"{self.item_field}_id__in": [item.key for item in items]})
        )
        if self.whole_area_only:
            rows = rows.whole_area()
        if self.per_agency and items:
            rows = rows.filter(organisation=items[0].organisation)
        # No ordering: Return's default one joins the nullable area, which PostgreSQL
        # cannot lock FOR UPDATE.
        return {getattr(row, f"{self.item_field}_id"): row for row in rows.order_by()}

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


def _apply(stored, form, fields, *, user, now) -> None:
    for name in fields:
        setattr(stored, name, form.cleaned_data[name])
    stored.entered_by = user
    stored.revision += 1
    stored.updated_at = now
    if form.submitting:
        stored.status = SubmissionStatus.SUBMITTED
        stored.submitted_by, stored.submitted_at = user, now
    elif stored.status != SubmissionStatus.RETURNED:
        stored.status = SubmissionStatus.DRAFT


def _differs(form, stored, fields) -> bool:
    """Whether the form would change the stored row (its values compared as values: a
    typed 97 is the stored 97.00); cheaper than the form's has_changed, on a hundred items."""
    return any(form.cleaned_data[name] != getattr(stored, name) for name in fields)


def _plan(kind: Kind, forms, stored_by_key, *, period, user, now):
    """Split valid forms into rows to create, rows to update and refused forms."""
    fields = kind.typed_fields
    to_create, to_update, refused = [], [], []
    for form in forms:
        stored = stored_by_key.get(form.item.key)
        posted_revision = form.cleaned_data["revision"]
        if stored is None:
            if posted_revision != 0:
                refused.append((form, None))  # removed since the page was shown
                continue
            if not form.submitting and not form.has_changed():
                continue  # an untouched item stays "not started"
            stored = kind.new(form.item, period)
            _apply(stored, form, fields, user=user, now=now)
            stored.revision = 1
            to_create.append((form, stored))
        elif stored.revision != posted_revision or not stored.is_editable:
            refused.append((form, stored))
        elif form.submitting or _differs(form, stored, fields):
            _apply(stored, form, fields, user=user, now=now)
            to_update.append((form, stored))
    return to_create, to_update, refused


def _update_with_history(model, rows, fields, *, user, now) -> None:
    """Write `fields` of the stored `rows`, and their history, in two statements whatever
    their number: one UPDATE sent with every row's values at once (executemany). Not Django's
    bulk_update, which builds a CASE … WHEN per row and field: at a hundred rows that costs
    more than the rest of the save."""
    connection = connections[router.db_for_write(model)]
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{quote(column.column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    values = [
        [column.get_db_prep_save(getattr(row, column.attname), connection) for column in columns]
        + [row.pk]
        for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, values)
        _insert_history(cursor, model, rows, user=user, now=now)


def _insert_history(cursor, model, rows, *, user, now) -> None:
    """The rows' history records ("~", changed), as django-simple-history's
    bulk_history_create writes them, copied from the rows just updated by one
    INSERT … SELECT: its bulk_create converts and sends every column of every row from
    Python, which at a hundred rows costs more than the update itself."""
    history = get_history_manager_for_model(model).model
    connection = cursor.db
    quote = connection.ops.quote_name
    written = {  # the history's own columns; every other one is the row's, of the same name
        "history_date": now,
        "history_type": "~",
        "history_user_id": user.pk,
        "history_change_reason": "",
    }
    columns = [field for field in history._meta.concrete_fields if not field.primary_key]
    copied = [field.column for field in columns if field.attname not in written]
    own = [field for field in columns if field.attname in written]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} "
        f"({', '.join(quote(column) for column in [*copied, *(f.column for f in own)])}) "
        f"SELECT {', '.join(quote(column) for column in copied)}, "
        f"{', '.join(['%s'] * len(own))} FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(rows))})"
    )
    cursor.execute(
        sql,
        [field.get_db_prep_save(written[field.attname], connection) for field in own]
        + [row.pk for row in rows],
    )


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
    saved, refused = [], []
    try:
        with transaction.atomic():
            still_open = ReportingPeriod.objects.select_for_update().open_for_entry()
            if not still_open.filter(pk=period.pk).order_by().values_list("pk", flat=True):
                raise PeriodClosed(period)
            for kind, forms in ((RETURNS, return_forms), (UPDATES, update_forms)):
                stored = kind.stored(period, [form.item for form in forms])
                new, changed, conflicts = _plan(
                    kind, forms, stored, period=period, user=user, now=now
                )
                if new:
                    rows = [row for _, row in new]
                    bulk_create_with_history(rows, kind.model, default_user=user, default_date=now)
                if changed:
                    _update_with_history(
                        kind.model,
                        [row for _, row in changed],
                        [*kind.typed_fields, *WORKFLOW_FIELDS],
                        user=user,
                        now=now,
                    )
                saved += [*new, *changed]
                refused += conflicts
    except IntegrityError:
        # Someone created the same return between our read and our write.
        raise EntryRefused() from None
    return Saved(saved, refused)
