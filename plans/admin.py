from django.contrib import admin
from django.db.models import Sum
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Allocation,
    Area,
    Fund,
    Membership,
    Organisation,
    Partnership,
    Plan,
    PlanVersion,
    Risk,
    Section,
    Theme,
)


class PlanVersionListFilter(admin.RelatedFieldListFilter):
    """Filter by plan version, naming each with its plan in one query."""

    def field_choices(self, field, request, model_admin):
        versions = PlanVersion.objects.select_related("plan")
        return [(version.pk, str(version)) for version in versions]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind", "partnerships"]
    search_fields = ["name", "short_name"]


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Partnership)
class PartnershipAdmin(admin.ModelAdmin):
    list_display = ["name", "area_name"]
    search_fields = ["name", "short_name", "area_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations"]
    inlines = [AreaInline, MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "organisation", "partnership"]
    list_filter = ["role", "partnership", "organisation"]
    list_select_related = ["user", "organisation", "partnership"]
    search_fields = ["user__username", "user__email", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class PlanVersionInline(admin.TabularInline):
    model = PlanVersion
    fields = ["number", "label", "status", "published_on"]
    readonly_fields = ["status", "published_on"]
    extra = 0
    show_change_link = True


@admin.register(Plan)
class PlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_year", "end_year"]
    list_filter = ["partnership"]
    list_select_related = ["partnership"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [PlanVersionInline]


class SectionInline(admin.StackedInline):
    model = Section
    extra = 0


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0


class AllocationInline(admin.TabularInline):
    model = Allocation
    fields = ["title", "organisation", "allocated", "spent", "committed", "remaining"]
    readonly_fields = ["remaining"]
    extra = 0


@admin.register(Fund)
class FundAdmin(admin.ModelAdmin):
    list_display = ["name", "partnership", "financial_year", "amount", "not_yet_allocated"]
    list_filter = ["partnership", "financial_year"]
    list_select_related = ["partnership"]
    search_fields = ["name", "source"]
    inlines = [AllocationInline]

    def get_queryset(self, request):
        # One sum for the whole list, not a query per fund.
        return super().get_queryset(request).annotate(allocated_sum=Sum("allocations__allocated"))

    @admin.display(description="Not yet allocated")
    def not_yet_allocated(self, fund):
        return fund.amount - (fund.allocated_sum or 0)


@admin.register(Allocation)
class AllocationAdmin(admin.ModelAdmin):
    list_display = ["title", "fund", "organisation", "allocated", "spent", "committed", "remaining"]
    list_filter = ["fund__partnership", "fund"]
    list_select_related = ["fund", "organisation"]
    search_fields = ["title"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "partnership",
        "impact",
        "likelihood",
        "score",
        "level",
        "owner",
        "is_open",
    ]
    list_filter = ["partnership", "is_open", "owner"]
    list_select_related = ["partnership", "owner"]
    search_fields = ["title", "description", "mitigation"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "partnership", "population"]
    list_filter = ["partnership", "kind"]
    list_select_related = ["partnership"]
    search_fields = ["name"]
