"""The yearly refresh: a public version copied into a new draft, part for part.

Copied: sections, themes, priorities (with their hotspots), action rows with their lead and
supporting agencies, outcomes, and data lines with their links to indicators. Each copy keeps
its original's `lineage`, so a refreshed row is the same action: its updates, its history and
the quarters already opened follow it. Not copied: indicators and their figures (they belong to
the partnership and carry on), progress updates, comments, funding links.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch
from simple_history.utils import bulk_create_with_history

from plans.models import PlanVersion, Section, Theme, VersionEvent

from .models import ActionRow, DataLine, Outcome, Priority

COPIED_FIELDS = {
    Section: ["title", "body", "order", "lineage"],
    Theme: ["name", "description", "order", "lineage"],
    Priority: [
        "label", "title", "slug", "order", "lineage", "what_is_heading", "what_is",
        "local_picture_heading", "local_picture", "response_heading", "response",
        "at_risk_groups",
    ],
    ActionRow: ["order", "description", "status", "lineage"],
    Outcome: ["order", "text"],
    DataLine: ["order", "text"],
}  # fmt: skip


def _copy(original, model, **links):
    return model(**{name: getattr(original, name) for name in COPIED_FIELDS[model]}, **links)


def _copy_links(field, pairs) -> None:
    """Link each copy in `pairs` (original, copy) to what its original links to through the
    many-to-many `field`: one query to read the links, one to write them."""
    through = field.remote_field.through
    own, other = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
    copy_of = {original.pk: copy for original, copy in pairs}
    links = through.objects.filter(**{f"{own}__in": list(copy_of)})
    through.objects.bulk_create(
        through(**{own: copy_of[getattr(link, own)].pk, other: getattr(link, other)})
        for link in links
    )


@transaction.atomic
def start_refresh(source: PlanVersion, by, label: str) -> PlanVersion:
    """Copy `source` (a public version) into a new draft numbered after the plan's last one.

    All or nothing; a few queries per kind of part, not per part."""
    if not source.is_public:
        raise ValidationError("Only a public version can be refreshed: edit the draft instead.")
    if source.plan.versions.filter(status__in=PlanVersion.EDITABLE_STATUSES).exists():
        raise ValidationError(
            "This plan already has a draft in progress: finish or delete it first."
        )
    number = source.plan.versions.aggregate(last=Max("number"))["last"] + 1
    draft = PlanVersion.objects.create(
        plan=source.plan,
        number=number,
        label=label.strip() or f"Refresh {number}",
        theme_use=source.theme_use,
    )
    draft._record(VersionEvent.Kind.CREATED, by, f"Copied from {source.label}.")

    bulk_create_with_history(
        [_copy(section, Section, plan_version=draft) for section in source.sections.all()],
        Section,
        default_user=by,
    )
    themes = {theme.pk: _copy(theme, Theme, plan_version=draft) for theme in source.themes.all()}
    Theme.objects.bulk_create(themes.values())

    originals = list(
        source.priorities.prefetch_related(
            Prefetch(
                "action_rows", queryset=ActionRow.objects.prefetch_related("outcomes", "data_lines")
            )
        )
    )
    priorities = bulk_create_with_history(
        [
            _copy(priority, Priority, plan_version=draft, theme=themes.get(priority.theme_id))
            for priority in originals
        ],
        Priority,
        default_user=by,
    )
    priority_pairs = list(zip(originals, priorities, strict=True))
    _copy_links(Priority.hotspots.field, priority_pairs)

    row_originals = [row for priority in originals for row in priority.action_rows.all()]
    copies_of_priority = {original.pk: copy for original, copy in priority_pairs}
    rows = bulk_create_with_history(
        [
            _copy(
                row,
                ActionRow,
                priority=copies_of_priority[row.priority_id],
                theme=themes.get(row.theme_id),
            )
            for row in row_originals
        ],
        ActionRow,
        default_user=by,
    )
    row_pairs = list(zip(row_originals, rows, strict=True))
    _copy_links(ActionRow.lead_organisations.field, row_pairs)
    _copy_links(ActionRow.supporting_organisations.field, row_pairs)

    bulk_create_with_history(
        [
            _copy(outcome, Outcome, action_row=copy)
            for original, copy in row_pairs
            for outcome in original.outcomes.all()
        ],
        Outcome,
        default_user=by,
    )
    line_originals = [line for original, _ in row_pairs for line in original.data_lines.all()]
    copies_of_row = {original.pk: copy for original, copy in row_pairs}
    lines = bulk_create_with_history(
        [
            _copy(line, DataLine, action_row=copies_of_row[line.action_row_id])
            for line in line_originals
        ],
        DataLine,
        default_user=by,
    )
    line_pairs = list(zip(line_originals, lines, strict=True))
    _copy_links(DataLine.indicators.field, line_pairs)
    return draft
