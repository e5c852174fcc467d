import uuid
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from ..markdown import MarkdownRenderedOnSave, RenderedMarkdownField
from .ordering import order_field, unique_order
from .partnerships import Partnership
from .text import NARRATIVE, NOTE, bounded_text


class PlanQuerySet(models.QuerySet):
    def with_public_versions(self):
        """Plans with something the public may read, each with `public_versions`, newest first."""
        # EXISTS, not a join made DISTINCT; ordered by the plan alone: the default ordering
        # joins the partnership for its name, which one partnership's plans share.
        public_version = PlanVersion.objects.public().filter(plan=models.OuterRef("pk"))
        return (
            self.filter(models.Exists(public_version))
            .order_by("-start_year", "title")
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

    def with_partnership_changed_at(self):
        """Each version with `partnership_changed_at`: when any version of its partnership's
        plans, public or not, last changed (see plans.public.partnership_stamp)."""
        every_version = (
            PlanVersion.objects.filter(plan__partnership=models.OuterRef("plan__partnership"))
            .order_by()
            .values("plan__partnership")
            .values(changed_at=models.Max("updated_at"))
        )
        return self.annotate(partnership_changed_at=models.Subquery(every_version))


class PlanVersion(models.Model):
    """One edition of a plan's text: the original, then each refresh ("Refresh April 2023")."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"

    PUBLIC_STATUSES = ["published", "superseded"]
    EDITABLE_STATUSES = ["draft", "in_review"]

    class ThemeUse(models.TextChoices):
        NONE = "none", "No themes"
        PRIORITIES = "priorities", "Priorities are grouped under themes"
        ACTIONS = "actions", "Each priority's actions are grouped by cross-cutting theme"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(
        help_text="1 for the original plan, 2 for the first refresh…"
    )
    label = models.CharField(
        max_length=120, help_text='Shown under the title, e.g. "Refresh April 2023".'
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.DRAFT)
    published_on = models.DateField(
        null=True, blank=True, help_text="Chosen when the version is published."
    )
    theme_use = models.CharField(
        "how themes are used",
        max_length=20,
        choices=ThemeUse,
        default=ThemeUse.NONE,
        help_text="Whether the plan groups its priorities under themes, or each priority's "
        "actions by cross-cutting theme.",
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
    # The version a part belongs to, as a lookup path ("" for a version itself): a public
    # version's parts are read-only except by correction (plans/lifecycle.py).
    version_path = ""

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

    @property
    def is_public(self) -> bool:
        return self.status in self.PUBLIC_STATUSES

    @property
    def is_editable(self) -> bool:
        """Drafts and versions in review are edited freely; a public version only corrected."""
        return self.status in self.EDITABLE_STATUSES

    # Moves between states, each recorded as a VersionEvent. See plans/lifecycle.py for who
    # may make them; these methods hold the rules every write path shares.

    def _record(self, kind: str, by, reason: str = "", on: date | None = None) -> "VersionEvent":
        return VersionEvent.objects.create(version=self, kind=kind, by=by, reason=reason, on=on)

    def _move(self, status: str, by, *, fields=("status",)) -> None:
        self.status = status
        self._history_user = by
        self.save(update_fields=[*fields, "updated_at"])

    def _refuse_unless(self, *statuses: str, message: str) -> None:
        if self.status not in statuses:
            raise ValidationError(message)

    @transaction.atomic
    def send_for_review(self, by) -> None:
        self._refuse_unless(self.Status.DRAFT, message="Only a draft can be sent for review.")
        self._move(self.Status.IN_REVIEW, by)
        self._record(VersionEvent.Kind.SENT_FOR_REVIEW, by)

    @transaction.atomic
    def return_to_draft(self, by, reason: str = "") -> None:
        self._refuse_unless(self.Status.IN_REVIEW, message="Only a version in review can go back "
                            "to draft.")  # fmt: skip
        self._move(self.Status.DRAFT, by)
        self._record(VersionEvent.Kind.RETURNED_TO_DRAFT, by, reason.strip())

    @transaction.atomic
    def publish(self, by, on: date, note: str = "") -> None:
        """Make this the plan's published version on the chosen date; the one it replaces
        becomes superseded, in the same transaction: either both move or neither does."""
        self._refuse_unless(*self.EDITABLE_STATUSES, message="This version is already public.")
        if on is None:
            raise ValidationError({"on": "Choose the date the plan is published."})
        previous = self.plan.versions.published().exclude(pk=self.pk).select_for_update()
        for version in previous:
            version._move(self.Status.SUPERSEDED, by)
            version._record(VersionEvent.Kind.SUPERSEDED, by, f"Replaced by {self.label}.")
        self.published_on = on
        self._move(self.Status.PUBLISHED, by, fields=("status", "published_on"))
        self._record(VersionEvent.Kind.PUBLISHED, by, note.strip(), on=on)

    @transaction.atomic
    def unpublish(self, by, reason: str) -> None:
        """Take the published version off the public pages, with the reason; the version it
        superseded, if any, is the public plan again. The version goes back to draft."""
        self._refuse_unless(self.Status.PUBLISHED, message="Only the published version can be "
                            "unpublished.")  # fmt: skip
        if not reason.strip():
            raise ValidationError({"reason": "Say why the version is unpublished: readers of "
                                   "its page will see it."})  # fmt: skip
        self.published_on = None
        self._move(self.Status.DRAFT, by, fields=("status", "published_on"))
        self._record(VersionEvent.Kind.UNPUBLISHED, by, reason.strip())
        earlier = (
            self.plan.versions.filter(status=self.Status.SUPERSEDED, number__lt=self.number)
            .order_by("-number")
            .select_for_update()
            .first()
        )
        if earlier is not None:
            earlier._move(self.Status.PUBLISHED, by)
            earlier._record(
                VersionEvent.Kind.REINSTATED, by, f"{self.label} was unpublished: {reason.strip()}"
            )

    def record_correction(self, by, reason: str) -> "VersionEvent":
        """Note a correction made to a public version's text; its page shows it."""
        if not self.is_public:
            raise ValidationError("Only a public version is corrected: edit the draft instead.")
        if not reason.strip():
            raise ValidationError("Say what was corrected and why: readers will see it.")
        return self._record(VersionEvent.Kind.CORRECTED, by, reason.strip())


class VersionEvent(models.Model):
    """A move of a version between states, or a correction to its published text: who, when
    and why. The version's page lists them; corrections and unpublishing show to the public."""

    class Kind(models.TextChoices):
        CREATED = "created", "Started as a refresh"
        SENT_FOR_REVIEW = "sent_for_review", "Sent to partners for review"
        RETURNED_TO_DRAFT = "returned_to_draft", "Returned to draft"
        PUBLISHED = "published", "Published"
        SUPERSEDED = "superseded", "Superseded"
        UNPUBLISHED = "unpublished", "Unpublished"
        REINSTATED = "reinstated", "Published again"
        CORRECTED = "corrected", "Corrected"

    # What the public may read of a public version's record.
    PUBLIC_KINDS = ["published", "superseded", "unpublished", "reinstated", "corrected"]

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    on = models.DateField(null=True, blank=True, help_text="The publication date chosen.")
    reason = bounded_text(NOTE, blank=True)

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "version__plan__partnership"

    class Meta:
        ordering = ["version", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.version}: {self.get_kind_display()} {self.at:%d %b %Y}"

    @property
    def is_public(self) -> bool:
        return self.kind in self.PUBLIC_KINDS


def new_lineage() -> uuid.UUID:
    return uuid.uuid4()


def lineage_field() -> models.UUIDField:
    """A part's lasting identity: a refresh copies it, so the same section, priority or action
    row can be followed across the plan's versions (its updates, its history, what changed)."""
    return models.UUIDField(default=new_lineage, editable=False, db_index=True)


class Section(MarkdownRenderedOnSave, models.Model):
    """Narrative before the priorities (Introduction, Local context…), written in Markdown."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(max_length=200)
    body = bounded_text(
        NARRATIVE,
        help_text="Markdown: blank line between paragraphs, '- ' for a list, '## ' for a heading.",
    )
    body_html = RenderedMarkdownField(source="body")
    order = order_field()
    lineage = lineage_field()
    history = HistoricalRecords(excluded_fields=["body_html"])  # derived from `body`

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "plan_version__plan__partnership"
    version_path = "plan_version"

    class Meta:
        ordering = ["plan_version", "order"]
        constraints = [unique_order("plan_version", "unique_section_order")]

    def __str__(self) -> str:
        return self.title


class Theme(models.Model):
    """A theme of the plan: either a group of its priorities, or a cross-cutting approach each
    priority's actions are grouped by (e.g. "Early Intervention & Prevention"), as the
    version's `theme_use` says."""

    plan_version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    description = bounded_text(NOTE, blank=True, help_text="One or two sentences for readers.")
    order = order_field()
    lineage = lineage_field()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "plan_version__plan__partnership"
    version_path = "plan_version"

    class Meta:
        ordering = ["plan_version", "order"]
        constraints = [
            unique_order("plan_version", "unique_theme_order"),
            models.UniqueConstraint(fields=["plan_version", "name"], name="unique_theme_name"),
        ]

    def __str__(self) -> str:
        return self.name
