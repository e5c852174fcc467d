"""A draft plan version made from what was read from a Word document (priorities/docx_import.py)
and where the manager placed the rows the importer could not: all of it, or nothing.

The draft is a new version, numbered after the plan's last, of a plan of the partnership (or of
a new plan); its sections, priorities, action rows, outcomes and data lines are numbered 10,
20, 30… in the document's order. Lead agencies, themes and indicators are not in the document's
tables: the manager adds them in the admin, as for any draft.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from plans.models import Plan, PlanVersion, Section

from .demo import load_actions
from .docx_import import ReadPlan, ReadRow
from .models import Priority

ORDER_STEP = 10


def draft_in_progress(plan: Plan) -> PlanVersion | None:
    """The plan's version in draft or in review, if any: a plan has one at a time."""
    if plan.pk is None:
        return None
    return plan.versions.filter(status__in=PlanVersion.EDITABLE_STATUSES).first()


def refuse_second_draft(version: PlanVersion | None) -> None:
    if version is not None:
        raise ValidationError(
            f"This plan already has a version in progress ({version.label}, "
            f"{version.get_status_display().lower()}): publish or delete it before importing "
            "another."
        )


def rows_by_priority(read: ReadPlan, placed: dict[int, int]) -> list[list[ReadRow]]:
    """Each priority's rows, with the unplaced rows the manager gave it (`placed`: a row's
    position to a priority's index), in the document's order."""
    rows = [list(priority.rows) for priority in read.priorities]
    for item in read.unplaced:
        index = placed.get(item.position)
        if item.placeable and index is not None:
            rows[index].append(item.as_row())
    return [sorted(each, key=lambda row: row.position) for each in rows]


@transaction.atomic
def create_draft(read: ReadPlan, placed: dict[int, int], *, plan: Plan, label: str, by):
    """Save `read` as a new draft version of `plan` (saved first if it is new) and return it.

    Side effects: the plan (if new), the version, its sections, priorities, action rows,
    outcomes and data lines, each with its history by `by`. Raises ValidationError, saving
    nothing, if the document has problems left or the plan has a version in progress."""
    if read.problems:
        raise ValidationError("Fix the problems listed in the document, then upload it again.")
    if not read.has_content:
        raise ValidationError("The document has no sections or priorities to import.")
    if any(not 0 <= index < len(read.priorities) for index in placed.values()):
        raise ValidationError("Choose one of the document's priorities for each row you place.")
    if plan.pk is None:
        plan.slug = _free_slug(plan)
        plan._history_user = by
        plan.save()
        number = 1
    else:
        number = _next_number(plan)
    version = PlanVersion(plan=plan, number=number, label=label, status=PlanVersion.Status.DRAFT)
    version._history_user = by
    version.save()
    bulk_create_with_history(
        [
            Section(plan_version=version, order=order, title=section.title, body=section.body)
            for order, section in _orders(read.sections)
        ],
        Section,
        default_user=by,
    )
    priorities = bulk_create_with_history(
        [
            Priority(plan_version=version, order=order, slug=slug, **_priority_fields(item))
            for (order, item), slug in zip(_orders(read.priorities), _slugs(read), strict=True)
        ],
        Priority,
        default_user=by,
    )
    actions = [
        (priority, order, _action(row))
        for priority, rows in zip(priorities, rows_by_priority(read, placed), strict=True)
        for order, row in _orders(rows)
    ]
    load_actions(actions, organisations={}, themes={}, indicators={}, by=by)
    return version


def _next_number(plan: Plan) -> int:
    """The plan's next version number, the plan locked so that two imports cannot take the
    same number; refused if a version is in progress (one may have started meanwhile)."""
    Plan.objects.select_for_update().filter(pk=plan.pk).values_list("pk").get()
    found = plan.versions.aggregate(
        last=Max("number"),
        editable=Count("pk", filter=Q(status__in=PlanVersion.EDITABLE_STATUSES)),
    )
    if found["editable"]:
        refuse_second_draft(draft_in_progress(plan))
    return (found["last"] or 0) + 1


def _free_slug(plan: Plan) -> str:
    base = slugify(plan.title)[:44] or "plan"
    taken = set(
        Plan.objects.filter(partnership=plan.partnership, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    return next(s for s in _candidates(base) if s not in taken)


def _candidates(base: str):
    yield base
    number = 2
    while True:
        yield f"{base}-{number}"
        number += 1


def _slugs(read: ReadPlan) -> list[str]:
    """Each priority's slug, unique within the version ("prevent", "prevent-2")."""
    slugs: list[str] = []
    for number, priority in enumerate(read.priorities, start=1):
        base = slugify(priority.title)[:44] or f"priority-{number}"
        slugs.append(next(s for s in _candidates(base) if s not in slugs))
    return slugs


def _priority_fields(item) -> dict:
    names = ["label", "title", "what_is_heading", "what_is", "local_picture_heading",
             "local_picture", "response_heading", "response"]  # fmt: skip
    return {name: getattr(item, name) for name in names}


def _action(row: ReadRow) -> dict:
    """A row as the demo loader's `load_actions` takes it."""
    return {
        "action": row.action,
        "outcomes": row.outcomes,
        "data": [{"text": text, "indicators": []} for text in row.data_lines],
    }


def _orders(items):
    return [((index + 1) * ORDER_STEP, item) for index, item in enumerate(items)]
