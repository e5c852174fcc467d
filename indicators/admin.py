from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from plans import roles
from plans.admin_filters import TheirAgenciesFilter, TheirPartnershipsFilter
from plans.spreadsheet_templates import BlankTemplates
from plans.spreadsheets import SPREADSHEET_FORMATS, SpreadsheetTooLarge
from plans.tenant_admin import ScopedAdmin, ScopedForm, ScopedHistoryAdmin

from . import periods
from .admin_filters import RecentPeriodsFilter
from .models import Comparator, Indicator, IndicatorTarget, ReportingPeriod, Return
from .resources import IndicatorResource, ReturnResource

# Where an item stands and who moved it there: changed only through the workflow's steps.
WORKFLOW_READONLY_FIELDS = [
    "status",
    "returned_reason",
    "entered_by",
    "submitted_by",
    "submitted_at",
    "approved_by",
    "approved_at",
    "revision",
    "created_at",
    "updated_at",
]


class ScopedSpreadsheets(BlankTemplates, ImportExportMixin):
    """Import and export for managers: resources learn who is importing, so that a row for a
    partnership they do not manage is an error on its row (exports follow the scoped list);
    each import page links a blank template to fill in."""

    formats = SPREADSHEET_FORMATS

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {**super().get_resource_kwargs(request, *args, **kwargs), "user": request.user}

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetTooLarge):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)

    def has_import_permission(self, request):
        return super().has_import_permission(request) and roles.manages_any(request.user)

    def has_export_permission(self, request):
        return super().has_export_permission(request) and roles.manages_any(request.user)


class SubmissionForm(ScopedForm):
    """Carries the revision the manager saw, so that an edit made meanwhile is not overwritten."""

    seen_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seen_revision"].initial = self.instance.revision

    def clean(self):
        data = super().clean()
        stored = self.instance.pk and type(self.instance).objects.filter(pk=self.instance.pk)
        if stored and not stored.filter(revision=data.get("seen_revision")).exists():
            raise forms.ValidationError(
                "Someone changed this since you opened it: open it again to see what is stored."
            )
        return data


class ReviewedSubmissionAdmin(ScopedHistoryAdmin):
    """Returns and action updates. The workflow's fields are read-only; an item can be edited
    (or deleted) here only while its officer could (draft or returned to them); each edit moves
    its revision, so an officer's page showing the old one is refused; history cannot revert."""

    form = SubmissionForm
    readonly_fields = WORKFLOW_READONLY_FIELDS

    def get_queryset(self, request):
        """A manager's rows, found through their quarters' ids: the list is sorted by quarter,
        and told the ids, PostgreSQL reads just those quarters' stretch of the quarter index
        (milliseconds) instead of walking it from the newest row nationally, dropping other
        partnerships' rows on the way (seconds at millions of figures)."""
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        quarters = ReportingPeriod.objects.filter(
            partnership__in=roles.managed_partnerships(request.user)
        )
        return queryset.filter(reporting_period__in=list(quarters.values_list("pk", flat=True)))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_editable)

    def save_model(self, request, obj, form, change):
        obj.revision += 1
        obj.entered_by = request.user
        super().save_model(request, obj, form, change)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("Figures change only through the workflow.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class IndicatorTargetInline(ScopedAdmin, admin.TabularInline):
    """A figure, a direction (reduce, increase, maintain), or both, as the plan writes it."""

    model = IndicatorTarget
    fields = ["financial_year", "value", "direction", "text"]
    extra = 0


class ComparatorInline(ScopedAdmin, admin.TabularInline):
    """The same measure for a wider area each quarter, shown beside the local figure."""

    model = Comparator
    extra = 0
    fields = ["reporting_period", "name", "value"]
    ordering = ["-reporting_period__financial_year", "-reporting_period__quarter", "name"]


@admin.register(Indicator)
class IndicatorAdmin(ScopedHistoryAdmin, ScopedSpreadsheets, SimpleHistoryAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["code", "name", "unit", "good_direction", "owner", "partnership", "is_active"]
    list_filter = [
        ("partnership", TheirPartnershipsFilter),
        "unit",
        "good_direction",
        ("owner", TheirAgenciesFilter),
        "is_active",
    ]
    list_select_related = ["owner", "partnership"]
    # The unique (partnership, code) index's own columns: no join to sort.
    ordering = ["partnership_id", "code"]
    show_full_result_count = False
    search_fields = ["code", "name", "description"]
    inlines = [IndicatorTargetInline, ComparatorInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = [
        "label",
        "partnership",
        "start_date",
        "end_date",
        "due_date",
        "is_open",
        "figures",
    ]
    list_filter = [("partnership", TheirPartnershipsFilter), "is_open", "financial_year"]
    list_select_related = ["partnership"]
    # Newest first, as the returns' period filter and the period autocomplete offer them.
    ordering = ["-financial_year", "-quarter", "partnership_id"]
    show_full_result_count = False
    # "2024" finds the year's quarters, "2024/25 Q1" the quarter (see get_search_results).
    search_fields = ["=financial_year", "partnership__name"]
    search_help_text = 'A year ("2024"), a quarter ("2024/25 Q1") or a partnership\'s name.'
    list_editable = ["due_date"]
    # Opened, closed and published by their own actions and pages, never typed or reverted.
    readonly_fields = [
        "is_open",
        "report_published_at",
        "report_published_by",
        "report_withdrawn_reason",
    ]
    actions = ["open_periods", "close_periods"]

    def get_search_results(self, request, queryset, search_term):
        try:
            financial_year, quarter = periods.parse_period_label(search_term.strip())
        except ValueError:
            return super().get_search_results(request, queryset, search_term)
        return queryset.filter(financial_year=financial_year, quarter=quarter), False

    @admin.display(description="Figures")
    def figures(self, period):
        """The quarter's returns and action updates: older quarters than the returns list's
        filter offers are reached from here."""
        return format_html(
            '<a href="{}?reporting_period__id__exact={}">Returns</a> · '
            '<a href="{}?reporting_period__id__exact={}">Action updates</a>',
            reverse("admin:indicators_return_changelist"),
            period.pk,
            reverse("admin:priorities_actionupdate_changelist"),
            period.pk,
        )

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("A quarter is opened, closed and published by its actions.")
        return super().history_form_view(request, object_id, version_id, extra_context)

    @admin.action(description="Open the selected periods for entry")
    def open_periods(self, request, queryset):
        for period in queryset:
            period.open()
        self.message_user(request, f"{len(queryset)} period(s) opened.")

    @admin.action(description="Close the selected periods to entry")
    def close_periods(self, request, queryset):
        for period in queryset:
            period.close()
        self.message_user(request, f"{len(queryset)} period(s) closed.")


@admin.register(Return)
class ReturnAdmin(ReviewedSubmissionAdmin, ScopedSpreadsheets, SimpleHistoryAdmin):
    resource_classes = [ReturnResource]
    list_display = [
        "indicator",
        "reporting_period",
        "area",
        "value",
        "rag_override",
        "comparison",
        "status",
    ]
    list_filter = [
        "status",
        "rag_override",
        ("reporting_period", RecentPeriodsFilter),
        ("indicator__owner", TheirAgenciesFilter),
        ("indicator__partnership", TheirPartnershipsFilter),
    ]
    list_select_related = ["indicator", "reporting_period", "area"]
    # The table's own indexed columns (newest quarter first), never the joined tables'
    # orderings; columns sort only by the table's own fields.
    ordering = ["-reporting_period_id", "-pk"]
    sortable_by = ["value", "rag_override", "status"]
    # Millions of rows: one count of the filtered list, not a second of the whole table.
    show_full_result_count = False
    # An indicator's code, from its start: matched in the small indicators table, then the
    # returns found through the indicator foreign key's index. Never a scan of every return's
    # commentary.
    search_fields = ["^indicator__code"]
    search_help_text = "The indicator's code, or its beginning (SV- finds SV-KNIVES)."
    raw_id_fields = ["indicator"]
    # Thousands of quarters and wards nationally: typed, not listed in a select.
    autocomplete_fields = ["reporting_period", "area"]
