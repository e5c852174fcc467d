"""Reminder e-mails to officers whose agency still owes returns or updates for an open quarter.

Each officer gets one e-mail however many agencies and quarters they owe, so a reminder run
never floods anyone's inbox. The words are in templates/emails/reminder*.txt.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.utils.text import Truncator, get_text_list
from django.utils.translation import ngettext

from indicators.models import ReportingPeriod
from plans.models import Membership

from . import emails
from .due import DueList, due_list

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractUser

# How far ahead of the due date officers are reminded.
REMINDER_WINDOW = timedelta(days=7)
ITEM_TEXT_LENGTH = 80


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


def item_name(item) -> str:
    """What the officer knows the item by, on one line: action descriptions run to paragraphs."""
    if hasattr(item, "indicator"):
        return item.indicator.name
    return Truncator(" ".join(item.action_row.description.split())).chars(ITEM_TEXT_LENGTH)


def count_items(count: int) -> str:
    return ngettext("%(count)d item", "%(count)d items", count) % {"count": count}


@dataclass
class Owed:
    """One agency's outstanding items for one quarter, as the e-mail lists them."""

    due: DueList
    when: str
    items: list[tuple[str, str]]  # (name, status)
    address: str  # of the entry page


@dataclass
class Reminder:
    """One officer's e-mail: everything their agencies owe, one DueList per agency and quarter."""

    user: "AbstractUser"
    today: date
    owed: list[DueList] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(o.outstanding for o in self.owed if o.period.is_overdue(self.today))

    @property
    def due_soon(self) -> int:
        return sum(o.outstanding for o in self.owed if not o.period.is_overdue(self.today))

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

    def sections(self) -> list[Owed]:
        return [
            Owed(
                owed,
                when_due(owed.period, self.today),
                [(item_name(item), item.status_label) for item in owed.outstanding_items],
                emails.absolute_url("entry", owed.period.pk, owed.organisation.pk),
            )
            for owed in self.owed
        ]

    def message(self):
        return emails.message(
            "reminder",
            {
                "reminder": self,
                "name": self.user.get_full_name() or self.user.username,
                "sections": self.sections(),
            },
            to=[self.user.email],
        )


def build_reminders(today: date) -> list[Reminder]:
    """One Reminder per officer with an e-mail address whose agency owes items. Sends nothing.

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
        for (partnership_id, _), memberships in officers_of.items():
            if partnership_id != period.partnership_id:
                continue
            owed = due_list(memberships[0].organisation, period)
            if not owed.outstanding:
                continue
            for membership in memberships:
                user = membership.user
                reminders.setdefault(user.pk, Reminder(user, today)).owed.append(owed)
    return list(reminders.values())


def send_reminders(today: date, *, connection=None) -> int:
    """E-mail every officer whose agency owes items for an open period due by `today` + 7 days.

    Side effects: sends one e-mail per officer through `connection` (the default backend when
    None), from DEFAULT_FROM_EMAIL. Returns the number of e-mails sent.
    """
    reminders = build_reminders(today)
    return emails.send([reminder.message() for reminder in reminders], connection=connection)
