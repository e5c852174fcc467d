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

from .models import ActionUpdate

RETURN_FIELDS = ["value", "rag", "commentary", "comparison_rank", "comparison_group_size"]
UPDATE_FIELDS = ["action_status", "progress"]
WORKFLOW_FIELDS = ["status", "entered_by", "submitted_by", "submitted_at", "revision", "updated_at"]


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


def _plan(forms, stored_by_key, make, fields, *, user, submitting, now):
    """Split valid forms into rows to create and rows to update, or collect conflicts."""
    to_create, to_update, conflicts = [], [], []
    for form in forms:
        stored = stored_by_key.get(form.key)
        posted_revision = form.cleaned_data["revision"]
        if stored is None:
            if posted_revision != 0:
                conflicts.append((form, None))
                continue
            if not submitting and not form.has_changed():
                continue  # an untouched item stays "not started"
            stored = make(form)
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
    since the page was shown, and ValueError when the period is closed.
    """
    if not period.is_open:
        raise ValueError(f"{period.label} is closed: returns can no longer be entered.")
    now = timezone.now()
    for form in return_forms:
        form.key = form.item.indicator.pk
    for form in update_forms:
        form.key = form.item.action_row.pk
    try:
        with transaction.atomic():
            stored_returns = {
                r.indicator_id: r
                # No ordering: the default one joins the nullable area, which PostgreSQL
                # cannot lock FOR UPDATE.
                for r in Return.objects.select_for_update()
                .filter(
                    reporting_period=period,
                    area__isnull=True,
                    indicator_id__in=[form.key for form in return_forms],
                )
                .order_by()
            }
            stored_updates = {
                u.action_row_id: u
                for u in ActionUpdate.objects.select_for_update()
                .filter(
                    reporting_period=period,
                    action_row_id__in=[form.key for form in update_forms],
                )
                .order_by()
            }
            new_returns, changed_returns, return_conflicts = _plan(
                return_forms,
                stored_returns,
                lambda form: Return(indicator=form.item.indicator, reporting_period=period),
                RETURN_FIELDS,
                user=user,
                submitting=submitting,
                now=now,
            )
            new_updates, changed_updates, update_conflicts = _plan(
                update_forms,
                stored_updates,
                lambda form: ActionUpdate(action_row=form.item.action_row, reporting_period=period),
                UPDATE_FIELDS,
                user=user,
                submitting=submitting,
                now=now,
            )
            conflicts = return_conflicts + update_conflicts
            if conflicts:
                raise EntryRefused(conflicts)
            for model, new, changed, fields in (
                (Return, new_returns, changed_returns, RETURN_FIELDS),
                (ActionUpdate, new_updates, changed_updates, UPDATE_FIELDS),
            ):
                if new:
                    bulk_create_with_history(new, model, default_user=user, default_date=now)
                if changed:
                    bulk_update_with_history(
                        changed,
                        model,
                        [*fields, *WORKFLOW_FIELDS],
                        default_user=user,
                        default_date=now,
                    )
    except IntegrityError:
        # Someone created the same return between our read and our write.
        raise EntryRefused([]) from None
    return Saved(
        created=len(new_returns) + len(new_updates),
        updated=len(changed_returns) + len(changed_updates),
    )
