from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from .ordering import ORDER_HELP
from .partnerships import Organisation, Partnership
from .risk_scales import LARGEST_LEVEL, RiskScale, scale_named
from .tenancy import check_same_partnership
from .text import NOTE, bounded_text

LEVEL_HELP = "On the partnership's scale: Low, Medium, High (1 to 3), or 1 to 5."


def level_field() -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(LARGEST_LEVEL)], help_text=LEVEL_HELP
    )


def off_scale_message(scale: RiskScale) -> str:
    names = ", ".join(name for _, name in scale.choices)
    return f"Choose one of the partnership's levels: {names}."


class Risk(models.Model):
    """An entry in the partnership's risk register, scored on the partnership's scale."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="risks")
    order = models.PositiveIntegerField(
        default=10, help_text=f"Its place in the register. {ORDER_HELP}"
    )
    title = models.CharField(max_length=200)
    description = bounded_text(NOTE, blank=True)
    impact = level_field()
    likelihood = level_field()
    mitigation = bounded_text(NOTE, blank=True, help_text="What the partnership does to reduce it.")
    owner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="owned_risks"
    )
    is_open = models.BooleanField(default=True, help_text="Untick when the risk is closed.")

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        # The register's own order; risks given the same number keep the order they came in.
        ordering = ["partnership", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    impact__gte=1,
                    impact__lte=LARGEST_LEVEL,
                    likelihood__gte=1,
                    likelihood__lte=LARGEST_LEVEL,
                ),
                name="risk_scores_on_five_point_scale",
                violation_error_message="Impact and likelihood are scored 1 to 5.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        check_same_partnership(self, "owner", [self.owner if self.owner_id else None])
        if self.partnership_id is None:
            return
        scale = self.scale
        errors = {
            name: off_scale_message(scale)
            for name in ("impact", "likelihood")
            if getattr(self, name) is not None and not 1 <= getattr(self, name) <= scale.size
        }
        if errors:
            raise ValidationError(errors)

    @property
    def scale(self) -> RiskScale:
        return scale_named(self.partnership.risk_scale)

    @property
    def impact_name(self) -> str:
        return self.scale.level_name(self.impact)

    @property
    def likelihood_name(self) -> str:
        return self.scale.level_name(self.likelihood)

    @property
    def score(self) -> int:
        return self.impact * self.likelihood

    @property
    def level(self) -> str:
        """The band on the partnership's scale (plans/models/risk_scales.py)."""
        return self.scale.band(self.impact, self.likelihood)


def check_scale_fits_register(partnership: Partnership) -> None:
    """A partnership cannot move to a scale its open or closed risks are scored beyond."""
    if partnership.pk is None:
        return
    size = scale_named(partnership.risk_scale).size
    beyond = partnership.risks.filter(Q(impact__gt=size) | Q(likelihood__gt=size)).count()
    if beyond:
        raise ValidationError(
            {
                "risk_scale": f"{beyond} risk{'s are' if beyond != 1 else ' is'} scored above "
                f"{size}: score {'them' if beyond != 1 else 'it'} again before choosing this "
                "scale."
            }
        )
