from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import ReviewedSubmissionAdmin, ScopedSpreadsheets
from indicators.admin_filters import RecentPeriodsFilter
from plans.admin import PlanVersionListFilter, SectionInline, ThemeInline
from plans.admin_filters import TheirAgenciesFilter, TheirPartnershipsFilter
from plans.models import PlanVersion, VersionEvent
from plans.published_admin import PublicVersionAdmin, PublicVersionInline, state_moves_link
from plans.tenant_admin import ONLY_THEIRS, ScopedAdmin, ScopedHistoryAdmin

from .import_forms import ImportIntoPlanVersion
from .models import ActionRow, ActionUpdate, DataLine, Outcome, Priority
from .resources import ActionRowResource


def limit_themes(form, version_id) -> None:
    """Offer only the version's own themes in `form` (a class from get_form/get_formset)."""
    themes = form.base_fields.get("theme")
    if themes is not None and version_id is not None:
        themes.queryset = themes.queryset.filter(plan_version_id=version_id)


class VersionEventInline(ScopedAdmin, admin.TabularInline):
    """What happened to the version, and why: written only by its moves and corrections."""

    model = VersionEvent
    fields = ["kind", "at", "by", "on", "reason"]
    readonly_fields = fields
    extra = 0
    verbose_name = "what happened"
    verbose_name_plural = "What happened to this version"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PriorityInline(PublicVersionInline, ScopedAdmin, admin.TabularInline):
    model = Priority
    fields = ["order", "label", "title"]
    extra = 0


# A version's page lists its priorities, so its admin lives here, above the plans app.
@admin.register(PlanVersion)
class PlanVersionAdmin(PublicVersionAdmin, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["__str__", "number", "status", "published_on"]
    list_filter = ["status", ("plan__partnership", ONLY_THEIRS)]
    list_select_related = ["plan"]
    search_fields = ["label", "plan__title"]
    fields = [
        "plan",
        "number",
        "label",
        "theme_use",
        "change_summary",
        "status",
        "published_on",
        "publishing",
        "created_at",
        "updated_at",
    ]
    # A version's state moves only by its steps on the plan's page, never typed here.
    readonly_fields = ["status", "published_on", "publishing", "created_at", "updated_at"]
    # The plan and number make its public address.
    locked_when_public = ["plan", "number"]
    inlines = [VersionEventInline, SectionInline, ThemeInline, PriorityInline]

    @admin.display(description="Publishing")
    def publishing(self, version):
        return state_moves_link(version.plan_id)

    # A revert would also write back an old state (a draft's, say), which only the steps move.
    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied("A version's state moves only by its steps on the plan's page.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ActionRowInline(PublicVersionInline, ScopedAdmin, admin.StackedInline):
    model = ActionRow
    fields = ["order", "description", "status", "theme", "lead_organisations"]
    autocomplete_fields = ["lead_organisations"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_themes(formset.form, obj and obj.plan_version_id)
        return formset


@admin.register(Priority)
class PriorityAdmin(PublicVersionAdmin, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["title", "label", "order", "plan_version"]
    list_filter = [
        ("plan_version__plan__partnership", ONLY_THEIRS),
        ("plan_version", PlanVersionListFilter),
    ]
    list_select_related = ["plan_version__plan"]
    search_fields = ["title", "label", "what_is", "local_picture", "response"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["hotspots", "allocations"]
    fieldsets = [
        (None, {"fields": ["plan_version", "label", "title", "slug", "order", "theme"]}),
        ("What it is", {"fields": ["what_is_heading", "what_is"]}),
        ("The local picture", {"fields": ["local_picture_heading", "local_picture"]}),
        ("The partnership's response", {"fields": ["response_heading", "response"]}),
        ("Where and who", {"fields": ["hotspots", "at_risk_groups"]}),
        ("Funding", {"fields": ["allocations"]}),
    ]
    # Its web address (the version's, and its slug) stays as published.
    locked_when_public = ["plan_version", "slug"]
    inlines = [ActionRowInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        limit_themes(form, obj and obj.plan_version_id)
        return form


class OutcomeInline(PublicVersionInline, ScopedAdmin, admin.TabularInline):
    model = Outcome
    extra = 0


class DataLineInline(PublicVersionInline, ScopedAdmin, admin.TabularInline):
    model = DataLine
    extra = 0
    autocomplete_fields = ["indicators"]


@admin.register(ActionRow)
class ActionRowAdmin(
    PublicVersionAdmin,
    ScopedHistoryAdmin,
    ImportIntoPlanVersion,
    ScopedSpreadsheets,
    SimpleHistoryAdmin,
):
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
    readonly_fields = ["in_other_versions"]
    inlines = [OutcomeInline, DataLineInline]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        limit_themes(form, obj and obj.priority.plan_version_id)
        return form

    @admin.display(description="The same action in other versions")
    def in_other_versions(self, row):
        """The rows a refresh copied this one from or to (the same lineage), linked."""
        if row.pk is None:
            return "–"
        others = (
            ActionRow.objects.filter(lineage=row.lineage)
            .exclude(pk=row.pk)
            .select_related("priority__plan_version__plan")
            .order_by("priority__plan_version__number")
        )
        if not others:
            return "None: this action is in this version only."
        return format_html_join(
            mark_safe("<br>"),
            '<a href="{}">{}: {}</a>',
            (
                (
                    reverse("admin:priorities_actionrow_change", args=[other.pk]),
                    other.priority.plan_version.label,
                    other,
                )
                for other in others
            ),
        )


@admin.register(Outcome)
class OutcomeAdmin(PublicVersionAdmin, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["text", "action_row", "order"]
    list_filter = [("action_row__priority__plan_version", PlanVersionListFilter)]
    list_select_related = ["action_row"]
    search_fields = ["text"]
    raw_id_fields = ["action_row"]


@admin.register(DataLine)
class DataLineAdmin(PublicVersionAdmin, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["text", "action_row", "order"]
    list_filter = [("action_row__priority__plan_version", PlanVersionListFilter)]
    list_select_related = ["action_row"]
    search_fields = ["text"]
    raw_id_fields = ["action_row"]
    autocomplete_fields = ["indicators"]


@admin.register(ActionUpdate)
class ActionUpdateAdmin(ReviewedSubmissionAdmin, SimpleHistoryAdmin):
    list_display = ["action_row", "organisation", "reporting_period", "action_status", "status"]
    list_filter = [
        "status",
        "action_status",
        ("reporting_period", RecentPeriodsFilter),
        ("organisation", TheirAgenciesFilter),
        ("reporting_period__partnership", TheirPartnershipsFilter),
    ]
    list_select_related = ["action_row", "organisation", "reporting_period"]
    # The table's own indexed columns (newest quarter first), never the joined tables'
    # orderings; columns sort only by the table's own fields.
    ordering = ["-reporting_period_id", "-pk"]
    sortable_by = ["action_status", "status"]
    show_full_result_count = False
    # The action's words, matched in the action rows table (a plan's worth per partnership and
    # version) and joined through the action row's index: never a scan of every update's text.
    search_fields = ["action_row__description"]
    raw_id_fields = ["action_row"]
    autocomplete_fields = ["reporting_period"]
