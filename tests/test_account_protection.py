"""Guessing passwords and flooding inboxes do not work: sign-in pauses after five wrong
passwords for an account or from an address, password resets are limited, and refusals are
GOV.UK pages with a way back."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.utils import timezone
from django.views.defaults import server_error

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def sign_in(client, username, password, url="/accounts/login/", address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_five_wrong_passwords_pause_the_account_even_for_the_right_one(client, url):
    UserFactory(username="alice", is_staff=True)
    for _ in range(4):
        assert sign_in(client, "alice", "guess", url).status_code == 200

    paused = sign_in(client, "alice", "guess", url)
    again = sign_in(Client(), "alice", PASSWORD, url, address="10.9.9.9")  # elsewhere, right

    assert paused.status_code == 429
    page = paused.content.decode()
    assert "Sign-in is paused" in page
    assert "for 15 minutes" in page
    assert 'href="/accounts/password_reset/"' in page
    assert again.status_code == 429


def test_five_wrong_passwords_from_one_address_pause_it_for_every_account(client):
    UserFactory(username="bob")
    for name in ["carol", "dave", "erin", "frank", "grace"]:
        sign_in(client, name, "guess")

    assert sign_in(client, "bob", PASSWORD).status_code == 429
    assert sign_in(Client(), "bob", PASSWORD, address="10.0.0.2").status_code == 302


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_a_username_longer_than_any_is_refused_like_a_wrong_password(client, url):
    response = sign_in(client, "x" * 6_000, "guess", url)

    assert response.status_code == 200
    assert AccessAttempt.objects.get().username == "x" * 150


def test_sign_in_works_again_after_the_pause(client):
    UserFactory(username="alice")
    for _ in range(5):
        sign_in(client, "alice", "guess")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_a_right_password_clears_earlier_mistakes(client):
    UserFactory(username="alice")
    for _ in range(4):
        sign_in(client, "alice", "guess")
    assert sign_in(client, "alice", PASSWORD).status_code == 302

    for _ in range(4):
        assert sign_in(Client(), "alice", "guess").status_code == 200


def test_password_resets_are_limited_per_email_address(client, mailoutbox):
    UserFactory(username="alice", email="alice@example.org")
    for n in range(5):
        client.post(
            "/accounts/password_reset/", {"email": "alice@example.org"}, REMOTE_ADDR=f"10.0.0.{n}"
        )

    refused = client.post(
        "/accounts/password_reset/", {"email": "ALICE@example.org"}, REMOTE_ADDR="10.0.1.1"
    )

    assert len(mailoutbox) == 5
    assert refused.status_code == 200
    assert "too many requests to reset a password" in refused.content.decode()


def test_password_resets_are_limited_per_address(client, mailoutbox):
    for n in range(5):
        client.post("/accounts/password_reset/", {"email": f"someone{n}@example.org"})
    UserFactory(username="alice", email="alice@example.org")

    refused = client.post("/accounts/password_reset/", {"email": "alice@example.org"})

    assert "too many requests to reset a password" in refused.content.decode()
    assert mailoutbox == []


def test_behind_a_proxy_the_visitors_address_is_read_from_x_forwarded_for(client, settings):
    settings.PROXY_COUNT = 1
    UserFactory(username="bob")
    for name in ["carol", "dave", "erin", "frank", "grace"]:
        client.post(
            "/accounts/login/",
            {"username": name, "password": "guess"},
            REMOTE_ADDR="192.168.0.2",  # the proxy
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    other_visitor = client.post(
        "/accounts/login/",
        {"username": "bob", "password": PASSWORD},
        REMOTE_ADDR="192.168.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.4",
    )

    assert other_visitor.status_code == 302  # the proxy's address is not everyone's


def test_a_refused_page_is_a_govuk_page_with_a_way_back(client, cast):
    client.force_login(cast.officer)

    response = client.get("/manage/")

    page = response.content.decode()
    assert response.status_code == 403
    assert "You cannot see this page" in page
    assert 'href="/signed-in/"' in page
    assert "govuk-template" in page


def test_an_expired_form_says_so(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer)

    response = client.post("/accounts/logout/")

    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()


def test_the_error_page_needs_nothing_but_itself():
    response = server_error(RequestFactory().get("/"))

    page = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in page
    assert "govuk-template" in page


@pytest.mark.parametrize(
    ("forwarded", "proxies", "expected"),
    [
        ("203.0.113.7", 1, "203.0.113.7"),
        ("6.6.6.6, 203.0.113.7", 1, "203.0.113.7"),  # the visitor wrote the first entry
        ("203.0.113.7, 10.0.0.5", 2, "203.0.113.7"),
        ("", 1, "192.168.0.2"),
        ("203.0.113.7", 0, "192.168.0.2"),  # no proxy configured: the header is ignored
    ],
)
def test_the_visitors_address_is_the_one_the_proxy_vouches_for(
    settings, forwarded, proxies, expected
):
    from csp.security import client_ip

    settings.PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="192.168.0.2", HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected
