"""Members' pages of an unpublished version: the plan and its priorities exactly as the public
will read them, under a "Draft — not published" banner, with comments beside each part.
Everyone outside the partnership gets 404 (see priorities.drafts)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from indicators.figures import RATING_RULE
from plans.models import Membership

from ..drafts import (
    attach_comments,
    comment_or_404,
    manager_of_version,
    member_version_or_404,
    subject_fields,
)
from ..forms import CommentForm
from ..models import Comment
from ..public import (
    VERSION_CONTENTS,
    indicators_with_public_figures,
    plan_page_context,
    previous_public_version,
    priority_with_contents_or_404,
    with_contents,
)


def _draft_context(request, version, sections, priorities) -> dict:
    return {
        "draft": True,
        "is_manager": manager_of_version(request.user, version),
        "open_comments": attach_comments(version, sections, priorities),
    }


@require_safe
def plan_draft(request, partnership, plan, number):
    version = member_version_or_404(
        request.user, partnership, plan, number, prefetch=VERSION_CONTENTS
    )
    if version.is_public:
        return redirect(version.get_absolute_url())
    with_contents(version)
    context = plan_page_context(version) | _draft_context(
        request, version, version.sections.all(), version.priorities.all()
    )
    return render(request, "public/plan.html", context)


@require_safe
def priority_draft(request, partnership, plan, number, priority):
    version = member_version_or_404(request.user, partnership, plan, number)
    if version.is_public:
        return redirect("priority-version", partnership, plan, number, priority)
    found = priority_with_contents_or_404(version, priority)
    context = {
        "version": version,
        "plan": version.plan,
        "priority": found,
        "indicators": indicators_with_public_figures(found),
        "rating_rule": RATING_RULE,
        "site_partnership": version.plan.partnership,
        "previous_version": previous_public_version(version),
    }
    context |= _draft_context(request, version, [], [found])
    return render(request, "public/priority.html", context)


def _commenting_membership(request, version) -> Membership:
    membership = (
        Membership.objects.filter(user=request.user, partnership=version.plan.partnership_id)
        .select_related("organisation")
        .order_by("role")
        .first()
    )
    if membership is None:  # member_version_or_404 let them in, so this cannot happen
        raise Http404
    return membership


def _editable(version) -> None:
    if not version.is_editable:
        raise PermissionDenied("Comments are closed: this version is published.")


def _save_comment(request, version, form, **about) -> Comment:
    """A comment (or reply) by the person, for the agency they belong to in the partnership."""
    return Comment.objects.create(
        version=version,
        author=request.user,
        organisation=_commenting_membership(request, version).organisation,
        body=form.cleaned_data["body"].strip(),
        **about,
    )


def _comment_form_page(request, version, form, **shown):
    """The form again, with its errors and what was typed: nothing typed is dropped."""
    context = {"version": version, "plan": version.plan, "form": form,
               "site_partnership": version.plan.partnership, **shown}  # fmt: skip
    return render(request, "drafts/comment_form.html", context)


@require_POST
def comment_add(request, partnership, plan, number):
    version = member_version_or_404(request.user, partnership, plan, number)
    _editable(version)
    form = CommentForm(request.POST)
    subject = subject_fields(version, request.POST.get("subject", ""))
    if subject is None:
        raise Http404("That is not a part of this version.")
    if not form.is_valid():
        return _comment_form_page(request, version, form, subject=subject)
    comment = _save_comment(request, version, form, **subject)
    messages.success(request, "Your comment is added. The manager sees it in the next digest.")
    return redirect(_back_to(version, comment))


@require_POST
def comment_reply(request, partnership, plan, number, comment_id):
    version = member_version_or_404(request.user, partnership, plan, number)
    thread = comment_or_404(version, comment_id)
    if not manager_of_version(request.user, version):
        raise PermissionDenied("The partnership's managers reply to comments.")
    _editable(version)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return _comment_form_page(request, version, form, thread=thread)
    about = {part: getattr(thread, part) for part in ("section_id", "priority_id", "action_row_id")}
    _save_comment(request, version, form, reply_to=thread, **about)
    messages.success(request, "Your reply is added.")
    return redirect(_back_to(version, thread))


@require_POST
def comment_resolve(request, partnership, plan, number, comment_id):
    version = member_version_or_404(request.user, partnership, plan, number)
    thread = comment_or_404(version, comment_id)
    if not manager_of_version(request.user, version):
        raise PermissionDenied("The partnership's managers resolve comments.")
    _editable(version)
    if request.POST.get("reopen"):
        thread.reopen()
        messages.success(request, "The comment is open again.")
    else:
        thread.resolve(request.user)
        messages.success(request, "The comment is marked as resolved.")
    return redirect(_back_to(version, thread))


def _back_to(version, comment) -> str:
    """The draft page showing `comment`, at the comment."""
    args = [version.plan.partnership.slug, version.plan.slug, version.number]
    if comment.priority_id or comment.action_row_id:
        priority = comment.priority or comment.action_row.priority
        url = reverse("priority-draft", args=[*args, priority.slug])
    else:
        url = reverse("plan-draft", args=args)
    return f"{url}#comment-{comment.reply_to_id or comment.pk}"
