"""The public's only way in: every public view finds its objects through these functions, which
start from published versions, so a draft can never be reached by guessing a URL."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date

from .models import Partnership, PlanVersion


def public_partnership_or_404(slug: str) -> Partnership:
    return get_object_or_404(Partnership.objects.with_public_plan(), slug=slug)


def public_version_or_404(
    partnership: str, plan: str, number: int | None = None, *, with_contents: bool = True
) -> PlanVersion:
    """The plan's published version, or (with `number`) one of its public versions."""
    versions = PlanVersion.objects.public().filter(
        plan__partnership__slug=partnership, plan__slug=plan
    )
    versions = (
        versions.with_contents() if with_contents else versions.select_related("plan__partnership")
    )
    if number is None:
        return get_object_or_404(versions.published())
    version = versions.filter(number=number).first()
    if version is None:
        raise Http404("No such public version of this plan.")
    return version


def as_published(response: HttpResponse, changed_at) -> HttpResponse:
    """Let browsers revalidate instead of re-downloading: Last-Modified here, the ETag and the
    304 from ConditionalGetMiddleware; no-cache so a changed plan is never shown stale."""
    response["Last-Modified"] = http_date(changed_at.timestamp())
    response["Cache-Control"] = "no-cache"
    return response
