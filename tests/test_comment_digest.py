"""The managers' daily digest of new comments: each manager gets their own partnerships' new
comments once; nothing is sent twice, nothing crosses partnerships."""

import pytest
from django.core import mail
from django.core.management import call_command

from priorities.models import Comment

from .plan_year import build_plan_year

pytestmark = pytest.mark.django_db


def test_each_manager_gets_their_partnerships_new_comments_once():
    lichfield = build_plan_year("lichfield")
    tamworth = build_plan_year("tamworth")
    Comment.objects.create(
        version=lichfield.draft,
        section=lichfield.draft.sections.get(),
        author=lichfield.officer,
        organisation=lichfield.police,
        body="Add last year's figures.",
    )

    call_command("send_comment_digest")

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"lichfield-manager@example.org", "tamworth-manager@example.org"}
    ours = by_recipient["lichfield-manager@example.org"]
    assert ours.subject == "2 new comments on your plan's draft"
    assert "lichfield-reviewer (lichfield Council)" in ours.body
    assert "Say which nights in lichfield" in ours.body
    assert "on the section “Introduction”" in ours.body
    assert "on the action “Patrol the town centre on Friday nights (1)”" in ours.body
    assert "/partnerships/lichfield/delivery-plan/drafts/2/" in ours.body
    assert "tamworth" not in ours.body
    assert tamworth.comment.body in by_recipient["tamworth-manager@example.org"].body

    mail.outbox.clear()
    call_command("send_comment_digest")
    assert mail.outbox == []
    assert not Comment.objects.not_yet_sent().exists()


def test_no_new_comments_sends_nothing():
    build_plan_year("lichfield")
    Comment.objects.update(sent_in_digest_at="2024-01-01T09:00:00Z")
    call_command("send_comment_digest")
    assert mail.outbox == []
