"""E-mails written as templates: `emails/<name>_subject.txt` and `emails/<name>.txt`.

Both are plain text, so the templates turn autoescaping off; the subject is folded onto one
line, as mail headers must be.
"""

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.urls import reverse


def absolute_url(view_name: str, *args) -> str:
    """A page's full address for an e-mail, starting with the site's SITE_URL."""
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse(view_name, args=args)


def message(name: str, context: dict, *, to: list[str]) -> EmailMessage:
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    body = render_to_string(f"emails/{name}.txt", context)
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to)


def send(messages: list[EmailMessage], *, connection=None) -> int:
    """Send through one connection (the default backend when None); returns how many went."""
    if not messages:
        return 0
    connection = connection or get_connection()
    return connection.send_messages(messages) or 0
