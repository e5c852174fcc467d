"""The manager's quarter page: each item waiting for a decision with what the manager needs to
decide from the list (figure, last year's, change, target, rank, rating, commentary; an
action's lead agency, status and progress), and approving the ticked ones at once, each only
as the manager saw it."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import F
from django.utils import timezone

from indicators.models import Return
from plans.models import PlanVersion
from priorities.models import ActionUpdate
from reporting import decisions
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MembershipFactory,
    PartnershipFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy(cast):
    """A second manager of the same partnership, who decides first."""
    return MembershipFactory(
        user=UserFactory(username="deputy", first_name="Dee", last_name="Puty"),
        partnership=cast.partnership,
        organisation=cast.council,
        role="manager",
    ).user


def submitted(cast, indicator, value="44", **fields):
    return ReturnFactory(
        indicator=indicator,
        reporting_period=cast.period,
        value=Decimal(value),
        status="submitted",
        **{"revision": 1, **fields},
    )


def submitted_update(cast, row=None, **fields):
    return ActionUpdateFactory(
        action_row=row or cast.action,
        reporting_period=cast.period,
        status="submitted",
        revision=1,
        **fields,
    )


def quarter_page(client, cast) -> str:
    response = client.get(f"/manage/periods/{cast.period.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def approve(client, cast, *items, period=None):
    ticked = {"returns": [], "updates": []}
    for item in items:
        kind = "returns" if isinstance(item, Return) else "updates"
        ticked[kind].append(f"{item.pk}:{item.revision}")
    return client.post(f"/manage/periods/{(period or cast.period).pk}/approve/", ticked)


def row_cells(page: str, marker: str) -> list[str]:
    """The text of each cell of the table row holding `marker`."""
    rows = re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', page, re.S)
    (row,) = [row for row in rows if marker in row]
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", cell).split()) for cell in cells]


def stored(item):
    return type(item).objects.get(pk=item.pk)


# ---- what the list shows --------------------------------------------------------------------


def test_each_figure_shows_last_year_change_target_rank_rating_and_commentary(manager_client, cast):
    IndicatorTargetFactory(indicator=cast.knives, financial_year=2024, value=Decimal("50"))
    submitted(
        cast,
        cast.knives,
        comparison_rank=11,
        comparison_group_size=15,
        commentary="Two amnesty bins emptied.",
    )

    cells = row_cells(quarter_page(manager_client, cast), "Knives surrendered")

    assert cells == [
        "Select Knives surrendered Staffordshire Police",
        "44",  # the figure
        "40",  # the same quarter last year
        "+10% ↑ worsening",  # good is down
        "50",  # this year's target
        "Green",
        "11 of 15",
        "Two amnesty bins emptied.",
        "Review Knives surrendered",
    ]


def test_a_figure_without_history_target_or_rank_says_so(manager_client, cast):
    submitted(cast, cast.council_indicator, "7")

    cells = row_cells(quarter_page(manager_client, cast), "ASB cases")

    assert cells[1:8] == ["7", "No figure", "n/a", "None set", "No target", "Not given", "None"]


def test_each_action_update_shows_its_lead_agency_status_and_progress(manager_client, cast):
    submitted_update(cast, action_status="at_risk", progress="Two bins installed of five.")

    cells = row_cells(quarter_page(manager_client, cast), "Install knife bins")

    assert cells == [
        "Select progress on Install knife bins Serious Violence",
        "Staffordshire Police",
        "At risk",
        "Two bins installed of five.",
        "Review progress on Install knife bins",
    ]


def test_each_item_has_a_checkbox_labelled_with_its_name_carrying_the_revision_shown(
    manager_client, cast
):
    figure = submitted(cast, cast.knives, revision=4)
    update = submitted_update(cast)

    page = quarter_page(manager_client, cast)

    for kind, item in (("returns", figure), ("updates", update)):
        value = f"{item.pk}:{item.revision}"
        assert f'id="select-{kind}-{item.pk}" name="{kind}" type="checkbox" value="{value}"' in page
        assert f'for="select-{kind}-{item.pk}"' in page
    assert f'action="/manage/periods/{cast.period.pk}/approve/"' in page
    assert page.count(">Approve selected</button>") == 1


def test_with_nothing_waiting_there_is_nothing_to_tick(manager_client, cast):
    page = quarter_page(manager_client, cast)

    assert "Nothing is waiting for approval." in page
    assert "Approve selected" not in page


# ---- approving the ticked items -------------------------------------------------------------


def test_the_ticked_items_are_approved_together(manager_client, cast):
    knives, repeat = submitted(cast, cast.knives), submitted(cast, cast.repeat, "12")
    update = submitted_update(cast)
    left = submitted(cast, cast.council_indicator, "7")

    response = approve(manager_client, cast, knives, repeat, update)

    assert response.status_code == 302
    assert response.url == f"/manage/periods/{cast.period.pk}/"
    for item in (knives, repeat, update):
        now = stored(item)
        assert (now.status, now.approved_by, now.revision) == ("approved", cast.manager, 2)
        assert now.approved_at is not None
    assert stored(left).status == "submitted"  # not ticked, not touched
    page = quarter_page(manager_client, cast)
    assert "Approved 3 items: Knives surrendered, Repeat incidents and Progress on Install" in page


def test_each_approval_is_in_the_items_history_under_the_managers_name(manager_client, cast):
    knives = submitted(cast, cast.knives)

    approve(manager_client, cast, knives)

    latest = stored(knives).history.first()
    assert (latest.status, latest.history_user, latest.revision) == ("approved", cast.manager, 2)
    page = manager_client.get(f"/manage/returns/{knives.pk}/").content.decode()
    assert "Status: Submitted → Approved" in page


def test_approving_moves_the_public_pages_on(manager_client, cast):
    """As saving one item does (priorities.signals): Last-Modified must not keep a figure."""
    long_ago = timezone.now() - timezone.timedelta(days=30)
    PlanVersion.objects.filter(pk=cast.version.pk).update(updated_at=long_ago)

    approve(manager_client, cast, submitted(cast, cast.knives), submitted_update(cast))

    assert PlanVersion.objects.get(pk=cast.version.pk).updated_at > long_ago


def test_the_officers_are_told_once_of_everything_approved(manager_client, cast, monkeypatch):
    told = []
    monkeypatch.setattr(decisions.notifications, "decided", lambda *args: told.append(args))
    knives, update = submitted(cast, cast.knives), submitted_update(cast)

    approve(manager_client, cast, knives, update)

    ((items, step, by, reason),) = told
    assert {(type(item), item.pk, item.status) for item in items} == {
        (Return, knives.pk, "approved"),
        (ActionUpdate, update.pk, "approved"),
    }
    assert (step, by, reason) == ("approve", cast.manager, "")


def test_an_item_approved_by_another_manager_meanwhile_is_reported_and_the_others_approved(
    manager_client, cast, deputy
):
    knives, repeat = submitted(cast, cast.knives), submitted(cast, cast.repeat, "12")
    update = submitted_update(cast)
    Return.objects.get(pk=repeat.pk).approve(deputy)

    response = approve(manager_client, cast, knives, repeat, update)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert re.search(
        r"Repeat incidents was not approved: Dee Puty approved this on \d+ \w+ \d{4} at "
        r"\d+:\d\d[ap]m\.",
        page,
    )
    assert f'href="/manage/returns/{repeat.pk}/"' in page  # where to see what happened
    assert "Approved 2 items: Knives surrendered and Progress on Install knife bins." in page
    assert (stored(knives).status, stored(update).status) == ("approved", "approved")
    assert (stored(repeat).approved_by, stored(repeat).revision) == (deputy, 2)


def test_an_item_returned_by_another_manager_meanwhile_is_reported_with_the_reason(
    manager_client, cast, deputy
):
    knives, repeat = submitted(cast, cast.knives), submitted(cast, cast.repeat, "12")
    Return.objects.get(pk=repeat.pk).send_back(deputy, "Wrong quarter")

    page = approve(manager_client, cast, knives, repeat).content.decode()

    assert re.search(
        r"Repeat incidents was not approved: Dee Puty returned this on \d+ \w+ \d{4} at "
        r"\d+:\d\d[ap]m: “Wrong quarter”\.",
        page,
    )
    assert stored(knives).status == "approved"
    assert (stored(repeat).status, stored(repeat).returned_reason) == ("returned", "Wrong quarter")


def test_a_decision_landing_between_reading_and_claiming_is_refused_for_that_item(
    manager_client, cast, deputy
):
    """The conditional UPDATE is the lock: another manager's decision committed after the items
    were read, just before they are claimed, wins for its item; the others are approved."""
    knives, repeat = submitted(cast, cast.knives), submitted(cast, cast.repeat, "12")
    claim = 'UPDATE "indicators_return" SET "status"'
    fired = []

    def deputy_returns_first(execute, sql, params, many, context):
        if sql.startswith(claim) and not fired:
            fired.append(sql)
            Return.objects.get(pk=repeat.pk).send_back(deputy, "Check the total")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(deputy_returns_first):
        page = approve(manager_client, cast, knives, repeat).content.decode()

    assert fired
    assert "Repeat incidents was not approved: Dee Puty returned this on" in page
    assert "Approved 1 item: Knives surrendered." in page
    assert (stored(knives).status, stored(knives).revision) == ("approved", 2)
    assert (stored(repeat).status, stored(repeat).revision) == ("returned", 2)
    assert stored(repeat).history.first().history_user == deputy  # no approval recorded


def test_a_ticked_item_changed_and_sent_in_again_is_refused_until_seen(manager_client, cast):
    knives = submitted(cast, cast.knives)
    seen = knives.revision
    Return.objects.filter(pk=knives.pk).update(revision=F("revision") + 2)

    page = manager_client.post(
        f"/manage/periods/{cast.period.pk}/approve/", {"returns": f"{knives.pk}:{seen}"}
    ).content.decode()

    assert "Knives surrendered was not approved:" in page
    assert "it is waiting for a decision again: check it first." in page
    assert stored(knives).status == "submitted"


def test_nothing_ticked_is_a_message_beside_the_list(manager_client, cast):
    knives = submitted(cast, cast.knives)

    response = manager_client.post(f"/manage/periods/{cast.period.pk}/approve/", {})

    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#select-returns-{knives.pk}">Select the items to approve.</a>' in page
    assert "govuk-form-group govuk-form-group--error" in page
    assert stored(knives).status == "submitted"


@pytest.mark.parametrize(
    "ticked", ["x", "1", "1:", ":1", "1:-1", "-1:1", "1:1:1", "99999999999999999999:1", "١:١0"]
)
def test_a_selection_that_cannot_be_read_changes_nothing(manager_client, cast, ticked):
    knives = submitted(cast, cast.knives)

    response = manager_client.post(
        f"/manage/periods/{cast.period.pk}/approve/",
        {"returns": [f"{knives.pk}:{knives.revision}", ticked]},
    )

    assert response.status_code == 200
    assert "The selection could not be read: tick the items again." in response.content.decode()
    assert stored(knives).status == "submitted"


def test_items_of_another_partnership_or_quarter_are_never_touched(manager_client, cast):
    elsewhere = PartnershipFactory()
    theirs = ReturnFactory(
        indicator=IndicatorFactory(partnership=elsewhere, name="Their indicator"),
        reporting_period=ReportingPeriodFactory(partnership=elsewhere),
        status="submitted",
    )
    their_update = ActionUpdateFactory(
        action_row=ActionRowFactory(description="Their action"),
        reporting_period=ReportingPeriodFactory(partnership=elsewhere),
        status="submitted",
    )
    last_year = ReturnFactory(
        indicator=cast.repeat, reporting_period=cast.last_year, status="submitted"
    )
    ours = submitted(cast, cast.knives)

    page = approve(manager_client, cast, theirs, their_update, last_year, ours).content.decode()

    for item in (theirs, their_update, last_year):
        assert (stored(item).status, stored(item).revision) == ("submitted", item.revision)
    assert stored(ours).status == "approved"
    assert "2 items you ticked are not in this quarter&#x27;s list" in page
    assert "1 item you ticked is not in" not in page
    assert "An item you ticked is not in this quarter&#x27;s list" in page  # the update
    assert "Their" not in page  # never named


# ---- who may ---------------------------------------------------------------------------------


def test_visitors_are_sent_to_sign_in_and_nothing_is_approved(client, cast):
    knives = submitted(cast, cast.knives)

    response = approve(client, cast, knives)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")
    assert stored(knives).status == "submitted"


@pytest.mark.parametrize("who", ["officer", "other_officer", "reviewer", "other_manager"])
def test_only_the_partnerships_managers_may_approve_its_items(client, cast, who):
    people = {
        "officer": cast.officer,
        "other_officer": cast.other_officer,
        "reviewer": cast.reviewer,
        "other_manager": MembershipFactory(role="manager", partnership=PartnershipFactory()).user,
    }
    knives, update = submitted(cast, cast.knives), submitted_update(cast)
    client.force_login(people[who])

    assert approve(client, cast, knives, update).status_code == 403
    assert (stored(knives).status, stored(update).status) == ("submitted", "submitted")


def test_another_partnerships_manager_cannot_approve_these_items_through_their_own_quarter(
    client, cast
):
    elsewhere = PartnershipFactory()
    other_manager = MembershipFactory(role="manager", partnership=elsewhere).user
    their_period = ReportingPeriodFactory(partnership=elsewhere)
    knives, update = submitted(cast, cast.knives), submitted_update(cast)
    client.force_login(other_manager)

    response = approve(client, cast, knives, update, period=their_period)

    assert response.status_code == 200
    assert (stored(knives).status, stored(update).status) == ("submitted", "submitted")
    assert "Knives" not in response.content.decode()


def test_the_approve_address_only_takes_a_post(manager_client, cast):
    assert manager_client.get(f"/manage/periods/{cast.period.pk}/approve/").status_code == 405


# ---- queries ---------------------------------------------------------------------------------


def waiting(cast, count: int) -> list:
    """`count` submitted figures and `count` submitted action updates, each indicator with an
    approved figure for the same quarter last year and a target."""
    items = []
    for n in range(count):
        indicator = IndicatorFactory(partnership=cast.partnership, owner=cast.police)
        IndicatorTargetFactory(indicator=indicator, financial_year=2024, value=Decimal("50"))
        ReturnFactory(
            indicator=indicator, reporting_period=cast.last_year, value=40, status="approved"
        )
        items.append(submitted(cast, indicator, str(41 + n), comparison_rank=3,
                               comparison_group_size=15))  # fmt: skip
        row = ActionRowFactory(priority=cast.priority, lead_organisations=[cast.police])
        items.append(submitted_update(cast, row))
    return items


@pytest.mark.parametrize("count", [1, 3])
def test_the_quarter_page_reads_the_same_number_of_queries_for_any_number_of_items(
    manager_client, cast, count, django_assert_num_queries
):
    waiting(cast, count)

    with django_assert_num_queries(17):
        page = quarter_page(manager_client, cast)

    assert page.count('type="checkbox"') == 2 * count
    assert page.count(">40<") == count  # last year's figure beside each


@pytest.mark.parametrize("count", [1, 3])
def test_approving_any_number_of_items_takes_the_same_number_of_queries(
    manager_client, cast, count, django_assert_num_queries
):
    items = waiting(cast, count)

    with django_assert_num_queries(13):
        response = approve(manager_client, cast, *items)

    assert response.status_code == 302
    assert Return.objects.filter(reporting_period=cast.period, status="approved").count() == count
    assert ActionUpdate.objects.filter(status="approved").count() == count
