"""The partnership manager's pages: who has returned what, and approving or returning items,
one at a time or many at once from the quarter page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators.models import DecisionRefused, ReportingPeriod, Return
from indicators.series import load_series, quarters_around
from plans.models import Plan
from plans.roles import is_manager_of, managed_partnerships
from plans.templatetags.govuk import error_links
from priorities.joint import attach_partners
from priorities.models import ActionUpdate

from ..decision_forms import DecisionForm, SelectionForm
from ..decisions import DONE, approve_many, decide, decided_meanwhile, item_name
from ..due import completeness
from ..history import change_log

# Each kind of item the review page shows, with what it reads alongside.
REVIEWED = {
    "returns": (Return, "indicator__owner", "indicator__partnership", "area"),
    "updates": (
        ActionUpdate,
        "action_row__priority",
        "organisation",
        "reporting_period__partnership",
    ),
}


def managed_period_or_403(user, period_id: int) -> ReportingPeriod:
    period = get_object_or_404(ReportingPeriod.objects.select_related("partnership"), pk=period_id)
    if not is_manager_of(user, period.partnership):
        raise PermissionDenied("Only the partnership's managers see this.")
    return period


def submission_or_403(user, kind: str, pk: int):
    """A return or action update the person manages, with what its page shows."""
    if kind not in REVIEWED:
        raise Http404
    model, *related = REVIEWED[kind]
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
    return _period_page(request, managed_period_or_403(request.user, period_id))


@login_required
@require_POST
def approve_selected(request, period_id: int):
    """Approve the items ticked on the quarter page; report each one refused."""
    found = managed_period_or_403(request.user, period_id)
    form = SelectionForm(request.POST)
    if not form.is_valid():
        return _period_page(request, found, selection=form)
    outcome = approve_many(found, form.selected, by=request.user)
    approved = _approved_text(outcome.approved) if outcome.approved else ""
    if outcome.refused:
        # Shown under the list of refusals, which takes the focus (a success banner would).
        return _period_page(request, found, refused=outcome.refused, approved=approved)
    messages.success(request, approved)
    return redirect("manage-period", found.pk)


def _approved_text(items) -> str:
    count = len(items)
    names = get_text_list([item_name(item) for item in items], "and")
    label = ngettext("Approved %(count)d item", "Approved %(count)d items", count) % {
        "count": count
    }
    return f"{label}: {names}." if count <= SHOWN_BY_NAME else f"{label}."


# Up to this many approved at once are named in the message; more are counted.
SHOWN_BY_NAME = 10


def _period_page(request, found: ReportingPeriod, *, selection=None, refused=(), approved=""):
    """The quarter page: who has returned what, and what waits for a decision with what the
    manager needs to decide (last year's figure, change, target, rank); `selection` a form
    whose ticks could not be used, `refused` items not approved, each with why, and
    `approved` what was."""
    submitted_returns = list(
        Return.objects.for_period(found)
        .awaiting_approval()
        .select_related("indicator__owner", "area")
        .order_by("indicator__owner__name", "indicator__code", "area__name")
    )
    submitted_updates = list(
        ActionUpdate.objects.for_period(found)
        .awaiting_approval()
        .select_related("action_row__priority", "organisation")
        .order_by("action_row__priority__order", "action_row__order", "organisation__name")
    )
    attach_partners(submitted_updates)
    quarter = (found.financial_year, found.quarter)
    series = load_series(
        {figure.indicator for figure in submitted_returns},
        quarters_around(*quarter),
        Return.objects.approved(),
    )
    unusable = [message for errors in (selection.errors if selection else {}).values()
                for message in errors]  # fmt: skip
    first = f"#{_first_checkbox(submitted_returns, submitted_updates)}"
    problems = [(first, message) for message in unusable]
    problems += [(_review_url(refusal.item), refusal.text) for refusal in refused]
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
            "problems": problems,
            "selection_errors": unusable,
            "approved": approved,
        },
    )


def _first_checkbox(returns, updates) -> str:
    if returns:
        return f"select-returns-{returns[0].pk}"
    return f"select-updates-{updates[0].pk}" if updates else "waiting"


def _review_url(item) -> str:
    if item is None:
        return "#waiting"
    kind = "returns" if isinstance(item, Return) else "updates"
    return reverse("review", args=[kind, item.pk])


@login_required
@require_http_methods(["GET", "POST"])
def review(request, kind: str, pk: int):
    """One item: what was sent in, its history, and the decision (approve, or return with a
    reason; reopen an approved one with a reason)."""
    item = submission_or_403(request.user, kind, pk)
    form = DecisionForm(request.POST if request.method == "POST" else None, item=item)
    refusal = ""
    if form.is_bound:
        try:
            if form.is_stale:
                raise DecisionRefused(item)
            if form.is_valid():
                return _decide(request, item, form.cleaned_data)
        except DecisionRefused as refused:
            refusal = f"{decided_meanwhile(refused.current)} Nothing was changed."
            item = submission_or_403(request.user, kind, pk)
            form = form.again_for(item)
        except ValidationError as error:
            form.add_error(None, error)
    if kind == "updates":
        attach_partners([item])
    target = "#decision" if form.is_decidable else "#main-content"
    return render(
        request,
        "manage/review.html",
        {
            "item": item,
            "kind": kind,
            "form": form,
            "problems": [(target, refusal)] if refusal else error_links(form),
            "history": change_log(item),
            "figures": _figures_of(item) if kind == "returns" else None,
        },
    )


def _decide(request, item, decision: dict):
    """Save the decision and go back to the quarter; DecisionRefused if it came too late."""
    step = decision["decision"]
    decide(
        item, step, by=request.user, reason=decision["reason"], seen_revision=decision["revision"]
    )
    messages.success(request, f"{DONE[step]}: {item}.")
    return redirect("manage-period", item.reporting_period_id)


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
