"""What changed between two versions of a plan. Public when both versions are public; when a
draft is involved, for members of the partnership only (404 for everyone else)."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from ..changes import COMPARED_CONTENTS, compare
from ..drafts import readable_version_or_404


@require_safe
def plan_changes(request, partnership, plan, old, new):
    if old == new:
        raise Http404("Compare two different versions.")
    versions = [
        readable_version_or_404(request.user, partnership, plan, number, prefetch=COMPARED_CONTENTS)
        for number in (old, new)
    ]
    changes = compare(*versions)
    return render(
        request,
        "public/changes.html",
        {
            "changes": changes,
            "counts": {kind: changes.count(kind) for kind in ("added", "removed", "changed")},
            "plan": versions[1].plan,
            "draft": not all(version.is_public for version in versions),
            "site_partnership": versions[1].plan.partnership,
        },
    )
