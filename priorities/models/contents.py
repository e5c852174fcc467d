from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from indicators.models import Indicator
from plans.markdown import MarkdownRenderedOnSave, RenderedMarkdownField
from plans.models import Allocation, Area, Organisation, PlanVersion, Theme
from plans.models.documents import lineage_field
from plans.models.ordering import order_field, unique_order
from plans.models.text import LINE, NARRATIVE, NOTE, bounded_text


class Priority(MarkdownRenderedOnSave, models.Model):
    """A priority of one plan version, e.g. "Domestic Abuse", in three parts and its actions."""

    plan_version = models.ForeignKey(
        PlanVersion, on_delete=models.CASCADE, related_name="priorities"
    )
    label = models.CharField(
        max_length=40,
        blank=True,
        help_text='The plan\'s own number or label, e.g. "Priority 5"; blank if it has none.',
    )
    title = models.CharField(max_length=200)
    slug = models.SlugField(help_text="Used in web addresses; unique within the plan version.")
    order = order_field()
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="priorities",
        help_text="The theme it sits under, if the plan groups its priorities by theme.",
    )
    lineage = lineage_field()
    what_is_heading = models.CharField(
        max_length=200, blank=True, help_text='e.g. "What is domestic abuse?"'
    )
    what_is = bounded_text(NARRATIVE, "what it is", blank=True, help_text="Markdown.")
    what_is_html = RenderedMarkdownField(source="what_is")
    local_picture_heading = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Domestic abuse in Lichfield District"'
    )
    local_picture = bounded_text(
        NARRATIVE, blank=True, help_text="Markdown: the local figures and where it happens."
    )
    local_picture_html = RenderedMarkdownField(source="local_picture")
    response_heading = models.CharField(
        max_length=200, blank=True, help_text='e.g. "Lichfield Response"'
    )
    response = bounded_text(
        NARRATIVE, "the partnership's response", blank=True, help_text="Markdown."
    )
    response_html = RenderedMarkdownField(source="response")
    hotspots = models.ManyToManyField(
        Area, related_name="hotspot_priorities", blank=True, help_text="Places most affected."
    )
    at_risk_groups = bounded_text(
        NOTE, blank=True, help_text="People most at risk, one group per line."
    )
    allocations = models.ManyToManyField(
        Allocation, related_name="priorities", blank=True, help_text="Funding that supports it."
    )
    # The HTML is derived from the Markdown, which the history keeps.
    history = HistoricalRecords(
        excluded_fields=["what_is_html", "local_picture_html", "response_html"]
    )

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "plan_version__plan__partnership"
    version_path = "plan_version"

    class Meta:
        verbose_name_plural = "priorities"
        ordering = ["plan_version", "order"]
        constraints = [
            unique_order("plan_version", "unique_priority_order"),
            models.UniqueConstraint(fields=["plan_version", "slug"], name="unique_priority_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.title)[:50]
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        version = self.plan_version
        return reverse(
            "priority-version",
            kwargs={
                "partnership": version.plan.partnership.slug,
                "plan": version.plan.slug,
                "number": version.number,
                "priority": self.slug,
            },
        )

    def clean(self) -> None:
        if (
            self.theme_id
            and self.plan_version_id
            and self.theme.plan_version_id != self.plan_version_id
        ):
            raise ValidationError({"theme": "This theme belongs to another version of the plan."})

    @property
    def heading(self) -> str:
        """ "Priority 5: Prevent", or the title alone where the plan gives no label."""
        return f"{self.label}: {self.title}" if self.label else self.title

    @cached_property
    def actions_on_track(self) -> "Delivery":
        """Of its actions, those on track and all, from the prefetched rows: "5 of 8 actions on
        track". Kept: the plan page reads it for its total and again for each priority."""
        rows = self.action_rows.all()
        on_track = sum(1 for row in rows if row.published_status == ActionRow.Status.ON_TRACK)
        return Delivery(on_track, len(rows))

    @property
    def at_risk_group_list(self) -> list[str]:
        return [line.strip() for line in self.at_risk_groups.splitlines() if line.strip()]

    def evidencing_indicators(self):
        """Indicators tied to this priority's data lines, in code order."""
        return Indicator.objects.filter(data_lines__action_row__priority=self).distinct()

    def action_rows_by_theme(self) -> list[tuple[Theme | None, list["ActionRow"]]]:
        """The rows grouped as the plan groups them: by theme in theme order when rows have
        themes, rows without one last; a single group when the plan does not use themes."""
        rows = list(self.action_rows.all())
        themes = sorted({row.theme for row in rows if row.theme}, key=lambda t: t.order)
        groups = [(theme, [row for row in rows if row.theme_id == theme.pk]) for theme in themes]
        unthemed = [row for row in rows if row.theme_id is None]
        if unthemed or not groups:
            groups.append((None, unthemed))
        return groups


class Delivery(NamedTuple):
    on_track: int
    total: int


class ActionRowQuerySet(models.QuerySet):
    def due_in(self, period, versions=None):
        """Rows progress is due on for the quarter: those of the plan versions in force when
        it opened, so publishing a refresh mid-quarter changes nothing already owed.
        `versions`: those versions' ids, when the caller has read them already."""
        in_force = period.versions_in_force() if versions is None else versions
        return self.filter(priority__plan_version__in=in_force)

    def led_by(self, organisation):
        return self.filter(lead_organisations=organisation)


class ActionRow(models.Model):
    """A row of a priority's table: the Action, its Outcomes and its Data lines."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        ON_TRACK = "on_track", "On track"
        AT_RISK = "at_risk", "At risk"
        OFF_TRACK = "off_track", "Off track"
        COMPLETE = "complete", "Complete"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="action_rows")
    order = order_field()
    description = bounded_text(LINE, "action", help_text="What the partnership will do.")
    theme = models.ForeignKey(
        Theme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_rows",
        help_text="Cross-cutting theme, if the plan groups actions by theme.",
    )
    lead_organisations = models.ManyToManyField(
        Organisation, related_name="led_action_rows", blank=True
    )
    supporting_organisations = models.ManyToManyField(
        Organisation, related_name="supported_action_rows", blank=True
    )
    status = models.CharField(max_length=20, choices=Status, default=Status.NOT_STARTED)
    lineage = lineage_field()
    history = HistoricalRecords()

    objects = ActionRowQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "priority__plan_version__plan__partnership"
    version_path = "priority__plan_version"

    class Meta:
        ordering = ["priority", "order"]
        constraints = [unique_order("priority", "unique_action_row_order")]

    def __str__(self) -> str:
        return self.description if len(self.description) <= 80 else self.description[:79] + "…"

    @property
    def published_status(self) -> str:
        """Its status as the public may read it: the latest public quarter's approved update
        (prefetched newest first as `public_updates`, see priorities.public), else the status
        the plan gives it. An update the board has not seen stays off the public pages.
        (priorities.public gives rows only their latest public quarter's updates.)"""
        updates = getattr(self, "public_updates", None)
        if not updates:
            return self.status
        # A jointly led row has one update per lead agency in its latest quarter.
        latest = updates[0].reporting_period_id
        return self.most_cautious(
            update.action_status for update in updates if update.reporting_period_id == latest
        )

    @classmethod
    def most_cautious(cls, statuses) -> str:
        """Of lead agencies' statuses, the one a disagreement counts as: off track before at
        risk before not started before on track before complete."""
        caution = [
            cls.Status.OFF_TRACK,
            cls.Status.AT_RISK,
            cls.Status.NOT_STARTED,
            cls.Status.ON_TRACK,
            cls.Status.COMPLETE,
        ]
        return min(statuses, key=caution.index)

    def get_published_status_display(self) -> str:
        return self.Status(self.published_status).label

    def clean(self) -> None:
        if (
            self.theme_id
            and self.priority_id
            and (self.theme.plan_version_id != self.priority.plan_version_id)
        ):
            raise ValidationError({"theme": "This theme belongs to another version of the plan."})


class Outcome(models.Model):
    """One result an action aims for."""

    action_row = models.ForeignKey(ActionRow, on_delete=models.CASCADE, related_name="outcomes")
    order = order_field()
    text = bounded_text(LINE)
    history = HistoricalRecords()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "action_row__priority__plan_version__plan__partnership"
    version_path = "action_row__priority__plan_version"

    class Meta:
        ordering = ["action_row", "order"]
        constraints = [unique_order("action_row", "unique_outcome_order")]

    def __str__(self) -> str:
        return self.text


class DataLine(models.Model):
    """One piece of evidence for an action; measurable ones are tied to indicators."""

    action_row = models.ForeignKey(ActionRow, on_delete=models.CASCADE, related_name="data_lines")
    order = order_field()
    text = bounded_text(LINE)
    indicators = models.ManyToManyField(
        Indicator,
        related_name="data_lines",
        blank=True,
        help_text="Indicators whose figures evidence this line.",
    )
    history = HistoricalRecords()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "action_row__priority__plan_version__plan__partnership"
    version_path = "action_row__priority__plan_version"

    class Meta:
        ordering = ["action_row", "order"]
        constraints = [unique_order("action_row", "unique_data_line_order")]

    def __str__(self) -> str:
        return self.text
