from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import ngettext

from ...reminders import send_reminders
from ..arguments import read_date


class Command(BaseCommand):
    help = (
        "E-mail each officer whose agency still owes returns or updates for an open quarter, "
        "a week before the due date, on it and a week after: each item once per step, one "
        "summary e-mail per officer (run daily, e.g. from cron)."
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
        self.stdout.write(
            ngettext("Sent %(count)d reminder e-mail.", "Sent %(count)d reminder e-mails.", sent)
            % {"count": sent}
        )
