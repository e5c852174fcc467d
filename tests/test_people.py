"""The partnership's people (plans/people.py and its pages): a manager sees the members with
whether each has signed in yet, invites someone by e-mail with a role and an agency (a new
account gets a link to choose a password; an existing one a notice), and removes a membership
after a confirmation, never their own and never the last manager's. Nobody else may."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from plans.models import Membership
from plans.people import RemovalRefused, remove, username_for
from tests import factories as f

pytestmark = pytest.mark.django_db

User = get_user_model()


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("The mail server is down")


def members_url(cast) -> str:
    return reverse("people-partnership", args=[cast.partnership.slug])


def invite_url(cast) -> str:
    return reverse("people-invite", args=[cast.partnership.slug])


def remove_url(cast, membership) -> str:
    return reverse("people-remove", args=[cast.partnership.slug, membership.pk])


def resend_url(cast, membership) -> str:
    return reverse("people-resend", args=[cast.partnership.slug, membership.pk])


def awaiting_password(cast) -> Membership:
    """The colleague, invited and not yet through the link."""
    cast.colleague.set_unusable_password()
    cast.colleague.save()
    return membership_of(cast.colleague)


def membership_of(user) -> Membership:
    return Membership.objects.get(user=user)


def invitation(cast, **changes) -> dict:
    return {
        "email": "jane.smith@example.org",
        "full_name": "Jane Smith",
        "role": "officer",
        "organisation": cast.police.pk,
        **changes,
    }


def text_of(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def link_in(body: str) -> str:
    return re.search(r"https?://\S+/accounts/reset/\S+/", body).group(0)


# ---- who may ----------------------------------------------------------------------------------


@pytest.fixture
def other_manager():
    """The manager of another partnership."""
    return f.MembershipFactory(role=Membership.Role.MANAGER).user


def refused_people(cast, other_manager):
    return {
        "officer": cast.officer,
        "reviewer": cast.reviewer,
        "manager of another partnership": other_manager,
    }


@pytest.mark.parametrize("page", ["members", "invite", "remove", "send again"])
def test_anonymous_visitors_are_sent_to_sign_in(client, cast, page):
    url = {
        "members": members_url(cast),
        "invite": invite_url(cast),
        "remove": remove_url(cast, membership_of(cast.officer)),
        "send again": resend_url(cast, awaiting_password(cast)),
    }[page]

    assert client.get(url).url.startswith(reverse("login"))
    assert client.post(url, invitation(cast)).url.startswith(reverse("login"))
    assert Membership.objects.filter(user=cast.officer).exists()
    assert not User.objects.filter(email="jane.smith@example.org").exists()
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["officer", "reviewer", "manager of another partnership"])
def test_only_the_partnerships_managers_see_its_members(client, cast, other_manager, who):
    client.force_login(refused_people(cast, other_manager)[who])

    assert client.get(members_url(cast)).status_code == 403
    assert client.get(invite_url(cast)).status_code == 403
    assert client.get(remove_url(cast, membership_of(cast.colleague))).status_code == 403


@pytest.mark.parametrize("who", ["officer", "reviewer", "manager of another partnership"])
def test_nobody_else_invites_or_removes(client, cast, other_manager, who):
    client.force_login(refused_people(cast, other_manager)[who])

    invited = client.post(invite_url(cast), invitation(cast))
    removed = client.post(remove_url(cast, membership_of(cast.colleague)))
    sent_again = client.post(resend_url(cast, awaiting_password(cast)))

    assert (invited.status_code, removed.status_code, sent_again.status_code) == (403, 403, 403)
    assert not User.objects.filter(email="jane.smith@example.org").exists()
    assert Membership.objects.filter(user=cast.colleague).exists()
    assert mail.outbox == []


def test_a_membership_of_another_partnership_is_not_found_under_this_one(
    manager_client, cast, other_manager
):
    elsewhere = membership_of(other_manager)

    assert manager_client.get(remove_url(cast, elsewhere)).status_code == 404
    assert manager_client.post(remove_url(cast, elsewhere)).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_an_unknown_partnership_is_not_found(manager_client):
    assert manager_client.get(reverse("people-partnership", args=["nowhere"])).status_code == 404


def test_the_people_link_leads_a_manager_of_one_partnership_to_its_members(manager_client, cast):
    assert reverse("people") in manager_client.get(reverse("manage")).content.decode()

    response = manager_client.get(reverse("people"))

    assert response.url == members_url(cast)


def test_a_manager_of_several_partnerships_chooses_one(manager_client, cast):
    second = f.MembershipFactory(user=cast.manager, role=Membership.Role.MANAGER).partnership

    response = manager_client.get(reverse("people"))

    assert response.status_code == 200
    assert reverse("people-partnership", args=[second.slug]) in response.content.decode()
    assert members_url(cast) in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "reviewer"])
def test_the_people_link_refuses_people_who_manage_nothing(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(reverse("people")).status_code == 403


# ---- the members' page ------------------------------------------------------------------------


def test_the_members_page_lists_each_membership_and_who_has_not_signed_in(manager_client, cast):
    cast.officer.first_name, cast.officer.last_name = "Olu", "Officer"
    cast.officer.last_login = timezone.now()
    cast.officer.save()

    page = text_of(manager_client.get(members_url(cast)))

    assert "Olu Officer officer@example.org Staffordshire Police Officer Yes" in page
    assert "reviewer reviewer@example.org Lichfield District Council Reviewer Invited" in page
    assert "manager (you) manager@example.org Lichfield District Council Partnership manager" in (
        page
    )
    assert "5 memberships" in page


def test_each_member_but_oneself_has_a_remove_link_naming_them(manager_client, cast):
    body = manager_client.get(members_url(cast)).content.decode()

    assert remove_url(cast, membership_of(cast.officer)) in body
    assert (
        'Remove<span class="govuk-visually-hidden"> officer (officer, Staffordshire Police)</span>'
        in body
    )
    assert remove_url(cast, membership_of(cast.manager)) not in body


@pytest.mark.parametrize("count", [1, 3])
def test_the_members_page_takes_the_same_queries_for_one_member_or_three(
    client, django_assert_num_queries, count
):
    manager = f.MembershipFactory(role=Membership.Role.MANAGER)
    for _ in range(count - 1):
        f.MembershipFactory(partnership=manager.partnership, organisation=manager.organisation)
    client.force_login(manager.user)
    url = reverse("people-partnership", args=[manager.partnership.slug])

    with django_assert_num_queries(6):
        response = client.get(url)

    assert f"{count} membership" in text_of(response)


@pytest.mark.parametrize("count", [1, 3])
def test_the_invitation_takes_the_same_queries_for_one_agency_or_three(
    client, django_assert_num_queries, count
):
    manager = f.MembershipFactory(role=Membership.Role.MANAGER)
    for _ in range(count - 1):
        manager.partnership.organisations.add(f.OrganisationFactory())
    client.force_login(manager.user)
    url = reverse("people-invite", args=[manager.partnership.slug])

    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.content.decode().count("<option") == count + 1  # and "Choose an agency"


@pytest.mark.parametrize("count", [1, 3])
def test_the_confirmation_takes_the_same_queries_for_one_role_or_three(
    client, django_assert_num_queries, count
):
    manager = f.MembershipFactory(role=Membership.Role.MANAGER)
    officer = f.MembershipFactory(partnership=manager.partnership)
    for role in ("manager", "reviewer")[: count - 1]:
        f.MembershipFactory(
            user=officer.user,
            partnership=manager.partnership,
            organisation=officer.organisation,
            role=role,
        )
    client.force_login(manager.user)
    url = reverse("people-remove", args=[manager.partnership.slug, officer.pk])

    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 3])
def test_the_choice_of_partnerships_takes_the_same_queries_for_two_or_three(
    client, django_assert_num_queries, count
):
    manager = f.UserFactory()
    for _ in range(count):
        f.MembershipFactory(user=manager, role=Membership.Role.MANAGER)
    client.force_login(manager)

    with django_assert_num_queries(4):
        response = client.get(reverse("people"))

    assert response.content.decode().count("/manage/people/partnership-") == count


# ---- inviting ---------------------------------------------------------------------------------


def test_a_new_person_gets_an_account_a_membership_and_a_link_to_choose_a_password(
    manager_client, client, cast
):
    response = manager_client.post(invite_url(cast), invitation(cast))

    assert response.url == members_url(cast)
    jane = User.objects.get(email="jane.smith@example.org")
    assert (jane.username, jane.first_name, jane.last_name) == ("jane.smith", "Jane", "Smith")
    assert not jane.has_usable_password()
    assert Membership.objects.filter(
        user=jane, partnership=cast.partnership, organisation=cast.police, role="officer"
    ).exists()
    (sent,) = mail.outbox
    assert sent.to == ["jane.smith@example.org"]
    assert sent.subject == f"You have been invited to {cast.partnership.name}"
    assert "manager has invited you" in sent.body
    assert "as an officer for Staffordshire Police" in sent.body
    assert "Your username is jane.smith" in sent.body
    # The link is Django's password reset, and sets the password once.
    chosen = client.get(link_in(sent.body), follow=True)
    assert chosen.status_code == 200
    client.post(
        chosen.redirect_chain[-1][0],
        {"new_password1": "a-long-new-password-7", "new_password2": "a-long-new-password-7"},
    )
    jane.refresh_from_db()
    assert jane.check_password("a-long-new-password-7")


def test_the_manager_is_told_who_was_added_and_the_page_lists_them_as_invited(manager_client, cast):
    response = manager_client.post(invite_url(cast), invitation(cast, role="reviewer"), follow=True)

    page = text_of(response)
    assert "Jane Smith was added as a reviewer for Staffordshire Police" in page
    assert "Jane Smith jane.smith@example.org Staffordshire Police Reviewer Invited" in page


def test_an_existing_account_gets_the_membership_and_a_notice_without_a_password_link(
    manager_client, cast, other_manager
):
    response = manager_client.post(
        invite_url(cast), invitation(cast, email=other_manager.email.upper(), role="manager")
    )

    assert response.status_code == 302
    assert Membership.objects.filter(
        user=other_manager, partnership=cast.partnership, role="manager"
    ).exists()
    assert User.objects.filter(email__iexact=other_manager.email).count() == 1
    (sent,) = mail.outbox
    assert sent.subject == f"You have been added to {cast.partnership.name}"
    assert "as a partnership manager for Staffordshire Police" in sent.body
    assert "/accounts/reset/" not in sent.body
    assert f"Sign in as before, with your username {other_manager.username}" in sent.body
    other_manager.refresh_from_db()
    assert other_manager.first_name != "Jane"  # their own name is kept


def test_an_account_still_without_a_password_gets_the_link_again(manager_client, cast):
    manager_client.post(invite_url(cast), invitation(cast))
    mail.outbox.clear()

    manager_client.post(invite_url(cast), invitation(cast, role="reviewer"))

    (sent,) = mail.outbox
    assert sent.subject == f"You have been added to {cast.partnership.name}"
    assert "/accounts/reset/" in sent.body
    assert Membership.objects.filter(user__email="jane.smith@example.org").count() == 2


def test_usernames_made_from_e_mails_never_clash(cast):
    f.UserFactory(username="jane.smith")
    f.UserFactory(username="Jane.Smith2")

    assert username_for("Jane.Smith@example.org") == "jane.smith3"
    assert username_for("o'brien+csp@example.org") == "obrien+csp"
    assert username_for("officer@elsewhere.org") == "officer3"  # the cast has officer2


def test_a_duplicate_membership_is_refused_beside_the_e_mail(manager_client, cast):
    response = manager_client.post(
        invite_url(cast), invitation(cast, email="OFFICER@example.org", full_name="Olu")
    )

    assert response.status_code == 200
    assert (
        "officer already has this role with this agency in the partnership"
        in response.content.decode()
    )
    assert 'href="#id_email"' in response.content.decode()
    assert Membership.objects.filter(user=cast.officer).count() == 1
    assert mail.outbox == []


def test_a_manager_cannot_give_themself_a_role(manager_client, cast):
    response = manager_client.post(
        invite_url(cast), invitation(cast, email=cast.manager.email, full_name="Me")
    )

    assert "You cannot give yourself a role" in response.content.decode()
    assert Membership.objects.filter(user=cast.manager).count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"email": ""}, "Enter the person&#x27;s e-mail address"),
        ({"email": "jane.smith"}, "Enter an e-mail address in the correct format"),
        ({"full_name": "   "}, "Enter the person&#x27;s full name"),
        ({"full_name": "J" * 151}, "Enter a name of 150 characters or fewer"),
        ({"role": ""}, "Choose the person&#x27;s role"),
        ({"role": "superuser"}, "Choose one of the roles listed"),
        ({"organisation": ""}, "Choose the agency they work for"),
        ({"organisation": "nonsense"}, "Choose one of the partnership&#x27;s agencies"),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_nothing_is_saved(
    manager_client, cast, changes, message
):
    response = manager_client.post(invite_url(cast), invitation(cast, **changes))

    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "There is a problem" in body
    assert "<title>Error: Invite someone" in body
    assert not User.objects.filter(email="jane.smith@example.org").exists()
    assert mail.outbox == []


def test_the_boxes_in_error_have_the_red_border(manager_client, cast):
    response = manager_client.post(invite_url(cast), {"email": "x"})

    body = response.content.decode()
    assert re.search(r'<input type="email"[^>]*class="[^"]*govuk-input--error', body)
    assert re.search(r'<select[^>]*class="[^"]*govuk-select--error', body)
    assert 'href="#id_role_1"' in body  # the summary leads to the first radio


def test_only_the_partnerships_own_agencies_are_offered(manager_client, cast, other_manager):
    elsewhere = membership_of(other_manager).organisation

    form = manager_client.get(invite_url(cast)).content.decode()
    response = manager_client.post(invite_url(cast), invitation(cast, organisation=elsewhere.pk))

    assert cast.police.name in form
    assert elsewhere.name not in form
    assert "Choose one of the partnership&#x27;s agencies" in response.content.decode()
    assert not User.objects.filter(email="jane.smith@example.org").exists()


def test_nothing_is_saved_when_the_e_mail_cannot_be_sent(manager_client, cast, settings):
    settings.EMAIL_BACKEND = "tests.test_people.RefusingBackend"

    response = manager_client.post(invite_url(cast), invitation(cast))

    assert response.status_code == 200
    assert "The invitation could not be sent, so nobody was added" in response.content.decode()
    assert not User.objects.filter(email="jane.smith@example.org").exists()
    assert not Membership.objects.filter(user__email="jane.smith@example.org").exists()


# ---- removing ---------------------------------------------------------------------------------


def test_removing_asks_first_and_a_get_changes_nothing(manager_client, cast):
    membership = membership_of(cast.officer)

    page = text_of(manager_client.get(remove_url(cast, membership)))

    assert "Remove officer" in page
    assert "Staffordshire Police" in page
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_removing_takes_the_membership_away_and_keeps_the_account(manager_client, cast):
    membership = membership_of(cast.officer)

    response = manager_client.post(remove_url(cast, membership), follow=True)

    assert response.redirect_chain[-1][0] == members_url(cast)
    assert f"officer was removed from {cast.partnership.name}" in text_of(response)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=cast.officer.pk).exists()


def test_a_manager_removes_another_manager(manager_client, cast):
    deputy = f.MembershipFactory(
        partnership=cast.partnership, organisation=cast.council, role=Membership.Role.MANAGER
    )

    manager_client.post(remove_url(cast, deputy))

    assert not Membership.objects.filter(pk=deputy.pk).exists()


def test_a_manager_cannot_remove_themself(manager_client, cast):
    own = membership_of(cast.manager)

    asked = text_of(manager_client.get(remove_url(cast, own)))
    response = manager_client.post(remove_url(cast, own))

    assert "You cannot remove yourself: ask another manager" in asked
    assert "Remove manager </button>" not in asked
    assert "You cannot remove yourself" in text_of(response)
    assert Membership.objects.filter(pk=own.pk).exists()


def test_the_last_manager_is_never_removed(cast):
    own = membership_of(cast.manager)
    root = f.UserFactory(is_superuser=True)

    with pytest.raises(RemovalRefused, match="is the partnership's only manager"):
        remove(own, by=root)

    assert Membership.objects.filter(pk=own.pk).exists()


def test_removing_answers_only_get_and_post(manager_client, cast):
    response = manager_client.delete(remove_url(cast, membership_of(cast.officer)))

    assert response.status_code == 405
    assert Membership.objects.filter(user=cast.officer).exists()


# ---- sending the invitation again ---------------------------------------------------------------


def test_only_people_still_without_a_password_offer_to_send_again(manager_client, cast):
    waiting = awaiting_password(cast)

    body = manager_client.get(members_url(cast)).content.decode()

    assert body.count("Send again<span") == 1
    assert resend_url(cast, waiting) in body
    assert "the invitation to colleague</span>" in body


def test_sending_again_e_mails_a_fresh_link(manager_client, client, cast):
    waiting = awaiting_password(cast)

    response = manager_client.post(resend_url(cast, waiting), follow=True)

    assert "The invitation was sent again to colleague at colleague@example.org" in text_of(
        response
    )
    (sent,) = mail.outbox
    assert sent.to == ["colleague@example.org"]
    assert sent.subject == f"You have been invited to {cast.partnership.name}"
    assert client.get(link_in(sent.body), follow=True).context["validlink"]


def test_nothing_is_sent_again_to_someone_with_a_password(manager_client, cast):
    response = manager_client.post(resend_url(cast, membership_of(cast.officer)))

    assert response.status_code == 200
    assert "officer has already chosen a password." in text_of(response)
    assert "<title>Error: Members" in response.content.decode()
    assert mail.outbox == []


def test_a_failed_send_again_is_reported_on_the_members_page(manager_client, cast, settings):
    settings.EMAIL_BACKEND = "tests.test_people.RefusingBackend"
    waiting = awaiting_password(cast)

    response = manager_client.post(resend_url(cast, waiting))

    assert "The invitation could not be sent" in text_of(response)
    assert f'href="#resend-{waiting.pk}"' in response.content.decode()


def test_sending_again_is_post_only(manager_client, cast):
    response = manager_client.get(resend_url(cast, awaiting_password(cast)))

    assert response.status_code == 405
    assert mail.outbox == []


# ---- the admin: a manager adds people by invitation -------------------------------------------


def test_the_admins_add_membership_leads_a_manager_to_the_invitation(admin_manager_client):
    response = admin_manager_client.get(reverse("admin:plans_membership_add"))

    assert response.url == reverse("people")


def test_the_admins_membership_page_shows_the_person_without_a_picker(admin_manager_client, cast):
    membership = membership_of(cast.officer)

    response = admin_manager_client.get(
        reverse("admin:plans_membership_change", args=[membership.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="user"' not in body
    assert "officer" in body


def test_an_administrator_still_adds_memberships_in_the_admin(client, cast):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:plans_membership_add"))

    assert response.status_code == 200
    assert 'name="user"' in response.content.decode()
