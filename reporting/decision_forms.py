"""The manager's decision forms: on one item (approve or return it, or reopen it), and on the
items ticked on the quarter page.

The one-item form asks the decision first and takes the reason with it, so that nothing typed
is dropped: a reason typed beside Approve is refused, not silently lost.
"""

from django import forms

from indicators.models import SubmissionStatus
from plans.models.text import NOTE, TOO_LONG

from .decisions import APPROVE, KINDS, REOPEN, RETURN

# The decisions each state allows, as the radios offer them.
CHOICES = {
    SubmissionStatus.SUBMITTED: [(APPROVE, "Approve"), (RETURN, "Return to the officer")],
    SubmissionStatus.APPROVED: [(REOPEN, "Reopen for the officer to correct")],
}
CHOOSE = "Select whether to approve it or return it to the officer."
NO_REASON = "Say why, so the officer knows what to change."
APPROVE_WITH_REASON = (
    "You chose Approve and typed a reason: choose Return to send it back with this reason, "
    "or clear the reason to approve."
)
# Ids and revisions fit the database's integer columns; anything larger is no item of ours.
LARGEST_ID = 2**31 - 1


class DecisionForm(forms.Form):
    """What the manager decides on one item: approve or return a submitted one, or reopen an
    approved one; a reason is needed to return or reopen, and refused beside Approve.
    `revision` is the one the manager saw, so a decision on a changed item is refused."""

    decision = forms.ChoiceField(
        label="What do you want to do?",
        error_messages={"required": CHOOSE, "invalid_choice": CHOOSE},
    )
    reason = forms.CharField(
        max_length=NOTE,
        error_messages={"max_length": TOO_LONG},
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The officer sees this beside the item.",
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=LARGEST_ID)
    kept_reason = ""

    def __init__(self, *args, item, **kwargs):
        super().__init__(*args, **kwargs)
        self.status, self.item_revision = item.status, item.revision
        self.status_label = item.get_status_display().lower()
        self.fields["decision"].choices = CHOICES.get(item.status, [])
        self.initial.setdefault("revision", item.revision)
        if self.is_reopening:
            self.initial["decision"] = REOPEN
            self.fields["decision"].error_messages["invalid_choice"] = (
                "This item is approved: it can only be reopened."
            )
            self.fields["reason"].label = "Why are you reopening it?"
        else:
            self.fields["reason"].label = "Why are you returning it?"

    def again_for(self, item) -> "DecisionForm":
        """A new form on `item` as it is now (someone else decided first), keeping what the
        manager chose and typed: `kept_reason` holds the reason, to show even when nothing is
        left to decide."""
        typed = {"decision": self.data.get("decision"), "reason": self.data.get("reason", "")}
        form = DecisionForm(item=item, initial=typed)
        form.kept_reason = typed["reason"]
        return form

    @property
    def is_decidable(self) -> bool:
        """Whether the item's state allows any decision: submitted or approved."""
        return bool(self.fields["decision"].choices)

    @property
    def is_stale(self) -> bool:
        """The item changed since the manager's page showed it: the posted revision is not its
        own. Asked before the decision is checked against the item's state now."""
        try:
            seen = self.fields["revision"].clean(self.data.get("revision"))
        except forms.ValidationError:
            return False
        return seen != self.item_revision

    @property
    def is_reopening(self) -> bool:
        return self.status == SubmissionStatus.APPROVED

    @property
    def reason_stands_alone(self) -> bool:
        """Show the reason box on its own, not revealed under Return: it holds a problem while
        Return is not chosen, and hidden under Return its words and message would not show."""
        return (
            not self.is_reopening
            and "reason" in self.errors
            and self.data.get("decision") != RETURN
        )

    def clean(self):
        cleaned = super().clean()
        if not self.is_decidable:
            self._errors.pop("decision", None)  # no choice is right: say why once
            raise forms.ValidationError(
                "Only a submitted item can be approved or returned, and only an approved one "
                f"reopened: this one is {self.status_label}."
            )
        if "revision" in self.errors:  # a hidden field: its message would show nowhere
            raise forms.ValidationError("This page was incomplete: open the item again.")
        decision, reason = cleaned.get("decision"), cleaned.get("reason")
        if reason is None:
            return cleaned  # too long: its own message says so
        if decision in (RETURN, REOPEN) and not reason:
            self.add_error("reason", NO_REASON)
        if decision == APPROVE and reason:
            self.add_error("reason", APPROVE_WITH_REASON)
        return cleaned


class SelectedItems(forms.Field):
    """The ticked items of one kind: each checkbox posts "<id>:<revision seen>"."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> dict[int, int]:
        seen = {}
        for ticked in value or []:
            pk, separator, revision = str(ticked).partition(":")
            if not (separator and _digits(pk) and _digits(revision)):
                raise forms.ValidationError(
                    "The selection could not be read: tick the items again."
                )
            pk, revision = int(pk), int(revision)
            if pk > LARGEST_ID or revision > LARGEST_ID:
                raise forms.ValidationError(
                    "The selection could not be read: tick the items again."
                )
            seen[pk] = revision
        return seen


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


class SelectionForm(forms.Form):
    """The items the manager ticked on the quarter page to approve at once."""

    returns = SelectedItems(required=False)
    updates = SelectedItems(required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not any(cleaned.get(kind) for kind in KINDS):
            raise forms.ValidationError("Select the items to approve.")
        return cleaned

    @property
    def selected(self) -> dict[str, dict[int, int]]:
        """{kind: {id: revision seen}} of the ticked items."""
        return {kind: self.cleaned_data.get(kind) or {} for kind in KINDS}
