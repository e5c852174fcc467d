"""Arithmetic on figures, defined once: the % change used by validation and by reports."""

from decimal import Decimal

OUTLIER_PERCENT = Decimal(50)


def percent_change(current: Decimal, previous: Decimal | None) -> Decimal | None:
    """Change from `previous` to `current` as a percentage of `previous`, to 1 decimal place.

    None when there is nothing to compare with (no previous figure, or a previous zero).
    """
    if previous is None or current is None or previous == 0:
        return None
    return ((current - previous) / previous * 100).quantize(Decimal("0.1"))


def is_outlier(current: Decimal, previous: Decimal | None) -> bool:
    """Moves more than 50% either way from the comparison figure; any rise from zero counts."""
    if previous is None or current is None:
        return False
    if previous == 0:
        return current != 0
    return abs(percent_change(current, previous)) > OUTLIER_PERCENT
