"""The manager's page of a plan: its versions and their states, moved on with who, when and
why; the yearly refresh started. Managers of the partnership only: other members get 403,
everyone else 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from plans.models import Plan, PlanVersion
from plans.roles import is_manager_of, is_member_of

from ..forms import PublishForm, ReasonForm, RefreshForm
from ..refresh import start_refresh

OPEN_COMMENTS = Count(
    "comments", filter=Q(comments__reply_to__isnull=True, comments__resolved_at__isnull=True)
)


def managed_plan_or_404(user, plan_id: int) -> Plan:
    plan = get_object_or_404(Plan.objects.select_related("partnership"), pk=plan_id)
    if not is_member_of(user, plan.partnership):
        raise Http404("No such plan.")
    if not is_manager_of(user, plan.partnership):
        raise PermissionDenied("Only the partnership's managers move a plan's versions.")
    return plan


def _version_or_404(plan: Plan, number: int) -> PlanVersion:
    return get_object_or_404(plan.versions.all(), number=number)


@login_required
@require_safe
def manage_plan(request, plan_id: int):
    plan = managed_plan_or_404(request.user, plan_id)
    versions = (
        plan.versions.annotate(open_comments=OPEN_COMMENTS)
        .prefetch_related("events__by")
        .order_by("-number")
    )
    return render(
        request,
        "manage/plan.html",
        {
            "plan": plan,
            "versions": versions,
            "can_refresh": any(v.is_public for v in versions)
            and not any(v.is_editable for v in versions),
            "site_partnership": plan.partnership,
        },
    )


# The moves a button makes at once; publishing and unpublishing ask first (see below).
SIMPLE_MOVES = {
    "send-for-review": ("send_for_review", "is sent to the partners for review"),
    "return-to-draft": ("return_to_draft", "is back in draft"),
}


@login_required
@require_POST
def move_version(request, plan_id: int, number: int, move: str):
    plan = managed_plan_or_404(request.user, plan_id)
    version = _version_or_404(plan, number)
    if move not in SIMPLE_MOVES:
        raise Http404("No such move.")
    method, done = SIMPLE_MOVES[move]
    try:
        getattr(version, method)(request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{version.label} {done}.")
    return redirect("manage-plan", plan.pk)


@login_required
@require_http_methods(["GET", "POST"])
def publish_version(request, plan_id: int, number: int):
    plan = managed_plan_or_404(request.user, plan_id)
    version = _version_or_404(plan, number)
    form = PublishForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            version.publish(
                request.user, on=form.cleaned_data["published_on"], note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{version.label} is published: it is the public plan now.")
            return redirect("manage-plan", plan.pk)
    return _move_page(request, plan, version, form, "publish")


@login_required
@require_http_methods(["GET", "POST"])
def unpublish_version(request, plan_id: int, number: int):
    plan = managed_plan_or_404(request.user, plan_id)
    version = _version_or_404(plan, number)
    form = ReasonForm(
        request.POST if request.method == "POST" else None,
        label="Why is it unpublished? Readers will see this",
    )
    if request.method == "POST" and form.is_valid():
        try:
            version.unpublish(request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"{version.label} is unpublished.")
            return redirect("manage-plan", plan.pk)
    return _move_page(request, plan, version, form, "unpublish")


def _move_page(request, plan, version, form, move: str):
    return render(
        request,
        "manage/version_move.html",
        {"plan": plan, "version": version, "form": form, "move": move,
         "site_partnership": plan.partnership},
    )  # fmt: skip


@login_required
@require_http_methods(["GET", "POST"])
def refresh_plan(request, plan_id: int):
    plan = managed_plan_or_404(request.user, plan_id)
    source = plan.versions.published().first()
    if source is None:
        raise Http404("The plan has no published version to refresh.")
    form = RefreshForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = start_refresh(source, request.user, form.cleaned_data["label"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, f"{draft.label} is started as a draft copy of {source.label}."
            )
            return redirect("plan-draft", plan.partnership.slug, plan.slug, draft.number)
    return render(
        request,
        "manage/refresh.html",
        {"plan": plan, "source": source, "form": form, "site_partnership": plan.partnership},
    )
