from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from plans.roles import managed_partnerships, member_partnerships, officer_memberships


@login_required
@require_safe
def signed_in(request):
    """Where someone lands after signing in: their work, by role."""
    if managed_partnerships(request.user).exists():
        return redirect("manage")
    if officer_memberships(request.user).exists():
        return redirect("due")
    if member_partnerships(request.user).exists():  # a reviewer or board member
        return redirect("members")
    return redirect("home")
