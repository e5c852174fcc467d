"""The public's only way in: every public view finds its objects through these functions (and
the `public` modules of the apps above), which start from published versions, so a draft can
never be reached by guessing a URL. import-linter keeps public views from importing models."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date

from .models import Partnership, PlanVersion


def public_partnerships():
    """Partnerships with a plan the public can read, each with `public_plans`."""
    return Partnership.objects.with_public_plan()


def public_partnership_or_404(slug: str) -> Partnership:
    return get_object_or_404(public_partnerships(), slug=slug)


def public_version_or_404(
    partnership: str, plan: str, number: int | None = None, *, prefetch=()
) -> PlanVersion:
    """The plan's published version, or (with `number`) one of its public versions.

    `prefetch` names what the caller's page shows of the version (its priorities, say).
    """
    versions = (
        PlanVersion.objects.public()
        .filter(plan__partnership__slug=partnership, plan__slug=plan)
        .select_related("plan__partnership")
        .prefetch_related(*prefetch)
    )
    if number is None:
        return get_object_or_404(versions.published())
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such public version of this plan.")
    return version


def other_public_versions(version: PlanVersion):
    """The plan's other versions the public may read, newest first."""
    return version.plan.versions.public().exclude(pk=version.pk).order_by("-number")


def current_version_of(version: PlanVersion) -> PlanVersion | None:
    """The version readers should be sent to from this one: itself unless superseded."""
    if not version.is_superseded:
        return version
    return version.plan.versions.published().first()


def as_published(response: HttpResponse, changed_at) -> HttpResponse:
    """Let browsers revalidate instead of re-downloading: Last-Modified here, the ETag and the
    304 from ConditionalGetMiddleware; no-cache so a changed plan is never shown stale."""
    response["Last-Modified"] = http_date(changed_at.timestamp())
    response["Cache-Control"] = "no-cache"
    return response
