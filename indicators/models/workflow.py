from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models.text import NOTE, bounded_text


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


def submission_history(*links: str) -> HistoricalRecords:
    """The history of a kind of submission, without indexes on its `links` and people. It is
    read only by the submission's id (its change log), and saving an officer's page writes a
    history row for each of a hundred items: every index is written on each, in a table that
    grows by millions nationally."""
    return HistoricalRecords(no_db_index=[*links, "entered_by", "submitted_by", "approved_by"])


class ReviewedSubmission(models.Model):
    """What officers send in and the manager approves: an indicator return or an action update.

    Records who did what and when at every step; the full history is kept by
    django-simple-history on the concrete models. `revision` counts saves, so that a save
    based on an older revision can be refused instead of overwriting someone else's work.
    """

    status = models.CharField(
        max_length=20, choices=SubmissionStatus, default=SubmissionStatus.DRAFT
    )
    returned_reason = bounded_text(
        NOTE,
        blank=True,
        help_text="Why the manager sent it back or reopened it; the officer sees this.",
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

    def approve(self, by, *, seen_revision: int | None = None) -> None:
        """Accept a submitted item; it is locked from then on. Saves.

        Every decision is conditional on the revision the manager saw (`seen_revision`,
        default: this object's): if anyone decided on or changed the item since, nothing is
        saved and DecisionRefused says what it is now.
        """

        def accept():
            self.status = SubmissionStatus.APPROVED
            self.approved_by, self.approved_at = by, timezone.now()
            self.returned_reason = ""

        self._decide(
            by,
            SubmissionStatus.SUBMITTED,
            "Only a submitted item can be approved.",
            seen_revision,
            accept,
        )

    def send_back(self, by, reason: str, *, seen_revision: int | None = None) -> None:
        """Return a submitted item to its officer with the reason they will see. Saves."""
        self._decide(
            by,
            SubmissionStatus.SUBMITTED,
            "Only a submitted item can be returned.",
            seen_revision,
            self._returning(reason),
        )

    def reopen(self, by, reason: str, *, seen_revision: int | None = None) -> None:
        """Unlock an approved item so its officer can correct it. Saves."""
        returning = self._returning(reason)

        def unlock():
            self.approved_by, self.approved_at = None, None
            returning()

        self._decide(
            by,
            SubmissionStatus.APPROVED,
            "Only an approved item can be reopened.",
            seen_revision,
            unlock,
        )

    def _returning(self, reason: str):
        if not reason.strip():
            raise ValidationError({"reason": "Say why, so the officer knows what to change."})

        def send_to_officer():
            self.status = SubmissionStatus.RETURNED
            self.returned_reason = reason.strip()

        return send_to_officer

    def _decide(self, by, status, wrong_status: str, seen_revision: int | None, apply) -> None:
        """Claim the item with one conditional UPDATE, then apply the decision and save it.

        The UPDATE is the lock: of two managers deciding at once, the second one's finds the
        revision already moved on (PostgreSQL re-checks it after the first commits; SQLite
        lets one writer through at a time), so exactly one decision is saved.
        """
        seen = self.revision if seen_revision is None else seen_revision
        stored = type(self)._default_manager.filter(pk=self.pk)

        def refused():
            return DecisionRefused(stored.select_related("approved_by", "entered_by").get())

        if seen != self.revision:
            raise refused()
        if self.status != status:
            raise ValidationError(wrong_status)
        with transaction.atomic():
            if not stored.filter(revision=seen, status=status).update(revision=seen + 1):
                raise refused()
            self.refresh_from_db()
            apply()
            self._history_user = by  # the audit trail names who decided, in a request or not
            self.save()


class DecisionRefused(Exception):
    """Nothing was saved: the item changed since the manager saw it. `current` is it now."""

    def __init__(self, current: ReviewedSubmission):
        self.current = current
        super().__init__(f"{current} changed meanwhile; it is now {current.status}")
