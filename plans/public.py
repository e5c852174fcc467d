"""The public's only way in: every public view finds its objects through these functions (and
the `public` modules of the apps above), which start from published versions, so a draft can
never be reached by guessing a URL. import-linter keeps public views from importing models."""

from collections import defaultdict

from django.db.models import Count, IntegerField, Max, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Partnership, PlanVersion
from .public_cache import Prepared, Stamp, as_aware


def public_partnerships():
    """Partnerships with a plan the public can read."""
    return Partnership.objects.with_public_plan()


def listed_partnerships(partnerships) -> list[dict]:
    """The home page's entries for a page of public partnerships: each one's name, area and
    address, and the current version of each of its plans (title, address, label), newest
    plan first; the versions in one query. Plain values, read once here: the page lists
    twenty partnerships, and looking each part up on models in the template cost more."""
    partnerships = list(partnerships)
    by_id = {partnership.pk: partnership for partnership in partnerships}
    plans = defaultdict(list)
    current_versions = (
        PlanVersion.objects.public()
        .published()
        .filter(plan__partnership__in=partnerships)
        .select_related("plan")
        .order_by("-plan__start_year", "plan__title")
    )
    for version in current_versions:
        plan = version.plan
        plan.partnership = by_id[plan.partnership_id]
        plans[plan.partnership_id].append(
            {"title": plan.title, "url": plan.get_absolute_url(), "label": version.label}
        )
    return [
        {
            "name": partnership.name,
            "area_name": partnership.area_name,
            "url": partnership.get_absolute_url(),
            "plans": plans[partnership.pk],
        }
        for partnership in partnerships
    ]


def public_partnership_or_404(slug: str, *, listing_plans: bool = False) -> Partnership:
    """The partnership, if the public can read a plan of it; with `listing_plans`, its
    `public_plans` too (two queries), for its own page: downloads and reports need only it."""
    partnerships = public_partnerships()
    if listing_plans:
        partnerships = partnerships.listing_public_plans()
    return get_object_or_404(partnerships, slug=slug)


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


def _public_version(partnership: str, plan: str, number: int | None):
    versions = PlanVersion.objects.public().filter(
        plan__partnership__slug=partnership, plan__slug=plan
    )
    return versions.published() if number is None else versions.filter(number=number)


# Distinct from any real value; the slugs' NUL cannot be in a URL.
_MARKS = {"partnership": "\x00partnership", "plan": "\x00plan"}
_CURRENT = Prepared(
    lambda **marks: (
        _public_version(**marks, number=None).order_by().values_list("pk", "updated_at")[:1]
    ),
    **_MARKS,
)
_NUMBERED = Prepared(
    lambda **marks: _public_version(**marks).order_by().values_list("pk", "updated_at")[:1],
    **_MARKS,
    number=32_001,  # any number no other value of the query has
)


def version_stamp(partnership: str, plan: str, number: int | None = None, **page) -> Stamp | None:
    """The public version a plan page shows and when it last changed, in one query.

    Whatever a version's pages show marks it changed when saved (see the apps' signals)."""
    if number is None:
        found = _CURRENT.first_row(partnership=partnership, plan=plan)
    else:
        found = _NUMBERED.first_row(partnership=partnership, plan=plan, number=number)
    return Stamp(f"version {found[0]}", as_aware(found[1])) if found else None


_PARTNERSHIP = Prepared(
    lambda partnership: (
        PlanVersion.objects.public()
        .filter(plan__partnership__slug=partnership)
        .with_partnership_changed_at()
        .order_by()
        .values_list("plan__partnership", "partnership_changed_at")[:1]
    ),
    partnership="\x00partnership",
)


_HOME = Prepared(
    lambda: (
        PlanVersion.objects.public()
        .order_by()
        .annotate(every_version=Value(1, output_field=IntegerField()))
        .values("every_version")  # one group: a constant, which the SQL leaves out
        .annotate(changed_at=Max("updated_at"), public=Count("plan__partnership", distinct=True))
        .values_list("changed_at", "public")
    )
)


def home_stamp(**page) -> Stamp | None:
    """When the list of public partnerships last changed, in one query: publishing, a
    partnership's or plan's new name and a reinstated version mark a public version; a
    partnership leaving the list changes their number."""
    changed_at, public = _HOME.first_row()
    return Stamp(f"home {public}", as_aware(changed_at)) if changed_at else None


def partnership_stamp(partnership: str, **page) -> Stamp | None:
    """A public partnership and when anything its results pages show last changed, in one
    query: a change to its figures, quarters, indicators, funds or risks marks every version
    of its plans changed, and a version's own changes mark it (drafts and unpublished
    versions count too, so taking a version off the public pages moves this on)."""
    found = _PARTNERSHIP.first_row(partnership=partnership)
    return Stamp(f"partnership {found[0]}", as_aware(found[1])) if found else None
