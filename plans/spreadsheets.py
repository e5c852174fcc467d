"""What every spreadsheet import shares: all-or-nothing saving, every problem reported at once
beside its row under the file's own header (never a traceback), headers read as people write
them, and the file formats with their size limits and formula escaping.

The cells themselves are read by the widgets of spreadsheet_widgets.
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
from .spreadsheet_lookups import NameIndex, normalise, quoted
from .spreadsheet_results import PreviewDiff, ReadableResult
from .spreadsheet_widgets import (
    LookupWidget,
    NamesWidget,
    NumberWidget,
    WholeNumberWidget,
    YesNoWidget,
    cell_text,
)


class AllOrNothingResource(resources.ModelResource):
    """An import with any bad row saves no row, and every bad cell is reported on its row,
    under the file's own column header, all at once.

    Given the importing `user` (the admin passes it), a row for a partnership they do not
    manage is an error on its row, and names are looked up only in partnerships they manage.
    """

    def __init__(self, user=None, **kwargs):
        self.user = user
        self.file_headers = {}  # column name: the header the file gives it
        super().__init__(**kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, LookupWidget | NamesWidget):
                field.widget.user = user

    @classmethod
    def get_diff_class(cls):
        return PreviewDiff

    @classmethod
    def get_result_class(cls):
        return ReadableResult

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        # The library reports a ValueError beside its column and goes on to the next cell;
        # anything else would abort the row with a traceback and hide its other cells.
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except (ValueError, ValidationError):
            raise
        except Exception:
            raise ValueError(
                f'"{cell_text(row.get(field.column_name))}" could not be read.'
            ) from None

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

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as error:
            raise ValidationError(self.by_column(error.error_dict)) from None

    def by_column(self, errors: dict) -> dict:
        """Errors keyed by the file's column headers, not the model's field names."""
        columns = {}
        for name, field in self.fields.items():
            header = self.file_headers.get(field.column_name, field.column_name)
            for key in (field.column_name, name, field.attribute):
                if key:
                    columns.setdefault(key, header)
        return {columns.get(key, key): messages for key, messages in errors.items()}

    def before_import(self, dataset, **kwargs):
        """Headers are read as people write them ("Lead organisations" for
        lead_organisations); a header this import does not read, or a missing key column,
        stops the import with a message rather than being silently ignored."""
        super().before_import(dataset, **kwargs)
        if not dataset.headers:
            return
        columns = [field.column_name for field in self.get_import_fields()]
        keys = [self.fields[name].column_name for name in self.get_import_id_fields()]
        dataset.headers, self.file_headers = match_headers(dataset.headers, columns, keys)

    def after_import(self, dataset, result, **kwargs):
        super().after_import(dataset, result, **kwargs)
        result.diff_headers = [self.file_headers.get(c, c) for c in result.diff_headers]

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
        # An empty spreadsheet cell is blank text, not NULL, in a text column too; numbers and
        # yes/no cells fail with words, not a decimal module's exception.
        if isinstance(f, models.TextField):
            return widgets.CharWidget
        if isinstance(f, models.BooleanField):
            return YesNoWidget
        if isinstance(f, models.DecimalField):
            return NumberWidget
        if isinstance(f, models.IntegerField) and not isinstance(f, models.AutoField):
            return WholeNumberWidget
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


def match_headers(headers, columns, keys) -> tuple[list[str], dict[str, str]]:
    """The file's headers as the import's column names, and each column's header in the file;
    ValueError naming any header not read (with a suggestion) and any key column missing."""
    by_name = {normalise(column.replace("_", " ")): column for column in columns}
    renamed, unknown = [], []
    for header in headers:
        column = by_name.get(normalise(str(header or "").replace("_", " ")))
        renamed.append(column or header)
        if column is None:
            unknown.append(str(header or ""))
    problems = []
    if unknown:
        names = NameIndex(columns, lambda column: [column], noun="column")
        hints = "".join(names.suggestion(header.replace(" ", "_")) for header in unknown)
        problems.append(
            f"This import does not read the column(s) {quoted(unknown)}.{hints} It reads: "
            f"{', '.join(columns)}."
        )
    missing = [key for key in keys if key not in renamed]
    if missing:
        problems.append(
            f"The file has no {quoted(missing)} column: each row is found by "
            f"{quoted(keys)}. The blank template has every column."
        )
    if len(set(renamed)) < len(renamed):
        twice = sorted({column for column in renamed if renamed.count(column) > 1})
        problems.append(f"The file has more than one column {quoted(twice)}.")
    if problems:
        raise ValueError(" ".join(problems))
    return renamed, {column: str(header) for column, header in zip(renamed, headers, strict=True)}


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
