"""The quarterly report for members: read it, print it, download it; and the manager publishes
it (its figures then reach the public) or withdraws it, with a reason."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from indicators.models import ReportingPeriod, Return
from plans import printing
from plans.models import PlanVersion
from plans.roles import is_manager_of, is_member_of, member_partnerships

from .. import exports
from ..forms import WithdrawForm
from ..report import build_report


def member_period_or_403(user, period_id: int) -> ReportingPeriod:
    period = get_object_or_404(ReportingPeriod.objects.select_related("partnership"), pk=period_id)
    if not is_member_of(user, period.partnership):
        raise PermissionDenied("The report is for members of the partnership.")
    return period


def managed_period_or_403(user, period_id: int) -> ReportingPeriod:
    period = get_object_or_404(ReportingPeriod.objects.select_related("partnership"), pk=period_id)
    if not is_manager_of(user, period.partnership):
        raise PermissionDenied("Only the partnership's managers publish its reports.")
    return period


@login_required
@require_safe
def reports(request):
    """The quarters of the person's partnerships, newest first, each with its report; and
    their plans' drafts, to read and comment on."""
    periods = (
        ReportingPeriod.objects.filter(partnership__in=member_partnerships(request.user))
        .select_related("partnership")
        .order_by("partnership__name", "-financial_year", "-quarter")
    )
    drafts = (
        PlanVersion.objects.filter(
            plan__partnership__in=member_partnerships(request.user),
            status__in=PlanVersion.EDITABLE_STATUSES,
        )
        .select_related("plan__partnership")
        .order_by("plan__partnership__name", "plan__title")
    )
    return render(request, "reports/list.html", {"periods": periods, "drafts": drafts})


@login_required
@require_safe
def report(request, period_id: int):
    period = member_period_or_403(request.user, period_id)
    return render(
        request,
        "reports/report.html",
        {
            "report": build_report(period, figures_queryset=Return.objects.approved()),
            "period": period,
            "can_publish": is_manager_of(request.user, period.partnership),
            "csv_parts": exports.PARTS,
            "site_partnership": period.partnership,
        },
    )


@login_required
@require_safe
def report_download(request, period_id: int, file_format: str):
    if file_format not in ("xlsx", "csv"):
        raise Http404("The report comes as XLSX or CSV.")
    period = member_period_or_403(request.user, period_id)
    built = build_report(period, figures_queryset=Return.objects.approved())
    return exports.report_response(built, file_format, exports.requested_part(request))


@login_required
@require_POST
def publish_report(request, period_id: int):
    period = managed_period_or_403(request.user, period_id)
    period.publish_report(request.user)
    messages.success(
        request, f"The {period.label} report is published: its figures are now public."
    )
    return redirect("report", period.pk)


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_report(request, period_id: int):
    period = managed_period_or_403(request.user, period_id)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            period.withdraw_report(request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"The {period.label} report is withdrawn: its figures are off the public pages.",
            )
            return redirect("report", period.pk)
    return render(
        request,
        "reports/withdraw.html",
        {"period": period, "form": form, "site_partnership": period.partnership},
    )


@require_safe
def print_styles(request, partnership: str, year: int, yy: int, quarter: int):
    """The print header and footer of a report: static CSS cannot name the partnership, the
    quarter or the day it was printed, and the Content-Security-Policy allows no inline style."""
    period = get_object_or_404(
        ReportingPeriod.objects.select_related("partnership"),
        partnership__slug=partnership,
        financial_year=year,
        quarter=quarter,
    )
    title = f"{period.partnership.short_name or period.partnership.name}: {period.label} report"
    # Landscape: the indicator tables have ten columns.
    css = printing.page_css(
        title=title, printed=timezone.localdate(), size="A4", orientation="landscape"
    )
    return printing.stylesheet_response(css)
