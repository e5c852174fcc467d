"""Forms of the plan's year: comments on a draft, and the manager's moves between states."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout
from django import forms

from plans.models import text

TOO_LONG = {"max_length": text.TOO_LONG}


def _helper(*fields) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    helper.layout = Layout(*fields)
    return helper


class CommentForm(forms.Form):
    subject = forms.CharField(widget=forms.HiddenInput, required=False)
    body = forms.CharField(
        label="Your comment",
        max_length=text.NOTE,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Write your comment.", **TOO_LONG},
        help_text="Partners and the manager see it; the public never does.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("subject", "body")


class PublishForm(forms.Form):
    published_on = forms.DateField(
        label="Publication date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The date readers see, e.g. 1 April. It may be in the past or the future.",
        error_messages={
            "required": "Enter the publication date.",
            "invalid": "Enter a real date, for example 1 April 2024.",
        },
    )
    note = forms.CharField(
        label="Note for the record (optional)",
        required=False,
        max_length=text.NOTE,
        error_messages=TOO_LONG,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("published_on", "note")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why",
        max_length=text.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why: it is kept in the version's record.", **TOO_LONG},
    )

    def __init__(self, *args, label: str = "Why", required: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].required = required
        self.helper = _helper("reason")


class RefreshForm(forms.Form):
    label = forms.CharField(
        label="Name of the new version",
        max_length=120,
        help_text='Shown under the plan\'s title, e.g. "Refresh April 2025".',
        error_messages={"required": "Name the new version.", **TOO_LONG},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("label")
