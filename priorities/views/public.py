"""Public pages of the priorities app: a plan version with its priorities, one priority with its
figures, and the plan's open data."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from indicators.figures import RATING_RULE
from plans.public import public_version_or_404, version_stamp
from plans.public_cache import public_page
from plans.streaming import streamed

from .. import open_data
from ..public import (
    indicators_with_public_figures,
    plan_page_context,
    public_priority_or_404,
    public_version_with_contents_or_404,
)


@require_safe
@public_page(version_stamp)
def plan_version(request, partnership, plan, number=None):
    version = public_version_with_contents_or_404(partnership, plan, number)
    return render(request, "public/plan.html", plan_page_context(version))


@require_safe
@public_page(version_stamp)
def priority(request, partnership, plan, priority, number=None):
    version = public_version_or_404(partnership, plan, number)
    found = public_priority_or_404(version, priority)
    indicators = indicators_with_public_figures(found)
    return render(
        request,
        "public/priority.html",
        {
            "version": version,
            "plan": version.plan,
            "priority": found,
            "indicators": indicators,
            "rating_rule": RATING_RULE,
            "site_partnership": version.plan.partnership,
        },
    )


@require_safe
@public_page(version_stamp)
def plan_json(request, partnership, plan, number=None):
    version = public_version_or_404(partnership, plan, number)
    response = streamed(open_data.plan_json(version), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
@public_page(version_stamp)
def action_rows_csv(request, partnership, plan, number=None):
    version = public_version_or_404(partnership, plan, number)
    response = streamed(open_data.action_rows_csv(version), content_type="text/csv")
    filename = f"{version.plan.slug}-version-{version.number}-action-rows.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
