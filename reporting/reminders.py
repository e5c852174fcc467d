"""Reminder e-mails to officers whose agency still owes returns or updates for an open quarter.

Reminders come in steps (REMINDER_STEPS): a week before the due date, on it, a week after.
Each outstanding item is reminded once per step, for the latest step its quarter has reached
(a step missed because no run happened is not made up); the reminders sent are recorded as
Notices, so running again the same day sends nothing. Each officer gets one e-mail a run
however many agencies and quarters they owe, so a run never floods anyone's inbox. The words
are in templates/emails/reminder*.txt.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.text import get_text_list

from indicators.models import ReportingPeriod
from plans.models import Membership

from . import emails
from .due import DueList, ReturnItem, due_list
from .emails import count_items, item_name
from .models import Notice

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

# The reminder steps, in days from the due date: the one place they are set.
REMINDER_STEPS = {"week-before": -7, "due-date": 0, "week-after": 7}
# How far ahead of the due date the first reminder goes.
REMINDER_WINDOW = timedelta(days=-min(REMINDER_STEPS.values()))


def step_reached(period: ReportingPeriod, today: date) -> str | None:
    """The latest reminder step the quarter has reached on `today`, if any."""
    reached = [
        step
        for step, days in REMINDER_STEPS.items()
        if today >= period.due_date + timedelta(days=days)
    ]
    return max(reached, key=REMINDER_STEPS.get, default=None)


def when_due(period: ReportingPeriod, today: date) -> str:
    """ "overdue", "due today", "due tomorrow" or "due in N days"."""
    days = (period.due_date - today).days
    if days < 0:
        return "overdue"
    if days == 0:
        return "due today"
    if days == 1:
        return "due tomorrow"
    return f"due in {days} days"


@dataclass
class Owed:
    """One agency's outstanding items for one quarter, as the e-mail lists them."""

    due: DueList
    when: str
    items: list[tuple[str, str]]  # (name, status)
    address: str  # of the entry page


@dataclass
class Outstanding:
    """What one reminder step says of one agency's quarter: its items still owed and not yet
    reminded at that step (to this officer)."""

    due: DueList
    step: str
    items: list

    @property
    def period(self) -> ReportingPeriod:
        return self.due.period

    def key(self, item, user) -> str:
        """The Notice key of reminding `user` of `item` at this step."""
        what = "indicator" if isinstance(item, ReturnItem) else "action"
        return (
            f"{Notice.Kind.REMINDER}:{self.period.pk}:{self.due.organisation.pk}:"
            f"{what}:{item.key}:{self.step}:to:{user.pk}"
        )


@dataclass
class Reminder:
    """One officer's e-mail: everything their agencies owe, one entry per agency and quarter."""

    user: "AbstractUser"
    today: date
    owed: list[Outstanding] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(len(o.items) for o in self.owed if o.period.is_overdue(self.today))

    @property
    def due_soon(self) -> int:
        return sum(len(o.items) for o in self.owed if not o.period.is_overdue(self.today))

    @property
    def counts(self) -> str:
        """ "2 items overdue and 1 due soon", "1 item due in 3 days"…"""
        if self.overdue and self.due_soon:
            return f"{count_items(self.overdue)} overdue and {self.due_soon} due soon"
        if self.overdue:
            return f"{count_items(self.overdue)} overdue"
        # One due date reads better than a vague "soon".
        whens = {when_due(o.period, self.today) for o in self.owed}
        when = whens.pop() if len(whens) == 1 else "due soon"
        return f"{count_items(self.due_soon)} {when}"

    @property
    def periods(self) -> str:
        labels = list(dict.fromkeys(o.period.label for o in self.owed))
        return str(get_text_list(labels, "and"))

    def notice_keys(self) -> list[str]:
        return [o.key(item, self.user) for o in self.owed for item in o.items]

    def without(self, told: set[str]) -> "Reminder | None":
        """This reminder less the items already reminded at their step; None if nothing is left."""
        owed = [
            Outstanding(o.due, o.step, fresh)
            for o in self.owed
            if (fresh := [item for item in o.items if o.key(item, self.user) not in told])
        ]
        return Reminder(self.user, self.today, owed) if owed else None

    def sections(self) -> list[Owed]:
        return [
            Owed(
                o.due,
                when_due(o.period, self.today),
                [(item_name(item), item.status_label) for item in o.items],
                emails.absolute_url("entry", o.period.pk, o.due.organisation.pk),
            )
            for o in self.owed
        ]

    def message(self):
        return emails.message(
            "reminder",
            {
                "reminder": self,
                "name": emails.person_name(self.user),
                "sections": self.sections(),
            },
            to=[self.user.email],
        )


def build_reminders(today: date) -> list[Reminder]:
    """One Reminder per officer with an e-mail address whose agency owes items, at the latest
    step each quarter has reached, whether or not it was already sent. Sends nothing.

    Queries: two, plus the few of `due_list` for each agency and period (never per item).
    """
    periods = list(
        ReportingPeriod.objects.due_within(REMINDER_WINDOW, of=today)
        .select_related("partnership")
        .order_by("due_date", "partnership__name", "financial_year", "quarter")
    )
    officers = (
        Membership.objects.officers()
        .filter(
            partnership_id__in=[period.partnership_id for period in periods],
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__username")
    )
    # (partnership, organisation) -> the officers who answer for that agency there.
    officers_of: dict[tuple[int, int], list[Membership]] = {}
    for membership in officers:
        key = (membership.partnership_id, membership.organisation_id)
        officers_of.setdefault(key, []).append(membership)

    reminders: dict[int, Reminder] = {}
    for period in periods:
        step = step_reached(period, today)
        for (partnership_id, _), memberships in officers_of.items():
            if partnership_id != period.partnership_id:
                continue
            owed = due_list(memberships[0].organisation, period)
            if not owed.outstanding:
                continue
            for membership in memberships:
                user = membership.user
                reminders.setdefault(user.pk, Reminder(user, today)).owed.append(
                    Outstanding(owed, step, owed.outstanding_items)
                )
    return list(reminders.values())


def send_reminders(today: date, *, connection=None) -> int:
    """E-mail every officer whose agency owes items for an open period due by `today` + 7 days
    the items not yet reminded at the step their quarter has reached (see REMINDER_STEPS).

    Side effects: sends one e-mail per officer through `connection` (the default backend when
    None), from DEFAULT_FROM_EMAIL, and records a Notice per item and officer (see
    emails.send_once). Returns the number of e-mails sent.
    """
    reminders = build_reminders(today)
    told = Notice.objects.told(key for reminder in reminders for key in reminder.notice_keys())
    outgoing = []
    for reminder in reminders:
        fresh = reminder.without(told)
        if fresh is not None:
            message = fresh.message()
            outgoing.append(emails.Outgoing(message, Notice.Kind.REMINDER, fresh.notice_keys()))
    return emails.send_once(outgoing, connection=connection)
