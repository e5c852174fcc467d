"""The manager's form inviting someone to the partnership, with the messages people see."""

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size
from django import forms
from django.contrib.auth.base_user import BaseUserManager

from .models import Membership, Partnership
from .people import account_for, already_member_message, is_already_member, person_name
from .templatetags.govuk import error_links

WIDTH = "govuk-!-width-two-thirds"


class InviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail address",
        max_length=254,
        help_text="The invitation goes here. Someone who already has an account keeps it.",
        error_messages={
            "required": "Enter the person's e-mail address",
            "invalid": "Enter an e-mail address in the correct format, like name@example.org",
            "max_length": "Enter an e-mail address of 254 characters or fewer",
        },
        widget=forms.EmailInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "class": WIDTH}
        ),
    )
    full_name = forms.CharField(
        label="Full name",
        max_length=150,
        help_text="As colleagues know them, e.g. Jane Smith.",
        error_messages={
            "required": "Enter the person's full name",
            "max_length": "Enter a name of 150 characters or fewer",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label="Role",
        choices=Membership.Role.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the person's role",
            "invalid_choice": "Choose one of the roles listed",
        },
    )
    organisation = forms.ModelChoiceField(
        label="Agency",
        queryset=None,
        empty_label="Choose an agency",
        help_text="The partner agency they work for.",
        error_messages={
            "required": "Choose the agency they work for",
            "invalid_choice": "Choose one of the partnership's agencies",
        },
    )

    def __init__(self, *args, partnership: Partnership, by, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership, self.by = partnership, by
        # Only the partnership's own member agencies: an officer enters returns for theirs.
        self.fields["organisation"].queryset = partnership.organisations.order_by("name")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Field.text("email"),
            Field.text("full_name", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", legend_size=Size.SMALL),
            Field.select("organisation"),
        )

    def full_clean(self):
        super().full_clean()
        # crispy-forms-gds borders only text boxes in red: the e-mail box and the select too.
        if "email" in self.errors:
            self.fields["email"].widget.attrs["class"] = f"{WIDTH} govuk-input--error"
        if "organisation" in self.errors:  # it gives a select the text box's class
            self.fields["organisation"].widget.attrs["class"] = "govuk-select--error"

    def error_summary(self) -> list[tuple[str, str]]:
        """The error summary's links; a role's goes to the first radio (crispy-forms-gds
        numbers them from 1), as the GOV.UK pattern asks."""
        return [
            ("#id_role_1" if target == "#id_role" else target, message)
            for target, message in error_links(self)
        ]

    def clean_email(self) -> str:
        return BaseUserManager.normalize_email(self.cleaned_data["email"].strip())

    def clean(self):
        data = super().clean()
        email, role, organisation = (data.get(name) for name in ("email", "role", "organisation"))
        if email and email.lower() == (self.by.email or "").lower():
            # As in the admin: a role is always given by someone else.
            self.add_error("email", "You cannot give yourself a role: ask another manager to do it")
        elif email and role and organisation:
            user = account_for(email)
            if user is not None and is_already_member(user, self.partnership, organisation, role):
                self.add_error("email", already_member_message(person_name(user)))
        return data
