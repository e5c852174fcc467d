"""What the import page shows, shaped for its template: each cell of the preview as it will be
saved, and each problem as text beside its row and column, listed once more at the top with a
link to it. Nothing is shown only on hover."""

from dataclasses import dataclass, field

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.text import slugify
from import_export import resources
from import_export.results import Result

# The library numbers the rows under the headers from 1; a spreadsheet program shows the
# headers as row 1, so the first row of figures is row 2 there.
HEADER_ROWS = 1


def spreadsheet_row(number: int) -> int:
    return number + HEADER_ROWS


@dataclass
class PreviewCell:
    value: str
    before: str = ""
    changed: bool = False


class PreviewDiff(resources.Diff):
    """The import preview shows each cell as the export writes it, so the cells a resource
    computes (outcomes, data lines, the partnership's slug) show too, not only model fields;
    as plain values, marked where an update changes them (no inline styles)."""

    def __init__(self, resource, instance, new):
        self.left = self.cells(resource, instance)
        self.right = []
        self.new = new

    def compare_with(self, resource, instance):
        self.right = self.cells(resource, instance)

    @staticmethod
    def cells(resource, instance) -> list:
        if instance is None:
            return ["" for _ in resource.get_import_fields()]
        return [
            str(resource.export_field(field, instance) or "")
            for field in resource.get_import_fields()
        ]

    def as_html(self) -> list[PreviewCell]:
        return [
            PreviewCell(
                value=after,
                before="" if self.new else before,
                changed=not self.new and before != after,
            )
            for before, after in zip(self.left, self.right, strict=False)
        ]


@dataclass
class Problem:
    row: int  # as the spreadsheet numbers it
    column: str  # the file's header, or "" for the whole row
    message: str

    @property
    def anchor(self) -> str:
        column = f"-{slugify(self.column) or 'column'}" if self.column else ""
        return f"row-{self.row}{column}"


@dataclass
class ProblemCell:
    column: str
    value: object
    problems: list[Problem] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"{self.problems[0].anchor}" if self.problems else ""


@dataclass
class ProblemRow:
    row: int
    cells: list[ProblemCell]
    problems: list[Problem]  # about the whole row, or a column the file does not have

    @property
    def anchor(self) -> str:
        return f"row-{self.row}"


class ReadableResult(Result):
    def problem_rows(self) -> list[ProblemRow]:
        rows = []
        for invalid in self.invalid_rows:
            number = spreadsheet_row(invalid.number)
            by_column = {
                column: [Problem(number, column, message) for message in messages]
                for column, messages in invalid.error_dict.items()
            }
            cells = [
                ProblemCell(column, value, by_column.pop(column, []))
                for column, value in zip(self.diff_headers, invalid.values, strict=False)
            ]
            whole_row = [
                Problem(
                    number, "", message if column == NON_FIELD_ERRORS else f"{column}: {message}"
                )
                for column, messages in by_column.items()
                for message in messages
            ]
            rows.append(ProblemRow(number, cells, whole_row))
        return rows

    def problems(self) -> list[Problem]:
        """Every problem, in the order of the rows and columns, for the summary at the top."""
        found = []
        for row in self.problem_rows():
            found.extend(row.problems)
            for cell in row.cells:
                found.extend(cell.problems)
        return found

    def failures(self) -> list[str]:
        """What stopped the file or a row being read at all, in words, never a traceback."""
        messages = [str(error.error) for error in self.base_errors]
        for number, errors in self.row_errors():
            messages.extend(
                f"Row {spreadsheet_row(number)} could not be read: {error.error}"
                for error in errors
            )
        return messages
