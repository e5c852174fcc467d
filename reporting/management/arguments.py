"""Reading the words people type on the command line into objects, with messages that say
what to type instead."""

from datetime import date

from django.core.management.base import CommandError
from django.utils.dateformat import format as format_date

from indicators.periods import parse_period_label
from plans.models import Partnership


def find_partnership(slug: str) -> Partnership:
    try:
        return Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        known = ", ".join(Partnership.objects.values_list("slug", flat=True)) or "none yet"
        raise CommandError(f'No partnership has the slug "{slug}" (known: {known}).') from None


def read_label(text: str) -> tuple[int, int]:
    """ "2024/25 Q1" as (2024, 1)."""
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
