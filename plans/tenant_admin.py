"""The admin, one partnership at a time: every list, form, inline, choice list, autocomplete,
action, history page and spreadsheet of a manager holds only their own partnerships' objects.

Every ModelAdmin and inline of the apps mixes in `ScopedAdmin`; the rules themselves are in
plans/roles.py (who may see and change what) and plans/models/tenancy.py (links never cross
partnerships).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html
from django.utils.translation import gettext as _

from . import admin_forms, roles
from .admin_paging import BoundedChangeList, BoundedPaginator
from .models.tenancy import check_same_partnership

# A filter on a related object offers only what the person's own rows point to.
ONLY_THEIRS = admin.RelatedOnlyFieldListFilter


def scoped_choices(model, user):
    """What a person may pick in a choice list of `model`."""
    queryset = model._default_manager.all()
    if hasattr(model, "partnership_path"):
        return roles.manageable(queryset, user)
    return queryset


class ScopedForm(forms.ModelForm):
    """Refuses, beside the field, a many-to-many link to another partnership's object, before
    anything is saved (the model's own guard would otherwise stop the save with an error page),
    and an order number a sibling already holds."""

    def clean(self):
        data = super().clean()
        if admin_forms.is_ordered(self._meta.model) and admin_forms.order_taken(self):
            noun = self._meta.model._meta.verbose_name
            self.add_error(
                "order",
                f"Another {noun} in the same place already has order {data['order']}: choose "
                "another number, or leave it empty to put it last.",
            )
        return data

    def _post_clean(self):
        super()._post_clean()
        for field in self.instance._meta.many_to_many:
            chosen = self.cleaned_data.get(field.name)
            if chosen is None or not hasattr(field.related_model, "partnership_path"):
                continue
            try:
                check_same_partnership(self.instance, field.name, list(chosen))
            except forms.ValidationError as error:
                self._update_errors(error)


class ScopedAdmin:
    """Mix into a ModelAdmin or an inline, before the admin class. Besides the scoping, it
    makes editing easier in one place (plans/admin_forms.py): an order number may be left
    empty to put the row last, and every inline field has an accessible name."""

    form = ScopedForm
    # Lists page through their first rows only: a deep OFFSET page scans millions of rows.
    paginator = BoundedPaginator

    def get_changelist(self, request, **kwargs):
        return BoundedChangeList

    def action_checkbox(self, obj):
        """Django's checkbox in each list row, the same markup written out: its widget renders
        templates for each row, most of the time of a hundred-row list (0.6 ms a row)."""
        label = format_html(_("Select this object for an action - {}"), str(obj))
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            obj.pk,
            label,
        )

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name == "order" and admin_forms.is_ordered(self.model):
            admin_forms.may_be_left_empty(field)
        if field is not None and db_field.many_to_many:
            admin_forms.without_remove_all(field)
        return field

    def get_changelist_formset(self, request, **kwargs):  # a list's editable columns
        return admin_forms.named_list(super().get_changelist_formset(request, **kwargs))

    def get_formset(self, request, obj=None, **kwargs):  # inlines only
        return admin_forms.frictionless(super().get_formset(request, obj, **kwargs))

    def save_form(self, request, form, change):  # model admins only
        obj = super().save_form(request, form, change)
        admin_forms.put_last(obj)
        return obj

    def get_queryset(self, request):
        return roles.manageable(super().get_queryset(request), request.user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and roles.manages_any(request.user)

    def has_view_permission(self, request, obj=None):
        return (
            super().has_view_permission(request, obj)
            and roles.manages_any(request.user)
            and (obj is None or roles.can_see(request.user, obj))
        )

    def has_add_permission(self, request, *args):
        return super().has_add_permission(request, *args) and roles.manages_any(request.user)

    def has_change_permission(self, request, obj=None):
        return (
            super().has_change_permission(request, obj)
            and roles.manages_any(request.user)
            and (obj is None or roles.can_manage(request.user, obj))
        )

    def has_delete_permission(self, request, obj=None):
        return (
            super().has_delete_permission(request, obj)
            and roles.manages_any(request.user)
            and (obj is None or roles.can_manage(request.user, obj))
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(db_field.related_model, request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", scoped_choices(db_field.related_model, request.user))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedHistoryAdmin(ScopedAdmin):
    """For SimpleHistoryAdmin subclasses: history pages follow the object's partnership, and a
    revert needs the right to change the object (django-simple-history checks only viewing)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            found = self.get_queryset(request).filter(pk=object_id).first()
            if found is None or not self.has_change_permission(request, found):
                raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)
