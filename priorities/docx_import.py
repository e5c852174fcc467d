"""Reading a delivery plan's Word document (.docx) into plain values, before anything is saved.

The document is read as the Lichfield plan is laid out: narrative headings with their
paragraphs (the plan's sections), then a heading per priority with its "What is …?",
"… in <area>" and "<area> Response" sub-headings and its Action | Outcome | Data tables.
A heading is a priority when it owns such a table; a heading beside a "What is …?" or a
"… Response" is one of its priority's parts, never a priority itself.

What cannot be placed is kept with the reason, for the manager to place or leave out: rows of a
table before any heading, rows of a three-column table whose first row is not the header, rows
with an empty Action cell; other tables are only listed. Nothing here touches the database.
"""

import re
from dataclasses import asdict, dataclass, field

from plans.models.text import LINE, NARRATIVE

from .docx_document import Heading, UnreadableDocument, heading_tree, open_document

TITLE_LIMIT = 200
LABEL_LIMIT = 40

HEADER = ("action", "outcome", "data")
WHAT_IS = re.compile(r"^what (is|are)\b", re.IGNORECASE)
RESPONSE = re.compile(r"\bresponse\W*$", re.IGNORECASE)
PRIORITY_LABEL = re.compile(r"^(priority\s+\w+)\s*[:.–—-]\s*(.+)$", re.IGNORECASE)


@dataclass
class ReadRow:
    """One row of an Action | Outcome | Data table; `position` is its place in the document."""

    position: int
    action: str
    outcomes: list[str]
    data_lines: list[str]


@dataclass
class ReadSection:
    title: str
    body: str


@dataclass
class ReadPriority:
    title: str
    label: str = ""
    what_is_heading: str = ""
    what_is: str = ""
    local_picture_heading: str = ""
    local_picture: str = ""
    response_heading: str = ""
    response: str = ""
    rows: list[ReadRow] = field(default_factory=list)


@dataclass
class UnplacedRow:
    """A row the importer could not give a priority: the manager places it or leaves it out.
    One with an empty Action cell can only be left out (`placeable` false)."""

    position: int
    reason: str
    action: str
    outcomes: list[str]
    data_lines: list[str]

    @property
    def placeable(self) -> bool:
        return bool(self.action)

    def as_row(self) -> ReadRow:
        return ReadRow(self.position, self.action, self.outcomes, self.data_lines)


@dataclass
class ReadPlan:
    """Everything read from one document, in the document's order."""

    title: str = ""
    sections: list[ReadSection] = field(default_factory=list)
    priorities: list[ReadPriority] = field(default_factory=list)
    unplaced: list[UnplacedRow] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)  # what was not read, and why
    problems: list[str] = field(default_factory=list)  # what must be fixed before importing
    table_count: int = 0

    @property
    def row_count(self) -> int:
        return sum(len(priority.rows) for priority in self.priorities)

    @property
    def has_content(self) -> bool:
        """Whether importing it makes anything: a section or a priority."""
        return bool(self.sections or self.priorities)

    @property
    def is_empty(self) -> bool:
        return not (self.has_content or self.unplaced)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ReadPlan":
        priorities = [
            ReadPriority(**{**item, "rows": [ReadRow(**row) for row in item["rows"]]})
            for item in data["priorities"]
        ]
        return cls(
            title=data["title"],
            sections=[ReadSection(**item) for item in data["sections"]],
            priorities=priorities,
            unplaced=[UnplacedRow(**item) for item in data["unplaced"]],
            left_out=list(data["left_out"]),
            problems=list(data["problems"]),
            table_count=data["table_count"],
        )


def _is_part_of_priority(heading: Heading) -> bool:
    """A "What is …?", a "… Response", or a heading beside one of them."""
    parent = heading.parent
    siblings = parent.children if parent is not None and parent.level else []
    return any(_is_what_is(node) or _is_response(node) for node in siblings)


def _is_what_is(node: Heading) -> bool:
    return bool(WHAT_IS.match(node.title))


def _is_response(node: Heading) -> bool:
    return bool(RESPONSE.search(node.title))


def read_plan(data: bytes) -> ReadPlan:
    """The plan in a .docx file's bytes. Raises UnreadableDocument with the reason."""
    root, title = heading_tree(open_document(data))
    if not (title or root.blocks or root.children):
        raise UnreadableDocument("The document is empty: it has no headings, text or tables.")
    plan = _Reader(title).read(root)
    if plan.is_empty and not plan.table_count:
        raise UnreadableDocument(
            "The document has no headings with text, and no tables: there is nothing to import."
        )
    return plan


def _is_header(cells: list[str]) -> bool:
    names = tuple(re.sub(r"[^a-z]", "", cell.lower()) for cell in cells)
    return len(names) == 3 and all(
        name in (wanted, wanted + "s") for name, wanted in zip(names, HEADER, strict=True)
    )


def _body(blocks) -> str:
    """The text blocks as Markdown: list items close together, paragraphs a blank line apart."""
    lines, previous = [], None
    for block in blocks:
        if block[0] != "text":
            continue
        item = block[1].startswith(("- ", "1. "))
        if lines:
            lines.append("\n" if item and previous else "\n\n")
        lines.append(block[1])
        previous = item
    return "".join(lines)


class _Reader:
    """Walks the heading tree once, deciding what each heading and table is."""

    def __init__(self, title: str):
        self.plan = ReadPlan(title=title)

    def read(self, root: Heading) -> ReadPlan:
        priorities = self._priority_nodes(root)
        self._leave_out_text(root)
        for table in self._tables(root):
            self._read_loose_table(table, "its table comes before any heading")
        for node in root.walk():
            if node is root or node in priorities:
                continue
            if any(node in priority.walk() for priority in priorities):
                continue
            self._section(node)
        for node in priorities:
            self.plan.priorities.append(self._priority(node))
        self._order()
        self._check_lengths()
        return self.plan

    def _priority_nodes(self, root: Heading) -> list[Heading]:
        """The headings that own an Action | Outcome | Data table, in document order."""
        owners = []
        for node in root.walk():
            if node is root or not any(_is_header(rows[0]) for rows in self._own_tables(node)):
                continue
            owner = node
            while _is_part_of_priority(owner):
                owner = owner.parent
            if owner not in owners:
                owners.append(owner)
        # A priority inside another's text (a heading under one) is read as part of it.
        return [n for n in owners if not any(n is not o and n in o.walk() for o in owners)]

    @staticmethod
    def _own_tables(node: Heading):
        return [block[1] for block in node.blocks if block[0] == "table" and block[1]]

    @staticmethod
    def _tables(node: Heading):
        return [block for block in node.blocks if block[0] == "table"]

    def _leave_out_text(self, root: Heading) -> None:
        count = sum(1 for block in root.blocks if block[0] == "text")
        if count:
            self.plan.left_out.append(
                f"{count} paragraph{'s' if count != 1 else ''} before the first heading (a "
                "cover page): not part of any section."
            )

    def _section(self, node: Heading) -> None:
        body = _body(node.blocks)
        if body:
            self.plan.sections.append(ReadSection(title=node.title, body=body))
        elif not node.children:
            self.plan.left_out.append(f"The heading “{node.title}”: it has no text under it.")
        for table in self._tables(node):
            self._read_loose_table(table, f"its table is under “{node.title}”, not a priority")

    def _priority(self, node: Heading) -> ReadPriority:
        found = PRIORITY_LABEL.match(node.title)
        label, title = (found.group(1), found.group(2)) if found else ("", node.title)
        priority = ReadPriority(title=title.strip(), label=label)
        # Text straight under the priority's heading opens its "What is" part.
        priority.what_is = _body(node.blocks)
        current = "what_is" if priority.what_is else None
        for table in self._tables(node):
            self._read_priority_table(priority, table, node.title)
        for heading, depth in node.descendants():
            current = self._priority_part(priority, heading, depth, current)
            for table in self._tables(heading):
                self._read_priority_table(priority, table, heading.title)
        return priority

    @staticmethod
    def _priority_part(priority: ReadPriority, heading: Heading, depth: int, current):
        """Put one sub-heading's text in its part of the priority and return that part. Plans
        are not consistent in their heading levels, so "What is …?" and "… Response" are
        recognised at any depth; any other heading opens the local picture if it is the
        priority's own and the picture has none yet, else goes into the part before it."""
        if _is_what_is(heading) and not priority.what_is_heading:
            part = "what_is"
        elif _is_response(heading) and not priority.response_heading:
            part = "response"
        elif depth == 1 and not (priority.local_picture_heading or priority.local_picture):
            part = "local_picture"
        else:
            part = current or "what_is"
        text = _body(heading.blocks)
        if getattr(priority, f"{part}_heading"):
            text = "\n\n".join(filter(None, [f"### {heading.title}", text]))
        else:
            setattr(priority, f"{part}_heading", heading.title)
        setattr(priority, part, "\n\n".join(filter(None, [getattr(priority, part), text])))
        return part

    def _read_priority_table(self, priority: ReadPriority, table, heading: str) -> None:
        _, rows, position = table
        self.plan.table_count += 1
        if not rows or not _is_header(rows[0]):
            self._read_loose_table(table, f"its table under “{heading}” has no Action | "
                                   "Outcome | Data header", counted=True)  # fmt: skip
            return
        for number, cells in enumerate(rows[1:], start=1):
            row = self._row(position, number, cells)
            if row.action:
                priority.rows.append(row.as_row())
            elif row.outcomes or row.data_lines:
                row.reason = "its Action cell is empty"
                self.plan.unplaced.append(row)

    def _read_loose_table(self, table, reason: str, counted: bool = False) -> None:
        """A table outside any priority, or one without the header: three-column rows are
        offered for placing; anything else is listed as left out."""
        _, rows, position = table
        if not counted:
            self.plan.table_count += 1
        if not rows:
            return
        width = max(len(cells) for cells in rows)
        header = rows[0]
        if _is_header(header):
            rows = rows[1:]
        elif width != 3:
            first = " | ".join(cell.replace("\n", " ") for cell in header)
            self.plan.left_out.append(
                f"A table of {len(rows)} row{'s' if len(rows) != 1 else ''} and {width} columns "
                f"(first row: “{first[:120]}”): not an Action | Outcome | Data table."
            )
            return
        for number, cells in enumerate(rows, start=1):
            row = self._row(position, number, cells)
            if row.action or row.outcomes or row.data_lines:
                row.reason = reason if row.action else "its Action cell is empty"
                self.plan.unplaced.append(row)

    @staticmethod
    def _row(position: int, number: int, cells: list[str]) -> UnplacedRow:
        cells = [*cells, "", "", ""][:3]
        return UnplacedRow(
            position=position * 10_000 + number,
            reason="",
            action=" ".join(cells[0].split()),
            outcomes=cells[1].splitlines(),
            data_lines=cells[2].splitlines(),
        )

    def _order(self) -> None:
        self.plan.unplaced.sort(key=lambda row: row.position)

    def _check_lengths(self) -> None:
        """Text the database could not hold, named, so the document is fixed before importing."""
        problems = self.plan.problems

        def check(text: str, limit: int, what: str) -> None:
            if len(text) > limit:
                problems.append(
                    f"{what} has {len(text):,} characters: shorten it to {limit:,} or fewer."
                )

        for section in self.plan.sections:
            check(section.title, TITLE_LIMIT, f"The heading “{section.title[:60]}…”")
            check(section.body, NARRATIVE, f"The text under “{section.title[:60]}”")
        for priority in self.plan.priorities:
            name = priority.title[:60]
            check(priority.title, TITLE_LIMIT, f"The priority heading “{name}…”")
            check(priority.label, LABEL_LIMIT, f"The label of “{name}”")
            for part in ("what_is", "local_picture", "response"):
                check(getattr(priority, f"{part}_heading"), TITLE_LIMIT, f"A heading in “{name}”")
                check(getattr(priority, part), NARRATIVE, f"A part of “{name}”")
            for row in priority.rows:
                self._check_row(row, check, f"An action of “{name}”")
        for row in self.plan.unplaced:
            self._check_row(row, check, "An unplaced row")

    @staticmethod
    def _check_row(row, check, what: str) -> None:
        check(row.action, LINE, what)
        for text in row.outcomes:
            check(text, LINE, f"{what}: an outcome")
        for text in row.data_lines:
            check(text, LINE, f"{what}: a data line")
