"""Signing in and out, changing a password, and resetting a forgotten one by e-mail."""

import re

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_in_with_the_right_password_lands_on_the_users_work(client, cast):
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/returns/"
    assert "Your returns" in response.content.decode()


def test_a_wrong_password_is_refused_beside_the_form(client, cast):
    response = client.post("/accounts/login/", {"username": "officer", "password": "nope"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Please enter a correct username and password." in page


def test_signing_out_is_a_post_and_ends_the_session(client, cast):
    client.force_login(cast.officer)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/returns/").status_code == 302


def test_changing_the_password(client, cast):
    client.force_login(cast.officer)
    mismatch = client.post(
        "/accounts/password_change/",
        {"old_password": PASSWORD, "new_password1": "n3w-Passw0rd!", "new_password2": "other"},
    )
    assert "The two password fields didn’t match." in mismatch.content.decode()

    response = client.post(
        "/accounts/password_change/",
        {
            "old_password": PASSWORD,
            "new_password1": "n3w-Passw0rd!",
            "new_password2": "n3w-Passw0rd!",
        },
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("n3w-Passw0rd!")


def test_a_forgotten_password_is_reset_through_an_emailed_link(client, mailoutbox):
    user = UserFactory(username="forgetful", email="forgetful@example.org")

    client.post("/accounts/password_reset/", {"email": "forgetful@example.org"})

    assert len(mailoutbox) == 1
    assert "forgetful" in mailoutbox[0].body
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "An0ther-pass!", "new_password2": "An0ther-pass!"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("An0ther-pass!")


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, mailoutbox):
    response = client.post(
        "/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True
    )
    assert "Check your e-mail" in response.content.decode()
    assert mailoutbox == []
