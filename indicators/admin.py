from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from plans import roles
from plans.spreadsheet_templates import BlankTemplates
from plans.spreadsheets import SPREADSHEET_FORMATS, SpreadsheetTooLarge
from plans.tenant_admin import ONLY_THEIRS, ScopedAdmin, ScopedForm, ScopedHistoryAdmin

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
        ("partnership", ONLY_THEIRS),
        "unit",
        "good_direction",
        ("owner", ONLY_THEIRS),
        "is_active",
    ]
    list_select_related = ["owner", "partnership"]
    search_fields = ["code", "name", "description"]
    inlines = [IndicatorTargetInline, ComparatorInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["label", "partnership", "start_date", "end_date", "due_date", "is_open"]
    list_filter = [("partnership", ONLY_THEIRS), "is_open", "financial_year"]
    list_select_related = ["partnership"]
    list_editable = ["due_date"]
    # Opened, closed and published by their own actions and pages, never typed or reverted.
    readonly_fields = [
        "is_open",
        "report_published_at",
        "report_published_by",
        "report_withdrawn_reason",
    ]
    actions = ["open_periods", "close_periods"]

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
        ("reporting_period", ONLY_THEIRS),
        ("indicator__owner", ONLY_THEIRS),
        ("indicator__partnership", ONLY_THEIRS),
    ]
    list_select_related = ["indicator", "reporting_period", "area"]
    search_fields = ["indicator__code", "indicator__name", "commentary"]
    raw_id_fields = ["indicator"]
