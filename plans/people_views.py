"""The manager's pages of a partnership's people: its members, inviting someone, removing a
membership. Managers of the partnership only; everyone else signed in is refused (403)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from .models import Membership, Partnership
from .people import (
    RemovalRefused,
    a_role,
    invite,
    list_members,
    person_name,
    removal_refusal,
    remove,
    role_name,
    send_again,
)
from .people_forms import InviteForm
from .roles import is_manager_of, managed_partnerships


def managed_partnership_or_403(user, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership, slug=slug)
    if not is_manager_of(user, partnership):
        raise PermissionDenied("Only the partnership's managers see and change its members.")
    return partnership


@login_required
@require_safe
def people_home(request):
    """Straight to the members' page of the one partnership a manager runs, else a choice."""
    partnerships = list(managed_partnerships(request.user))
    if not partnerships:
        raise PermissionDenied("This page is for partnership managers.")
    if len(partnerships) == 1:
        return redirect("people-partnership", partnerships[0].slug)
    return render(request, "people/home.html", {"partnerships": partnerships})


def _membership_or_404(partnership: Partnership, membership_id: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation"),
        pk=membership_id,
        partnership=partnership,
    )


@login_required
@require_safe
def people(request, partnership: str):
    return _members_page(request, managed_partnership_or_403(request.user, partnership))


def _members_page(request, found: Partnership, problems=()):
    """The members' list; `problems` (link target, message) pairs for the error summary."""
    return render(
        request,
        "people/members.html",
        {
            "partnership": found,
            "members": list_members(found),
            "problems": list(problems),
            "site_partnership": found,
        },
    )


@login_required
@require_POST
def resend_invitation(request, partnership: str, membership_id: int):
    found = managed_partnership_or_403(request.user, partnership)
    membership = _membership_or_404(found, membership_id)
    name = person_name(membership.user)
    try:
        sent = send_again(membership, by=request.user)
    except ValidationError as failure:
        return _members_page(request, found, [(f"#resend-{membership.pk}", failure.messages[0])])
    if not sent:
        return _members_page(
            request, found, [("#main-content", f"{name} has already chosen a password.")]
        )
    messages.success(
        request, f"The invitation was sent again to {name} at {membership.user.email}."
    )
    return redirect("people-partnership", found.slug)


@login_required
@require_http_methods(["GET", "POST"])
def invite_person(request, partnership: str):
    found = managed_partnership_or_403(request.user, partnership)
    form = InviteForm(
        request.POST if request.method == "POST" else None, partnership=found, by=request.user
    )
    if form.is_valid():
        try:
            membership = invite(partnership=found, by=request.user, **form.cleaned_data)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            added = f"{person_name(membership.user)} was added as {a_role(membership)}"
            messages.success(
                request,
                f"{added} for {membership.organisation}, and sent an e-mail at "
                f"{membership.user.email}.",
            )
            return redirect("people-partnership", found.slug)
    return render(
        request,
        "people/invite.html",
        {"partnership": found, "form": form, "site_partnership": found},
    )


@login_required
@require_http_methods(["GET", "POST"])
def remove_member(request, partnership: str, membership_id: int):
    """Asks first; POST removes. A membership that must stay says why instead of asking."""
    found = managed_partnership_or_403(request.user, partnership)
    membership = _membership_or_404(found, membership_id)
    refusal = removal_refusal(membership, by=request.user)
    if request.method == "POST" and not refusal:
        try:
            remove(membership, by=request.user)
        except RemovalRefused as refused:  # another manager was removed meanwhile
            refusal = str(refused)
        else:
            messages.success(
                request, f"{person_name(membership.user)} was removed from {found.name}."
            )
            return redirect("people-partnership", found.slug)
    return render(
        request,
        "people/remove.html",
        {
            "partnership": found,
            "membership": membership,
            "name": person_name(membership.user),
            "role": role_name(membership),
            "refusal": refusal,
            "refusal_links": [("#refusal", refusal)] if refusal else [],
            "site_partnership": found,
        },
    )
