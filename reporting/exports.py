"""The report and the published figures as files: the report as XLSX (a sheet per part) and
CSV, and a partnership's published figures as open data (CSV and JSON) under the Open
Government Licence. Every cell that a spreadsheet would run as a formula is written as text."""

from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal

import tablib
from django.http import Http404, HttpResponse

from plans.spreadsheets import escape_formula
from plans.streaming import StreamedList, csv_lines, json_chunks

from .report import QuarterReport

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
ONE_PLACE = Decimal("0.1")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def _sheet(title: str, headers: list[str], rows) -> tablib.Dataset:
    sheet = tablib.Dataset(headers=headers, title=title[:31])  # Excel's limit on sheet names
    for row in rows:
        sheet.append([escape_formula("" if cell is None else cell) for cell in row])
    return sheet


def report_sheets(report: QuarterReport) -> list[tablib.Dataset]:
    """The report's parts, one table each: indicators, actions, funding, risks."""
    indicators = _sheet(
        "Indicators",
        [
            "priority",
            "indicator",
            "unit",
            "quarter",
            "value",
            "same quarter last year",
            "difference",
            "change (%)",
            "direction",
            "rank",
            "rank last year",
            "year to date",
            "target for the year",
            "rating",
            "computed rating",
            "rating override reason",
            "exception",
            "commentary",
        ],
        (
            [
                section.priority.title,
                line.indicator.name,
                line.indicator.get_unit_display(),
                report.period.label,
                # Numbers as numbers, so the board's analyst can work with them.
                f.value,
                f.last_year,
                f.difference,
                None if f.change is None else f.change.quantize(ONE_PLACE, ROUND_HALF_UP),
                f.direction.words,
                f.rank_text,
                f.last_year_rank_text,
                f.year_to_date,
                f.target if f.target is not None else f.target_text,  # a direction: its words
                f.rating.label if f.rating else "",
                f.computed_rating.label if f.computed_rating else "",
                f.override_reason,
                "yes" if f.is_exception else "",
                line.figure.commentary if line.figure else "",
            ]
            for section in report.priorities
            for line in section.indicators
            for f in [line.figures]
        ),
    )
    actions = _sheet(
        "Actions",
        ["priority", "action", "status", "progress this quarter", "lead agencies' agreement"],
        (
            [
                section.priority.title,
                line.row.description,
                line.status_label,
                line.progress_text,
                line.joint.agreement_text,
            ]
            for section in report.priorities
            for line in section.actions
        ),
    )
    funding = _sheet(
        "Funding",
        ["fund", "allocation", "delivered by", "allocated", "spent", "committed", "remaining"],
        [
            row
            for section in report.funds
            for row in [
                *(
                    [
                        section.fund.name,
                        a.title,
                        a.organisation.name if a.organisation else "",
                        a.allocated,
                        a.spent,
                        a.committed,
                        a.remaining,
                    ]
                    for a in section.allocations
                ),
                [
                    section.fund.name,
                    "Total",
                    "",
                    section.totals.allocated,
                    section.totals.spent,
                    section.totals.committed,
                    section.totals.remaining,
                ],
            ]
        ],
    )
    risks = _sheet(
        "Risks",
        ["risk", "impact", "likelihood", "score", "level", "owner", "mitigation"],
        (
            [
                risk.title,
                risk.impact_name,  # as the register writes it: "High", or "4" on 1 to 5
                risk.likelihood_name,
                risk.score,
                risk.level,
                risk.owner.name if risk.owner else "",
                risk.mitigation,
            ]
            for risk in report.risks
        ),
    )
    return [indicators, actions, funding, risks]


PARTS = ("indicators", "actions", "funding", "risks")  # the order of report_sheets


def report_response(report: QuarterReport, file_format: str, part: str = "") -> HttpResponse:
    """The report as a download: XLSX with a sheet per part, or one `part` as CSV (a CSV file
    holds one table; the indicators unless another part is asked for)."""
    sheets = report_sheets(report)
    if file_format == "xlsx":
        content = tablib.Databook(sheets).export("xlsx")
        part = "report"
    else:
        part = part or PARTS[0]
        content = sheets[PARTS.index(part)].export("csv")
    slug = report.partnership.slug
    period = report.period
    name = f"{slug}-{period.financial_year}-q{period.quarter}-{part}.{file_format}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def requested_part(request) -> str:
    """Which part of the report a CSV download asks for (?part=risks); 404 for no such part."""
    part = request.GET.get("part", "")
    if part and part not in PARTS:
        raise Http404(f"The report's parts are {', '.join(PARTS)}.")
    return part


# The open data's columns; `note` says why a value is missing ("fewer than 5").
FIGURE_COLUMNS = ["indicator", "name", "unit", "period", "area", "value", "note", "rank", "status"]


def plain_number(value: Decimal | None) -> str:
    """12.00 as "12", 16.50 as "16.5": the figure, without the column's padding."""
    return "" if value is None else f"{value.normalize():f}"


def figures_csv(rows: Iterable[dict]) -> Iterator[str]:
    """The figures as CSV lines, written one at a time (see `plans.streaming`)."""
    return csv_lines(
        FIGURE_COLUMNS,
        (
            [
                escape_formula(plain_number(value) if isinstance(value, Decimal) else value or "")
                for value in (row[column] for column in FIGURE_COLUMNS)
            ]
            for row in rows
        ),
    )


def json_number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def figures_json(rows: Iterable[dict], *, partnership) -> Iterator[str]:
    """The figures as JSON, in the encoder's pieces (see `plans.streaming`); nothing is read
    from `rows` until the first piece is asked for."""
    yield from json_chunks(
        {
            "partnership": partnership.name,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "figures": StreamedList(
                {column: row[column] for column in FIGURE_COLUMNS} for row in rows
            ),
        },
        indent=2,
        default=json_number,
    )
