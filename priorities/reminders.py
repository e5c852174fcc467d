"""Reminder e-mails to officers whose agency still owes returns or updates for an open quarter.

Each officer gets one e-mail however many agencies and quarters they owe, so a reminder run
never floods anyone's inbox.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse
from django.utils.dateformat import format as format_date

from indicators.models import ReportingPeriod
from plans.models import Membership

from .due import FINISHED, DueList, due_list

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


def long_date(day: date) -> str:
    return format_date(day, "j F Y")


def shorten(text: str, length: int = ITEM_TEXT_LENGTH) -> str:
    """One line of at most `length` characters: action descriptions can run to paragraphs."""
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def item_name(item) -> str:
    """What the officer knows the item by: the indicator's name or the action's words."""
    if hasattr(item, "indicator"):
        return item.indicator.name
    return shorten(item.action_row.description)


def outstanding_items(owed: DueList) -> list:
    return [item for item in owed.items if item.status not in FINISHED]


def entry_address(owed: DueList) -> str:
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse("entry", args=[owed.period.pk, owed.organisation.pk])


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def joined(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


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
    def subject(self) -> str:
        labels = list(dict.fromkeys(o.period.label for o in self.owed))
        if self.overdue and self.due_soon:
            counts = f"{plural(self.overdue, 'item')} overdue and {self.due_soon} due soon"
        elif self.overdue:
            counts = f"{plural(self.overdue, 'item')} overdue"
        else:
            # One due date reads better than a vague "soon".
            whens = {when_due(o.period, self.today) for o in self.owed}
            when = whens.pop() if len(whens) == 1 else "due soon"
            counts = f"{plural(self.due_soon, 'item')} {when}"
        return f"Returns due: {counts} for {joined(labels)}"

    @property
    def body(self) -> str:
        name = self.user.get_full_name() or self.user.username
        lines = [
            f"Hello {name},",
            "",
            "Your agency still has figures or progress updates to send in to the partnership "
            "manager:",
        ]
        for owed in self.owed:
            period = owed.period
            lines += [
                "",
                f"{owed.organisation} – {period.label}, {period.partnership}",
                f"Due {long_date(period.due_date)}: {when_due(period, self.today)}.",
            ]
            lines += [
                f"- {item_name(item)}: {item.status_label}" for item in outstanding_items(owed)
            ]
            lines.append(f"Enter them at {entry_address(owed)}")
        lines += [
            "",
            "Items count as sent in once you submit them; drafts still need submitting.",
        ]
        return "\n".join(lines)

    def message(self, *, connection=None) -> EmailMessage:
        return EmailMessage(
            subject=self.subject,
            body=self.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[self.user.email],
            connection=connection,
        )


def periods_to_remind(today: date):
    """Open periods already overdue or due within the reminder window, earliest due first."""
    return (
        ReportingPeriod.objects.filter(is_open=True, due_date__lte=today + REMINDER_WINDOW)
        .select_related("partnership")
        .order_by("due_date", "partnership__name", "financial_year", "quarter")
    )


def build_reminders(today: date) -> list[Reminder]:
    """One Reminder per officer with an e-mail address whose agency owes items. Sends nothing.

    Queries: two, plus the few of `due_list` for each agency and period (never per item).
    """
    periods = list(periods_to_remind(today))
    officers = (
        Membership.objects.filter(
            role=Membership.Role.OFFICER,
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
    if not reminders:
        return 0
    connection = connection or get_connection()
    return connection.send_messages([reminder.message() for reminder in reminders]) or 0
