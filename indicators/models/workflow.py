from django.conf import settings
from django.db import models


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    RETURNED = "returned", "Returned for correction"
    APPROVED = "approved", "Approved"


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
    django-simple-history on the concrete models.
    """

    status = models.CharField(
        max_length=20, choices=SubmissionStatus, default=SubmissionStatus.DRAFT
    )
    returned_reason = models.TextField(
        blank=True, help_text="Why the manager sent it back; the officer sees this."
    )
    entered_by = _person("+")
    submitted_by = _person("+")
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    approved_by = _person("+")
    approved_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
