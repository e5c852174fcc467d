"""Officers' pages: what their agency owes this quarter, and the page to enter it."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from indicators.models import ReportingPeriod
from plans.models import Organisation
from plans.roles import is_officer_of, officer_memberships

from ..due import due_list
from ..entry import EntryRefused, PeriodClosed, save_entry
from ..forms import ActionUpdateFormSet, ReturnFormSet


def entry_or_403(user, period_id: int, organisation_id: int):
    """The period and agency of an entry page, if this person is an officer of that agency."""
    period = get_object_or_404(ReportingPeriod.objects.select_related("partnership"), pk=period_id)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    if not is_officer_of(user, organisation, period.partnership):
        raise PermissionDenied("Only the agency's officers enter its returns.")
    return period, organisation


@login_required
@require_safe
def due(request):
    memberships = list(officer_memberships(request.user))
    if not memberships:
        raise PermissionDenied("This page is for officers of partner agencies.")
    periods = (
        ReportingPeriod.objects.open_for_entry()
        .filter(partnership__in={m.partnership for m in memberships})
        .order_by("due_date")
    )
    today = timezone.localdate()
    due_lists = [
        due_list(membership.organisation, period)
        for period in periods
        for membership in memberships
        if membership.partnership_id == period.partnership_id
    ]
    return render(
        request,
        "returns/due.html",
        {"due_lists": [(owed, owed.is_overdue(today)) for owed in due_lists]},
    )


def _stored_entry(stored) -> str:
    """What is stored for an item, in words: the figure, or the action's status."""
    if hasattr(stored, "formatted_value"):
        return stored.formatted_value or "no figure"
    return stored.get_action_status_display()


def _saved_by(stored) -> tuple[str, str]:
    when = timezone.localtime(stored.updated_at).strftime("%-d %B %Y at %H:%M")
    who = stored.entered_by.username if stored.entered_by else "someone"
    return who, when


def _conflict_message(stored) -> str:
    if stored is None:
        return "This item was removed while you were editing. Reload the page."
    who, when = _saved_by(stored)
    return (
        f"{who} saved this on {when} while you were editing. The stored entry is now: "
        f"{_stored_entry(stored)}. Your entry is still below: save again to replace it, or "
        "change it first."
    )


def _locked_message(stored) -> str:
    who, when = _saved_by(stored)
    return (
        f"{who} saved this on {when} and it is now {stored.get_status_display().lower()}, so "
        f"it can no longer be changed here. The stored entry is: {_stored_entry(stored)}."
    )


@dataclass
class HeldBack:
    """An item the officer typed into that could not be saved: shown back, with why."""

    item: object
    reason: str
    typed: list[tuple[str, str]]  # (label, what was typed)


def _typed(form) -> list[tuple[str, str]]:
    """What the officer typed into a bound form, as the labels and words the page showed."""
    typed = []
    for name, field in form.fields.items():
        if name == "revision":
            continue
        value = form[name].value()
        if value in (None, ""):
            continue
        choices = dict(getattr(field, "choices", []))
        typed.append((str(field.label), str(choices.get(value, value))))
    return typed


def _held_back(data, items, *, submitting, reason_for) -> list[HeldBack]:
    """Items whose boxes were posted but which can no longer take an entry."""
    held = []
    for formset_class, prefix, owed in (
        (ReturnFormSet, "returns", items.returns),
        (ActionUpdateFormSet, "updates", items.updates),
    ):
        posted = [item for item in owed if f"{prefix}-{item.key}-revision" in data]
        if not posted:
            continue
        forms = formset_class(data, items=posted, submitting=submitting, prefix=prefix).forms
        held += [
            HeldBack(form.item, reason_for(form.item), _typed(form))
            for form in forms
            if reason_for(form.item)
        ]
    return held


def _error_summary(formsets, page_errors) -> list[tuple[str, str]]:
    summary = [("#entry-form", message) for message in page_errors]
    for formset in formsets:
        if formset.is_bound:
            summary.extend(("#entry-form", message) for message in formset.non_form_errors())
        for form in formset.forms:
            for message in form.non_field_errors():
                summary.append((f"#item-{form.prefix}", message))
            for name, errors in form.errors.items():
                if name != "__all__":
                    summary.extend((f"#{form[name].auto_id}", message) for message in errors)
    return summary


@login_required
@require_http_methods(["GET", "POST"])
def entry(request, period_id: int, organisation_id: int):
    period, organisation = entry_or_403(request.user, period_id, organisation_id)
    items = due_list(organisation, period)
    submitting = request.POST.get("action") == "submit"
    data = request.POST.copy() if request.method == "POST" else None

    def can_enter(item) -> bool:
        return period.is_open and item.is_editable

    def why_not(item) -> str:
        """Why an item cannot take an entry now; "" when it can."""
        if can_enter(item):
            return ""
        if not period.is_open:
            return f"{period.label} is closed, so nothing can be entered for it."
        return _locked_message(item.current)

    def formsets(returns_due, updates_due):
        return (
            ReturnFormSet(data, items=returns_due, submitting=submitting, prefix="returns"),
            ActionUpdateFormSet(data, items=updates_due, submitting=submitting, prefix="updates"),
        )

    returns, updates = formsets(
        [item for item in items.returns if can_enter(item)],
        [item for item in items.updates if can_enter(item)],
    )
    # Typed into an item that was submitted, approved or closed since the page was shown:
    # nothing is saved, and what was typed is shown back with the reason.
    held_back = _held_back(data, items, submitting=submitting, reason_for=why_not) if data else []
    page_errors = []
    if data is not None:
        if held_back:
            page_errors.append(
                "Nothing was saved: some items changed while you were editing. What you typed "
                "for them is shown below under “Not saved”; save again to keep the rest."
            )
        elif returns.is_valid() and updates.is_valid():
            try:
                save_entry(
                    user=request.user,
                    period=period,
                    return_forms=returns.forms,
                    update_forms=updates.forms,
                    submitting=submitting,
                )
            except PeriodClosed:
                period.refresh_from_db()
                page_errors.append(
                    f"Nothing was saved: {period.label} was closed while you were editing. "
                    "What you typed is shown below under “Not saved”."
                )
                held_back = [
                    HeldBack(form.item, why_not(form.item), _typed(form))
                    for form in [*returns.forms, *updates.forms]
                    if _typed(form)
                ]
                returns, updates = formsets([], [])
            except EntryRefused as refused:
                page_errors.append("Nothing was saved: someone else changed this page meanwhile.")
                for form, stored in refused.conflicts:
                    if stored is not None and not stored.is_editable:
                        held_back.append(HeldBack(form.item, _locked_message(stored), _typed(form)))
                        form.held_back = True
                        continue
                    form.add_error(None, _conflict_message(stored))
                    data[form.add_prefix("revision")] = stored.revision if stored else 0
            else:
                done = "submitted to the partnership manager" if submitting else "saved as a draft"
                messages.success(request, f"Your returns for {period.label} were {done}.")
                return redirect(reverse("entry", args=[period.pk, organisation.pk]))
        else:
            page_errors.append(
                "Nothing was saved yet: correct the problems below."
                if submitting
                else "Nothing was saved: correct the figures marked below."
            )
    held_keys = {(type(h.item), h.item.key) for h in held_back}
    return render(
        request,
        "returns/entry.html",
        {
            "period": period,
            "organisation": organisation,
            "due": items,
            "returns": returns,
            "updates": updates,
            "held_back": held_back,
            "locked": [
                item
                for item in items.items
                if not can_enter(item) and (type(item), item.key) not in held_keys
            ],
            "overdue": items.is_overdue(timezone.localdate()),
            "errors": _error_summary([returns, updates], page_errors) if data is not None else [],
        },
    )
