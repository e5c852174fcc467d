"""The published plan as open data: the whole plan as JSON, its action rows as CSV.

Both are written as they are read: priorities and action rows come from the database a batch
at a time (`plans.streaming.in_batches`), each batch with its outcomes, data lines, agencies
and public updates, so memory holds one batch however large the plan. The queries run while
the download is sent, not before."""

from collections.abc import Iterator

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F

from plans.models import PlanVersion
from plans.spreadsheets import escape_formula
from plans.streaming import StreamedList, csv_lines, in_batches, json_chunks

from .models import ActionRow, Priority
from .models.plan_contents import attach_hotspot_names, attach_row_texts
from .public import attach_public_updates

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


def action_row_data(row: ActionRow) -> dict:
    """A row as open data, from the row (its published status read from its public updates)
    and the texts read with its batch (`attach_row_texts`)."""
    return {
        "action": row.description,
        "outcomes": row.texts.outcomes,
        "data": row.texts.data_lines,
        "lead_organisations": row.texts.lead_organisations,
        "supporting_organisations": row.texts.supporting_organisations,
        "theme": row.theme_name,
        "status": row.get_published_status_display(),
    }


def _action_rows(version: PlanVersion) -> Iterator[tuple[int, dict]]:
    """(priority id, row as open data) for every action row of the version, priority by
    priority in document order, read a batch at a time."""
    rows = (
        ActionRow.objects.filter(priority__plan_version=version)
        .only("priority", "description", "status", "lineage")
        .annotate(theme_name=F("theme__name"))
        .order_by("priority__order", "priority", "order", "pk")
    )
    for batch in in_batches(rows):
        attach_row_texts(batch)
        attach_public_updates(batch, version.plan.partnership_id)
        for row in batch:
            yield row.priority_id, action_row_data(row)


class _RowsByPriority:
    """One pass over the version's action rows, handed out priority by priority: both are read
    in the same order, so each priority's rows are the next ones in the stream. A priority's
    rows must be read before the next priority's are asked for."""

    def __init__(self, version: PlanVersion):
        self._version = version
        self._rows = None
        self._next = None

    def of(self, priority: Priority) -> Iterator[dict]:
        if self._rows is None:  # the rows' queries run when the first priority is written
            self._rows = _action_rows(self._version)
            self._next = next(self._rows, None)
        while self._next is not None and self._next[0] == priority.pk:
            yield self._next[1]
            self._next = next(self._rows, None)


def _priorities(version: PlanVersion) -> Iterator[Priority]:
    """The version's priorities in document order (the order their rows are read in), a batch
    at a time, each with its hotspots' names as `hotspot_names`."""
    priorities = version.priorities.annotate(theme_name=F("theme__name")).order_by("order", "pk")
    for batch in in_batches(priorities):
        attach_hotspot_names(batch)
        yield from batch


def _priorities_with_rows(version: PlanVersion) -> Iterator[tuple[Priority, Iterator[dict]]]:
    """(priority, its action rows as open data) in document order, both read in batches."""
    rows = _RowsByPriority(version)
    for priority in _priorities(version):
        yield priority, rows.of(priority)


def plan_data(version: PlanVersion) -> dict:
    """A public version (with its plan and partnership) as plain data for JSON; its priorities
    and their action rows are generators, read and turned into data as they are written."""
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
            for group in plan.partnership.area_groups.prefetch_related("areas")
        ],
        "sections": [
            {"title": section.title, "body_markdown": section.body}
            for section in version.sections.all()
        ],
        "priorities": StreamedList(
            {
                "label": priority.label,
                "title": priority.title,
                "theme": priority.theme_name,
                "what_is": priority.what_is,
                "local_picture": priority.local_picture,
                "response": priority.response,
                "hotspots": priority.hotspot_names,
                "at_risk_groups": priority.at_risk_group_list,
                "action_rows": StreamedList(rows),
            }
            for priority, rows in _priorities_with_rows(version)
        ),
    }


def plan_json(version: PlanVersion) -> Iterator[str]:
    """The plan's JSON as JsonResponse wrote it (indent 2, Django's encoder), piece by piece.
    Nothing is read until the first piece is asked for."""
    yield from json_chunks(plan_data(version), encoder=DjangoJSONEncoder, indent=2)


def action_rows_csv(version: PlanVersion) -> Iterator[str]:
    """One line per action row; a cell's several outcomes or data lines one per line."""
    return csv_lines(CSV_COLUMNS, _action_row_cells(version))


def _action_row_cells(version: PlanVersion) -> Iterator[list]:
    for priority, rows in _priorities_with_rows(version):
        for number, data in enumerate(rows, start=1):
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
