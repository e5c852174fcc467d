"""Officers' pages: what their agency owes this quarter, and the page to enter it."""

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
from ..entry import EntryRefused, save_entry
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


def _conflict_message(stored) -> str:
    if stored is None:
        return "This item was removed while you were editing. Reload the page."
    when = timezone.localtime(stored.updated_at).strftime("%-d %B %Y at %H:%M")
    who = stored.entered_by.username if stored.entered_by else "someone"
    shown = getattr(stored, "formatted_value", None) or stored.get_action_status_display()
    if not stored.is_editable:
        return (
            f"{who} saved this on {when} and it is now {stored.get_status_display().lower()}, "
            f"so it can no longer be changed here. The stored entry is: {shown}."
        )
    return (
        f"{who} saved this on {when} while you were editing. The stored entry is now: {shown}. "
        "Your entry is still below: save again to replace it, or change it first."
    )


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

    # A closed period is read-only: every item is listed, none has a form.
    def has_form(item) -> bool:
        return period.is_open and item.is_editable

    submitting = request.POST.get("action") == "submit"
    data = request.POST.copy() if request.method == "POST" else None
    returns = ReturnFormSet(
        data,
        items=[item for item in items.returns if has_form(item)],
        submitting=submitting,
        prefix="returns",
    )
    updates = ActionUpdateFormSet(
        data,
        items=[item for item in items.updates if has_form(item)],
        submitting=submitting,
        prefix="updates",
    )
    page_errors = []
    if data is not None:
        if not period.is_open:
            page_errors.append(f"{period.label} is closed, so nothing can be entered for it.")
        elif returns.is_valid() and updates.is_valid():
            try:
                save_entry(
                    user=request.user,
                    period=period,
                    return_forms=returns.forms,
                    update_forms=updates.forms,
                    submitting=submitting,
                )
            except ValueError as closed:  # closed between showing the page and saving it
                page_errors.append(str(closed))
            except EntryRefused as refused:
                page_errors.append("Nothing was saved: someone else changed this page meanwhile.")
                for form, stored in refused.conflicts:
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
    return render(
        request,
        "returns/entry.html",
        {
            "period": period,
            "organisation": organisation,
            "due": items,
            "returns": returns,
            "updates": updates,
            "locked": [item for item in items.items if not has_form(item)],
            "overdue": items.is_overdue(timezone.localdate()),
            "errors": _error_summary([returns, updates], page_errors) if data is not None else [],
        },
    )
