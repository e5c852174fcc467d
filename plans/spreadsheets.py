"""What every spreadsheet import shares: all-or-nothing saving and cells that fail clearly.

The library's own widgets raise `DoesNotExist` or `InvalidOperation` for a bad cell, which the
import page shows as a traceback; these raise `ValueError` with plain words, which it shows
beside the row and column.
"""

import io
import zipfile
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from import_export import resources, widgets
from import_export.formats import base_formats

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
        # Each import has its own copy of the resource's fields and widgets, so what one
        # import looked up is remembered for its other rows only (a sheet names the same
        # indicator, period and area on many rows).
        self.looked_up = {}
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
        scope = tuple(sorted(self.scope(row or {}).items())) if self.scope else ()
        return self.remembered((text, scope), lambda: self.look_up(text, row))

    def remembered(self, key, look_up):
        if key not in self.looked_up:
            try:
                self.looked_up[key] = look_up()
            except ValueError as error:
                self.looked_up[key] = error
        found = self.looked_up[key]
        if isinstance(found, ValueError):
            raise found
        return found

    def look_up(self, text, row):
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


# A cell a spreadsheet program would run as a formula: officers' free text can start like one.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def escape_formula(cell):
    """Text that would be run as a formula, written as text (prefixed with '), as OWASP
    advises; numbers, including negative ones, are left as they are."""
    if not isinstance(cell, str) or not cell.startswith(FORMULA_STARTS):
        return cell
    try:
        if Decimal(cell.strip()).is_finite():
            return cell
    except InvalidOperation:
        pass
    return "'" + cell


def escape_formulae(dataset) -> None:
    """Every cell of a tablib Dataset through escape_formula, in place."""
    for index, row in enumerate(dataset):
        dataset[index] = [escape_formula(cell) for cell in row]


# What one import may hold, so that it checks and saves within a request (about 8 ms a row):
# a larger file is refused before it is read, with a message, never an error page.
MAX_IMPORT_ROWS = 1_000
MAX_IMPORT_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 20 * 1024 * 1024  # an XLSX is a zip: a small one can unpack to gigabytes


class SpreadsheetTooLarge(ValueError):
    """The file is refused before it is read; the message says why and what to do."""


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MB"


def check_file_size(data) -> None:
    if len(data) > MAX_IMPORT_BYTES:
        raise SpreadsheetTooLarge(
            f"This file is {megabytes(len(data))}: import at most "
            f"{megabytes(MAX_IMPORT_BYTES)} at a time. Split it into smaller files."
        )


def check_row_count(dataset):
    if len(dataset) > MAX_IMPORT_ROWS:
        raise SpreadsheetTooLarge(
            f"This file has {len(dataset):,} rows: import at most {MAX_IMPORT_ROWS:,} rows at a "
            "time. Split it into smaller files."
        )
    return dataset


class SafeCSV(base_formats.CSV):
    def create_dataset(self, in_stream, **kwargs):
        check_file_size(in_stream)
        return check_row_count(super().create_dataset(in_stream, **kwargs))

    def export_data(self, dataset, **kwargs):
        escape_formulae(dataset)
        return super().export_data(dataset, **kwargs)


class SafeXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        check_file_size(in_stream)
        try:
            unpacked = sum(
                item.file_size for item in zipfile.ZipFile(io.BytesIO(in_stream)).infolist()
            )
        except zipfile.BadZipFile:
            unpacked = 0  # not an XLSX file: the library says so
        if unpacked > MAX_UNPACKED_BYTES:
            raise SpreadsheetTooLarge(
                f"This spreadsheet unpacks to {megabytes(unpacked)}: import at most "
                f"{MAX_IMPORT_ROWS:,} rows at a time. Split it into smaller files."
            )
        return check_row_count(super().create_dataset(in_stream, **kwargs))

    def export_data(self, dataset, **kwargs):
        escape_formulae(dataset)
        return super().export_data(dataset, **kwargs)


# What managers import and export in the admin: CSV and XLSX, formulas written as text.
SPREADSHEET_FORMATS = [SafeCSV, SafeXLSX]
