"""A submission's audit trail for the manager: who changed what, when, from what to what."""

from dataclasses import dataclass
from datetime import datetime

SKIPPED_FIELDS = {"revision", "updated_at", "created_at", "entered_by", "submitted_at",
                  "approved_at", "submitted_by", "approved_by"}  # fmt: skip


@dataclass
class Change:
    when: datetime
    who: str
    kind: str
    details: list[tuple[str, str, str]]  # (field, old, new)


def _shown(record, field: str) -> str:
    value = getattr(record, field)
    if value in (None, ""):
        return "(empty)"
    display = getattr(record, f"get_{field}_display", None)
    return str(display()) if display else str(value)


def change_log(submission) -> list[Change]:
    """Oldest first. Creation lists what was first entered; later steps list what changed."""
    records = list(submission.history.select_related("history_user").order_by("history_date"))
    model = type(submission)
    labels = {
        field.name: str(field.verbose_name).capitalize()
        for field in model._meta.fields
        if not field.is_relation and field.name not in SKIPPED_FIELDS and field.name != "id"
    }
    log, previous = [], None
    for record in records:
        if previous is None:
            fields = [name for name in labels if getattr(record, name) not in (None, "")]
            details = [(labels[name], "", _shown(record, name)) for name in fields]
            kind = "Created"
        else:
            delta = record.diff_against(previous, included_fields=list(labels))
            details = [
                (labels[c.field], _shown(previous, c.field), _shown(record, c.field))
                for c in delta.changes
            ]
            kind = "Changed"
        user = record.history_user
        who = (user.get_full_name() or user.username) if user else "system"
        log.append(Change(record.history_date, who, kind, details))
        previous = record
    return log
