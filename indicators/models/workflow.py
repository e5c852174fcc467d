from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for correction"
    APPROVED = "approved", "Approved"


# What an officer may still change; submitted items wait for the manager, approved are locked.
EDITABLE_STATUSES = {SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
# Sent in to the manager: waiting for a decision or already accepted.
SENT_IN_STATUSES = {SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED}


class SubmissionQuerySet(models.QuerySet):
    """Filters every kind of reviewed submission (returns, action updates) shares."""

    def for_period(self, period):
        return self.filter(reporting_period=period)

    def awaiting_approval(self):
        """Submitted and not yet decided by the manager."""
        return self.filter(status=SubmissionStatus.SUBMITTED)

    def approved(self):
        return self.filter(status=SubmissionStatus.APPROVED)


def _person(related_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name=related_name,
        editable=False,
    )


class ReviewedSubmission(models.Model):
    """What officers send in and the manager approves: an indicator return or an action update.

    Records who did what and when at every step; the full history is kept by
    django-simple-history on the concrete models. `revision` counts saves, so that a save
    based on an older revision can be refused instead of overwriting someone else's work.
    """

    status = models.CharField(
        max_length=20, choices=SubmissionStatus, default=SubmissionStatus.DRAFT
    )
    returned_reason = models.TextField(
        blank=True, help_text="Why the manager sent it back or reopened it; the officer sees this."
    )
    entered_by = _person("+")
    submitted_by = _person("+")
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = _person("+")
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    revision = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def approve(self, by) -> None:
        """Accept a submitted item; it is locked from then on. Saves."""
        self._require(SubmissionStatus.SUBMITTED, "Only a submitted item can be approved.")
        self.status = SubmissionStatus.APPROVED
        self.approved_by, self.approved_at = by, timezone.now()
        self.returned_reason = ""
        self._save_step()

    def send_back(self, by, reason: str) -> None:
        """Return a submitted item to its officer with the reason they will see. Saves."""
        self._require(SubmissionStatus.SUBMITTED, "Only a submitted item can be returned.")
        self._reopen(reason)

    def reopen(self, by, reason: str) -> None:
        """Unlock an approved item so its officer can correct it. Saves."""
        self._require(SubmissionStatus.APPROVED, "Only an approved item can be reopened.")
        self.approved_by, self.approved_at = None, None
        self._reopen(reason)

    def _reopen(self, reason: str) -> None:
        if not reason.strip():
            raise ValidationError({"reason": "Say why, so the officer knows what to change."})
        self.status = SubmissionStatus.RETURNED
        self.returned_reason = reason.strip()
        self._save_step()

    def _require(self, status, message: str) -> None:
        if self.status != status:
            raise ValidationError(message)

    def _save_step(self) -> None:
        self.revision += 1
        self.save()
