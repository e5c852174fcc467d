"""The officer's entry page: one form per item due, in two formsets (returns, action updates).

Forms turn typed text into typed values and carry the messages officers see beside each box.
`submitting` switches on the rules for a complete return; a draft may be incomplete.
"""

from decimal import Decimal, InvalidOperation

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fixed, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet, formset_factory
from django.utils.text import Truncator

from indicators import figures
from indicators.models import Return
from indicators.models.returns import GROUP_TOO_LARGE, LARGEST_GROUP
from plans.models import text
from priorities.models import ActionRow

from .due import ReturnItem, UpdateItem

RAG_CHOICES = [("", "As computed from the target"), *Return.Rag.choices]
TOO_LONG = {"max_length": text.TOO_LONG}
NOTE = text.NOTE


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class ReturnEntryForm(forms.Form):
    value = forms.CharField(
        label="Figure",
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )
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
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Shown beside the rating wherever it appears.",
    )
    commentary = forms.CharField(
        label="Commentary",
        max_length=NOTE,
        error_messages=TOO_LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the rating is red or the figure moves more than 50% from the "
        "same quarter last year.",
    )
    comparison_rank = forms.IntegerField(
        label="Rank among similar partnerships (optional)",
        required=False,
        min_value=1,
        max_value=LARGEST_GROUP,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter the rank as a whole number, like 11.",
            "max_value": GROUP_TOO_LARGE,
        },
    )
    comparison_group_size = forms.IntegerField(
        label="Out of how many (optional)",
        required=False,
        min_value=1,
        max_value=LARGEST_GROUP,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "Enter how many as a whole number, like 15.",
            "max_value": GROUP_TOO_LARGE,
        },
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, item: ReturnItem, submitting: bool, **kwargs):
        self.item = item
        self.submitting = submitting
        current = item.current
        kwargs.setdefault(
            "initial",
            {
                "value": "" if current is None or current.value is None else current.value,
                "rag_override": current.rag_override if current else "",
                "rag_override_reason": current.rag_override_reason if current else "",
                "commentary": current.commentary if current else "",
                "comparison_rank": current.comparison_rank if current else None,
                "comparison_group_size": current.comparison_group_size if current else None,
                "revision": current.revision if current else 0,
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["value"].label = f"Figure ({item.indicator.get_unit_display().lower()})"
        self.helper = _helper(
            Field.text("value", field_width=Fixed.TEN),
            Field.textarea("commentary", rows=3),
            Field.select("rag_override"),
            Field.textarea("rag_override_reason", rows=2),
            Field.text("comparison_rank", field_width=Fixed.FOUR),
            Field.text("comparison_group_size", field_width=Fixed.FOUR),
            "revision",
        )

    def clean_value(self) -> Decimal | None:
        text = self.cleaned_data["value"].strip().replace(",", "").removeprefix("£")
        text = text.removesuffix("%").strip()
        if not text:
            return None
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Enter the figure as a number, like 12 or 12.5.") from None
        if not value.is_finite():
            raise ValidationError("Enter the figure as a number, like 12 or 12.5.")
        if value.as_tuple().exponent < -2 and self.item.indicator.unit != "money":
            raise ValidationError("Give the figure to at most 2 decimal places.")
        self.item.indicator.check_value(value)
        return value

    def clean(self):
        data = super().clean()
        rank, size = data.get("comparison_rank"), data.get("comparison_group_size")
        if (rank is None) != (size is None) and "comparison_rank" not in self.errors:
            missing = "comparison_group_size" if size is None else "comparison_rank"
            self.add_error(missing, "Give both the rank and how many it is out of, or neither.")
        elif rank is not None and size is not None and rank > size:
            self.add_error("comparison_rank", f"The rank must be between 1 and {size}.")
        if data.get("rag_override") and not data.get("rag_override_reason", "").strip():
            self.add_error(
                "rag_override_reason",
                f"Say why you rate {self.item.indicator.name} differently from the computed "
                "rating, or choose the computed rating.",
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


class ActionUpdateEntryForm(forms.Form):
    action_status = forms.ChoiceField(label="Status", choices=ActionRow.Status.choices)
    progress = forms.CharField(
        label="Progress this quarter",
        max_length=NOTE,
        error_messages=TOO_LONG,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What was done, and what is next.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, item: UpdateItem, submitting: bool, **kwargs):
        self.item = item
        self.submitting = submitting
        current = item.current
        kwargs.setdefault(
            "initial",
            {
                "action_status": current.action_status if current else item.action_row.status,
                "progress": current.progress if current else "",
                "revision": current.revision if current else 0,
            },
        )
        super().__init__(*args, **kwargs)
        self.helper = _helper(
            Field.select("action_status"), Field.textarea("progress", rows=3), "revision"
        )

    def clean(self):
        data = super().clean()
        if self.submitting and not data.get("progress", "").strip():
            short = Truncator(self.item.action_row.description).chars(60)
            self.add_error("progress", f"Describe this quarter's progress on “{short}”.")
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
        return {"item": self.items[index], "submitting": self.submitting}


ReturnFormSet = formset_factory(ReturnEntryForm, formset=ItemFormSet, extra=0)
ActionUpdateFormSet = formset_factory(ActionUpdateEntryForm, formset=ItemFormSet, extra=0)


class ReasonForm(forms.Form):
    """The manager's decision on a submitted or approved item; the reason goes to the officer."""

    reason = forms.CharField(
        label="Reason",
        max_length=NOTE,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The officer sees this beside the item. Needed to return or reopen it.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper(Field.textarea("reason", rows=3))


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
