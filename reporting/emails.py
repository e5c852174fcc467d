"""E-mails written as templates: `emails/<name>_subject.txt` and `emails/<name>.txt`.

Both are plain text, so the templates turn autoescaping off; the subject is folded onto one
line, as mail headers must be. Notifications go through `send_once`, which records each in
reporting.models.Notice so that none is sent twice.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import ngettext

from .models import Notice

logger = logging.getLogger(__name__)

# Action descriptions run to paragraphs: e-mails name an action by its first 80 characters.
ITEM_TEXT_LENGTH = 80


def absolute_url(view_name: str, *args) -> str:
    """A page's full address for an e-mail, starting with the site's SITE_URL."""
    site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse(view_name, args=args)


def item_name(item) -> str:
    """What the officer knows an item by, on one line: the indicator's name, or the action's
    description cut short. `item` is a Return, an ActionUpdate or an item due (reporting/due.py).
    """
    if hasattr(item, "indicator"):
        if getattr(item, "area_id", None):  # one ward's figure
            return f"{item.indicator.name} – {item.area}"
        return item.indicator.name
    return Truncator(" ".join(item.action_row.description.split())).chars(ITEM_TEXT_LENGTH)


def count_items(count: int) -> str:
    return ngettext("%(count)d item", "%(count)d items", count) % {"count": count}


def person_name(user) -> str:
    return user.get_full_name() or user.username


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


@dataclass
class Outgoing:
    """An e-mail and the notices it carries: one key per piece of news and reader."""

    message: EmailMessage
    kind: str  # a Notice.Kind
    keys: list[str]


def send_once(outgoing: list[Outgoing], *, connection=None) -> int:
    """Send each e-mail and record its notices, so that no run sends them again. Returns how
    many e-mails went. Callers leave out notices already recorded (`Notice.objects.told`).

    The order is the trade-off, chosen so that nobody is told twice and no failure goes unseen:

    1. Every notice is claimed first, in one INSERT that commits before anything is sent. The
       keys are unique, so of two runs at once only one claims them; the other sends nothing.
    2. Each e-mail is sent. If the mail server refuses one, its claims are deleted and the
       error is logged: the next run (of the digest or reminders) tries it again.
    3. The sent ones are marked `sent_at`.

    A crash between 1 and 3 leaves claims without `sent_at` (`Notice.objects.unconfirmed()`):
    those e-mails are never sent twice, and are there to see rather than silently lost.
    Side effects: writes Notice rows; sends through `connection` (the default backend if None).
    """
    if not outgoing:
        return 0
    claims = [Notice(kind=each.kind, key=key) for each in outgoing for key in each.keys]
    try:
        with transaction.atomic():
            Notice.objects.bulk_create(claims)
    except IntegrityError:
        logger.warning("Another run is sending these notifications; this one sent none.")
        return 0
    sent, failed = _send_each(outgoing, connection or get_connection())
    if sent:
        keys = [key for each in sent for key in each.keys]
        Notice.objects.filter(key__in=keys).update(sent_at=timezone.now())
    if failed:
        Notice.objects.filter(key__in=[key for each in failed for key in each.keys]).delete()
    return len(sent)


def _send_each(outgoing: list[Outgoing], connection) -> tuple[list[Outgoing], list[Outgoing]]:
    """Send one at a time through one open connection, so one refused address does not
    stop the others; returns (sent, failed)."""
    sent, failed = [], []
    try:
        with connection:
            for each in outgoing:
                try:
                    connection.send_messages([each.message])
                except Exception:
                    logger.exception("Could not send “%s” to %s", each.message.subject,
                                     ", ".join(each.message.to))  # fmt: skip
                    failed.append(each)
                else:
                    sent.append(each)
    except Exception:
        logger.exception("Could not reach the mail server")
    failed += [each for each in outgoing if each not in sent and each not in failed]
    return sent, failed
