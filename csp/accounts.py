"""Django's account pages, with the limits the project sets on them."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django_ratelimit.core import is_ratelimited

from .security import client_ip


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, limited per visitor address and per e-mail address
    (PASSWORD_RESET_RATE), so nobody can flood a person's inbox or the mail server."""

    def form_valid(self, form):
        if self.limited(form.cleaned_data["email"]):
            form.add_error(
                "email",
                "There have been too many requests to reset a password: try again in an hour.",
            )
            return self.form_invalid(form)
        return super().form_valid(form)

    def limited(self, email: str) -> bool:
        counts = [  # both counted, even when the first is already over
            is_ratelimited(
                self.request,
                group=f"password-reset-{by}",
                key=lambda group, request, value=value: value,
                rate=settings.PASSWORD_RESET_RATE,
                increment=True,
            )
            for by, value in (("address", client_ip(self.request)), ("email", email.lower()))
        ]
        return any(counts)
