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

from .. import notifications
from ..due import due_list
from ..entry_page import back_to, receive, show


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


@login_required
@require_http_methods(["GET", "POST"])
def entry(request, period_id: int, organisation_id: int):
    period, organisation = entry_or_403(request.user, period_id, organisation_id)
    items = due_list(organisation, period)
    if request.method == "GET":
        return _entry_page(request, show(items, period), items)
    received = receive(
        items,
        period,
        # Each box's value in a plain dict the save may write revisions into: copying the
        # QueryDict instead deep-copies every value, which a page of a hundred items feels.
        request.POST.dict(),
        user=request.user,
        submitting=request.POST.get("action") == "submit",
    )
    if received.submitted:
        notifications.agency_submitted(period, organisation)
    if received.message:
        messages.success(request, received.message)
    if received.done:
        address = reverse("entry", args=[period.pk, organisation.pk])
        return redirect(back_to(address, request.POST.get("focus", "")))
    return _entry_page(request, received.page, items)


def _entry_page(request, page, items):
    period = page.period
    return render(
        request,
        "returns/entry.html",
        {
            "page": page,
            "period": period,
            "organisation": items.organisation,
            "returns": page.forms_of("returns"),
            "updates": page.forms_of("updates"),
            "overdue": items.is_overdue(timezone.localdate()),
        },
    )
