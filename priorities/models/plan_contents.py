"""A whole plan version's priorities with their action rows, as its plan page shows them, in a
few queries for the whole version, whatever its size.

Django's prefetch_related builds a filtered queryset for each row and relation as it goes; for
the thousands of rows of a large plan that cost several times the queries themselves, and
filled the memory the garbage collector then walked. Here each priority is given its rows as
prefetch_related would leave them (`priority.action_rows.all()` reads them), without those
querysets; what the pages print of the rest (hotspots, outcomes, data lines, agencies) is read
as plain texts.
"""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import QuerySet, sql

from plans.models import Area, Organisation, PlanVersion

from .contents import ActionRow, DataLine, Outcome, Priority


class PrefetchedRows(QuerySet):
    """An owner's rows of a relation, fetched with every other owner's, where prefetch_related
    would leave its filtered queryset: the filter is built only if something asks for more
    than the rows (a filter, an ordering, values), so the answer is still the owner's own."""

    def __init__(self, owner, relation: str, rows: list, query):
        super().__init__(model=query.model, query=query)
        self._result_cache = rows
        self._prefetch_done = True
        self._owner, self._relation = owner, relation

    def _chain(self):
        manager = getattr(self._owner, self._relation)
        return manager._apply_rel_filters(manager.model._default_manager.get_queryset())


def prefetch_many(owners: list, relation: str, pairs) -> list:
    """Give each of `owners` (all of one model) its rows of the to-many `relation`, as
    prefetch_related would (`owner.relation.all()` reads them), from (owner id, row) `pairs`
    in the relation's order. Returns the rows."""
    if not owners:
        return []
    manager = getattr(owners[0], relation)
    cache_name = (
        getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    )
    by_owner = defaultdict(list)
    for owner_id, row in pairs:
        by_owner[owner_id].append(row)
    shared_query = sql.Query(manager.model)  # never changed: PrefetchedRows chains afresh
    for owner in owners:
        cache = owner.__dict__.setdefault("_prefetched_objects_cache", {})
        cache[cache_name] = PrefetchedRows(owner, relation, by_owner[owner.pk], shared_query)
    return [row for rows in by_owner.values() for row in rows]


class RowTexts(NamedTuple):
    """What the pages and open data show of an action row beyond the row itself."""

    outcomes: list[str]
    data_lines: list[str]
    lead_organisations: list[str]
    supporting_organisations: list[str]


def texts_by_row(pairs) -> defaultdict[int, list[str]]:
    """(row id, text) pairs, in the order read, as each row's list of texts."""
    texts = defaultdict(list)
    for row_id, text in pairs:
        texts[row_id].append(text)
    return texts


def through(relation: str, among: dict) -> dict:
    """A filter `among` of one model, as a filter of the model `relation` leads to it from."""
    return {f"{relation}__{lookup}": value for lookup, value in among.items()}


def attach_row_texts(rows: list[ActionRow], **among) -> None:
    """Give each row its outcomes, data lines and lead and supporting agencies as plain texts,
    `row.texts`, in four queries however many rows. `among` is an ActionRow filter for a set
    holding the rows (a version's, a priority's), read instead of a list of thousands of ids.

    Plain texts rather than model instances: a large plan's rows have tens of thousands of
    them, and building an object for each cost more than the queries."""
    if not among:
        among = {"pk__in": [row.pk for row in rows]}
    outcomes, data_lines = (
        texts_by_row(
            model.objects.filter(**through("action_row", among))
            .order_by("action_row", "order")
            .values_list("action_row", "text")
        )
        for model in (Outcome, DataLine)
    )
    lead, supporting = (
        texts_by_row(
            Organisation.objects.filter(**through(relation, among))
            .order_by("name", "pk")
            .values_list(relation, "name")
        )
        for relation in ("led_action_rows", "supported_action_rows")
    )
    for row in rows:
        row.texts = RowTexts(outcomes[row.pk], data_lines[row.pk], lead[row.pk], supporting[row.pk])


def attach_hotspot_names(priorities: list[Priority], **among) -> None:
    """Give each priority its hotspots' names as `hotspot_names`, in one query. `among` is as
    for `attach_row_texts`, a Priority filter for a set holding the priorities."""
    if not among:
        among = {"pk__in": [priority.pk for priority in priorities]}
    names = texts_by_row(
        Area.objects.filter(**through("hotspot_priorities", among))
        .order_by("name", "pk")
        .values_list("hotspot_priorities", "name")
    )
    for priority in priorities:
        priority.hotspot_names = names[priority.pk]


def load_priority_contents(version: PlanVersion) -> list[ActionRow]:
    """Give the version's prefetched priorities their hotspots' names and action rows, and the
    rows their theme and texts (`attach_row_texts`). Returns the rows."""
    priorities = list(version.priorities.all())
    attach_hotspot_names(priorities, plan_version=version)
    # Ordered within each priority only: the default ordering joins up to the partnership.
    in_version = (
        ActionRow.objects.filter(priority__plan_version=version)
        .select_related("theme")
        .order_by("order", "pk")
    )
    rows = prefetch_many(priorities, "action_rows", ((row.priority_id, row) for row in in_version))
    attach_row_texts(rows, priority__plan_version=version)
    return rows
