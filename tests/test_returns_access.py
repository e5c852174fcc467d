"""Every signed-in page refuses the roles it must: visitors sign in first; officers see only
their own agency; reviewers and officers stay out of the manager's pages."""

import pytest

from tests.factories import (
    MembershipFactory,
    PartnershipFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def urls(cast):
    figure = ReturnFactory(indicator=cast.knives, reporting_period=cast.period, status="submitted")
    return {
        "due": "/returns/",
        "entry": f"/returns/{cast.period.pk}/{cast.police.pk}/",
        "manage": "/manage/",
        "period": f"/manage/periods/{cast.period.pk}/",
        "review": f"/manage/returns/{figure.pk}/",
    }


def status_for(client, user, url, method="get"):
    client.logout()
    if user is not None:
        client.force_login(user)
    return getattr(client, method)(url).status_code


@pytest.mark.parametrize("view", ["due", "entry", "manage", "period", "review"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_sign_in(client, cast, view, method):
    url = urls(cast)[view]
    response = getattr(client, method)(url)
    assert response.status_code == 302
    assert response.url.startswith(f"/accounts/login/?next={url}")


ALLOWED = {
    "due": {"officer", "other_officer"},
    "entry": {"officer"},
    "manage": {"manager"},
    "period": {"manager"},
    "review": {"manager"},
}


@pytest.mark.parametrize("view", list(ALLOWED))
@pytest.mark.parametrize("who", ["officer", "other_officer", "manager", "reviewer", "outsider"])
def test_each_page_admits_only_its_roles(client, cast, view, who):
    people = {
        "officer": cast.officer,
        "other_officer": cast.other_officer,
        "manager": cast.manager,
        "reviewer": cast.reviewer,
        "outsider": UserFactory(),
    }
    expected = 200 if who in ALLOWED[view] else 403
    assert status_for(client, people[who], urls(cast)[view]) == expected


def test_a_manager_of_another_partnership_cannot_manage_this_one(client, cast):
    elsewhere = MembershipFactory(role="manager", partnership=PartnershipFactory()).user
    pages = urls(cast)
    for page in ["period", "review"]:
        assert status_for(client, elsewhere, pages[page]) == 403
    assert status_for(client, elsewhere, pages["review"], "post") == 403


def test_an_officer_cannot_post_to_another_agencys_page(client, cast):
    assert status_for(client, cast.other_officer, urls(cast)["entry"], "post") == 403


def test_unknown_period_organisation_or_item_is_not_found(client, cast):
    client.force_login(cast.officer)
    assert client.get(f"/returns/999999/{cast.police.pk}/").status_code == 404
    assert client.get(f"/returns/{cast.period.pk}/999999/").status_code == 404
    client.force_login(cast.manager)
    assert client.get("/manage/periods/999999/").status_code == 404
    assert client.get("/manage/returns/999999/").status_code == 404
    assert client.get("/manage/nonsense/1/").status_code == 404


def test_the_period_of_another_partnership_is_refused_to_its_non_officers(client, cast):
    other_period = ReportingPeriodFactory(is_open=True)
    client.force_login(cast.officer)
    assert client.get(f"/returns/{other_period.pk}/{cast.police.pk}/").status_code == 403


@pytest.mark.parametrize(
    ("who", "lands_on"),
    [("manager", "/manage/"), ("officer", "/returns/"), ("reviewer", "/members/")],
)
def test_signing_in_lands_on_each_roles_work(client, cast, who, lands_on):
    client.force_login(getattr(cast, who))
    response = client.get("/signed-in/")
    assert response.status_code == 302
    assert response.url == lands_on
