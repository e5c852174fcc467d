from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from priorities.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail each officer whose agency still owes returns or updates for an open quarter "
        "that is overdue or due within 7 days: one summary e-mail per officer."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            dest="day",
            help="Remind as if today were this day (YYYY-MM-DD); default: today.",
        )

    def handle(self, *args, day: str | None, **options):
        today = read_date(day) if day else timezone.localdate()
        sent = send_reminders(today)
        self.stdout.write(f"Sent {sent} reminder e-mail{'' if sent == 1 else 's'}.")


def read_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f'"{text}" is not a date: write it like 2024-07-26.') from None
