"""Admin forms without friction: order numbers a manager may leave empty, and inline rows whose
every field has an accessible name. `ScopedAdmin` (plans/tenant_admin.py) applies both to every
form and inline of the project, so no admin class does it itself.

Order numbers: a box left empty puts the row last. In an inline, each empty box is filled when
the rows are checked, in the order they appear, after the highest number of their siblings
(stored, or typed in the same submission); a number typed twice is refused beside both rows. On
a row's own form, an empty box is filled as it is saved.
"""

from collections import defaultdict

from django import forms
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Max

from .models.ordering import ORDER_HELP, ORDER_HINT, last_order, next_order, order_parent

ORDER = "order"


def is_ordered(model) -> bool:
    return order_parent(model) is not None


def may_be_left_empty(field: forms.Field) -> forms.Field:
    """The order box of a row placed among its siblings: empty at first, filled at save time."""
    field.required = False
    field.initial = None
    field.help_text = f"{ORDER_HINT} {ORDER_HELP}"
    field.widget.attrs["placeholder"] = "Last"
    return field


def must_be_filled_in(field: forms.Field) -> forms.Field:
    """The order box in a list of rows of several parents, where there is no "last" to go to."""
    field.required = True
    field.help_text = ORDER_HELP
    field.widget.attrs.pop("placeholder", None)
    return field


def without_remove_all(field: forms.Field) -> forms.Field:
    """A multiple autocomplete without select2's "remove all" cross, which it draws inside its
    list of choices, where screen readers expect only the choices; each keeps its own cross."""
    widget = getattr(field.widget, "widget", field.widget)
    if isinstance(widget, AutocompleteSelectMultiple):
        widget.is_required = True  # what select2's allow-clear option is read from
    return field


def put_last(obj) -> None:
    """Give `obj` the number after its siblings' highest if its order was left empty."""
    model = type(obj)
    if is_ordered(model) and getattr(obj, ORDER, 0) is None:
        parent_id = getattr(obj, f"{order_parent(model)}_id")
        obj.order = next_order(last_order(model, parent_id, exclude_pk=obj.pk))


def order_taken(form: forms.ModelForm) -> bool:
    """Whether a sibling already holds the order typed on a row's own form. (An inline's rows
    are checked together by the formset below, as they may swap numbers in one save.)"""
    model = form._meta.model
    parent = order_parent(model)
    number = form.cleaned_data.get(ORDER)
    if number is None or parent not in form.cleaned_data:
        return False
    if isinstance(form.fields.get(parent), forms.models.InlineForeignKeyField):
        return False
    siblings = model._default_manager.filter(**{parent: form.cleaned_data[parent], ORDER: number})
    return siblings.exclude(pk=form.instance.pk).exists()


def name_fields(form: forms.Form, row: str) -> None:
    """Give each visible field of an inline row an accessible name, "Title, priority 3": a
    tabular inline shows its labels only once, in the column headers."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        inner = getattr(widget, "widget", widget)  # the admin wraps related fields' selects
        inner.attrs["aria-label"] = f"{field.label or ''}, {row}".lstrip(", ")


class FrictionlessInlineFormSet:
    """Mixed into every inline's formset by `ScopedAdmin.get_formset`."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        noun = self.model._meta.verbose_name
        name_fields(form, f"{noun} {index + 1}" if index is not None else f"new {noun}")

    def clean(self):
        if is_ordered(self.model):
            self.number_rows()
        super().clean()

    def rows_kept(self) -> list[forms.Form]:
        """The rows this submission keeps: not deleted, and not an untouched empty row."""
        return [
            form
            for form in self.forms
            if ORDER in form.fields
            and not (self.can_delete and self._should_delete_form(form))
            and not (form in self.extra_forms and not form.has_changed())
        ]

    def highest_stored_order(self) -> int:
        """The highest order stored under the parent (0 for a parent not yet saved)."""
        if self.instance.pk is None:
            return 0
        return last_order(self.model, self.instance.pk)

    def number_rows(self) -> None:
        rows = self.rows_kept()
        typed = defaultdict(list)
        for form in rows:
            number = form.cleaned_data.get(ORDER)
            if number is not None:
                typed[number].append(form)
        noun = self.model._meta.verbose_name
        for number, forms_with_it in typed.items():
            if len(forms_with_it) > 1:
                for form in forms_with_it:
                    form.add_error(
                        ORDER,
                        f"Another {noun} here also has order {number}: give each its own "
                        "number, or leave this one empty to put it last.",
                    )
        last = max([self.highest_stored_order(), *typed])
        for form in rows:
            # A box with a wrong value ("abc") has no cleaned order and its own message.
            if ORDER in form.cleaned_data and form.cleaned_data[ORDER] is None:
                last = next_order(last)
                form.cleaned_data[ORDER] = form.instance.order = last

    def save_existing_objects(self, commit=True):
        if commit and is_ordered(self.model):
            self.make_room()
        return super().save_existing_objects(commit)

    def make_room(self) -> None:
        """Move the rows being renumbered or deleted out of the way first, so that rows which
        swap numbers (1 and 2 becoming 2 and 1) never meet another's old number on the way."""
        moving = [
            form.instance.pk
            for form in self.initial_forms
            if form.instance.pk is not None
            and (ORDER in form.changed_data or (self.can_delete and self._should_delete_form(form)))
        ]
        if not moving:
            return
        siblings = self.model._default_manager.filter(**{self.fk.name: self.instance})
        beyond = max(siblings.aggregate(last=Max(ORDER))["last"] or 0, *self.typed_orders())
        for offset, pk in enumerate(moving, start=1):
            siblings.filter(pk=pk).update(order=beyond + offset)

    def typed_orders(self) -> list[int]:
        return [form.cleaned_data.get(ORDER) or 0 for form in self.rows_kept()]


class NamedListFormSet:
    """Mixed into the formset of a list's editable columns by `ScopedAdmin`: each box is named
    after its column and its row ("Order, risk 3")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if ORDER in form.fields and is_ordered(self.model):
            must_be_filled_in(form.fields[ORDER])
        noun = self.model._meta.verbose_name
        name_fields(form, f"{noun} {index + 1}" if index is not None else f"new {noun}")


def named_list(formset: type) -> type:
    """`formset` (a class from ModelAdmin.get_changelist_formset) with the behaviour above."""
    return type(formset.__name__, (NamedListFormSet, formset), {})


def frictionless(formset: type) -> type:
    """`formset` (a class from InlineModelAdmin.get_formset) with the behaviour above."""
    if issubclass(formset, FrictionlessInlineFormSet):
        return formset
    return type(formset.__name__, (FrictionlessInlineFormSet, formset), {})
