"""Word documents laid out like the Lichfield delivery plan, written with python-docx for the
importer's tests: a cover page, narrative sections (Heading 1, with a Heading 2 under one), then
each priority as a Heading 1 with its "What is …?", "… in Lichfield District" and "Lichfield
Response" (Heading 2) and an Action | Outcome | Data table with a header row. Options add what
the importer cannot place: a table before any heading, a table with another header, a row with
an empty Action cell. `lichfield_docx` writes the demo's whole Refresh April 2023 plan as a
Word document, with the heading levels as uneven as the published one's."""

import io
import json
from dataclasses import dataclass, field

import docx

from priorities.demo import DEMO_FILE


@dataclass
class Row:
    action: str
    outcomes: list[str] = field(default_factory=list)
    data_lines: list[str] = field(default_factory=list)


@dataclass
class PrioritySpec:
    title: str
    topic: str  # as the sub-headings say it: "What is domestic abuse?"
    rows: list[Row]


PRIORITIES = [
    PrioritySpec(
        "Domestic Abuse",
        "domestic abuse",
        [
            Row("Further develop the local MARAC", ["Reduced risk for victims"],
                ["Number of high risk cases"]),
            Row(
                "Continue to support victims and their families including children and young "
                "people",
                ["Reduced incidents of domestic abuse",
                 "Increased resilience in survivors and potential victims"],
                ["% reduction in incidents", "% reduction in repeat incidents"],
            ),
        ],
    ),
    PrioritySpec(
        "Anti-Social Behaviour",
        "ASB",
        [
            Row("Develop a triage process",
                ["Reduced duplication of work by partner agencies",
                 "More holistic response to complaints"],
                ["Number of cases discussed and triaged"]),
            Row("Fund diversionary activities",
                ["More potential victims and perpetrators supported to divert away from ASB"],
                ["Number of participants engaged in diversionary activities"]),
        ],
    ),
    PrioritySpec(
        "County Lines",
        "County Lines",
        [
            Row("Deliver awareness raising information for taxi drivers and local venues",
                ["Increased awareness and reporting of suspicious activity"],
                ["Number of people attending training"]),
        ],
    ),
]  # fmt: skip

LOOSE_ROW = Row(
    "Map the night-time economy's hotspots",
    ["A shared picture of where harm happens"],
    ["Number of hotspots mapped"],
)


def priority_specs(count: int) -> list[PrioritySpec]:
    """`count` priorities: Lichfield's first ones, then numbered copies."""
    specs = []
    for number in range(count):
        spec = PRIORITIES[number % len(PRIORITIES)]
        if number >= len(PRIORITIES):
            spec = PrioritySpec(f"{spec.title} {number + 1}", spec.topic, spec.rows)
        specs.append(spec)
    return specs


def plan_docx(
    priorities: int | list[PrioritySpec] = 2,
    *,
    title: str = "Community Safety Delivery Plan 2022–2025",
    tables: bool = True,
    contents: bool = False,
    table_before_headings: bool = False,
    foreign_header_table: bool = False,
    empty_action_row: bool = False,
) -> bytes:
    """The .docx file's bytes."""
    document = docx.Document()
    document.add_paragraph("Lichfield District Community Safety Partnership")
    document.add_paragraph(title, style="Title")
    document.add_paragraph("Refresh April 2023")
    if table_before_headings:
        _action_table(document, [LOOSE_ROW])
    if contents:
        document.add_heading("Contents", level=1)
        _table(document, [["Introduction", "3"], ["Domestic Abuse", "6"]])
    _sections(document)
    specs = priority_specs(priorities) if isinstance(priorities, int) else priorities
    for number, spec in enumerate(specs):
        _priority(
            document,
            spec,
            tables=tables,
            foreign_header=foreign_header_table and number == 0,
            empty_action=empty_action_row and number == 0,
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _sections(document) -> None:
    document.add_heading("Introduction", level=1)
    document.add_paragraph(
        "Lichfield Community Safety Partnership is the statutory partnership that coordinates "
        "the response to crime and disorder across the District."
    )
    document.add_paragraph("The groups most at risk are:")
    document.add_paragraph("Socially isolated adults", style="List Bullet")
    document.add_paragraph("Children and young people at risk of exploitation", style="List Bullet")
    document.add_heading("Serious Violence Duty", level=1)
    document.add_paragraph("The Serious Violence Duty requires organisations to work together.")
    document.add_heading("Local context", level=2)
    document.add_paragraph("Lichfield District remains a very safe place to live and work.")


def _priority(document, spec: PrioritySpec, *, tables, foreign_header, empty_action) -> None:
    document.add_heading(spec.title, level=1)
    document.add_heading(f"What is {spec.topic}?", level=2)
    document.add_paragraph(f"A definition of {spec.topic}.")
    document.add_heading(f"{spec.topic[0].upper()}{spec.topic[1:]} in Lichfield District", level=2)
    document.add_paragraph(f"The local picture of {spec.topic}.")
    document.add_heading("Lichfield Response", level=2)
    document.add_paragraph(f"How the partnership responds to {spec.topic}.")
    if not tables:
        return
    rows = list(spec.rows)
    if empty_action:
        rows.append(Row("", ["An outcome with no action"], ["A data line with no action"]))
    _action_table(document, rows)
    if foreign_header:
        _table(document, [["Activity", "Result", "Evidence"], [LOOSE_ROW.action,
               LOOSE_ROW.outcomes[0], LOOSE_ROW.data_lines[0]]])  # fmt: skip


def _action_table(document, rows: list[Row]) -> None:
    """The plan's table: outcomes one paragraph each, data lines split by line breaks."""
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, name in zip(table.rows[0].cells, ("Action", "Outcome", "Data"), strict=True):
        cell.text = name
    for row in rows:
        action, outcomes, data = table.add_row().cells
        action.text = row.action
        for number, outcome in enumerate(row.outcomes):
            paragraph = outcomes.paragraphs[0] if number == 0 else outcomes.add_paragraph()
            paragraph.text = outcome
        data.text = "\n".join(row.data_lines)  # python-docx writes "\n" as a line break


def _table(document, rows: list[list[str]]) -> None:
    table = document.add_table(rows=0, cols=len(rows[0]))
    for cells in rows:
        for cell, text in zip(table.add_row().cells, cells, strict=True):
            cell.text = text


# The published plan's sub-sections of "Serious Violence Duty", and the one sub-heading it puts
# a level above its siblings.
LICHFIELD_SUB_SECTIONS = {"Prevent", "Local context"}
LICHFIELD_UNEVEN_HEADING = "ASB in Lichfield District"


def lichfield_docx() -> bytes:
    """The demo plan (fixtures/lichfield.json) as its Word document was laid out."""
    plan = json.loads(DEMO_FILE.read_text(encoding="utf-8"))["plan"]
    document = docx.Document()
    document.add_heading("Lichfield District Community Safety Partnership", level=2)
    document.add_paragraph(plan["title"], style="Title")
    document.add_paragraph(plan["version"]["label"])
    for section in plan["sections"]:
        level = 4 if section["title"] in LICHFIELD_SUB_SECTIONS else 2
        document.add_heading(section["title"], level=level)
        _markdown_paragraphs(document, section["body"])
    for priority in plan["priorities"]:
        document.add_heading(priority["title"], level=2)
        for part in ("what_is", "local_picture", "response"):
            heading = priority[f"{part}_heading"]
            document.add_heading(heading, level=3 if heading == LICHFIELD_UNEVEN_HEADING else 4)
            _markdown_paragraphs(document, priority[part])
        _action_table(
            document,
            [
                Row(item["action"], item["outcomes"], [line["text"] for line in item["data"]])
                for item in priority["actions"]
            ],
        )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _markdown_paragraphs(document, text: str) -> None:
    """Markdown paragraphs as Word paragraphs, its "- " items as bullets."""
    for block in text.split("\n\n"):
        for line in block.splitlines() if block.startswith("- ") else [block]:
            if line.startswith("- "):
                document.add_paragraph(line[2:], style="List Bullet")
            else:
                document.add_paragraph(line)
