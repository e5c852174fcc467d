from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Sum
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from simple_history.admin import SimpleHistoryAdmin

from . import roles
from .admin_filters import TheirPartnershipsFilter
from .models import (
    Allocation,
    Area,
    AreaGroup,
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
from .models.risk_scales import level_choices
from .published_admin import PublicVersionAdmin, PublicVersionInline, state_moves_link
from .site_forms import PartnershipSiteForm
from .tenant_admin import ONLY_THEIRS, ScopedAdmin, ScopedForm, ScopedHistoryAdmin


class PlanVersionListFilter(admin.RelatedFieldListFilter):
    """Filter by the person's own plan versions, naming each with its plan, in one query."""

    def field_choices(self, field, request, model_admin):
        versions = roles.manageable(PlanVersion.objects.select_related("plan"), request.user)
        return [(version.pk, str(version)) for version in versions]


@admin.register(Organisation)
class OrganisationAdmin(ScopedAdmin, admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind", ("partnerships", ONLY_THEIRS)]
    search_fields = ["name", "short_name"]


class AreaInline(ScopedAdmin, admin.TabularInline):
    model = Area
    extra = 0


def limit_areas(form, partnership_id) -> None:
    """Offer only the partnership's own areas in `form` (a class from get_form/get_formset)."""
    areas = form.base_fields.get("areas")
    if areas is not None and partnership_id is not None:
        areas.queryset = areas.queryset.filter(partnership_id=partnership_id)


class AreaGroupInline(ScopedAdmin, admin.StackedInline):
    model = AreaGroup
    fields = ["name", "description", "areas", "order"]
    filter_horizontal = ["areas"]
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        limit_areas(formset.form, obj and obj.pk)
        return formset


class MembershipInline(ScopedAdmin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]


@admin.register(Partnership)
class PartnershipAdmin(ScopedAdmin, admin.ModelAdmin):
    form = PartnershipSiteForm  # the logo, checked and kept in the database
    list_display = ["name", "area_name"]
    search_fields = ["name", "short_name", "area_name"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["organisations"]
    inlines = [AreaInline, AreaGroupInline, MembershipInline]
    readonly_fields = ["statements"]

    @admin.display(description="Accessibility statement and privacy notice")
    def statements(self, obj):
        if obj.pk is None:
            return "Save the partnership first."
        return format_html(
            '<a href="{}">Edit the accessibility statement</a> · '
            '<a href="{}">Edit the privacy notice</a>',
            reverse("partnership-notice-edit", args=[obj.slug, "accessibility"]),
            reverse("partnership-notice-edit", args=[obj.slug, "privacy"]),
        )

    # Setting up a partnership, and who runs it, is the administrator's job.
    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    def get_inlines(self, request, obj):
        if request.user.is_superuser:
            return self.inlines
        return [inline for inline in self.inlines if inline is not MembershipInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "organisations":  # any agency may join: their names are public
            kwargs["queryset"] = Organisation.objects.all()
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class MembershipForm(ScopedForm):
    acting_user = None  # set per request by MembershipAdmin.get_form

    def clean(self):
        data = super().clean()
        user = self.acting_user
        if user is not None and not user.is_superuser and data.get("user") == user:
            raise ValidationError(
                {"user": "You cannot give yourself a role: ask another manager to do it."}
            )
        return data


@admin.register(Membership)
class MembershipAdmin(ScopedAdmin, admin.ModelAdmin):
    form = MembershipForm
    list_display = ["user", "role", "organisation", "partnership"]
    list_filter = ["role", ("partnership", ONLY_THEIRS), ("organisation", ONLY_THEIRS)]
    list_select_related = ["user", "organisation", "partnership"]
    search_fields = ["user__username", "user__email", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"acting_user": request.user})

    def get_readonly_fields(self, request, obj=None):
        # A membership stays one person's: another person is invited (plans/people.py).
        return ["user"] if obj is not None else []

    def add_view(self, request, form_url="", extra_context=None):
        # Searching every account (the user picker) is an administrator's; a manager invites
        # people by e-mail on the members' page instead. A posted form is checked as before.
        managing = not request.user.is_superuser and self.has_add_permission(request)
        if request.method == "GET" and managing:
            return redirect("people")
        return super().add_view(request, form_url, extra_context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not self._own(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not self._own(request, obj)

    @staticmethod
    def _own(request, obj) -> bool:
        """Nobody but an administrator changes their own role."""
        return obj is not None and obj.user_id == request.user.pk and not request.user.is_superuser


class PlanVersionInline(ScopedAdmin, admin.TabularInline):
    """A plan's versions, listed; a new one may be started here as a draft."""

    model = PlanVersion
    fields = ["number", "label", "status", "published_on"]
    readonly_fields = ["status", "published_on"]
    extra = 0
    show_change_link = True

    # Each version is edited (a public one only corrected) and deleted on its own page.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Plan)
class PlanAdmin(ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["title", "partnership", "start_year", "end_year"]
    list_filter = [("partnership", ONLY_THEIRS)]
    list_select_related = ["partnership"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["publishing"]
    inlines = [PlanVersionInline]

    @admin.display(description="Publishing")
    def publishing(self, plan):
        return state_moves_link(plan.pk)


class SectionInline(PublicVersionInline, ScopedAdmin, admin.StackedInline):
    model = Section
    extra = 0


class ThemeInline(PublicVersionInline, ScopedAdmin, admin.TabularInline):
    model = Theme
    extra = 0


@admin.register(Section)
class SectionAdmin(PublicVersionAdmin, ScopedHistoryAdmin, SimpleHistoryAdmin):
    list_display = ["title", "plan_version", "order"]
    list_filter = [("plan_version", PlanVersionListFilter)]
    list_select_related = ["plan_version__plan"]
    search_fields = ["title", "body"]


@admin.register(Theme)
class ThemeAdmin(PublicVersionAdmin, ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "plan_version", "order"]
    list_filter = [("plan_version", PlanVersionListFilter)]
    list_select_related = ["plan_version__plan"]
    search_fields = ["name", "description"]


class AllocationInline(ScopedAdmin, admin.TabularInline):
    model = Allocation
    fields = [
        "title",
        "organisation",
        "financial_year",
        "allocated",
        "spent",
        "committed",
        "remaining",
    ]
    readonly_fields = ["remaining"]
    extra = 0


@admin.register(Fund)
class FundAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = [
        "name",
        "partnership",
        "financial_year",
        "amount_as_written",
        "years",
        "not_yet_allocated",
    ]
    list_filter = [("partnership", ONLY_THEIRS), "financial_year", "amount_kind", "recurs_yearly"]
    list_select_related = ["partnership"]
    search_fields = ["name", "source"]
    fields = [
        "partnership",
        "name",
        "source",
        "financial_year",
        "amount_kind",
        "amount",
        "amount_high",
        "recurs_yearly",
        "last_year",
    ]
    inlines = [AllocationInline]

    def get_queryset(self, request):
        # One sum for the whole list, not a query per fund.
        return super().get_queryset(request).annotate(allocated_sum=Sum("allocations__allocated"))

    @admin.display(description="Amount", ordering="amount")
    def amount_as_written(self, fund):
        return fund.amount_text

    @admin.display(description="Received")
    def years(self, fund):
        return fund.years_text

    @admin.display(description="Not yet allocated")
    def not_yet_allocated(self, fund):
        """Against the lower end of a range, as in the report (plans/models/funding.py)."""
        return fund.amount - (fund.allocated_sum or 0)


@admin.register(Allocation)
class AllocationAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["title", "fund", "organisation", "allocated", "spent", "committed", "remaining"]
    list_filter = [("fund__partnership", ONLY_THEIRS), ("fund", ONLY_THEIRS)]
    list_select_related = ["fund", "organisation"]
    search_fields = ["title"]


@admin.register(Risk)
class RiskAdmin(ScopedAdmin, admin.ModelAdmin):
    """The register in its own order, each risk scored on its partnership's scale."""

    list_display = [
        "title",
        "order",
        "partnership",
        "impact_name",
        "likelihood_name",
        "level",
        "owner",
        "is_open",
    ]
    list_editable = ["order"]
    list_filter = [("partnership", ONLY_THEIRS), "is_open", ("owner", ONLY_THEIRS)]
    list_select_related = ["partnership", "owner"]
    search_fields = ["title", "description", "mitigation"]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None:
            scales = [obj.partnership.risk_scale]
        else:
            scales = roles.managed_partnerships(request.user).values_list("risk_scale", flat=True)
        choices = [("", "---------"), *level_choices(scales)]
        for name in ("impact", "likelihood"):
            field = form.base_fields[name]
            form.base_fields[name] = forms.TypedChoiceField(
                label=field.label, help_text=field.help_text, choices=choices, coerce=int
            )
        return form


@admin.register(Area)
class AreaAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "partnership", "population"]
    list_filter = [("partnership", TheirPartnershipsFilter), "kind"]
    list_select_related = ["partnership"]
    ordering = ["partnership_id", "name"]
    show_full_result_count = False
    search_fields = ["name"]  # also what the returns' area autocomplete searches


@admin.register(AreaGroup)
class AreaGroupAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["name", "partnership", "order"]
    list_filter = [("partnership", ONLY_THEIRS)]
    list_select_related = ["partnership"]
    search_fields = ["name", "description", "areas__name"]
    filter_horizontal = ["areas"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        limit_areas(form, obj and obj.partnership_id)
        return form
