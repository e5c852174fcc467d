from django.core.management.base import BaseCommand, CommandError

from indicators.models import ReportingPeriod
from indicators.periods import period_label

from ..arguments import find_partnership, read_label


class Command(BaseCommand):
    help = (
        "Close a partnership's quarter so officers can no longer enter returns for it, e.g. "
        'close_period lichfield "2024/25 Q1".'
    )

    def add_arguments(self, parser):
        parser.add_argument("partnership", help="The partnership's slug, e.g. lichfield.")
        parser.add_argument("period", help='The quarter, e.g. "2024/25 Q1".')

    def handle(self, *args, partnership: str, period: str, **options):
        found = find_partnership(partnership)
        financial_year, quarter = read_label(period)
        reporting_period = ReportingPeriod.objects.find(found, financial_year, quarter)
        if reporting_period is None:
            label = period_label(financial_year, quarter)
            raise CommandError(f"{found} has no {label}, so there is nothing to close.")
        if not reporting_period.is_open:
            self.stdout.write(f"{reporting_period.label} for {found} was already closed.")
            return
        reporting_period.close()
        self.stdout.write(
            f"Closed {reporting_period.label} for {found}: "
            "officers can no longer enter returns for it."
        )
