from django.contrib import admin
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorTarget, ReportingPeriod, Return
from .resources import IndicatorResource, ReturnResource

SPREADSHEET_FORMATS = [CSV, XLSX]
# Who did what and when on a return or an action update: recorded, never typed.
WORKFLOW_READONLY_FIELDS = [
    "entered_by",
    "submitted_by",
    "submitted_at",
    "approved_by",
    "approved_at",
    "revision",
    "created_at",
    "updated_at",
]


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [IndicatorResource]
    formats = SPREADSHEET_FORMATS
    list_display = ["code", "name", "unit", "good_direction", "owner", "partnership", "is_active"]
    list_filter = ["partnership", "unit", "good_direction", "owner", "is_active"]
    list_select_related = ["owner", "partnership"]
    search_fields = ["code", "name", "description"]
    inlines = [IndicatorTargetInline]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["label", "partnership", "start_date", "end_date", "due_date", "is_open"]
    list_filter = ["partnership", "is_open", "financial_year"]
    list_select_related = ["partnership"]
    list_editable = ["due_date"]
    readonly_fields = ["is_open"]
    actions = ["open_periods", "close_periods"]

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
class ReturnAdmin(ImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ReturnResource]
    formats = SPREADSHEET_FORMATS
    list_display = ["indicator", "reporting_period", "area", "value", "rag", "comparison", "status"]
    list_filter = [
        "status",
        "rag",
        "reporting_period",
        "indicator__owner",
        "indicator__partnership",
    ]
    list_select_related = ["indicator", "reporting_period", "area"]
    search_fields = ["indicator__code", "indicator__name", "commentary"]
    raw_id_fields = ["indicator"]
    readonly_fields = WORKFLOW_READONLY_FIELDS
