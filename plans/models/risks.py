from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .partnerships import Organisation, Partnership
from .tenancy import check_same_partnership
from .text import NOTE, bounded_text

SCALE_HELP = "1 (lowest) to 5 (highest)."


def scale_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text=SCALE_HELP
    )


class Risk(models.Model):
    """An entry in the partnership's risk register."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(max_length=200)
    description = bounded_text(NOTE, blank=True)
    impact = scale_field()
    likelihood = scale_field()
    mitigation = bounded_text(NOTE, blank=True, help_text="What the partnership does to reduce it.")
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_risks"
    )
    is_open = models.BooleanField(default=True, help_text="Untick when the risk is closed.")

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5, likelihood__gte=1, likelihood__lte=5),
                name="risk_scores_on_five_point_scale",
                violation_error_message="Impact and likelihood are scored 1 to 5.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_same_partnership(self, "owner", [self.owner if self.owner_id else None])

    @property
    def score(self) -> int:
        return self.impact * self.likelihood

    @property
    def level(self) -> str:
        """The usual 5×5 matrix bands."""
        if self.score >= 15:
            return "Very high"
        if self.score >= 8:
            return "High"
        if self.score >= 4:
            return "Medium"
        return "Low"
