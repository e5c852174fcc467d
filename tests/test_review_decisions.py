"""The one-item review page asks the decision first (approve, or return with a reason) and keeps
whatever the manager typed: a reason beside Approve is refused, not dropped; an approved item
is reopened with a reason; of two managers deciding at once, the second is told what the first
did and keeps the reason they typed."""

import re
from decimal import Decimal

import pytest
from django.db import connection

from indicators.models import Return
from reporting import decisions
from reporting.decision_forms import APPROVE_WITH_REASON
from tests.factories import (
    ActionUpdateFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

WHEN = r"\d+ \w+ \d{4} at \d+:\d\d[ap]m"


@pytest.fixture
def item(cast):
    return ReturnFactory(
        indicator=cast.knives,
        reporting_period=cast.period,
        value=Decimal("44"),
        status="submitted",
        revision=2,
    )


@pytest.fixture
def deputy(cast):
    return MembershipFactory(
        user=UserFactory(username="deputy", first_name="Dee", last_name="Puty"),
        partnership=cast.partnership,
        organisation=cast.council,
        role="manager",
    ).user


def decide(client, item, decision, reason="", revision=None):
    kind = "returns" if isinstance(item, Return) else "updates"
    return client.post(
        f"/manage/{kind}/{item.pk}/",
        {
            "decision": decision,
            "reason": reason,
            "revision": item.revision if revision is None else revision,
        },
    )


def stored(item):
    return type(item).objects.get(pk=item.pk)


def reason_box(page: str) -> str:
    return re.search(r'<textarea[^>]*name="reason"[^>]*>\n(.*?)</textarea>', page, re.S).group(1)


# ---- the form -------------------------------------------------------------------------------


def test_the_decision_comes_first_with_the_reason_revealed_under_return(manager_client, item):
    page = manager_client.get(f"/manage/returns/{item.pk}/").content.decode()
    start = page.index('<form method="post" id="decision"')
    form = page[start : page.index("</form>", start)]

    assert '<h2 class="govuk-fieldset__heading">What do you want to do?</h2>' in form
    approve_at, return_at = form.index(">Approve</label>"), form.index(">Return to the officer<")
    reason_at = form.index('name="reason"')
    assert approve_at < return_at < reason_at
    # The reason is in the conditional reveal under Return (static/js/reveal.js hides it until
    # Return is chosen; without JavaScript it shows).
    assert (
        'id="id_decision-return" name="decision" type="radio" value="return" aria-controls' in form
    )
    assert re.search(
        r'<div class="govuk-radios__conditional" id="conditional-return" '
        r'data-revealed-by="id_decision-return">\s*<div class="govuk-form-group">\s*'
        r'<label class="govuk-label" for="id_reason">Why are you returning it\?</label>',
        form,
    )
    assert "aria-expanded" not in form
    assert form.count("<button") == 1
    assert f'name="revision" value="{item.revision}"' in form
    assert 'id="id_decision" name="decision" type="radio" value="approve"' in form


def test_approving_without_a_reason_approves(manager_client, cast, item):
    response = decide(manager_client, item, "approve")

    assert response.status_code == 302
    assert response.url == f"/manage/periods/{cast.period.pk}/"
    now = stored(item)
    assert (now.status, now.approved_by, now.revision) == ("approved", cast.manager, 3)


def test_returning_with_a_reason_sends_it_back_with_that_reason(manager_client, item):
    assert decide(manager_client, item, "return", "Check the Q1 total").status_code == 302

    assert (stored(item).status, stored(item).returned_reason) == ("returned", "Check the Q1 total")


def test_returning_needs_a_reason_given_beside_the_box(manager_client, item):
    response = decide(manager_client, item, "return", "   ")

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert '<a href="#id_reason">Say why, so the officer knows what to change.</a>' in page
    assert (
        '<p id="id_reason-error" class="govuk-error-message"><span class="govuk-visually-hidden">'
        "Error:</span> Say why, so the officer knows what to change.</p>"
    ) in page
    # Return stays chosen, so its reveal (and the message in it) shows.
    assert 'value="return" checked aria-controls="conditional-return"' in page
    assert stored(item).status == "submitted"


def test_a_reason_typed_beside_approve_is_refused_and_kept_on_view(manager_client, item):
    response = decide(manager_client, item, "approve", "The total looks low")

    page = response.content.decode()
    assert response.status_code == 200
    assert APPROVE_WITH_REASON in page
    assert f'<a href="#id_reason">{APPROVE_WITH_REASON}</a>' in page
    assert reason_box(page) == "The total looks low"
    # Shown on its own, not hidden under Return: both ways out are one step away.
    assert "conditional-return" not in page
    assert 'value="approve" checked' in page
    assert (stored(item).status, stored(item).revision) == ("submitted", 2)


def test_choosing_nothing_asks_for_a_choice_and_keeps_the_reason(manager_client, item):
    page = decide(manager_client, item, "", "Half typed").content.decode()

    assert (
        '<a href="#id_decision">Select whether to approve it or return it to the officer.</a>'
        in page
    )
    assert 'aria-describedby="id_decision-error"' in page
    assert reason_box(page) == "Half typed"
    assert stored(item).status == "submitted"


@pytest.mark.parametrize("revision", ["", "x", "-1", "99999999999999999999"])
def test_a_decision_without_a_readable_revision_is_refused_with_a_message(
    manager_client, item, revision
):
    page = decide(manager_client, item, "approve", revision=revision).content.decode()

    assert '<a href="#id_decision">This page was incomplete: open the item again.</a>' in page
    assert (stored(item).status, stored(item).revision) == ("submitted", 2)


def test_an_approved_item_offers_reopen_which_needs_a_reason(manager_client, cast, item):
    item.approve(cast.manager)

    page = manager_client.get(f"/manage/returns/{item.pk}/").content.decode()
    assert "What do you want to do?" not in page
    assert ">Reopen for the officer</button>" in page
    assert 'for="id_reason">Why are you reopening it?</label>' in page

    refused = decide(manager_client, stored(item), "reopen", "")
    assert "Say why, so the officer knows what to change." in refused.content.decode()
    assert stored(item).status == "approved"

    assert decide(manager_client, stored(item), "reopen", "Police recount").status_code == 302
    now = stored(item)
    assert (now.status, now.returned_reason) == ("returned", "Police recount")
    assert now.approved_by is None


def test_a_draft_or_returned_item_has_nothing_to_decide(manager_client, cast):
    draft = ReturnFactory(indicator=cast.knives, reporting_period=cast.period, status="draft")

    page = manager_client.get(f"/manage/returns/{draft.pk}/").content.decode()
    refused = decide(manager_client, draft, "approve").content.decode()

    assert 'id="decision"' not in page
    assert "Only a submitted item can be approved or returned" in refused
    assert stored(draft).status == "draft"


def test_action_updates_are_decided_the_same_way_and_show_their_lead_agency(manager_client, cast):
    update = ActionUpdateFactory(
        action_row=cast.action, reporting_period=cast.period, status="submitted"
    )

    page = manager_client.get(f"/manage/updates/{update.pk}/").content.decode()
    assert re.search(r"Lead agency</dt><dd[^>]*>Staffordshire Police\s*</dd>", page)

    assert decide(manager_client, update, "return", "Say which bins").status_code == 302
    assert stored(update).returned_reason == "Say which bins"


def test_the_officer_is_told_of_each_decision(manager_client, cast, item, monkeypatch):
    told = []
    monkeypatch.setattr(decisions.notifications, "decided", lambda *args: told.append(args))

    decide(manager_client, item, "return", "Check the total")

    ((items, step, by, reason),) = told
    assert [(i.pk, i.status) for i in items] == [(item.pk, "returned")]
    assert (step, by, reason) == ("return", cast.manager, "Check the total")


def test_nobody_is_told_of_a_refused_decision(manager_client, item, monkeypatch):
    told = []
    monkeypatch.setattr(decisions.notifications, "decided", lambda *args: told.append(args))

    decide(manager_client, item, "approve", "A reason")
    decide(manager_client, item, "approve", revision=1)

    assert told == []


# ---- two managers at once -------------------------------------------------------------------


def test_returning_what_another_manager_approved_meanwhile_offers_reopen_with_the_reason(
    manager_client, item, deputy
):
    stored(item).approve(deputy)

    page = decide(manager_client, item, "return", "Check the total").content.decode()

    assert re.search(rf"Dee Puty approved this on {WHEN}\. Nothing was changed\.", page)
    assert ">Reopen for the officer</button>" in page
    assert reason_box(page) == "Check the total"  # kept, ready to reopen with
    assert f'name="revision" value="{item.revision + 1}"' in page
    assert stored(item).status == "approved"


def test_approving_what_another_manager_returned_meanwhile_says_who_when_and_why(
    manager_client, item, deputy
):
    stored(item).send_back(deputy, "Wrong quarter")

    page = decide(manager_client, item, "return", "Looks low").content.decode()

    assert re.search(
        rf"Dee Puty returned this on {WHEN}: “Wrong quarter”\. Nothing was changed\.", page
    )
    assert "The reason you typed, not sent:" in page
    assert "Looks low" in page
    assert 'id="decision"' not in page  # nothing left to decide
    assert (stored(item).status, stored(item).returned_reason) == ("returned", "Wrong quarter")


def test_a_reopened_item_is_told_as_reopened(manager_client, cast, item, deputy):
    item.approve(cast.manager)
    seen = stored(item)
    stored(item).reopen(deputy, "Police recount")

    page = decide(manager_client, seen, "reopen", "Typo in the figure").content.decode()

    assert re.search(rf"Dee Puty reopened this on {WHEN}: “Police recount”\.", page)
    assert "Typo in the figure" in page


def test_a_decision_landing_just_before_ours_wins_and_ours_is_refused(manager_client, item, deputy):
    """The item was as the manager saw it when the request read it; the other manager's
    decision commits just before ours claims it (our transaction's first statement): ours is
    refused by the conditional UPDATE, not saved over theirs."""
    fired = []

    def deputy_first(execute, sql, params, many, context):
        if sql.startswith("SAVEPOINT") and not fired:
            fired.append(sql)
            Return.objects.get(pk=item.pk).send_back(deputy, "Wrong quarter")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(deputy_first):
        page = decide(manager_client, item, "approve").content.decode()

    assert fired
    assert re.search(rf"Dee Puty returned this on {WHEN}: “Wrong quarter”\.", page)
    now = stored(item)
    assert (now.status, now.revision, now.approved_by) == ("returned", 3, None)


# ---- who may ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_sign_in(client, item, method):
    response = getattr(client, method)(f"/manage/returns/{item.pk}/", {"decision": "approve"})

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert stored(item).status == "submitted"


@pytest.mark.parametrize("who", ["officer", "other_officer", "reviewer", "other_manager"])
def test_only_the_partnerships_managers_see_or_decide(client, cast, item, who):
    people = {
        "officer": cast.officer,
        "other_officer": cast.other_officer,
        "reviewer": cast.reviewer,
        "other_manager": MembershipFactory(role="manager", partnership=PartnershipFactory()).user,
    }
    client.force_login(people[who])

    assert client.get(f"/manage/returns/{item.pk}/").status_code == 403
    assert decide(client, item, "approve").status_code == 403
    assert stored(item).status == "submitted"


# ---- queries ---------------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [1, 3])
def test_the_review_page_reads_a_fixed_number_of_queries(
    manager_client, item, changes, django_assert_num_queries
):
    for n in range(changes):
        item.commentary = f"Revised {n}"
        item.save()

    with django_assert_num_queries(9):
        page = manager_client.get(f"/manage/returns/{item.pk}/").content.decode()

    assert page.count("Commentary: ") == changes


@pytest.mark.parametrize("lead_agencies", [1, 3])
def test_an_updates_review_page_reads_a_fixed_number_of_queries(
    manager_client, cast, lead_agencies, django_assert_num_queries
):
    others = [OrganisationFactory() for _ in range(lead_agencies - 1)]
    cast.partnership.organisations.add(*others)
    cast.action.lead_organisations.add(*others)
    update = ActionUpdateFactory(
        action_row=cast.action, reporting_period=cast.period, status="submitted"
    )

    with django_assert_num_queries(7):
        page = manager_client.get(f"/manage/updates/{update.pk}/").content.decode()

    assert "Staffordshire Police" in page


def test_a_decision_takes_a_fixed_number_of_queries(
    manager_client, item, django_assert_num_queries
):
    with django_assert_num_queries(13):
        assert decide(manager_client, item, "return", "Check it").status_code == 302
