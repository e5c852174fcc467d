"""The members' pages: where reviewers and board members land after signing in (see
reporting.members for what the page holds)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from plans.roles import member_partnerships

from ..members import member_partnership_or_403, members_page


@login_required
@require_safe
def members_home(request):
    """The person's partnerships to choose from; straight to the one if there is only one."""
    partnerships = list(member_partnerships(request.user))
    if not partnerships:
        raise PermissionDenied(
            "The members’ pages are for members of a partnership, and your account is not one."
        )
    if len(partnerships) == 1:
        return redirect("members-partnership", partnerships[0].slug)
    return render(request, "members/home.html", {"partnerships": partnerships})


@login_required
@require_safe
def partnership(request, partnership: str):
    found = member_partnership_or_403(request.user, partnership)
    return render(
        request,
        "members/partnership.html",
        {"page": members_page(found, timezone.localdate()), "site_partnership": found},
    )
