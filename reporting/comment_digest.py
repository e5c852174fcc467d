"""The managers' daily digest of new comments on their partnership's drafts: one e-mail per
manager, listing every comment and reply no digest has carried yet, then marking them sent."""

from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from plans.models import Membership
from priorities.models import Comment

from . import emails


def _subject_name(comment: Comment) -> str:
    if comment.section_id:
        return f"the section “{comment.section.title}”"
    if comment.priority_id:
        return f"the priority “{comment.priority.title}”"
    if comment.action_row_id:
        return f"the action “{comment.action_row}”"
    return "the whole plan"


@transaction.atomic
def send_comment_digests(*, connection=None) -> int:
    """E-mail each manager their partnerships' new comments; returns how many e-mails went.
    Comments are marked sent only with the e-mails, so a failed run sends them next time."""
    new = list(
        Comment.objects.not_yet_sent()
        .select_for_update(of=("self",))
        .select_related(
            "author",
            "organisation",
            "section",
            "priority",
            "action_row",
            "version__plan__partnership",
        )
        .order_by("version__plan__partnership", "version", "created_at")
    )
    if not new:
        return 0
    by_partnership = defaultdict(list)
    for comment in new:
        by_partnership[comment.version.plan.partnership_id].append(comment)
    managers = Membership.objects.managers().filter(partnership__in=by_partnership)
    inbox = defaultdict(list)
    for membership in managers.select_related("user", "partnership"):
        if membership.user.email:
            inbox[membership.user].append(membership.partnership_id)
    messages = []
    for user, partnership_ids in inbox.items():
        comments = [c for pk in dict.fromkeys(partnership_ids) for c in by_partnership[pk]]
        lines = [
            {
                "comment": comment,
                "about": _subject_name(comment),
                "address": emails.absolute_url(
                    "plan-draft",
                    comment.version.plan.partnership.slug,
                    comment.version.plan.slug,
                    comment.version.number,
                ),
            }
            for comment in comments
        ]
        messages.append(
            emails.message(
                "comment_digest",
                {"name": user.get_full_name() or user.username, "lines": lines},
                to=[user.email],
            )
        )
    sent = emails.send(messages, connection=connection)
    Comment.objects.filter(pk__in=[c.pk for c in new]).update(sent_in_digest_at=timezone.now())
    return sent
