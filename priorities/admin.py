from django.contrib import admin, messages
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import ReviewedSubmissionAdmin, ScopedSpreadsheets
from plans.admin import PlanVersionListFilter, SectionInline, ThemeInline
from plans.models import PlanVersion
from plans.tenant_admin import ONLY_THEIRS, ScopedAdmin, ScopedHistoryAdmin

from .models import ActionRow, ActionUpdate, DataLine, Outcome, Priority
from .resources import ActionRowResource


class PriorityInline(ScopedAdmin, admin.TabularInline):
    model = Priority
    fields = ["order", "title"]
    extra = 0
    show_change_link = True


# A version's page lists its priorities, so its admin lives here, above the plans app.
@admin.register(PlanVersion)
class PlanVersionAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "number", "status", "published_on"]
    list_filter = ["status", ("plan__partnership", ONLY_THEIRS)]
    list_select_related = ["plan"]
    search_fields = ["label", "plan__title"]
    # Publishing is an action with its own rules; a version's state is never typed.
    readonly_fields = ["status", "published_on", "created_at", "updated_at"]
    inlines = [SectionInline, ThemeInline, PriorityInline]
    actions = ["publish"]

    @admin.action(description="Publish the selected version (supersedes the current one)")
    def publish(self, request, queryset):
        versions = list(queryset.select_related("plan"))
        if len({version.plan_id for version in versions}) != len(versions):
            self.message_user(
                request, "Choose at most one version of each plan to publish.", messages.ERROR
            )
            return
        for version in versions:
            version.publish()
        self.message_user(
            request,
            ngettext("%d version published.", "%d versions published.", len(versions))
            % len(versions),
            messages.SUCCESS,
        )


class ActionRowInline(ScopedAdmin, admin.StackedInline):
    model = ActionRow
    fields = ["order", "description", "status", "theme", "lead_organisations"]
    autocomplete_fields = ["lead_organisations"]
    extra = 0
    show_change_link = True


@admin.register(Priority)
class PriorityAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["title", "order", "plan_version"]
    list_filter = [
        ("plan_version__plan__partnership", ONLY_THEIRS),
        ("plan_version", PlanVersionListFilter),
    ]
    list_select_related = ["plan_version__plan"]
    search_fields = ["title", "what_is", "local_picture", "response"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["hotspots", "allocations"]
    fieldsets = [
        (None, {"fields": ["plan_version", "title", "slug", "order"]}),
        ("What it is", {"fields": ["what_is_heading", "what_is"]}),
        ("The local picture", {"fields": ["local_picture_heading", "local_picture"]}),
        ("The partnership's response", {"fields": ["response_heading", "response"]}),
        ("Where and who", {"fields": ["hotspots", "at_risk_groups"]}),
        ("Funding", {"fields": ["allocations"]}),
    ]
    inlines = [ActionRowInline]


class OutcomeInline(ScopedAdmin, admin.TabularInline):
    model = Outcome
    extra = 0


class DataLineInline(ScopedAdmin, admin.TabularInline):
    model = DataLine
    extra = 0
    autocomplete_fields = ["indicators"]


@admin.register(ActionRow)
class ActionRowAdmin(ScopedHistoryAdmin, ScopedSpreadsheets, SimpleHistoryAdmin):
    resource_classes = [ActionRowResource]
    list_display = ["__str__", "priority", "order", "status"]
    list_filter = [
        "status",
        ("priority__plan_version", PlanVersionListFilter),
        ("lead_organisations", ONLY_THEIRS),
        ("theme", ONLY_THEIRS),
    ]
    list_select_related = ["priority"]
    search_fields = ["description", "outcomes__text", "data_lines__text"]
    autocomplete_fields = ["lead_organisations", "supporting_organisations"]
    inlines = [OutcomeInline, DataLineInline]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReviewedSubmissionAdmin, SimpleHistoryAdmin):
    list_display = ["action_row", "reporting_period", "action_status", "status"]
    list_filter = ["status", "action_status", ("reporting_period", ONLY_THEIRS)]
    list_select_related = ["action_row", "reporting_period"]
    search_fields = ["progress", "action_row__description"]
    raw_id_fields = ["action_row"]
