"""The officer's entry page: one form per item due, in two formsets (returns, action updates).

Forms turn typed text into typed values and carry the messages officers see beside each box;
every message names its item, since the page lists forty of them and the error summary lists
the messages away from their boxes. `submitting` switches on the rules for a complete return;
a draft may be incomplete. The page draws the boxes itself (reporting/templatetags/
entry_boxes.py): the form library's per-field templates cost too much on a page of a hundred
items.
"""

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.text import Truncator
from django.utils.translation import get_language

from indicators import figures
from indicators.models import Indicator, Return
from indicators.models.returns import GROUP_TOO_LARGE, LARGEST_GROUP
from plans.models import text
from priorities import joint
from priorities.models import ActionRow

from .due import ReturnItem, UpdateItem

FIGURE_LENGTH = 30  # characters: room for "£1,000,000,000.00" and a slip or two
RAG_CHOICES = [("", "As computed from the target"), *Return.Rag.choices]
TOO_LONG = {"max_length": text.TOO_LONG}
NOTE = text.NOTE


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


def item_name(item) -> str:
    """How messages name an item: the indicator's name, or the action's first words, quoted."""
    indicator = getattr(item, "indicator", None)
    if indicator is not None:
        return indicator.name
    return f"“{Truncator(item.action_row.description).chars(60)}”"


def _own_copy(field: forms.Field) -> forms.Field:
    """A field a form may relabel without touching its class's: cheaper than the deep copy
    Django makes, which a page of a hundred items feels."""
    copied = object.__new__(type(field))  # copy.copy's generic path costs several times this
    copied.__dict__.update(field.__dict__)
    return copied


class NamesItsItem:
    """A form for one item whose every message names the item. Messages written here name it
    already; `item_messages` rewords Django's own by field and code; any other (a text too
    long) gets the name in front; a broken hidden revision (a mangled post) is said in words
    rather than against an invisible box. Messages are reworded only when there are errors:
    a page of a hundred items builds a hundred forms, nearly all of them valid."""

    def __init__(self, *args, **kwargs):
        # The class's fields are shared, not copied: nothing here changes one in place.
        self.base_fields = {}
        kwargs.setdefault("label_suffix", "")  # the boxes' labels have none; saves a gettext
        super().__init__(*args, **kwargs)
        self.fields = dict(type(self).base_fields)

    def item_messages(self, name: str) -> dict:
        """{field: {error code: message}}: Django's messages as said about this item."""
        return {}

    def _clean_fields(self):
        # Django's own, without building a BoundField per field just to read its box: none
        # of these fields is disabled or a file upload. A third of a page's save otherwise.
        for name, field in self.fields.items():
            typed = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            try:
                self.cleaned_data[name] = field.clean(typed)
                clean_own = getattr(self, f"clean_{name}", None)
                if clean_own is not None:
                    self.cleaned_data[name] = clean_own()
            except ValidationError as error:
                self.add_error(name, error)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound or not self._errors:
            return
        name = item_name(self.item)
        if self._errors.pop("revision", None):
            self._errors.setdefault(NON_FIELD_ERRORS, self.error_class()).append(
                f"{name} was not saved: the page sent was incomplete. Reload the page and "
                "enter it again."
            )
        reworded = self.item_messages(name)
        for field_name, errors in self._errors.items():
            messages = reworded.get(field_name, {})
            self._errors[field_name] = self.error_class(
                [
                    ValidationError(messages[error.code], code=error.code)
                    if error.code in messages
                    else _named(error, name)
                    for error in errors.as_data()
                ]
            )


def _named(error: ValidationError, name: str) -> ValidationError:
    message = " ".join(error.messages)
    return ValidationError(message if name in message else f"{name}: {message}", code=error.code)


# Indicator.check_value's refusals, by code, said about one indicator.
UNIT_MESSAGES = {
    "nan": "Enter the figure for {name} as a number, like 12 or 12.5.",
    "too_large": "The figure for {name} is too large: it must be below 1,000,000,000,000.",
    "negative": "The figure for {name} cannot be negative.",
    "not_whole": "Enter the figure for {name} as a whole number: it is a count.",
    "over_100": "The figure for {name} is a percentage: enter a number from 0 to 100.",
    "pence": "Give the figure for {name} in pounds and pence, like 1250.50.",
}


@functools.cache
def _figure_label(unit: str, language: str) -> str:
    """ "Figure (count)": worded once per unit and language, not once per box."""
    return f"Figure ({Indicator.Unit(unit).label.lower()})"


def _as_typed(value: Decimal) -> str:
    """A stored figure as an officer would type it: 97, not the stored 97.00."""
    return str(value.quantize(1)) if value == value.to_integral_value() else str(value)


def figure_as_typed(text: str, indicator) -> Decimal | None:
    """The figure an officer typed for `indicator` (None when the box is blank), or a
    ValidationError naming the indicator: not a number, or not one its unit allows."""
    name = indicator.name
    text = text.strip().replace(",", "").removeprefix("£")
    text = text.removesuffix("%").strip()
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite():
        raise ValidationError(UNIT_MESSAGES["nan"].format(name=name))
    if value.as_tuple().exponent < -2 and indicator.unit != "money":
        raise ValidationError(f"Give the figure for {name} to at most 2 decimal places.")
    try:
        indicator.check_value(value)
    except ValidationError as refused:
        message = UNIT_MESSAGES.get(refused.code)
        raise ValidationError(
            message.format(name=name) if message else f"{name}: {refused.messages[0]}"
        ) from None
    return value


class ReturnEntryForm(NamesItsItem, forms.Form):
    value = forms.CharField(label="Figure", required=False, max_length=FIGURE_LENGTH)
    rag_override = forms.ChoiceField(
        label="Rating",
        choices=RAG_CHOICES,
        required=False,
        help_text="Computed from the target. Choose another only if the figure tells a different "
        "story, and say why.",
    )
    rag_override_reason = forms.CharField(
        label="Why you rate it differently (only if you chose a rating)",
        max_length=NOTE,
        error_messages=TOO_LONG,
        required=False,
        help_text="Shown beside the rating wherever it appears.",
    )
    commentary = forms.CharField(
        label="Commentary",
        max_length=NOTE,
        error_messages=TOO_LONG,
        required=False,
        help_text="Needed when the rating is red or the figure moves more than 50% from the "
        "same quarter last year.",
    )
    comparison_rank = forms.IntegerField(
        label="Rank among similar partnerships (optional)",
        required=False,
        min_value=1,
        max_value=LARGEST_GROUP,
    )
    comparison_group_size = forms.IntegerField(
        label="Out of how many (optional)",
        required=False,
        min_value=1,
        max_value=LARGEST_GROUP,
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, item: ReturnItem, submitting: bool, **kwargs):
        self.item = item
        self.submitting = submitting
        kwargs.setdefault("initial", self.stored_values(item))
        super().__init__(*args, **kwargs)
        self.fields["value"] = _own_copy(self.fields["value"])
        self.fields["value"].label = _figure_label(item.indicator.unit, get_language())

    @staticmethod
    def stored_values(item: ReturnItem) -> dict:
        """The boxes as the stored return fills them (empty when there is none)."""
        current = item.current
        return {
            "value": "" if current is None or current.value is None else _as_typed(current.value),
            "rag_override": current.rag_override if current else "",
            "rag_override_reason": current.rag_override_reason if current else "",
            "commentary": current.commentary if current else "",
            "comparison_rank": current.comparison_rank if current else None,
            "comparison_group_size": current.comparison_group_size if current else None,
            "revision": current.revision if current else 0,
        }

    def item_messages(self, name: str) -> dict:
        too_large = f"{GROUP_TOO_LARGE.removesuffix('.')} for {name}."
        return {
            "value": {"max_length": f"Enter the figure for {name} in 30 characters or fewer."},
            "rag_override": {"invalid_choice": f"Choose a rating for {name} from the list."},
            "comparison_rank": {
                "invalid": f"Enter the rank of {name} as a whole number, like 11.",
                "min_value": f"The rank of {name} must be 1 or more.",
                "max_value": too_large,
            },
            "comparison_group_size": {
                "invalid": f"Enter how many {name} is ranked among as a whole number, like 15.",
                "min_value": f"The number {name} is ranked among must be 1 or more.",
                "max_value": too_large,
            },
        }

    def clean_value(self) -> Decimal | None:
        return figure_as_typed(self.cleaned_data["value"], self.item.indicator)

    def clean(self):
        data = super().clean()
        name = self.item.indicator.name
        rank, size = data.get("comparison_rank"), data.get("comparison_group_size")
        if (rank is None) != (size is None) and "comparison_rank" not in self.errors:
            missing = "comparison_group_size" if size is None else "comparison_rank"
            self.add_error(
                missing, f"Give both the rank of {name} and how many it is out of, or neither."
            )
        elif rank is not None and size is not None and rank > size:
            self.add_error("comparison_rank", f"The rank of {name} must be between 1 and {size}.")
        if data.get("rag_override") and not data.get("rag_override_reason", "").strip():
            self.add_error(
                "rag_override_reason",
                f"Say why you rate {name} differently from the computed rating, or choose the "
                "computed rating.",
            )
        if self.submitting:
            self._clean_complete(data)
        return data

    def _clean_complete(self, data) -> None:
        value = data.get("value")
        if value is None and "value" not in self.errors:
            self.add_error("value", f"Enter the figure for {self.item.indicator.name}.")
        if data.get("commentary", "").strip():
            return
        entered = Return(value=value, rag_override=data.get("rag_override") or "")
        if self.item.figures(entered).rating is figures.Rating.RED:
            self.add_error(
                "commentary", f"Explain the figure for {self.item.indicator.name}: it is rated red."
            )
            return
        last_year = self.item.same_quarter_last_year
        if value is not None and last_year and figures.is_outlier(value, last_year.value):
            change = figures.percent_change(value, last_year.value)
            moved = figures.format_percent_change(change) if change is not None else "up from zero"
            self.add_error(
                "commentary",
                f"Explain the figure for {self.item.indicator.name}: it has moved {moved} from "
                "the same quarter last year "
                f"({last_year.formatted_value} in {last_year.reporting_period.label}).",
            )


# A figure's boxes other than the figure, kept under "Commentary, rating and rank".
FIGURE_DETAILS = [
    "commentary",
    "rag_override",
    "rag_override_reason",
    "comparison_rank",
    "comparison_group_size",
]
# What each holds when left empty, as the form cleans it.
EMPTY_DETAILS = {name: ReturnEntryForm.base_fields[name].clean("") for name in FIGURE_DETAILS}
ALL_DIGITS = re.compile(r"[0-9]{1,9}")


@dataclass
class PlainDraft:
    """A figure's boxes as a draft sent them, read without building a form because they are
    plain: a figure in its unit (or none), every other box empty, a revision in digits. On a
    page of a hundred figures that is most of them, and a form costs five times as much.
    Anything else is read by ReturnEntryForm, which says what is wrong; `as_form` builds the
    form when the page is shown again."""

    item: ReturnItem
    prefix: str
    data: dict  # the page sent, shared: revisions moved on in it show in the form
    cleaned_data: dict
    submitting = False

    @classmethod
    def read(cls, data, item: ReturnItem, prefix: str) -> "PlainDraft | None":
        if any(data.get(f"{prefix}-{name}") for name in FIGURE_DETAILS):
            return None
        revision = data.get(f"{prefix}-revision", "")
        typed = data.get(f"{prefix}-value", "")
        if not ALL_DIGITS.fullmatch(revision) or len(typed.strip()) > FIGURE_LENGTH:
            return None
        try:
            value = figure_as_typed(typed, item.indicator)
        except ValidationError:
            return None
        cleaned = {"value": value, **EMPTY_DETAILS, "revision": int(revision)}
        return cls(item, prefix, data, cleaned)

    def add_prefix(self, name: str) -> str:
        return f"{self.prefix}-{name}"

    def has_changed(self) -> bool:
        """Whether it differs from what the page showed: the stored return, or nothing."""
        current = self.item.current
        if current is None:
            return self.cleaned_data["value"] is not None
        return any(
            self.cleaned_data[name] != getattr(current, name) for name in ["value", *FIGURE_DETAILS]
        )

    def as_form(self) -> "ReturnEntryForm":
        return ReturnEntryForm(self.data, item=self.item, submitting=False, prefix=self.prefix)


class ActionUpdateEntryForm(NamesItsItem, forms.Form):
    action_status = forms.ChoiceField(label="Status", choices=ActionRow.Status.choices)
    progress = forms.CharField(
        label="Progress this quarter",
        max_length=NOTE,
        error_messages=TOO_LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done, and what is next.",
    )
    status_note = forms.CharField(
        label="Why your status differs (only if it does)",
        max_length=NOTE,
        error_messages=TOO_LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, item: UpdateItem, submitting: bool, **kwargs):
        self.item = item
        self.submitting = submitting
        current = item.current
        # On a jointly led row another lead agency may have sent its status in already: it is
        # offered as this agency's, to confirm it (countersign) or to change with a note.
        proposed = item.partners[0].action_status if item.partners else item.action_row.status
        kwargs.setdefault(
            "initial",
            {
                "action_status": current.action_status if current else proposed,
                "progress": current.progress if current else "",
                "status_note": current.status_note if current else "",
                "revision": current.revision if current else 0,
            },
        )
        super().__init__(*args, **kwargs)
        if not item.partners:
            del self.fields["status_note"]

    def clean(self):
        data = super().clean()
        data.setdefault("status_note", "")
        differs = joint.differs_from(data.get("action_status"), self.item.partners)
        name = item_name(self.item)
        if self.submitting and differs and not data["status_note"].strip():
            others = " and ".join(
                f"{joint.agency_name(update)} ({update.get_action_status_display().lower()})"
                for update in differs
            )
            self.add_error(
                "status_note",
                f"Say why your status for {name} differs from {others}'s, or give the same "
                "status to confirm theirs.",
            )
        if self.submitting and not data.get("progress", "").strip():
            self.add_error("progress", f"Describe this quarter's progress on {name}.")
        return data


class ItemFormSet(BaseFormSet):
    """One form per item. Forms are named by the item they are for, not by position, so a
    list that changed between showing the page and saving it cannot misfile a figure."""

    def __init__(self, data=None, *, items, submitting=False, **kwargs):
        self.items = items
        self.submitting = submitting
        super().__init__(data, **kwargs)

    def total_form_count(self) -> int:
        return len(self.items)

    def initial_form_count(self) -> int:
        return len(self.items)

    def add_prefix(self, index) -> str:
        if isinstance(index, int):
            return f"{self.prefix}-{self.items[index].key}"
        return f"{self.prefix}-{index}"

    def get_form_kwargs(self, index):
        kwargs = {"item": self.items[index], "submitting": self.submitting}
        if self.is_bound and not was_posted(self.data, self.add_prefix(index)):
            kwargs["data"] = None  # not on the page that was sent: shown afresh, never saved
        return kwargs


ReturnFormSet = formset_factory(ReturnEntryForm, formset=ItemFormSet, extra=0)
ActionUpdateFormSet = formset_factory(ActionUpdateEntryForm, formset=ItemFormSet, extra=0)


def was_posted(data, prefix: str) -> bool:
    """Whether the page sent carried the item's boxes (every item's form has a revision)."""
    return f"{prefix}-revision" in data


def is_ready(item) -> bool:
    """Whether the item's stored entry would pass the checks for submitting it, as it is."""
    if item.current is None or not item.is_editable:
        return False
    if isinstance(item, ReturnItem):
        form_class, stored = ReturnEntryForm, ReturnEntryForm.stored_values(item)
    else:
        form_class = ActionUpdateEntryForm
        shown = form_class(item=item, submitting=True)
        stored = {name: shown.initial.get(name) for name in shown.fields}
    data = {name: value for name, value in stored.items() if value is not None}
    return form_class(data, item=item, submitting=True).is_valid()


class WithdrawForm(forms.Form):
    """Why a published report comes off the public pages; shown on the report's history."""

    reason = forms.CharField(
        label="Why is the report withdrawn?",
        max_length=NOTE,
        error_messages={**TOO_LONG, "required": "Say why the report is withdrawn."},
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, a figure found to be wrong after publication.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3))
