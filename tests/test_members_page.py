"""The members' page of a partnership: reviewers and board members land there after signing in;
it lists the plans to review, the quarterly reports and what is overdue; only the partnership's
members, in any role, may read it."""

from datetime import date

import pytest
from django.utils import timezone

from plans.models import Membership
from priorities.models import Comment
from tests import factories as f

pytestmark = pytest.mark.django_db

PAGE = "/members/lichfield/"
PAST = date(2024, 4, 26)  # a due date long gone


def overdue_quarter(cast, **kwargs):
    """2023/24 Q4 of the cast's partnership, still open after its due date."""
    return f.ReportingPeriodFactory(
        partnership=cast.partnership,
        financial_year=2023,
        quarter=4,
        due_date=PAST,
        is_open=True,
        **kwargs,
    )


def outsider(role=Membership.Role.MANAGER):
    """A member of another partnership."""
    user = f.UserFactory()
    f.MembershipFactory(user=user, role=role)
    return user


# ---- who lands here, and who may read it ---------------------------------------------------


def test_a_reviewer_lands_on_their_partnerships_page_after_signing_in(client, cast):
    client.force_login(cast.reviewer)

    response = client.get("/signed-in/", follow=True)

    assert [url for url, _ in response.redirect_chain] == ["/members/", PAGE]
    page = response.content.decode()
    assert "Members’ page" in page
    assert cast.partnership.name in page


def test_someone_in_several_partnerships_chooses_one(client, cast):
    other = f.PartnershipFactory(name="Tamworth Community Safety Partnership", slug="tamworth")
    f.MembershipFactory(user=cast.reviewer, partnership=other, role=Membership.Role.REVIEWER)
    client.force_login(cast.reviewer)

    response = client.get("/members/")

    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="{PAGE}"' in page
    assert 'href="/members/tamworth/"' in page


def test_the_navigation_leads_members_to_it(client, cast):
    client.force_login(cast.officer)

    page = client.get("/returns/").content.decode()

    assert '<a class="govuk-service-navigation__link" href="/members/">Your partnership</a>' in page


@pytest.mark.parametrize("who", ["reviewer", "officer", "other_officer", "manager"])
def test_every_member_of_the_partnership_may_read_it(client, cast, who):
    client.force_login(getattr(cast, who))

    assert client.get(PAGE).status_code == 200


def test_visitors_are_sent_to_sign_in(client, cast):
    for url in ("/members/", PAGE):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    "role", [Membership.Role.MANAGER, Membership.Role.OFFICER, Membership.Role.REVIEWER]
)
def test_another_partnerships_members_are_refused_with_the_reason(client, cast, role):
    client.force_login(outsider(role))

    response = client.get(PAGE)

    assert response.status_code == 403
    assert "The members’ page is only for the partnership’s members." in response.content.decode()


def test_an_account_in_no_partnership_is_refused_both_pages(client, cast):
    client.force_login(f.UserFactory(is_staff=True))

    for url in ("/members/", PAGE):
        response = client.get(url)
        assert response.status_code == 403
    assert "your account is not one" in client.get("/members/").content.decode()


def test_an_unknown_partnership_is_not_found(client, cast):
    client.force_login(cast.reviewer)

    assert client.get("/members/nowhere/").status_code == 404


def test_it_is_only_read(client, cast):
    client.force_login(cast.reviewer)

    assert client.post(PAGE).status_code == 405
    assert client.post("/members/").status_code == 405


# ---- what it shows -----------------------------------------------------------------------


def test_it_lists_the_plans_in_draft_or_in_review_with_their_open_comments(client, cast):
    plan = cast.version.plan
    draft = f.PlanVersionFactory(plan=plan, label="Refresh April 2025")
    in_review = f.PlanVersionFactory(plan=plan, label="Refresh April 2024", status="in_review")
    f.PlanVersionFactory(plan__partnership=outsider_partnership(), label="Their draft")
    for resolved_at in (None, None, timezone.now()):
        Comment.objects.create(
            version=in_review, author=cast.reviewer, organisation=cast.council,
            body="Who leads this?", resolved_at=resolved_at,
        )  # fmt: skip
    client.force_login(cast.reviewer)

    page = client.get(PAGE).content.decode()

    draft_url = f"/partnerships/lichfield/{plan.slug}/drafts/{draft.number}/"
    review_url = f"/partnerships/lichfield/{plan.slug}/drafts/{in_review.number}/"
    assert f'href="{draft_url}">{plan.title}: Refresh April 2025</a>' in page
    assert "(draft, no open comments)" in page
    assert f'href="{review_url}">{plan.title}: Refresh April 2024</a>' in page
    assert "(in review, 2 open comments)" in page
    assert cast.version.label not in page  # published: it is on the public pages
    assert "Their draft" not in page


def outsider_partnership():
    return f.PartnershipFactory(name="Elsewhere Community Safety Partnership")


def test_with_no_draft_it_says_so(client, cast):
    client.force_login(cast.reviewer)

    assert "No plan is in draft or in review." in client.get(PAGE).content.decode()


def test_it_lists_every_quarters_report_newest_first_published_or_not(client, cast):
    published = f.ReportingPeriodFactory(
        partnership=cast.partnership, financial_year=2023, quarter=2, reported=True
    )
    withdrawn = f.ReportingPeriodFactory(
        partnership=cast.partnership,
        financial_year=2023,
        quarter=3,
        report_withdrawn_reason="A figure was wrong.",
    )
    theirs = f.ReportingPeriodFactory(partnership=outsider_partnership())
    client.force_login(cast.reviewer)

    page = client.get(PAGE).content.decode()

    links = [
        f'href="/reports/{p.pk}/"' for p in (cast.period, withdrawn, published, cast.last_year)
    ]
    assert all(link in page for link in links)
    assert [page.index(link) for link in links] == sorted(page.index(link) for link in links)
    assert "Published 20 May 2024" in page
    assert "Withdrawn: A figure was wrong." in page
    assert page.count("Not published: members only") == 2
    assert f'href="/reports/{theirs.pk}/"' not in page


def test_it_lists_the_agencies_that_still_owe_items_for_an_overdue_quarter(client, cast):
    late = overdue_quarter(cast)
    # The police owe two figures and the knife-bin update; they sent one figure in.
    f.ReturnFactory(indicator=cast.knives, reporting_period=late, status="submitted")
    f.ReturnFactory(indicator=cast.repeat, reporting_period=late, status="draft")
    # The council owes one figure and has sent it in: it is not late.
    f.ReturnFactory(indicator=cast.council_indicator, reporting_period=late, status="approved")
    client.force_login(cast.reviewer)

    page = client.get(PAGE).content.decode()

    overdue = page[page.index('<h2 class="govuk-heading-l">Overdue</h2>') :]
    assert "2023/24 Q4: due 26 April 2024, 2 items still owed" in overdue
    assert "Staffordshire Police</th>" in overdue
    assert "2 of 3</td>" in overdue
    assert "Lichfield District Council" not in overdue


def test_quarters_not_yet_due_closed_or_complete_are_not_overdue(client, cast):
    # cast.period is open and due in 2099; a closed quarter past its date is finished with.
    f.ReportingPeriodFactory(
        partnership=cast.partnership, financial_year=2023, quarter=3, due_date=PAST
    )
    complete = overdue_quarter(cast)
    for indicator in (cast.knives, cast.repeat, cast.council_indicator):
        f.ReturnFactory(indicator=indicator, reporting_period=complete, status="approved")
    f.ActionUpdateFactory(action_row=cast.action, reporting_period=complete, status="submitted")
    client.force_login(cast.reviewer)

    page = client.get(PAGE).content.decode()

    assert "Nothing is overdue." in page
    assert "still owed" not in page


# ---- queries -------------------------------------------------------------------------------


def build_partnership(count: int):
    """A partnership with `count` drafts, `count` closed quarters and one overdue quarter in
    which `count` agencies each owe an indicator's figure; and its reviewer."""
    agencies = [f.OrganisationFactory() for _ in range(count)]
    partnership = f.PartnershipFactory(slug="counted", organisations=agencies)
    plan = f.PlanFactory(partnership=partnership)
    for _ in range(count):
        version = f.PlanVersionFactory(plan=plan)
        Comment.objects.create(
            version=version, organisation=agencies[0], body="A question.", author=None
        )
    for quarter in range(1, count + 1):
        f.ReportingPeriodFactory(
            partnership=partnership, financial_year=2022, quarter=quarter, reported=True
        )
    f.ReportingPeriodFactory(
        partnership=partnership, financial_year=2023, quarter=1, due_date=PAST, is_open=True
    )
    for agency in agencies:
        f.IndicatorFactory(partnership=partnership, owner=agency)
    reviewer = f.UserFactory(username="counted-reviewer")
    f.MembershipFactory(
        user=reviewer, partnership=partnership, organisation=agencies[0], role="reviewer"
    )
    return reviewer


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_queries_for_one_or_three_of_everything(
    client, django_assert_num_queries, count
):
    client.force_login(build_partnership(count))

    # Session, user, navigation roles; the partnership and the membership check; drafts with
    # their open comments; quarters; and the overdue quarter's completeness (four: with no
    # plan version in force, no action rows or updates are owed and none is read).
    with django_assert_num_queries(11):
        response = client.get("/members/counted/")

    page = response.content.decode()
    assert page.count("no open comments") == 0
    assert page.count("(draft, 1 open comment)") == count
    assert page.count("Published 20 May 2024") == count
    assert page.count("1 of 1</td>") == count


@pytest.mark.parametrize("count", [1, 3])
def test_choosing_a_partnership_costs_the_same_queries_for_one_or_three(
    client, django_assert_num_queries, count
):
    person = f.UserFactory()
    for _ in range(count + 1):  # one partnership goes straight to it: two at least to choose
        f.MembershipFactory(user=person, role="reviewer")
    client.force_login(person)

    with django_assert_num_queries(4):  # session, user, navigation roles, partnerships
        response = client.get("/members/")

    assert response.content.decode().count('href="/members/partnership-') == count + 1
