"""Members' way to a plan's unpublished versions, and the comments on them.

A draft (or a version in review) is read only by members of its partnership, in any role;
everyone else, signed in or not, gets 404, so a draft's existence is never given away.
"""

from collections import defaultdict

from django.http import Http404
from django.shortcuts import get_object_or_404

from plans.models import PlanVersion, Section
from plans.roles import is_manager_of, member_partnerships

from .models import ActionRow, Comment, Priority


def member_version_or_404(user, partnership: str, plan: str, number: int, *, prefetch=()):
    """Any version of the plan, for a member of its partnership."""
    version = (
        PlanVersion.objects.filter(
            plan__partnership__slug=partnership,
            plan__slug=plan,
            number=number,
            plan__partnership__in=member_partnerships(user),
        )
        .select_related("plan__partnership")
        .prefetch_related(*prefetch)
        .first()
    )
    if version is None:
        raise Http404("No such version of this plan.")
    return version


def readable_version_or_404(user, partnership: str, plan: str, number: int, *, prefetch=()):
    """A version the person may read: a public one for anybody, any one for a member."""
    version = (
        PlanVersion.objects.filter(
            plan__partnership__slug=partnership, plan__slug=plan, number=number
        )
        .select_related("plan__partnership")
        .prefetch_related(*prefetch)
        .first()
    )
    if version is None or not (version.is_public or _is_member(user, version)):
        raise Http404("No such version of this plan.")
    return version


def _is_member(user, version: PlanVersion) -> bool:
    return member_partnerships(user).filter(pk=version.plan.partnership_id).exists()


def comment_or_404(version: PlanVersion, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.threads().select_related("author"), version=version, pk=comment_id
    )


def manager_of_version(user, version: PlanVersion) -> bool:
    return is_manager_of(user, version.plan.partnership)


def attach_comments(version: PlanVersion, sections, priorities) -> int:
    """Hang each comment thread, with its replies, on what it is about (`thread_list` on the
    version and on the `sections`, `priorities` and their rows a page shows, as fetched); return
    how many threads of the whole version are open. One query."""
    threads: dict[tuple[str, int], list[Comment]] = defaultdict(list)
    replies: dict[int, list[Comment]] = defaultdict(list)
    comments = version.comments.select_related("author", "organisation").order_by("created_at")
    for comment in comments:
        if comment.reply_to_id:
            replies[comment.reply_to_id].append(comment)
        else:
            threads[_subject_key(comment)].append(comment)
    for thread_list in threads.values():
        for thread in thread_list:
            thread.reply_list = replies[thread.pk]

    version.thread_list = threads[("plan", version.pk)]
    for section in sections:
        section.thread_list = threads[("section", section.pk)]
    for priority in priorities:
        priority.thread_list = threads[("priority", priority.pk)]
        for row in priority.action_rows.all():
            row.thread_list = threads[("row", row.pk)]
    return sum(
        1 for thread_list in threads.values() for thread in thread_list if not thread.is_resolved
    )


def _subject_key(comment: Comment) -> tuple[str, int]:
    if comment.section_id:
        return ("section", comment.section_id)
    if comment.priority_id:
        return ("priority", comment.priority_id)
    if comment.action_row_id:
        return ("row", comment.action_row_id)
    return ("plan", comment.version_id)


def subject_fields(version: PlanVersion, subject: str) -> dict | None:
    """What a comment form's `subject` ("section-12", "row-40", "plan-3") names, as the
    comment's fields, if it is a part of `version`; else None."""
    kind, _, key = subject.partition("-")
    if not key.isdigit():
        return None
    pk = int(key)
    if kind == "plan":
        return {} if pk == version.pk else None
    parts = {
        "section": ("section", Section.objects.filter(plan_version=version)),
        "priority": ("priority", Priority.objects.filter(plan_version=version)),
        "row": ("action_row", ActionRow.objects.filter(priority__plan_version=version)),
    }
    if kind not in parts:
        return None
    field, candidates = parts[kind]
    found = candidates.filter(pk=pk).first()
    return None if found is None else {field: found}
