from django.db import models

ORDER_HELP = "Position in the document: lower numbers come first. Gaps (10, 20, 30) leave room."
ORDER_HINT = "Leave empty to put it last."


def order_field() -> models.PositiveIntegerField:
    """The number a manager types to place a row among its siblings (no drag and drop)."""
    return models.PositiveIntegerField(default=10, help_text=ORDER_HELP)


def unique_order(parent: str, name: str) -> models.UniqueConstraint:
    """Two siblings may not share a position, so the document order is never ambiguous."""
    return models.UniqueConstraint(
        fields=[parent, "order"],
        name=name,
        violation_error_message="Another row under the same parent already has this order number.",
    )


def order_parent(model) -> str | None:
    """The foreign key whose rows `model` is ordered among ("plan_version", "priority"…), if
    its order is unique among them (see `unique_order`); None for a model without one."""
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if len(fields) == 2 and fields[1] == "order":
            return fields[0]
    return None


def last_order(model, parent_id, exclude_pk=None) -> int:
    """The highest order number stored under the parent (0 when it has no rows yet)."""
    siblings = model._default_manager.filter(**{f"{order_parent(model)}_id": parent_id})
    if exclude_pk is not None:
        siblings = siblings.exclude(pk=exclude_pk)
    return siblings.aggregate(last=models.Max("order"))["last"] or 0


def next_order(last: int) -> int:
    """The number a row left without one takes after `last`, the highest among its siblings."""
    return last + 1
