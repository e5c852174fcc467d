"""Signing in and out, changing a password, and resetting a forgotten one by e-mail."""

import re
from html import unescape

import pytest
from axes.models import AccessAttempt

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_signing_in_with_the_right_password_lands_on_the_users_work(client, cast):
    response = client.post(
        "/accounts/login/", {"username": "officer", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/returns/"
    assert "Your returns" in response.content.decode()


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
    assert "Enter the same new password twice" in mismatch.content.decode()

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


# ---- messages in the GOV.UK pattern: one per problem, beside the field and in the summary ----


def form_page(response) -> str:
    assert response.status_code == 200
    return unescape(response.content.decode())


def assert_field_error(page: str, field: str, message: str) -> None:
    """The message beside the field, with the error border, and linked from the summary."""
    assert f'<li><a href="#id_{field}">{message}</a></li>' in page
    group = page[page.index(f'id="div_id_{field}"') :]
    group = group[: group.index("<input")]  # the label, the hint and the messages
    box = page[page.index(f'id="div_id_{field}"') :]
    box = box[box.index("<input") : box.index(">", box.index("<input"))]
    assert "govuk-form-group--error" in group
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in group
    assert "govuk-input--error" in box
    assert 'aria-invalid="true"' in box
    assert page.count(message) == 2  # the summary and beside the field: nowhere else


def assert_no_unstyled_errors(page: str) -> None:
    assert "alert" not in page.replace('role="alert"', "")
    assert "errorlist" not in page
    assert "This field is required" not in page


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"username": "", "password": ""},
         {"username": "Enter your username", "password": "Enter your password"}),
        ({"username": "officer", "password": ""}, {"password": "Enter your password"}),
        ({"username": "", "password": PASSWORD}, {"username": "Enter your username"}),
    ],
)  # fmt: skip
def test_an_empty_sign_in_box_says_what_to_enter_beside_it(client, cast, data, problems):
    page = form_page(client.post("/accounts/login/", data))

    assert "<title>Error: Sign in – Community safety plans</title>" in page
    assert page.count("govuk-error-summary__list") == 1
    for field, message in problems.items():
        assert_field_error(page, field, message)
    assert page.count('<span class="govuk-visually-hidden">Error:</span>') == len(problems)
    assert_no_unstyled_errors(page)


def test_empty_boxes_are_not_counted_as_a_wrong_password(client, cast):
    for _ in range(6):
        client.post("/accounts/login/", {"username": "officer", "password": ""})

    assert AccessAttempt.objects.count() == 0
    response = client.post("/accounts/login/", {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302


def test_a_wrong_password_is_one_message_in_the_summary_linked_to_the_username(client, cast):
    page = form_page(client.post("/accounts/login/", {"username": "officer", "password": "nope"}))

    assert "<title>Error: Sign in – Community safety plans</title>" in page
    assert '<li><a href="#id_username">Enter a correct username and password</a></li>' in page
    assert page.count("Enter a correct username and password") == 1
    assert "govuk-form-group--error" not in page  # neither box is the one known to be wrong
    assert 'value="officer"' in page  # the username stays typed
    assert "Please enter" not in page
    assert_no_unstyled_errors(page)


def test_an_unknown_username_gets_the_same_message(client, cast):
    page = form_page(client.post("/accounts/login/", {"username": "nobody", "password": "x"}))

    assert page.count("Enter a correct username and password") == 1


def test_the_sign_in_page_has_no_error_before_it_is_sent(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        page = form_page(client.get("/accounts/login/"))

    assert "<title>Sign in – Community safety plans</title>" in page
    assert "There is a problem" not in page
    assert "govuk-input--error" not in page


def test_the_lock_out_page_says_it_once_with_no_form_errors(client, cast):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "officer", "password": "x"})

    page = unescape(response.content.decode())
    assert response.status_code == 429
    assert page.count("<h1") == 1
    assert page.count("so signing in is paused") == 1
    assert "There is a problem" not in page
    assert "Enter a correct username and password" not in page
    assert_no_unstyled_errors(page)


@pytest.mark.parametrize(
    ("data", "problems"),
    [
        ({"old_password": "", "new_password1": "", "new_password2": ""},
         {"old_password": "Enter your current password", "new_password1": "Enter a new password",
          "new_password2": "Enter the new password again"}),
        ({"old_password": "wrong", "new_password1": "n3w-Passw0rd!",
          "new_password2": "n3w-Passw0rd!"},
         {"old_password": "Your current password is not right: enter it again"}),
        ({"old_password": PASSWORD, "new_password1": "n3w-Passw0rd!", "new_password2": "other"},
         {"new_password2": "Enter the same new password twice"}),
    ],
)  # fmt: skip
def test_changing_a_password_says_what_to_do_beside_each_box(client, cast, data, problems):
    client.force_login(cast.officer)

    page = form_page(client.post("/accounts/password_change/", data))

    assert "<title>Error: Change your password – Community safety plans</title>" in page
    for field, message in problems.items():
        assert_field_error(page, field, message)
    assert page.count('<span class="govuk-visually-hidden">Error:</span>') == len(problems)
    assert_no_unstyled_errors(page)
    cast.officer.refresh_from_db()
    assert cast.officer.check_password(PASSWORD)  # nothing changed


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter your e-mail address"),
        ("not-an-address", "Enter an e-mail address in the right form, like name@example.org"),
    ],
)
def test_asking_for_a_reset_says_what_to_enter(client, mailoutbox, email, message):
    page = form_page(client.post("/accounts/password_reset/", {"email": email}))

    assert "<title>Error: Reset your password – Community safety plans</title>" in page
    assert_field_error(page, "email", message)
    assert_no_unstyled_errors(page)
    assert mailoutbox == []


def test_choosing_a_new_password_from_the_link_says_what_to_do(client, mailoutbox):
    user = UserFactory(username="forgetful", email="forgetful@example.org")
    client.post("/accounts/password_reset/", {"email": "forgetful@example.org"})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mailoutbox[0].body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]

    empty = form_page(client.post(form_url, {"new_password1": "", "new_password2": ""}))
    mismatch = form_page(
        client.post(form_url, {"new_password1": "An0ther-pass!", "new_password2": "other"})
    )

    assert "<title>Error: Choose a new password – Community safety plans</title>" in empty
    assert_field_error(empty, "new_password1", "Enter a new password")
    assert_field_error(empty, "new_password2", "Enter the new password again")
    assert_field_error(mismatch, "new_password2", "Enter the same new password twice")
    assert_no_unstyled_errors(mismatch)
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
