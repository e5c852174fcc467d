"""What every spreadsheet import shares: all-or-nothing saving and cells that fail clearly.

The library's own widgets raise `DoesNotExist` or `InvalidOperation` for a bad cell, which the
import page shows as a traceback; these raise `ValueError` with plain words, which it shows
beside the row and column.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from import_export import resources, widgets

from . import roles
from .models.tenancy import partnership_id_of


class AllOrNothingResource(resources.ModelResource):
    """An import with any bad row saves no row, and every bad cell is reported on its row.

    Given the importing `user` (the admin passes it), a row for a partnership they do not
    manage is an error on its row.
    """

    def __init__(self, user=None, **kwargs):
        self.user = user
        super().__init__(**kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        try:
            self.check_row(instance, row)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row) -> None:
        """Raise ValidationError for a row this import may not write. Subclasses add rules."""
        if self.user is None or roles.can_manage(self.user, instance):
            return
        if partnership_id_of(instance) is None:
            return  # a missing key cell is reported beside its column
        raise ValidationError(
            {NON_FIELD_ERRORS: "This row is for a partnership you do not manage."}
        )

    @classmethod
    def widget_from_django_field(cls, f, default=widgets.Widget):
        # An empty spreadsheet cell is blank text, not NULL, in a text column too.
        if isinstance(f, models.TextField):
            return widgets.CharWidget
        return super().widget_from_django_field(f, default)

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        kwargs["use_transactions"] = True
        kwargs["rollback_on_validation_errors"] = True
        return super().import_data(dataset, dry_run=dry_run, raise_errors=raise_errors, **kwargs)

    def get_instance(self, instance_loader, row):
        # A bad key cell (an unknown code, say) means no existing row to update; the same cell
        # is then reported beside its column by import_instance instead of as a crash.
        try:
            return super().get_instance(instance_loader, row)
        except ValueError:
            return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row found by a name people know (a code, a label), not a database ID.

    `scope` maps the row to extra filters, e.g. the partnership the name belongs to.
    """

    def __init__(self, model, field, *, noun: str, scope=None, **kwargs):
        self.noun = noun
        self.scope = scope
        super().__init__(model, field=field, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = self.model.objects.all()
        if self.scope is not None:
            queryset = queryset.filter(**self.scope(row or {}))
        return queryset

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return self.get_queryset(text, row).get(**{self.field: text})
        except self.model.DoesNotExist:
            raise ValueError(f'There is no {self.noun} "{text}".') from None
        except self.model.MultipleObjectsReturned:
            raise ValueError(f'More than one {self.noun} is called "{text}".') from None


class NamesWidget(widgets.ManyToManyWidget):
    """Several related rows by name in one cell, separated by semicolons."""

    def __init__(self, model, field, *, noun: str, **kwargs):
        self.noun = noun
        super().__init__(model, separator=";", field=field, **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in _text(value).split(self.separator) if name.strip()]
        found = self.model.objects.filter(**{f"{self.field}__in": names})
        known = {getattr(obj, self.field) for obj in found}
        unknown = [name for name in names if name not in known]
        if unknown:
            listed = ", ".join(f'"{name}"' for name in unknown)
            raise ValueError(f"Unknown {self.noun}: {listed}. Separate names with semicolons.")
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(str(getattr(item, self.field)) for item in value.all())


class NumberWidget(widgets.DecimalWidget):
    """A decimal cell; anything that is not a number gets a message saying so."""

    def clean(self, value, row=None, **kwargs):
        text = _text(value).replace(",", "").replace("£", "").removesuffix("%").strip()
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f'"{_text(value)}" is not a number.') from None
        if not number.is_finite():
            raise ValueError(f'"{_text(value)}" is not a number.')
        return number


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return int(Decimal(text).to_integral_exact())
        except (InvalidOperation, ArithmeticError):
            raise ValueError(f'"{text}" is not a whole number.') from None


class ChoiceWidget(widgets.Widget):
    """A choice written either as its stored code ("on_track") or as people read it ("On track")."""

    def __init__(self, choices: type[models.Choices], **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return ""
        for code, label in self.choices.choices:
            if text.casefold() in (str(code).casefold(), str(label).casefold()):
                return code
        allowed = ", ".join(str(label) for label in self.choices.labels)
        raise ValueError(f'"{text}" is not one of: {allowed}.')

    def render(self, value, obj=None, **kwargs):
        return value or ""
