"""Django's account forms in the GOV.UK pattern: one message per problem, saying what to do
("Enter your password"), shown beside the field with the red border and in the error summary.

Django's own messages ("This field is required.", "Please enter a correct username and
password. Note that both fields may be case-sensitive.") say what went wrong, not what to do.
"""

from django import forms
from django.contrib.auth import forms as auth_forms


class ErrorBorders:
    """crispy-forms-gds gives the red error border to text boxes, selects and text areas only:
    this gives it to the password and e-mail boxes too."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if isinstance(widget, forms.PasswordInput | forms.EmailInput):
                classes = widget.attrs.get("class", "").split()
                widget.attrs["class"] = " ".join([*classes, "govuk-input--error"])


def _say(form, messages: dict[str, str], labels: dict[str, str] | None = None) -> None:
    """Each field's message when it is left empty, and its label where Django's is unclear."""
    for name, message in messages.items():
        form.fields[name].error_messages["required"] = message
    for name, label in (labels or {}).items():
        form.fields[name].label = label


class SignInForm(ErrorBorders, auth_forms.AuthenticationForm):
    # Wrong credentials are one message in the error summary, linked to the username box: which
    # of the two was wrong is not told, so that nobody learns which usernames exist.
    error_messages = {
        "invalid_login": "Enter a correct username and password",
        "inactive": "This account is switched off: ask your partnership manager",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        _say(self, {"username": "Enter your username", "password": "Enter your password"})


NEW_PASSWORD_MESSAGES = {
    "new_password1": "Enter a new password",
    "new_password2": "Enter the new password again",
}
NEW_PASSWORD_LABELS = {"new_password1": "New password", "new_password2": "Confirm new password"}


class NewPasswordForm(ErrorBorders, auth_forms.SetPasswordForm):
    """Choosing a new password from an e-mailed link."""

    error_messages = {"password_mismatch": "Enter the same new password twice"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say(self, NEW_PASSWORD_MESSAGES, NEW_PASSWORD_LABELS)


class ChangePasswordForm(ErrorBorders, auth_forms.PasswordChangeForm):
    error_messages = {
        "password_mismatch": "Enter the same new password twice",
        "password_incorrect": "Your current password is not right: enter it again",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _say(
            self,
            {"old_password": "Enter your current password", **NEW_PASSWORD_MESSAGES},
            {"old_password": "Current password", **NEW_PASSWORD_LABELS},
        )


class ResetPasswordForm(ErrorBorders, auth_forms.PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "E-mail address"
        email.error_messages["required"] = "Enter your e-mail address"
        email.error_messages["invalid"] = (
            "Enter an e-mail address in the right form, like name@example.org"
        )
