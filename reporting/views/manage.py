"""The partnership manager's pages: who has returned what, and approving or returning items."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from indicators.models import DecisionRefused, ReportingPeriod, Return, SubmissionStatus
from indicators.series import load_series, quarters_around
from plans.models import Plan
from plans.roles import is_manager_of, managed_partnerships
from priorities.models import ActionUpdate

from ..due import completeness
from ..forms import ReasonForm
from ..history import change_log

KINDS = {
    "returns": (Return, "indicator__owner", "indicator__partnership", "area"),
    "updates": (ActionUpdate, "action_row__priority", "reporting_period__partnership"),
}


def managed_period_or_403(user, period_id: int) -> ReportingPeriod:
    period = get_object_or_404(ReportingPeriod.objects.select_related("partnership"), pk=period_id)
    if not is_manager_of(user, period.partnership):
        raise PermissionDenied("Only the partnership's managers see this.")
    return period


def submission_or_403(user, kind: str, pk: int):
    """A return or action update the person manages, with what its page shows."""
    if kind not in KINDS:
        raise Http404
    model, *related = KINDS[kind]
    item = get_object_or_404(
        model.objects.select_related(*related, "reporting_period__partnership"), pk=pk
    )
    if not is_manager_of(user, item.reporting_period.partnership):
        raise PermissionDenied("Only the partnership's managers review its returns.")
    return item


@login_required
@require_safe
def manage(request):
    partnerships = list(managed_partnerships(request.user))
    if not partnerships:
        raise PermissionDenied("This page is for partnership managers.")
    periods = ReportingPeriod.objects.filter(partnership__in=partnerships).select_related(
        "partnership"
    )
    return render(
        request,
        "manage/home.html",
        {
            "open_periods": [p for p in periods if p.is_open],
            "closed_periods": sorted(
                (p for p in periods if not p.is_open),
                key=lambda p: (p.financial_year, p.quarter),
                reverse=True,
            ),
            "plans": Plan.objects.filter(partnership__in=partnerships).select_related(
                "partnership"
            ),
        },
    )


@login_required
@require_safe
def period(request, period_id: int):
    found = managed_period_or_403(request.user, period_id)
    submitted_returns = (
        Return.objects.for_period(found)
        .awaiting_approval()
        .select_related("indicator__owner", "entered_by", "area")
        .order_by("indicator__owner__name", "indicator__code", "area__name")
    )
    submitted_updates = (
        ActionUpdate.objects.for_period(found)
        .awaiting_approval()
        .select_related("action_row__priority", "entered_by")
        .prefetch_related("action_row__lead_organisations")
        .order_by("action_row__priority__order", "action_row__order")
    )
    quarter = (found.financial_year, found.quarter)
    submitted_returns = list(submitted_returns)
    series = load_series(
        {figure.indicator for figure in submitted_returns},
        quarters_around(*quarter),
        Return.objects.approved(),
    )
    return render(
        request,
        "manage/period.html",
        {
            "period": found,
            "completeness": [
                (row, row.is_overdue(found, timezone.localdate())) for row in completeness(found)
            ],
            "submitted_returns": [
                (figure, _figures_of(figure, series, quarter)) for figure in submitted_returns
            ],
            "submitted_updates": submitted_updates,
        },
    )


STEPS = {
    "approve": ("approve", "Approved"),
    "return": ("send_back", "Returned to the officer"),
    "reopen": ("reopen", "Reopened for the officer to correct"),
}


def _decided_meanwhile(current) -> str:
    """What the manager is told when someone else decided on or changed the item first."""
    when = timezone.localtime(current.updated_at).strftime("%-d %B %Y at %H:%M")
    if current.status == SubmissionStatus.APPROVED and current.approved_by:
        who = current.approved_by.get_full_name() or current.approved_by.username
        return f"{who} approved this on {when}, after you opened it: nothing was changed."
    return (
        f"This item changed since you opened it (on {when}; it is now "
        f"{current.get_status_display().lower()}): nothing was changed. Check it again below."
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request, kind: str, pk: int):
    item = submission_or_403(request.user, kind, pk)
    form = ReasonForm(request.POST or None, initial={"revision": item.revision})
    if request.method == "POST" and form.is_valid():
        step = request.POST.get("step")
        seen = form.cleaned_data["revision"]
        if step not in STEPS:
            form.add_error(None, "Choose approve, return or reopen.")
        else:
            method, done = STEPS[step]
            try:
                if step == "approve":
                    item.approve(request.user, seen_revision=seen)
                else:
                    getattr(item, method)(
                        request.user, form.cleaned_data["reason"], seen_revision=seen
                    )
            except DecisionRefused as refused:
                item = submission_or_403(request.user, kind, pk)
                # Keep the typed reason; the next decision is on the item as it is now.
                data = request.POST.copy()
                data["revision"] = item.revision
                form = ReasonForm(data)
                form.is_valid()
                form.add_error(None, _decided_meanwhile(refused.current))
            except ValidationError as error:
                field = "reason" if hasattr(error, "error_dict") else None
                form.add_error(field, error.messages)
            else:
                messages.success(request, f"{done}: {item}.")
                return redirect("manage-period", item.reporting_period_id)
    return render(
        request,
        "manage/review.html",
        {
            "item": item,
            "kind": kind,
            "form": form,
            "history": change_log(item),
            "figures": _figures_of(item) if kind == "returns" else None,
        },
    )


def _figures_of(figure: Return, series=None, quarter=None):
    """The figure beside last year's, its change and its rating, from the approved figures;
    None for one area's figure, which the whole area's target and history do not measure."""
    if figure.area_id is not None:
        return None
    if series is None:
        period = figure.reporting_period
        quarter = (period.financial_year, period.quarter)
        series = load_series(
            [figure.indicator], quarters_around(*quarter), Return.objects.approved()
        )
    return series[figure.indicator_id].figures(quarter, entered=figure)
