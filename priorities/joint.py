"""Jointly led actions: each lead agency gives its own update for the quarter, and the row's
status is agreed when their statuses are the same. An agency that sees another's status
confirms it by giving the same one, or disagrees by giving its own with a note.

When the agencies disagree, the row counts under the more cautious status (off track before at
risk, …) so that a disagreement never makes the board's picture look better than either
agency's words; both agencies' words are shown beside it.
"""

from dataclasses import dataclass

from indicators.models import SENT_IN_STATUSES

from .models import ActionRow, ActionUpdate


def agency_name(update: ActionUpdate) -> str:
    return update.organisation.name if update.organisation_id else "The lead agency"


def differs_from(status: str, others: list[ActionUpdate]) -> list[ActionUpdate]:
    """The other agencies' updates whose status is not `status`."""
    return [other for other in others if other.action_status != status]


@dataclass
class JointStatus:
    """A row's status for a quarter from its lead agencies' updates (one or more)."""

    updates: list[ActionUpdate]

    @property
    def is_joint(self) -> bool:
        return len(self.updates) > 1

    @property
    def agreed(self) -> bool:
        return len({update.action_status for update in self.updates}) <= 1

    @property
    def status(self) -> str | None:
        """The agreed status, or the most cautious one; None without any update."""
        if not self.updates:
            return None
        return ActionRow.most_cautious(update.action_status for update in self.updates)

    @property
    def agreement_text(self) -> str:
        """ "Agreed by Police and Council", "Not agreed: …", or "" for one agency's update."""
        if not self.is_joint:
            return ""
        names = [agency_name(update) for update in self.updates]
        if self.agreed:
            return f"Agreed by {' and '.join(names)}"
        return "Not agreed: " + "; ".join(
            f"{agency_name(update)} says {update.get_action_status_display().lower()}"
            for update in self.updates
        )


def attach_partners(updates) -> None:
    """Give each update the other lead agencies' updates sent in for the same action and
    quarter (`partners`) and their `joint` status, in one query (none for no updates)."""
    updates = list(updates)
    if not updates:
        return
    others = (
        ActionUpdate.objects.filter(
            action_row__in={update.action_row_id for update in updates},
            reporting_period__in={update.reporting_period_id for update in updates},
            status__in=SENT_IN_STATUSES,
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )
    by_row = {}
    for other in others:
        by_row.setdefault((other.action_row_id, other.reporting_period_id), []).append(other)
    for update in updates:
        update.partners = [
            other
            for other in by_row.get((update.action_row_id, update.reporting_period_id), [])
            if other.pk != update.pk
        ]
        update.joint = JointStatus([update, *update.partners])
