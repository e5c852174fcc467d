"""The report and the published figures as files: the report as XLSX (a sheet per part) and
CSV, and a partnership's published figures as open data (CSV and JSON) under the Open
Government Licence. Every cell that a spreadsheet would run as a formula is written as text."""

import csv
import io
import json

import tablib
from django.http import HttpResponse

from plans.spreadsheets import escape_formula

from .report import QuarterReport

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
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
            "quarter",
            "value",
            "same quarter last year",
            "difference",
            "change",
            "direction",
            "rank",
            "rank last year",
            "year to date",
            "target for the year",
            "rating",
            "rating override reason",
            "exception",
            "commentary",
        ],
        (
            [
                section.priority.title,
                line.indicator.name,
                report.period.label,
                f.shown("value"),
                f.shown("last_year"),
                f.difference_text,
                f.change_text,
                f.direction.words,
                f.rank_text,
                f.last_year_rank_text,
                f.shown("year_to_date"),
                f.shown("target"),
                f.rating.label if f.rating else "",
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
        ["priority", "action", "status", "progress this quarter"],
        (
            [
                section.priority.title,
                line.row.description,
                line.status_label,
                line.update.progress if line.update else "",
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
                risk.impact,
                risk.likelihood,
                risk.score,
                risk.level,
                risk.owner.name if risk.owner else "",
                risk.mitigation,
            ]
            for risk in report.risks
        ),
    )
    return [indicators, actions, funding, risks]


def report_response(report: QuarterReport, file_format: str) -> HttpResponse:
    """The report as a download: XLSX with a sheet per part, or the indicators as CSV."""
    sheets = report_sheets(report)
    if file_format == "xlsx":
        content = tablib.Databook(sheets).export("xlsx")
    else:
        content = sheets[0].export("csv")
    slug = report.partnership.slug
    name = f"{slug}-report-{report.period.financial_year}-q{report.period.quarter}.{file_format}"
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def print_css(*, title: str, printed: str) -> str:
    """@page rules naming the report on every printed page, with page numbers."""

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

    return (
        "@page {\n"
        "  size: A4 landscape;  /* the indicator tables have ten columns */\n"
        "  margin: 18mm 14mm 16mm;\n"
        f"  @top-left {{ content: {quoted(title)}; font: 9pt sans-serif; }}\n"
        f"  @top-right {{ content: {quoted('Printed ' + printed)}; font: 9pt sans-serif; }}\n"
        '  @bottom-right { content: "Page " counter(page) " of " counter(pages);'
        " font: 9pt sans-serif; }\n"
        "}\n"
    )


def figures_csv(rows: list[dict]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if rows:
        writer.writerow(rows[0].keys())
    for row in rows:
        writer.writerow(escape_formula("" if cell is None else str(cell)) for cell in row.values())
    return buffer.getvalue()


def figures_json(rows: list[dict], *, partnership) -> str:
    return json.dumps(
        {
            "partnership": partnership.name,
            "licence": LICENCE,
            "licence_url": LICENCE_URL,
            "figures": rows,
        },
        indent=2,
        default=str,
    )
