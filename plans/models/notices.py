"""What a partnership's own site carries beyond its plan: the statements a UK public body's
site must have, and its logo's bytes."""

from django.db import models

from .partnerships import Partnership
from .text import NARRATIVE, bounded_text


class PublicNoticeQuerySet(models.QuerySet):
    def of(self, partnership: Partnership, kind: str) -> "PublicNotice | None":
        return self.filter(partnership=partnership, kind=kind).order_by("pk").first()


class PublicNotice(models.Model):
    """A partnership's accessibility statement or privacy notice, as its manager wrote it; until
    then its pages show the text prefilled from what the product knows (plans/notices.py)."""

    class Kind(models.TextChoices):
        ACCESSIBILITY = "accessibility", "Accessibility statement"
        PRIVACY = "privacy", "Privacy notice"

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="public_notices"
    )
    kind = models.CharField(max_length=20, choices=Kind)
    body = bounded_text(NARRATIVE, help_text="Markdown: start each heading with #.")
    updated_at = models.DateTimeField(auto_now=True)

    objects = PublicNoticeQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="unique_public_notice")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.partnership}"


class PartnershipLogo(models.Model):
    """The logo's bytes, kept in the database so that no media server is needed; apart from
    the partnership so that loading a partnership never loads an image."""

    partnership = models.OneToOneField(Partnership, on_delete=models.CASCADE, related_name="logo")
    image = models.BinaryField()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    def __str__(self) -> str:
        return f"Logo of {self.partnership}"
