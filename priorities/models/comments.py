from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from plans.models import Organisation, PlanVersion, Section
from plans.models.text import NOTE, bounded_text

from .contents import ActionRow, Priority


class CommentQuerySet(models.QuerySet):
    def threads(self):
        """Top-level comments (replies hang under them)."""
        return self.filter(reply_to__isnull=True)

    def open(self):
        return self.threads().filter(resolved_at__isnull=True)

    def not_yet_sent(self):
        """Comments no digest has carried to the managers yet."""
        return self.filter(sent_in_digest_at__isnull=True)


class Comment(models.Model):
    """A partnership member's comment on a draft version: on the whole plan, a section, a
    priority or an action row; or a reply to one. Members only: no public page shows them."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="comments")
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    priority = models.ForeignKey(
        Priority, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    action_row = models.ForeignKey(
        ActionRow, on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency the author commented for.",
    )
    body = bounded_text(NOTE, "comment")
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    sent_in_digest_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "version__plan__partnership"

    class Meta:
        ordering = ["version", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(section__isnull=True, priority__isnull=True)
                    | Q(section__isnull=True, action_row__isnull=True)
                    | Q(priority__isnull=True, action_row__isnull=True)
                ),
                name="comment_is_about_one_thing",
                violation_error_message="A comment is about one part of the plan.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.author}: {self.body[:60]}"

    @property
    def subject(self):
        """What it is about: a section, a priority, an action row, or None for the plan."""
        return self.section or self.priority or self.action_row

    @property
    def is_resolved(self) -> bool:
        return self.resolved_at is not None

    def clean(self) -> None:
        version_id = self.version_id
        parts = [
            (self.section, lambda part: part.plan_version_id),
            (self.priority, lambda part: part.plan_version_id),
            (self.action_row, lambda part: part.priority.plan_version_id),
        ]
        for part, version_of in parts:
            if part is not None and version_of(part) != version_id:
                raise ValidationError("That part belongs to another version of the plan.")

    def resolve(self, by) -> None:
        """Mark the thread dealt with. Saves."""
        self.resolved_at, self.resolved_by = timezone.now(), by
        self.save(update_fields=["resolved_at", "resolved_by"])

    def reopen(self) -> None:
        self.resolved_at = self.resolved_by = None
        self.save(update_fields=["resolved_at", "resolved_by"])
