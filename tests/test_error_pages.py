"""Refused, missing and broken pages are GOV.UK pages that say what happened and where to go:
403 with the view's reason, 404, 500 and 400 (which need nothing but themselves) and the expired
form."""

from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import path
from django.views.defaults import bad_request, permission_denied, server_error

from indicators.models import Return
from tests.entry_helpers import entry_form_data, entry_url
from tests.factories import UserFactory


def boom(request):
    raise RuntimeError("Something broke.")


# The 500 test's own URLs (see test_a_failing_page_is_the_govuk_problem_page).
urlpatterns = [path("boom/", boom)]


def text(response) -> str:
    return unescape(response.content.decode())


def assert_govuk_page(page: str) -> None:
    assert "govuk-template" in page
    assert '<main class="govuk-main-wrapper" id="main-content">' in page
    assert page.count("<h1") == 1


# ---- 403 ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_refused_officer_is_told_why_and_where_to_go(client, cast):
    client.force_login(cast.officer)

    response = client.get("/manage/")

    page = text(response)
    assert response.status_code == 403
    assert_govuk_page(page)
    assert "<title>You cannot see this page – Community safety plans</title>" in page
    assert '<p class="govuk-body">This page is for partnership managers.</p>' in page
    assert "You are signed in as <strong>officer</strong>" in page
    assert 'href="/signed-in/">Go to your pages</a>' in page
    assert 'href="/accounts/login/?next=/manage/">Sign in with another account</a>' in page
    assert 'href="/">See all published plans</a>' in page


@pytest.mark.django_db
def test_a_refused_reviewer_sees_the_views_own_reason(client, cast):
    client.force_login(cast.reviewer)

    response = client.get(f"/manage/periods/{cast.period.pk}/")

    assert response.status_code == 403
    assert "Only the partnership's managers see this." in text(response)


def refused(user, exception) -> str:
    """Django's 403 handler, as it answers a view raising `exception`."""
    request = RequestFactory().get("/somewhere/")
    request.user, request.session = user, SessionStore()
    response = permission_denied(request, exception)
    assert response.status_code == 403
    return text(response)


@pytest.mark.django_db
def test_a_refusal_without_a_reason_shows_no_empty_paragraph(cast):
    page = refused(cast.officer, PermissionDenied())

    assert '<p class="govuk-body"></p>' not in page
    assert "You cannot see this page" in page


@pytest.mark.django_db
def test_a_refused_visitor_is_offered_sign_in_and_the_public_plans():
    page = refused(AnonymousUser(), PermissionDenied("Members only."))

    assert_govuk_page(page)
    assert '<p class="govuk-body">Members only.</p>' in page
    assert 'href="/accounts/login/?next=/somewhere/">Sign in</a> if you have an account' in page
    assert 'href="/">See all published plans</a>' in page
    assert "Go to your pages" not in page


# ---- 404 ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_missing_page_for_a_visitor_suggests_signing_in(client):
    response = client.get("/partnerships/nowhere/")

    page = text(response)
    assert response.status_code == 404
    assert_govuk_page(page)
    assert "<title>Page not found – Community safety plans</title>" in page
    assert "If you typed the web address, check it is correct." in page
    assert "If you pasted the web address, check you copied the entire address." in page
    assert 'href="/accounts/login/?next=/partnerships/nowhere/">sign in</a> to see it' in page
    assert 'href="/">See all published plans</a>' in page


@pytest.mark.django_db
def test_a_missing_page_for_someone_signed_in_leads_to_their_pages(client, cast):
    client.force_login(cast.reviewer)

    response = client.get("/members/nowhere/")

    page = text(response)
    assert response.status_code == 404
    assert "Page not found" in page
    assert "a partnership you are not a member of" in page
    assert 'href="/signed-in/">Go to your pages</a>' in page
    assert "sign in</a> to see it" not in page


# ---- 500 ---------------------------------------------------------------------------------


def test_the_problem_page_needs_no_database_and_no_context_processors():
    # No django_db mark: any query would fail the test.
    response = server_error(RequestFactory().get("/"))

    page = text(response)
    assert response.status_code == 500
    assert_govuk_page(page)
    assert "<title>Sorry, there is a problem with the service" in page
    assert "Try again later." in page
    assert 'href="/">Go to the published plans</a>' in page


@pytest.mark.urls("tests.test_error_pages")
def test_a_failing_page_is_the_govuk_problem_page():
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in text(response)
    assert "Something broke" not in text(response)


# ---- 400 ---------------------------------------------------------------------------------


def test_the_unreadable_request_page_needs_no_database_and_no_context_processors():
    response = bad_request(RequestFactory().get("/"), exception=None)

    page = text(response)
    assert response.status_code == 400
    assert_govuk_page(page)
    assert "<title>The page sent could not be read – Community safety plans</title>" in page
    assert "nothing was saved" in page


@pytest.mark.django_db
def test_a_page_sending_more_fields_than_allowed_saves_nothing_and_says_so(
    officer_client, cast, settings
):
    data = entry_form_data(officer_client.get(entry_url(cast)), action="draft")
    data = {name: "7" if name.endswith("-value") else value for name, value in data.items()}
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = len(data) - 1

    response = officer_client.post(entry_url(cast), data)

    assert response.status_code == 400
    assert "The page sent could not be read" in text(response)
    assert not Return.objects.filter(reporting_period=cast.period).exists()


# ---- the expired form (CSRF) --------------------------------------------------------------


@pytest.mark.django_db
def test_an_expired_form_for_someone_signed_in(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer)

    response = client.post("/accounts/logout/")

    page = text(response)
    assert response.status_code == 403
    assert_govuk_page(page)
    assert "<title>The form has expired – Community safety plans</title>" in page
    assert "Nothing was saved." in page
    assert 'href="/signed-in/">Go to your pages</a>' in page
    assert client.get("/returns/").status_code == 200  # still signed in


@pytest.mark.django_db
def test_an_expired_form_for_a_visitor():
    UserFactory(username="alice")
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "alice", "password": "x"})

    page = text(response)
    assert response.status_code == 403
    assert "The form has expired" in page
    assert 'href="/accounts/login/">Sign in</a> if you have an account' in page
    assert "Go to your pages" not in page
