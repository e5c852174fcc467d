from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateformat import format as format_date

from indicators.models import ReportingPeriod
from indicators.periods import parse_period_label, period_label
from plans.models import Partnership


def find_partnership(slug: str) -> Partnership:
    try:
        return Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f'No partnership has the slug "{slug}" (known: {known}).') from None


def read_label(text: str) -> tuple[int, int]:
    try:
        return parse_period_label(text)
    except ValueError as error:
        raise CommandError(str(error)) from None


def read_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f'"{text}" is not a date: write it like 2024-07-26.') from None


def long_date(day: date) -> str:
    return format_date(day, "j F Y")


class Command(BaseCommand):
    help = (
        "Open a partnership's quarter for returns, creating it if needed, e.g. "
        'open_period lichfield "2024/25 Q1" --due 2024-07-26.'
    )

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="The partnership's slug, e.g. lichfield.")
        parser.add_argument("period", help='The quarter, e.g. "2024/25 Q1".')
        parser.add_argument(
            "--due",
            help="Due date (YYYY-MM-DD); required for a new quarter, else keeps the current one.",
        )

    def handle(self, *args, partnership: str, period: str, due: str | None, **options):
        found = find_partnership(partnership)
        financial_year, quarter = read_label(period)
        due_date = read_date(due) if due else None
        reporting_period = ReportingPeriod.objects.filter(
            partnership=found, financial_year=financial_year, quarter=quarter
        ).first()
        if reporting_period is None:
            if due_date is None:
                raise CommandError(
                    f"{found} has no {period_label(financial_year, quarter)} yet: "
                    "give its due date to create it with --due YYYY-MM-DD."
                )
            reporting_period = ReportingPeriod(
                partnership=found, financial_year=financial_year, quarter=quarter
            )
            done = "Created and opened"
        else:
            done = "Opened" if not reporting_period.is_open else "Kept open"
        if due_date:
            reporting_period.due_date = due_date
        reporting_period.is_open = True
        reporting_period.save()
        self.stdout.write(
            f"{done} {reporting_period.label} for {found}, "
            f"due {long_date(reporting_period.due_date)}."
        )
