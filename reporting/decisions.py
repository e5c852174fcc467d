"""The manager's decisions on what officers sent in: one item from its own page, or many
approved at once from the quarter page.

The workflow's rules are the models' (indicators/models/workflow.py): every decision is claimed
by a conditional UPDATE on the revision the manager saw, so that of two managers deciding at
once one is refused, and told here what the other did. Approving many claims them all with one
UPDATE per kind of item, so the queries do not grow with the number ticked.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import F, Q
from django.utils import dateformat, timezone
from django.utils.text import Truncator

from indicators.models import Return, SubmissionStatus
from priorities.models import ActionUpdate
from priorities.signals import versions_showing

from . import notifications

KINDS = {"returns": Return, "updates": ActionUpdate}
# What naming an item, and saying who approved it, reads with it.
NAMED_WITH = {
    "returns": ("indicator", "area", "approved_by"),
    "updates": ("action_row", "approved_by"),
}

APPROVE, RETURN, REOPEN = "approve", "return", "reopen"
DONE = {
    APPROVE: "Approved",
    RETURN: "Returned to the officer",
    REOPEN: "Reopened for the officer to correct",
}


def item_name(item) -> str:
    """What the manager calls an item in a list: its indicator (and area), or its action."""
    if isinstance(item, Return):
        return f"{item.indicator.name}: {item.area.name}" if item.area_id else item.indicator.name
    return f"Progress on {Truncator(item.action_row.description).chars(80)}"


def decide(item, decision: str, *, by, reason: str = "", seen_revision: int) -> None:
    """Approve, return or reopen one item as the manager saw it (at `seen_revision`).

    Saves the item and its history, then tells the officer (reporting.notifications).
    Raises DecisionRefused if anyone decided on or changed it since, ValidationError if the
    decision does not fit its state or a needed reason is missing: then nothing is saved.
    """
    if decision == APPROVE:
        item.approve(by, seen_revision=seen_revision)
    elif decision == RETURN:
        item.send_back(by, reason, seen_revision=seen_revision)
    elif decision == REOPEN:
        item.reopen(by, reason, seen_revision=seen_revision)
    else:
        raise ValueError(f"No such decision: {decision}")
    notifications.decided([item], decision, by, reason)


def decided_meanwhile(current) -> str:
    """What a manager is told when someone decided on or changed the item first: who, when,
    what (with the reason they gave). `current` is the item as it is now."""
    records = list(current.history.select_related("history_user")[:2])
    return _what_happened(current, records)


@dataclass
class Refusal:
    """An item ticked but not approved, and why; `item` is None for one not in the quarter."""

    item: object
    reason: str

    @property
    def text(self) -> str:
        if self.item is None:
            return self.reason
        return f"{item_name(self.item)} was not approved: {self.reason}"


@dataclass
class Approval:
    """What approving the ticked items did."""

    approved: list = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)


def approve_many(period, selected: dict[str, dict[int, int]], *, by) -> Approval:
    """Approve the ticked items of `period`, each only if it is still as the manager saw it
    (`selected`: {kind: {id: revision seen}}); the others are refused, each with what
    happened to it. Items of any other period are never touched, nor named.

    Per kind ticked: one query reads the items, one conditional UPDATE claims and approves
    them, one INSERT writes their history; one UPDATE marks the public pages showing them as
    changed. Then tells reporting.notifications.
    """
    outcome = Approval()
    now = timezone.now()
    with transaction.atomic():
        for kind, seen in selected.items():
            if seen:
                _approve_kind(KINDS[kind], NAMED_WITH[kind], period, seen, by, now, outcome)
        if outcome.approved:
            _mark_public_pages_changed(outcome.approved)
    if outcome.approved:
        notifications.decided(outcome.approved, APPROVE, by, "")
    return outcome


def _approve_kind(model, related, period, seen: dict[int, int], by, now, outcome) -> None:
    found = list(
        model.objects.filter(reporting_period=period, pk__in=seen)
        .select_related(*related)
        .order_by("pk")
    )
    missing = len(seen) - len(found)
    if missing:
        outcome.refused.append(Refusal(None, _not_in_quarter(missing)))
    as_seen = [
        item
        for item in found
        if item.status == SubmissionStatus.SUBMITTED and item.revision == seen[item.pk]
    ]
    approved = _claim(model, as_seen, by, now)
    for item in approved:
        item.status = SubmissionStatus.APPROVED
        item.approved_by, item.approved_at = by, now
        item.returned_reason = ""
        item.revision += 1
        item.updated_at = now
    if approved:
        model.history.bulk_history_create(approved, update=True, default_user=by, default_date=now)
    outcome.approved.extend(approved)
    ours = {item.pk for item in approved}
    stale = [item.pk for item in found if item.pk not in ours]
    if stale:
        outcome.refused.extend(_refusals(model, related, stale))


def _claim(model, items: list, by, now) -> list:
    """The items approved by one UPDATE conditional on each one's revision and state: the
    UPDATE is the lock (see ReviewedSubmission._decide). Items are grouped by revision, so the
    condition stays short however many are ticked."""
    if not items:
        return []
    by_revision = defaultdict(list)
    for item in items:
        by_revision[item.revision].append(item.pk)
    condition = reduce(or_, (Q(revision=seen, pk__in=pks) for seen, pks in by_revision.items()))
    claimed = model.objects.filter(condition, status=SubmissionStatus.SUBMITTED).update(
        status=SubmissionStatus.APPROVED,
        approved_by=by,
        approved_at=now,
        returned_reason="",
        revision=F("revision") + 1,
        updated_at=now,
    )
    if claimed == len(items):
        return items
    # Another decision came in between reading and claiming: ours carry this very moment.
    ours = set(
        model.objects.filter(pk__in=[item.pk for item in items], approved_by=by, approved_at=now)
        .values_list("pk", flat=True)
    )  # fmt: skip
    return [item for item in items if item.pk in ours]


def _refusals(model, related, pks: list[int]) -> list[Refusal]:
    """Each refused item as it is now, with what happened to it, in two queries."""
    current = model.objects.filter(pk__in=pks).select_related(*related).order_by("pk")
    records = defaultdict(list)
    history = (
        model.history.filter(id__in=pks)
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    for record in history:
        if len(records[record.id]) < 2:
            records[record.id].append(record)
    return [Refusal(item, _what_happened(item, records[item.pk])) for item in current]


def _mark_public_pages_changed(items) -> None:
    """What saving each item would do (priorities.signals.mark_changed), in one UPDATE."""
    one_each = {}
    for item in items:
        shown_by = item.indicator_id if isinstance(item, Return) else item.action_row_id
        one_each.setdefault((type(item), shown_by), item)
    reduce(or_, (versions_showing(item) for item in one_each.values())).mark_changed()


def _not_in_quarter(count: int) -> str:
    if count == 1:
        return "An item you ticked is not in this quarter's list: nothing was changed for it."
    return f"{count} items you ticked are not in this quarter's list: nothing was changed for them."


def _what_happened(current, records) -> str:
    """ "Dee Puty returned this on 3 May 2024 at 10:15am: “Check the total”." from the item now
    and its latest history records (newest first)."""
    latest = records[0] if records else None
    previous = records[1] if len(records) > 1 else None
    who = _person(latest.history_user if latest else None)
    when = _moment(latest.history_date if latest else current.updated_at)
    status = current.status
    if status == SubmissionStatus.APPROVED:
        who = _person(current.approved_by) if current.approved_by_id else who
        return f"{who} approved this on {_moment(current.approved_at or current.updated_at)}."
    if status == SubmissionStatus.RETURNED:
        reopened = previous is not None and previous.status == SubmissionStatus.APPROVED
        done = "reopened" if reopened else "returned"
        return f"{who} {done} this on {when}: “{current.returned_reason}”."
    if status == SubmissionStatus.SUBMITTED:
        return f"{who} changed this on {when}; it is waiting for a decision again: check it first."
    return f"{who} changed this on {when}; it is now a {current.get_status_display().lower()}."


def _person(user) -> str:
    if user is None:
        return "Someone"
    return user.get_full_name() or user.username


def _moment(when) -> str:
    """ "3 May 2024 at 10:15am", in the site's time zone, as GOV.UK writes times."""
    local = timezone.localtime(when)
    return f"{dateformat.format(local, 'j F Y')} at {dateformat.format(local, 'g:i')}" + (
        "am" if local.hour < 12 else "pm"
    )
