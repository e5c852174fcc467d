from django.core.management.base import BaseCommand, CommandError

from indicators.models import ReportingPeriod
from indicators.periods import period_label

from ..arguments import find_partnership, long_date, read_date, read_label


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
        reporting_period = ReportingPeriod.objects.find(found, financial_year, quarter)
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
        reporting_period.open(due_date=due_date)
        self.stdout.write(
            f"{done} {reporting_period.label} for {found}, "
            f"due {long_date(reporting_period.due_date)}."
        )
