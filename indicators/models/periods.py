from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from plans.models import Partnership, PlanVersion
from plans.models.text import NOTE, bounded_text

from .. import periods


def figures_public(period: str = "reporting_period") -> Q:
    """Of a quarter's figures (returns, action updates, comparators) reached through `period`,
    those the public may see: the quarter's report is published, or its partnership publishes
    each figure as soon as it is approved. Approval is the caller's to require."""
    return Q(**{f"{period}__report_published_at__isnull": False}) | Q(
        **{f"{period}__partnership__figures_public": Partnership.FiguresPublic.ON_APPROVAL}
    )


class ReportingPeriodQuerySet(models.QuerySet):
    def open_for_entry(self):
        """Quarters officers can enter and submit returns for now."""
        return self.filter(is_open=True)

    def due_within(self, days: timedelta, *, of: date):
        """Open quarters already overdue on `of`, or due within `days` of it."""
        return self.open_for_entry().filter(due_date__lte=of + days)

    def public(self):
        """Quarters whose report is published: the public reads those reports."""
        return self.filter(report_published_at__isnull=False)

    def find(self, partnership, financial_year: int, quarter: int):
        """The partnership's quarter, or None if it has not been created."""
        return self.filter(
            partnership=partnership, financial_year=financial_year, quarter=quarter
        ).first()


class ReportingPeriod(models.Model):
    """A quarter a partnership collects returns for, e.g. "2023/24 Q1", with its due date."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="reporting_periods"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The April year: 2023 means 2023/24."
    )
    quarter = models.PositiveSmallIntegerField(
        choices=[
            (1, "Q1 (April–June)"),
            (2, "Q2 (July–September)"),
            (3, "Q3 (October–December)"),
            (4, "Q4 (January–March)"),
        ]
    )
    due_date = models.DateField(help_text="Returns are overdue after this day.")
    is_open = models.BooleanField(
        default=False, help_text="Officers can enter and submit returns only while it is open."
    )
    # What agencies owe for the quarter: the plan versions published when it first opened.
    # Publishing a refresh later changes the plan, not what this quarter asks for.
    plan_versions = models.ManyToManyField(
        PlanVersion, related_name="reporting_periods", blank=True, editable=False
    )
    # The quarter's report, once the board has seen it: its approved figures reach the public
    # then (unless the partnership publishes each figure on approval). Moved only by
    # publish_report and withdraw_report; the history says who did each and when.
    report_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    report_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    report_withdrawn_reason = bounded_text(
        NOTE, blank=True, editable=False, help_text="Why the report was last withdrawn."
    )
    history = HistoricalRecords()

    objects = ReportingPeriodQuerySet.as_manager()

    # The partnership it belongs to, as a lookup path (see plans/models/tenancy.py).
    partnership_path = "partnership"

    class Meta:
        ordering = ["partnership", "financial_year", "quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "financial_year", "quarter"],
                name="unique_reporting_period",
                violation_error_message="This partnership already has that quarter.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_is_one_to_four"
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return periods.period_label(self.financial_year, self.quarter)

    @property
    def financial_year_label(self) -> str:
        return periods.financial_year_label(self.financial_year)

    @property
    def url_parts(self) -> dict:
        """How a public address names the quarter: 2023/24 Q4 is "2023-24-q4"."""
        return {"year": self.financial_year, "yy": (self.financial_year + 1) % 100,
                "quarter": self.quarter}  # fmt: skip

    @property
    def start_date(self) -> date:
        return periods.quarter_dates(self.financial_year, self.quarter)[0]

    @property
    def end_date(self) -> date:
        return periods.quarter_dates(self.financial_year, self.quarter)[1]

    def is_overdue(self, today: date) -> bool:
        return self.is_open and today > self.due_date

    def open(self, *, due_date: date | None = None) -> None:
        """Let officers enter returns for the quarter, moving its due date if one is given.

        Saves (creating the quarter if it is new).
        """
        if due_date is not None:
            self.due_date = due_date
        self.is_open = True
        self.save()
        if not self.plan_versions.exists():
            self.plan_versions.set(PlanVersion.objects.published().filter(
                plan__partnership_id=self.partnership_id))  # fmt: skip

    def versions_in_force(self):
        """The plan versions the quarter's action updates are due on: those published when it
        opened, or, for a quarter never opened through `open`, those published now."""
        # One lazy queryset, not an exists() then a query: callers use it as a subquery.
        pinned = PlanVersion.objects.filter(reporting_periods=self)
        published_now = Q(
            status=PlanVersion.Status.PUBLISHED, plan__partnership_id=self.partnership_id
        )
        return PlanVersion.objects.filter(
            Q(pk__in=pinned.values("pk")) | (published_now & ~Exists(pinned))
        )

    def close(self) -> None:
        """Stop entry for the quarter: what was entered stays, read-only. Saves."""
        self.is_open = False
        self.save(update_fields=["is_open"])

    @property
    def report_is_published(self) -> bool:
        return self.report_published_at is not None

    def publish_report(self, by) -> None:
        """Publish the quarter's report: its approved figures reach the public pages. Saves.
        Publishing it again changes nothing: the record keeps who published it first, and when."""
        if self.report_is_published:
            return
        self.report_published_at, self.report_published_by = timezone.now(), by
        self.report_withdrawn_reason = ""
        self._history_user = by
        self.save()

    def withdraw_report(self, by, reason: str) -> None:
        """Take the report off the public pages, with the reason. Saves."""
        if not self.report_is_published:
            raise ValidationError("The report is not published, so there is nothing to withdraw.")
        if not reason.strip():
            raise ValidationError({"reason": "Say why the report is withdrawn."})
        self.report_published_at, self.report_published_by = None, None
        self.report_withdrawn_reason = reason.strip()
        self._history_user = by
        self.save()
