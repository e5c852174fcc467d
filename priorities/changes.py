"""What changed between two versions of a plan: sections, priorities and action rows added,
removed and changed, and changed text word by word.

Parts are matched by `lineage` (a refresh keeps it), else by what readers would match them by:
a section's title, a priority's address, a row's action text within its priority.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Prefetch

from plans.models import PlanVersion

from .models import ActionRow

ADDED, REMOVED, CHANGED, SAME = "added", "removed", "changed", "same"
WORDS = re.compile(r"\s+|[^\s]+")

# What each version's comparison reads, in a number of queries that does not grow.
COMPARED_CONTENTS = (
    "sections",
    "priorities__theme",
    "priorities__hotspots",
    Prefetch(
        "priorities__action_rows",
        queryset=ActionRow.objects.select_related("theme").prefetch_related(
            "outcomes", "data_lines", "lead_organisations", "supporting_organisations"
        ),
    ),
)


@dataclass
class Piece:
    kind: str  # SAME, ADDED or REMOVED
    text: str


@dataclass
class FieldChange:
    name: str
    pieces: list[Piece]


@dataclass
class PartChange:
    kind: str  # ADDED, REMOVED or CHANGED
    noun: str  # "section", "priority", "action"
    name: str
    fields: list[FieldChange] = field(default_factory=list)
    rows: list["PartChange"] = field(default_factory=list)  # a priority's changed rows

    @property
    def only_rows_changed(self) -> bool:
        """A priority whose own text is the same, listed for its actions' changes."""
        return self.kind == CHANGED and not self.fields


@dataclass
class Changes:
    old: PlanVersion
    new: PlanVersion
    sections: list[PartChange]
    priorities: list[PartChange]

    @property
    def is_empty(self) -> bool:
        return not (self.sections or self.priorities)

    def count(self, kind: str) -> int:
        parts = [*self.sections, *self.priorities]
        parts += [row for priority in self.priorities for row in priority.rows]
        return sum(1 for part in parts if part.kind == kind and not part.only_rows_changed)


def word_diff(old: str, new: str) -> list[Piece]:
    """`old` becoming `new`, as runs of kept, removed and added words (spaces kept)."""
    before, after = WORDS.findall(old), WORDS.findall(new)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(SAME, "".join(before[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece(REMOVED, "".join(before[a1:a2])))
        if b2 > b1:
            pieces.append(Piece(ADDED, "".join(after[b1:b2])))
    return pieces


def _lines(items, attribute: str) -> str:
    return "\n".join(getattr(item, attribute) for item in items)


def _names(items) -> str:
    return ", ".join(sorted(item.name for item in items))


def section_fields(section) -> dict[str, str]:
    return {"Title": section.title, "Text": section.body}


def priority_fields(priority) -> dict[str, str]:
    return {
        "Label": priority.label,
        "Title": priority.title,
        "Theme": priority.theme.name if priority.theme else "",
        priority.what_is_heading or "What it is": priority.what_is,
        priority.local_picture_heading or "The local picture": priority.local_picture,
        priority.response_heading or "The partnership's response": priority.response,
        "Places most affected": _names(priority.hotspots.all()),
        "People most at risk": priority.at_risk_groups,
    }


def row_fields(row) -> dict[str, str]:
    return {
        "Action": row.description,
        "Theme": row.theme.name if row.theme else "",
        "Lead": _names(row.lead_organisations.all()),
        "Supporting": _names(row.supporting_organisations.all()),
        "Outcomes": _lines(row.outcomes.all(), "text"),
        "Data": _lines(row.data_lines.all(), "text"),
    }


def _field_changes(old: dict[str, str], new: dict[str, str]) -> list[FieldChange]:
    changes = []
    for (old_name, old_text), (new_name, new_text) in zip(old.items(), new.items(), strict=True):
        if old_text != new_text:
            changes.append(FieldChange(new_name, word_diff(old_text, new_text)))
        elif old_name != new_name:  # a heading of the priority's parts was reworded
            changes.append(FieldChange("Heading", word_diff(old_name, new_name)))
    return changes


def _whole(text_fields: dict[str, str], kind: str) -> list[FieldChange]:
    return [FieldChange(name, [Piece(kind, text)]) for name, text in text_fields.items() if text]


def _pair(old_parts, new_parts, fallback):
    """Match parts by lineage, then by `fallback(part)`; returns (old, new) pairs, with None
    for a part only one side has, in the new version's order then removed ones."""
    unmatched = list(old_parts)
    pairs = []
    for part in new_parts:
        match = next((o for o in unmatched if o.lineage == part.lineage), None)
        if match is None:
            match = next((o for o in unmatched if fallback(o) == fallback(part)), None)
        if match is not None:
            unmatched.remove(match)
        pairs.append((match, part))
    return pairs + [(old, None) for old in unmatched]


def _compare(pairs, noun: str, name, fields) -> list[PartChange]:
    changes = []
    for old, new in pairs:
        if old is None:
            changes.append(PartChange(ADDED, noun, name(new), _whole(fields(new), ADDED)))
        elif new is None:
            changes.append(PartChange(REMOVED, noun, name(old), _whole(fields(old), REMOVED)))
        else:
            changed = _field_changes(fields(old), fields(new))
            if changed:
                changes.append(PartChange(CHANGED, noun, name(new), changed))
    return changes


def _row_name(row) -> str:
    return row.description if len(row.description) <= 90 else row.description[:89] + "…"


def compare(old: PlanVersion, new: PlanVersion) -> Changes:
    """Every difference between two versions (with COMPARED_CONTENTS prefetched)."""
    sections = _compare(
        _pair(old.sections.all(), new.sections.all(), lambda s: s.title),
        "section",
        lambda s: s.title,
        section_fields,
    )
    priorities = []
    for old_priority, new_priority in _pair(
        old.priorities.all(), new.priorities.all(), lambda p: p.slug
    ):
        [change] = _compare(
            [(old_priority, new_priority)], "priority", lambda p: p.heading, priority_fields
        ) or [None]
        old_rows = old_priority.action_rows.all() if old_priority else []
        new_rows = new_priority.action_rows.all() if new_priority else []
        rows = _compare(
            _pair(old_rows, new_rows, lambda r: r.description), "action", _row_name, row_fields
        )
        if change is None and rows:
            change = PartChange(CHANGED, "priority", new_priority.heading)
        if change is not None:
            change.rows = rows
            priorities.append(change)
    return Changes(old, new, sections, priorities)
