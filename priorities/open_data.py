"""The published plan as open data: the whole plan as JSON, its action rows as CSV."""

from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder

from plans.models import PlanVersion
from plans.spreadsheets import escape_formula
from plans.streaming import StreamedList, csv_lines, json_chunks

CSV_COLUMNS = [
    "priority",
    "row",
    "action",
    "outcomes",
    "data",
    "lead_organisations",
    "supporting_organisations",
    "theme",
    "status",
]


def _names(organisations) -> list[str]:
    return [organisation.name for organisation in organisations.all()]


def action_row_data(row) -> dict:
    return {
        "action": row.description,
        "outcomes": [outcome.text for outcome in row.outcomes.all()],
        "data": [line.text for line in row.data_lines.all()],
        "lead_organisations": _names(row.lead_organisations),
        "supporting_organisations": _names(row.supporting_organisations),
        "theme": row.theme.name if row.theme else None,
        "status": row.get_published_status_display(),
    }


def plan_data(version: PlanVersion) -> dict:
    """A version fetched with its contents (see `priorities.public`), as plain data for JSON;
    its priorities and their action rows are generators, turned into data as they are written."""
    plan = version.plan
    return {
        "partnership": {"name": plan.partnership.name, "area": plan.partnership.area_name},
        "plan": {
            "title": plan.title,
            "start_year": plan.start_year,
            "end_year": plan.end_year,
            "version": version.number,
            "label": version.label,
            "status": version.get_status_display(),
            "published_on": version.published_on.isoformat() if version.published_on else None,
            "themes_group": version.theme_use,
        },
        "themes": [
            {"name": theme.name, "description": theme.description} for theme in version.themes.all()
        ],
        "priority_areas": [
            {
                "group": group.name,
                "description": group.description,
                "areas": [area.name for area in group.areas.all()],
            }
            for group in plan.partnership.area_groups.all()
        ],
        "sections": [
            {"title": section.title, "body_markdown": section.body}
            for section in version.sections.all()
        ],
        "priorities": StreamedList(
            {
                "label": priority.label,
                "title": priority.title,
                "theme": priority.theme.name if priority.theme else None,
                "what_is": priority.what_is,
                "local_picture": priority.local_picture,
                "response": priority.response,
                "hotspots": [area.name for area in priority.hotspots.all()],
                "at_risk_groups": priority.at_risk_group_list,
                "action_rows": StreamedList(
                    action_row_data(row) for row in priority.action_rows.all()
                ),
            }
            for priority in version.priorities.all()
        ),
    }


def plan_json(version: PlanVersion) -> Iterator[str]:
    """The plan's JSON as JsonResponse wrote it (indent 2, Django's encoder), piece by piece."""
    return json_chunks(plan_data(version), encoder=DjangoJSONEncoder, indent=2)


def action_rows_csv(version: PlanVersion) -> Iterator[str]:
    """One line per action row; a cell's several outcomes or data lines one per line."""
    return csv_lines(CSV_COLUMNS, _action_row_cells(version))


def _action_row_cells(version: PlanVersion) -> Iterator[list]:
    for priority in version.priorities.all():
        for number, row in enumerate(priority.action_rows.all(), start=1):
            data = action_row_data(row)
            yield [
                escape_formula(cell)
                for cell in [
                    priority.title,
                    number,
                    data["action"],
                    "\n".join(data["outcomes"]),
                    "\n".join(data["data"]),
                    "; ".join(data["lead_organisations"]),
                    "; ".join(data["supporting_organisations"]),
                    data["theme"] or "",
                    data["status"],
                ]
            ]
