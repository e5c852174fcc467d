"""Public pages of the plans app: the home page, a partnership, a plan version."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import Partnership
from .public import as_published, public_partnership_or_404, public_version_or_404


@require_safe
def home(request):
    partnerships = Partnership.objects.with_public_plan()
    return render(request, "public/home.html", {"partnerships": partnerships})


@require_safe
def partnership(request, partnership):
    found = public_partnership_or_404(partnership)
    organisations = found.organisations.all()
    return render(
        request,
        "public/partnership.html",
        {"partnership": found, "organisations": organisations, "site_partnership": found},
    )


@require_safe
def plan_version(request, partnership, plan, number=None):
    version = public_version_or_404(partnership, plan, number)
    other_versions = version.plan.versions.public().exclude(pk=version.pk).order_by("-number")
    current = version if not version.is_superseded else version.plan.versions.published().first()
    response = render(
        request,
        "public/plan.html",
        {
            "version": version,
            "plan": version.plan,
            "current_version": current,
            "other_versions": other_versions,
            "site_partnership": version.plan.partnership,
        },
    )
    return as_published(response, version.updated_at)
