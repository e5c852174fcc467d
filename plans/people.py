"""The people of a partnership: who belongs to it, inviting someone by e-mail with a role and an
agency, and taking a membership away. The manager's pages (plans/people_views.py) call these.

An invitation creates the account when the e-mail address is new, with no usable password: the
e-mail carries a link to Django's password-reset page, where the person chooses one. Removing a
membership never deletes the account: the person may belong to other partnerships, and their
name stays on what they sent in.
"""

import logging
import re
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import Membership, Organisation, Partnership

User = get_user_model()
logger = logging.getLogger(__name__)

NOT_SENT = "The invitation could not be sent, so nobody was added: try again later"

# What may stay of an e-mail's local part in a username (Django allows these in usernames).
NOT_IN_USERNAME = re.compile(r"[^\w.+-]")
USERNAME_LENGTH = 150


class RemovalRefused(Exception):
    """A membership that must stay; the message says why, for the manager."""


def members_of(partnership: Partnership):
    """The partnership's memberships with their people and agencies, by name."""
    return (
        Membership.objects.filter(partnership=partnership)
        .select_related("user", "organisation")
        .order_by("user__first_name", "user__last_name", "user__email", "organisation__name")
    )


# Each role as a sentence names it ("added as an officer").
ROLE_NAMES = {
    Membership.Role.OFFICER: "officer",
    Membership.Role.MANAGER: "partnership manager",
    Membership.Role.REVIEWER: "reviewer",
}


def role_name(membership: Membership) -> str:
    return ROLE_NAMES[membership.role]


def a_role(membership: Membership) -> str:
    """The role with its article: "an officer", "a reviewer"."""
    name = role_name(membership)
    return f"{'an' if name[0] in 'aeiou' else 'a'} {name}"


def person_name(user) -> str:
    return user.get_full_name() or user.username


def has_signed_in(user) -> bool:
    """Whether the account has been used: an invited person who never signed in has not."""
    return user.last_login is not None


def awaits_password(user) -> bool:
    """Invited and not yet through the e-mailed link: the invitation may be sent again."""
    return not user.has_usable_password()


class Member(NamedTuple):
    """One row of the members' page."""

    membership: Membership
    name: str
    role: str
    has_signed_in: bool
    awaits_password: bool


def list_members(partnership: Partnership) -> list[Member]:
    return [
        Member(m, person_name(m.user), role_name(m), has_signed_in(m.user), awaits_password(m.user))
        for m in members_of(partnership)
    ]


def account_for(email: str):
    """The account that already has this e-mail address, if any (the oldest, should several)."""
    return User.objects.filter(email__iexact=email).order_by("pk").first()


def is_already_member(user, partnership: Partnership, organisation, role: str) -> bool:
    return Membership.objects.filter(
        user=user, partnership=partnership, organisation=organisation, role=role
    ).exists()


def username_for(email: str) -> str:
    """A new, unused username from the e-mail's local part: jane.smith, then jane.smith2 …"""
    base = NOT_IN_USERNAME.sub("", email.split("@")[0].lower())[: USERNAME_LENGTH - 6] or "user"
    similar = User.objects.filter(username__istartswith=base).values_list("username", flat=True)
    taken = {name.lower() for name in similar}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}{number}"
    return candidate


def invite(
    *,
    partnership: Partnership,
    email: str,
    full_name: str,
    role: str,
    organisation: Organisation,
    by,
) -> Membership:
    """Give the person with `email` a membership of `partnership` and tell them by e-mail.

    Side effects: creates the account when no account has the address (named `full_name`, with
    no usable password); creates the membership; sends one e-mail: the invitation with a link
    to choose a password to a new account, otherwise a notice of the new role (with that link
    too when the account still has no password). All in one transaction: if the e-mail cannot
    be sent, nobody is added and ValidationError(NOT_SENT) is raised. Raises
    ValidationError({"email": …}) for a membership that exists already.
    """
    with transaction.atomic():
        user = account_for(email)
        is_new = user is None
        if is_new:
            user = _new_account(email, full_name)
        try:
            with transaction.atomic():
                membership = Membership.objects.create(
                    user=user, partnership=partnership, organisation=organisation, role=role
                )
        except IntegrityError as exists:  # added by another manager since the form was checked
            message = already_member_message(person_name(user))
            raise ValidationError({"email": message}) from exists
        try:
            _message(membership, by=by, is_new=is_new).send()
        except Exception as failure:  # the mail server's errors vary: SMTP, socket, TLS …
            logger.exception("Could not send the invitation to %s", email)
            raise ValidationError(NOT_SENT) from failure  # and so nobody is added
    return membership


def send_again(membership: Membership, *, by) -> bool:
    """E-mail a fresh link to choose a password to someone invited who has not yet used theirs
    (the links expire). Returns False, sending nothing, when the account has a password.

    Side effects: sends one e-mail. Raises ValidationError(NOT_SENT) when it cannot be sent.
    """
    if not awaits_password(membership.user):
        return False
    try:
        _message(membership, by=by, is_new=True).send()
    except Exception as failure:  # as in invite()
        logger.exception("Could not send the invitation again to %s", membership.user.email)
        raise ValidationError(NOT_SENT) from failure
    return True


def already_member_message(name: str) -> str:
    return f"{name} already has this role with this agency in the partnership"


def _new_account(email: str, full_name: str):
    first_name, _, last_name = " ".join(full_name.split()).partition(" ")
    user = User(
        username=username_for(email),
        email=email,
        first_name=first_name[:150],
        last_name=last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    return user


def _message(membership: Membership, *, by, is_new: bool) -> EmailMessage:
    user = membership.user
    name = "invitation" if is_new else "added_to_partnership"
    context = {
        "name": person_name(user),
        "username": user.get_username(),
        "manager": person_name(by),
        "partnership": membership.partnership,
        "organisation": membership.organisation,
        "role": a_role(membership),
        "password_link": "" if user.has_usable_password() else password_link(user),
        "link_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        "sign_in": _site_url(reverse("login")),
    }
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    body = render_to_string(f"emails/{name}.txt", context)
    return EmailMessage(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email]
    )


def password_link(user) -> str:
    """The password-reset page's address for `user`, as Django's PasswordResetForm makes it."""
    path = reverse(
        "password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return _site_url(path)


def _site_url(path: str) -> str:
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


def removal_refusal(membership: Membership, *, by) -> str:
    """Why `membership` may not be removed by `by`, or "" when it may."""
    if membership.user_id == by.pk:
        return "You cannot remove yourself: ask another manager of the partnership to do it."
    if membership.role == Membership.Role.MANAGER and not (
        Membership.objects.managers()
        .filter(partnership_id=membership.partnership_id)
        .exclude(pk=membership.pk)
        .exists()
    ):
        return (
            f"{person_name(membership.user)} is the partnership's only manager: "
            "add another manager before removing them."
        )
    return ""


def remove(membership: Membership, *, by) -> None:
    """Take `membership` away (the account stays). Raises RemovalRefused for one's own
    membership and for the partnership's last manager.

    Side effects: deletes the membership. The partnership's managers are locked first, so that
    two managers removing each other at once cannot leave it with none.
    """
    with transaction.atomic():
        list(
            Membership.objects.managers()
            .select_for_update()
            .filter(partnership_id=membership.partnership_id)
            .values_list("pk", flat=True)
        )
        refusal = removal_refusal(membership, by=by)
        if refusal:
            raise RemovalRefused(refusal)
        Membership.objects.filter(pk=membership.pk).delete()
