"""What the quarterly cycle records for itself: which e-mails went, so each goes once."""

from django.db import models
from django.utils import timezone


class NoticeQuerySet(models.QuerySet):
    def told(self, keys) -> set[str]:
        """Of `keys`, those already claimed by an e-mail (sent, or being sent)."""
        return set(self.filter(key__in=list(keys)).order_by().values_list("key", flat=True))

    def unconfirmed(self):
        """Claimed but never marked sent: the run stopped between the two. Each may or may
        not have reached its reader; none is sent again (see reporting/emails.send_once)."""
        return self.filter(sent_at__isnull=True)


class Notice(models.Model):
    """One piece of news e-mailed to one person: an item returned or reopened, an agency
    that has sent in everything, an item in a daily digest, a reminder step.

    `key` names the event and the reader, e.g. "returned:return:12:r5:to:3" (return 12 at its
    revision 5, to user 3), so that telling the same person the same thing twice is refused
    by the database. `claimed_at` is set before the e-mail is sent and `sent_at` after.
    """

    class Kind(models.TextChoices):
        RETURNED = "returned", "Item returned for correction"
        REOPENED = "reopened", "Item reopened for correction"
        AGENCY_COMPLETE = "complete", "Agency sent in everything"
        SUBMITTED = "submitted", "Submitted item (managers' digest)"
        APPROVED = "approved", "Approved item (officers' digest)"
        REMINDER = "reminder", "Reminder"

    kind = models.CharField(max_length=20, choices=Kind)
    key = models.CharField(max_length=200, unique=True)
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-claimed_at"]

    def __str__(self) -> str:
        return self.key
