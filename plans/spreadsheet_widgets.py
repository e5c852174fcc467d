"""Cells as people write them, read into values or refused with plain words.

The library's own widgets raise `DoesNotExist` or `InvalidOperation` for a bad cell, which the
import page would show as a traceback; these raise `ValueError` saying what is wrong, which it
shows beside the row and column. Names are found as people write them (see
spreadsheet_lookups); numbers are never guessed at ("+12%" is refused, not stripped).
"""

import re
from decimal import Decimal

from django.db import models
from import_export import widgets

from . import roles
from .spreadsheet_lookups import NameIndex, normalise


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row found by a name people know (a code, a name, an abbreviation), never a
    database ID: in any case and spacing, with "did you mean …?" for a near miss.

    `field` is the attribute the name is written as (a tuple: any of them; a function of the
    object for a name that is no attribute); `scope` maps the
    row to extra filters, e.g. the partnership the name belongs to. The resource sets `user`:
    then only what they manage is looked in.
    """

    def __init__(self, model, field, *, noun: str, scope=None, **kwargs):
        self.noun = noun
        self.scope = scope
        self.names = (field,) if isinstance(field, str) or callable(field) else tuple(field)
        self.user = None
        # Each import has its own copy of the resource's fields and widgets, so what one
        # import looked up is remembered for its other rows only (a sheet names the same
        # indicator, period and area on many rows).
        self.looked_up = {}
        written = next((name for name in self.names if isinstance(name, str)), "pk")
        super().__init__(model, field=written, **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        queryset = self.model.objects.all()
        if self.scope is not None:
            queryset = queryset.filter(**self.scope(row or {}))
        if self.user is not None:
            queryset = roles.manageable(queryset, self.user)
        return queryset

    def scope_key(self, row) -> tuple:
        return tuple(sorted(self.scope(row or {}).items())) if self.scope else ()

    def index(self, row) -> NameIndex:
        """Every object the row may name, by each of its names: one query per scope."""
        key = ("index", self.scope_key(row))
        if key not in self.looked_up:
            self.looked_up[key] = NameIndex(
                self.get_queryset(None, row),
                lambda obj: [
                    name(obj) if callable(name) else getattr(obj, name) for name in self.names
                ],
                noun=self.noun,
            )
        return self.looked_up[key]

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        return self.remembered((text, self.scope_key(row)), lambda: self.look_up(text, row))

    def remembered(self, key, look_up):
        if key not in self.looked_up:
            try:
                self.looked_up[key] = look_up()
            except ValueError as error:
                self.looked_up[key] = error
        found = self.looked_up[key]
        if isinstance(found, ValueError):
            raise found
        return found

    def look_up(self, text, row):
        return self.index(row).find(text)


class NamesWidget(widgets.ManyToManyWidget):
    """Several related rows by name in one cell, separated by semicolons, found as LookupWidget
    finds one."""

    def __init__(self, model, field, *, noun: str, scope=None, **kwargs):
        self.lookup = LookupWidget(model, field, noun=noun, scope=scope)
        super().__init__(model, separator=";", field=self.lookup.names[0], **kwargs)

    @property
    def user(self):
        return self.lookup.user

    @user.setter
    def user(self, user):
        self.lookup.user = user

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in cell_text(value).split(self.separator) if name.strip()]
        try:
            return self.lookup.index(row).find_all(names)
        except ValueError as error:
            raise ValueError(f"{error} Separate names with semicolons.") from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(str(getattr(item, self.field)) for item in value.all())


# A number as written in a sheet: digits with an optional point, thousands commas and, for
# money, a pound sign; a spreadsheet's own 1E+20 too. A plus or percent sign is refused, never
# stripped: "+12%" in a count column is more likely a change than a count.
NUMBER = re.compile(r"-?£?-?(?:[0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def read_number(value) -> Decimal | None:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        if not number.is_finite():
            raise ValueError(f'"{value}" is not a number.')
        return number
    text = cell_text(value)
    if not text:
        return None
    if not NUMBER.fullmatch(text):
        raise ValueError(f'"{text}" is not a number: write the figure alone, like 12 or 12.5.')
    return Decimal(text.replace(",", "").replace("£", ""))


class NumberWidget(widgets.DecimalWidget):
    """A decimal cell; anything that is not a number gets a message saying so."""

    def clean(self, value, row=None, **kwargs):
        return read_number(value)


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = read_number(value)
        except ValueError:
            number = Decimal("NaN")
        if number is None:
            return None
        if not number.is_finite() or number != number.to_integral_value():
            raise ValueError(f'"{cell_text(value)}" is not a whole number.')
        return int(number)


class YesNoWidget(widgets.BooleanWidget):
    """Yes or no, written yes/no, true/false or 1/0 in any case; anything else is refused,
    never read as no."""

    WORDS = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = cell_text(value).casefold()
        if text not in self.WORDS:
            raise ValueError(f'"{cell_text(value)}" is not yes or no: write yes or no.')
        return self.WORDS[text]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else ("yes" if value else "no")


class ChoiceWidget(widgets.Widget):
    """A choice written either as its stored code ("on_track") or as people read it ("On track"),
    in any case and spacing."""

    def __init__(self, choices: type[models.Choices], **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return ""
        for code, label in self.choices.choices:
            if normalise(text) in (normalise(code), normalise(label)):
                return code
        allowed = ", ".join(str(label) for label in self.choices.labels)
        raise ValueError(f'"{text}" is not one of: {allowed}.')

    def render(self, value, obj=None, **kwargs):
        return self.choices(value).label if value else ""
