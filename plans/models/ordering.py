from django.db import models

ORDER_HELP = "Position in the document: lower numbers come first. Gaps (10, 20, 30) leave room."


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
