"""Public pages of the priorities app: one priority with its figures, and the plan's open data."""

from django.db.models import Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from indicators.models import Return
from plans.public import as_published, public_version_or_404

from .. import open_data


@require_safe
def priority(request, partnership, plan, priority, number=None):
    version = public_version_or_404(partnership, plan, number, with_contents=False)
    found = get_object_or_404(
        version.priorities.prefetch_related(
            "hotspots",
            "action_rows__theme",
            "action_rows__outcomes",
            "action_rows__data_lines",
            "action_rows__lead_organisations",
        ),
        slug=priority,
    )
    indicators = (
        found.evidencing_indicators()
        .select_related("owner")
        .prefetch_related(
            Prefetch(
                "returns",
                queryset=Return.objects.public()
                .filter(area__isnull=True)
                .select_related("reporting_period")
                .newest_first(),
                to_attr="public_returns",
            )
        )
        .order_by("code")
    )
    changed_at = max(
        [version.updated_at]
        + [figure.updated_at for indicator in indicators for figure in indicator.public_returns]
    )
    response = render(
        request,
        "public/priority.html",
        {
            "version": version,
            "plan": version.plan,
            "priority": found,
            "indicators": indicators,
            "site_partnership": version.plan.partnership,
        },
    )
    return as_published(response, changed_at)


@require_safe
def plan_json(request, partnership, plan, number=None):
    version = public_version_or_404(partnership, plan, number)
    response = JsonResponse(open_data.plan_data(version), json_dumps_params={"indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return as_published(response, version.updated_at)


@require_safe
def action_rows_csv(request, partnership, plan, number=None):
    version = public_version_or_404(partnership, plan, number)
    response = HttpResponse(open_data.action_rows_csv(version), content_type="text/csv")
    filename = f"{version.plan.slug}-version-{version.number}-action-rows.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return as_published(response, version.updated_at)
