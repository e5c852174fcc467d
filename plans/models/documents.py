from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from .ordering import order_field, unique_order
from .partnerships import Partnership
from .text import NARRATIVE, NOTE, bounded_text


class PlanQuerySet(models.QuerySet):
    def with_public_versions(self):
        """Plans with something the public may read, each with `public_versions`, newest first."""
        return (
            self.filter(versions__status__in=PlanVersion.PUBLIC_STATUSES)
            .distinct()
            .prefetch_related(
                models.Prefetch(
                    "versions",
                    queryset=PlanVersion.objects.public().order_by("-number"),
                    to_attr="public_versions",
                )
            )
        )


class Plan(models.Model):
    """A delivery plan, e.g. "Community Safety Delivery Plan 2022–2025".

    Its words live in versions: each yearly refresh is a new version.
    """

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Used in web addresses; unique within the partnership.")
    start_year = models.PositiveSmallIntegerField(
        help_text="First year the plan covers, e.g. 2022."
    )
    end_year = models.PositiveSmallIntegerField(help_text="Last year the plan covers, e.g. 2025.")
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "-start_year", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="unique_plan_slug"),
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="plan_ends_after_it_starts",
                violation_error_message="The last year cannot be before the first year.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:50]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("plan", kwargs={"partnership": self.partnership.slug, "plan": self.slug})

    @property
    def current_version(self):
        """The published version among `public_versions` (see PlanQuerySet)."""
        return next((v for v in self.public_versions if not v.is_superseded), None)


class PlanVersionQuerySet(models.QuerySet):
    def published(self):
        """The version the public reads now: at most one per plan."""
        return self.filter(status=PlanVersion.Status.PUBLISHED)

    def public(self):
        """Versions the public may read: the current one and the ones it superseded.

        Every public page starts here, so nothing unpublished can reach the public.
        """
        return self.filter(status__in=PlanVersion.PUBLIC_STATUSES)

    def mark_changed(self) -> int:
        """Record that the versions' content changed now (public pages' Last-Modified)."""
        return self.update(updated_at=timezone.now())


class PlanVersion(models.Model):
    """One edition of a plan's text: the original, then each refresh ("Refresh April 2023")."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    PUBLIC_STATUSES = ["published", "superseded"]

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(
        help_text="1 for the original plan, 2 for the first refresh…"
    )
    label = models.CharField(
        max_length=120, help_text='Shown under the title, e.g. "Refresh April 2023".'
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_on = models.DateField(
        null=True, blank=True, help_text="Set when the version is published."
    )
    change_summary = bounded_text(
        NOTE, blank=True, help_text="What changed since the previous version, for readers."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PlanVersionQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "plan__partnership"

    class Meta:
        ordering = ["plan", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_version_number"),
            models.UniqueConstraint(
                fields=["plan"],
                condition=Q(status="published"),
                name="one_published_version_per_plan",
                violation_error_message="This plan already has a published version.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["published", "superseded"])
                | Q(published_on__isnull=False),
                name="published_version_has_date",
                violation_error_message="A published version needs a publication date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.label})"

    def get_absolute_url(self) -> str:
        return reverse(
            "plan-version",
            kwargs={
                "partnership": self.plan.partnership.slug,
                "plan": self.plan.slug,
                "number": self.number,
            },
        )

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @transaction.atomic
    def publish(self, on=None) -> None:
        """Make this the plan's published version; the one it replaces becomes superseded.

        Side effects: saves this version and the previously published one.
        """
        previous = self.plan.versions.published().exclude(pk=self.pk)
        for version in previous.select_for_update():
            version.status = self.Status.SUPERSEDED
            version.save(update_fields=["status", "updated_at"])
        self.status = self.Status.PUBLISHED
        self.published_on = on or timezone.localdate()
        self.save(update_fields=["status", "published_on", "updated_at"])


class Section(models.Model):
    """Narrative before the priorities (Introduction, Local context…), written in Markdown."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    body = bounded_text(
        NARRATIVE,
        help_text="Markdown: blank line between paragraphs, '- ' for a list, '## ' for a heading.",
    )
    order = order_field()
    history = HistoricalRecords()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "plan_version__plan__partnership"

    class Meta:
        ordering = ["plan_version", "order"]
        constraints = [unique_order("plan_version", "unique_section_order")]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A cross-cutting approach actions are grouped by, e.g. "Early Intervention & Prevention"."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = bounded_text(NOTE, blank=True, help_text="One or two sentences for readers.")
    order = order_field()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "plan_version__plan__partnership"

    class Meta:
        ordering = ["plan_version", "order"]
        constraints = [
            unique_order("plan_version", "unique_theme_order"),
            models.UniqueConstraint(fields=["plan_version", "name"], name="unique_theme_name"),
        ]

    def __str__(self) -> str:
        return self.name
