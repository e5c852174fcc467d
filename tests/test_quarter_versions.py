"""Quarters and plan versions: a quarter owes progress on the rows of the versions published
when it first opened, so publishing a refresh mid-quarter changes nothing already owed or sent
in; the next quarter owes the new version's rows. A refreshed row is the same action: last
quarter's update shows beside it for the officer, and the public pages of the new version show
the status approved under the old one."""

import json
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from plans.models import Membership, Partnership, PlanVersion
from priorities.models import ActionRow, ActionUpdate
from priorities.refresh import start_refresh
from reporting.due import completeness, due_list, updates_due
from tests import factories as f
from tests.entry_helpers import entry_form_data

pytestmark = pytest.mark.django_db

Status = ActionRow.Status


def build_quarter_world() -> SimpleNamespace:
    """A published plan of three actions (two led by the police, one by the council), last
    quarter closed with an approved update on mentoring, and this quarter open with the police's
    mentoring update submitted and the council's approved."""
    police = f.OrganisationFactory(name="Staffordshire Police")
    council = f.OrganisationFactory(name="Lichfield District Council")
    partnership = f.PartnershipFactory(slug="lichfield", organisations=[police, council])
    officer = f.UserFactory(username="officer")
    f.MembershipFactory(user=officer, partnership=partnership, organisation=police)
    manager = f.UserFactory(username="manager")
    f.MembershipFactory(
        user=manager, partnership=partnership, organisation=council, role=Membership.Role.MANAGER
    )
    original = f.PlanVersionFactory(
        plan__partnership=partnership, plan__slug="delivery-plan", number=1, label="Plan 2023",
        published=True,
    )  # fmt: skip
    violence = f.PriorityFactory(
        plan_version=original, title="Serious Violence", slug="serious-violence"
    )
    mentor, patrol, clean = (
        f.ActionRowFactory(priority=violence, order=order, description=description,
                           status=Status.ON_TRACK, lead_organisations=[lead])
        for order, description, lead in [
            (10, "Mentor young people", police),
            (20, "Patrol hotspots", police),
            (30, "Clean up alleys", council),
        ]
    )  # fmt: skip
    last_quarter = f.ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=4)
    last_quarter.open()
    last_update = f.ActionUpdateFactory(
        action_row=mentor, reporting_period=last_quarter, action_status=Status.AT_RISK,
        progress="Two mentors left.", status="approved",
    )  # fmt: skip
    last_quarter.close()
    quarter = f.ReportingPeriodFactory(
        partnership=partnership, financial_year=2024, quarter=1, due_date=date(2099, 7, 26)
    )
    quarter.open()
    sent_in = f.ActionUpdateFactory(
        action_row=mentor, reporting_period=quarter, action_status=Status.OFF_TRACK,
        progress="The hub is closed.", status="submitted", revision=2,
    )  # fmt: skip
    approved = f.ActionUpdateFactory(
        action_row=clean, reporting_period=quarter, status="approved", revision=3
    )
    return SimpleNamespace(
        partnership=partnership, police=police, council=council, officer=officer,
        manager=manager, original=original, violence=violence, mentor=mentor, patrol=patrol,
        clean=clean, last_quarter=last_quarter, last_update=last_update, quarter=quarter,
        sent_in=sent_in, approved=approved,
    )  # fmt: skip


def publish_refresh(world, on=date(2024, 5, 1)) -> SimpleNamespace:
    """The yearly refresh, published mid-quarter: patrolling is dropped, a youth hub added."""
    draft = start_refresh(world.original, world.manager, "Refresh May 2024")
    rows = ActionRow.objects.filter(priority__plan_version=draft)
    rows.get(lineage=world.patrol.lineage).delete()
    hub = f.ActionRowFactory(
        priority=draft.priorities.get(), order=40, description="Open a youth hub",
        status=Status.ON_TRACK, lead_organisations=[world.police],
    )  # fmt: skip
    draft.publish(world.manager, on=on)
    return SimpleNamespace(
        version=draft,
        mentor=rows.get(lineage=world.mentor.lineage),
        clean=rows.get(lineage=world.clean.lineage),
        hub=hub,
    )


def next_quarter(world):
    period = f.ReportingPeriodFactory(
        partnership=world.partnership, financial_year=2024, quarter=2, due_date=date(2099, 10, 25)
    )
    period.open()
    return period


def owed_rows(organisation, period) -> list[int]:
    return [item.action_row.pk for item in due_list(organisation, period).updates]


def completeness_of(period) -> dict:
    return {
        line.organisation.name: (line.due, dict(line.counts), line.outstanding, line.not_started)
        for line in completeness(period)
    }


def stored_updates() -> list[tuple]:
    return list(
        ActionUpdate.objects.order_by("pk").values_list(
            "pk", "action_row", "reporting_period", "status", "action_status", "revision"
        )
    )


@pytest.fixture
def world():
    return build_quarter_world()


# ---- a quarter already open -----------------------------------------------------------------


def test_publishing_a_refresh_mid_quarter_changes_nothing_owed_for_the_open_quarter(world):
    owed_before = {org.name: owed_rows(org, world.quarter) for org in (world.police, world.council)}
    complete_before = completeness_of(world.quarter)
    updates_before = stored_updates()
    assert owed_before == {
        "Staffordshire Police": [world.mentor.pk, world.patrol.pk],
        "Lichfield District Council": [world.clean.pk],
    }
    assert complete_before == {
        "Staffordshire Police": (2, {"submitted": 1}, 1, 1),
        "Lichfield District Council": (1, {"approved": 1}, 0, 0),
    }

    refresh = publish_refresh(world)

    assert list(world.quarter.plan_versions.all()) == [world.original]
    assert {
        org.name: owed_rows(org, world.quarter) for org in (world.police, world.council)
    } == owed_before
    assert completeness_of(world.quarter) == complete_before
    assert stored_updates() == updates_before
    items = due_list(world.police, world.quarter).updates
    assert [(item.current, item.status) for item in items] == [
        (world.sent_in, "submitted"),
        (None, "not_started"),
    ]
    assert refresh.hub.pk not in owed_rows(world.police, world.quarter)


def test_a_quarter_reopened_after_the_refresh_still_owes_the_version_it_first_opened_with(world):
    publish_refresh(world)
    world.quarter.close()

    world.quarter.open(due_date=date(2099, 8, 30))

    assert list(world.quarter.plan_versions.all()) == [world.original]
    assert owed_rows(world.police, world.quarter) == [world.mentor.pk, world.patrol.pk]


def test_an_officer_cannot_enter_an_update_for_an_action_the_open_quarter_does_not_owe(
    client, world
):
    refresh = publish_refresh(world)
    client.force_login(world.officer)
    url = f"/returns/{world.quarter.pk}/{world.police.pk}/"
    page = client.get(url)
    assert [form.item.action_row for form in page.context["updates"].forms] == [world.patrol]
    hub = f"updates-{refresh.hub.pk}"
    data = entry_form_data(
        page,
        **{f"updates-{world.patrol.pk}-progress": "Nightly patrols in the centre.",
           f"{hub}-action_status": Status.AT_RISK, f"{hub}-progress": "Not owed yet.",
           f"{hub}-revision": "0"},
    )  # fmt: skip

    assert client.post(url, {**data, "action": "submit"}).status_code == 302

    assert not ActionUpdate.objects.filter(action_row=refresh.hub).exists()
    saved = ActionUpdate.objects.get(action_row=world.patrol, reporting_period=world.quarter)
    assert (saved.status, saved.progress) == ("submitted", "Nightly patrols in the centre.")


# ---- the next quarter -----------------------------------------------------------------------


def test_a_quarter_opened_after_the_refresh_is_published_owes_the_new_versions_rows(world):
    refresh = publish_refresh(world)

    period = next_quarter(world)

    assert list(period.plan_versions.all()) == [refresh.version]
    assert owed_rows(world.police, period) == [refresh.mentor.pk, refresh.hub.pk]
    assert owed_rows(world.council, period) == [refresh.clean.pk]
    assert completeness_of(period) == {
        "Staffordshire Police": (2, {}, 2, 2),
        "Lichfield District Council": (1, {}, 1, 1),
    }
    # The quarter before still owes the old version's rows.
    assert owed_rows(world.police, world.quarter) == [world.mentor.pk, world.patrol.pk]


def test_last_quarters_approved_update_shows_beside_the_refreshed_row(client, world):
    world.sent_in.approve(world.manager)
    refresh = publish_refresh(world)
    period = next_quarter(world)

    items = {item.action_row: item for item in updates_due(world.police, period)}

    assert items[refresh.mentor].previous == world.sent_in  # entered on the old version's row
    assert items[refresh.hub].previous is None
    client.force_login(world.officer)
    page = client.get(f"/returns/{period.pk}/{world.police.pk}/")
    assert "Last quarter (2024/25 Q1): Off track. The hub is closed." in page.content.decode()


def test_an_update_not_yet_approved_last_quarter_is_not_shown_beside_the_row(world):
    refresh = publish_refresh(world)
    period = next_quarter(world)

    items = {item.action_row: item for item in updates_due(world.police, period)}

    assert world.sent_in.status == "submitted"
    assert items[refresh.mentor].previous is None


def test_last_quarters_update_still_shows_in_the_quarter_open_during_the_refresh(world):
    publish_refresh(world)

    items = {item.action_row: item for item in updates_due(world.police, world.quarter)}

    assert items[world.mentor].previous == world.last_update
    assert items[world.patrol].previous is None


@pytest.mark.parametrize("rows", [1, 3])
def test_the_due_list_costs_the_same_queries_whatever_the_number_of_refreshed_rows(
    django_assert_num_queries, rows
):
    police = f.OrganisationFactory()
    partnership = f.PartnershipFactory(organisations=[police])
    original = f.PlanVersionFactory(plan__partnership=partnership, number=1, published=True)
    priority = f.PriorityFactory(plan_version=original)
    earlier = f.ReportingPeriodFactory(partnership=partnership, financial_year=2024, quarter=1)
    earlier.open()
    for _ in range(rows):
        row = f.ActionRowFactory(priority=priority, lead_organisations=[police])
        f.ActionUpdateFactory(action_row=row, reporting_period=earlier, status="approved")
    start_refresh(original, None, "Refresh").publish(None, on=date(2024, 7, 1))
    period = f.ReportingPeriodFactory(partnership=partnership, financial_year=2024, quarter=2)
    period.open()
    f.ActionUpdateFactory(
        action_row=ActionRow.objects.filter(priority__plan_version__number=2).first(),
        reporting_period=period,
    )

    with django_assert_num_queries(3):
        items = updates_due(police, period)

    assert len(items) == rows
    assert all(item.previous is not None for item in items)
    assert {item.previous.reporting_period for item in items} == {earlier}
    assert sum(item.current is not None for item in items) == 1


# ---- the public pages of the new version ----------------------------------------------------


def approve_and_make_public(world, how: str) -> None:
    world.sent_in.approve(world.manager)
    if how == "report published":
        world.quarter.publish_report(world.manager)
    else:
        Partnership.objects.filter(pk=world.partnership.pk).update(
            figures_public=Partnership.FiguresPublic.ON_APPROVAL
        )


def public_statuses(client, address: str) -> dict[str, str]:
    """Each action's status as the public page at `address` gives it."""
    response = client.get(address)
    assert response.status_code == 200
    if "priority" in response.context:
        rows = response.context["priority"].action_rows.all()
    else:
        rows = [row for p in response.context["version"].priorities.all()
                for row in p.action_rows.all()]  # fmt: skip
    return {row.description: row.published_status for row in rows}


PLAN = "/partnerships/lichfield/delivery-plan/"
NEW_PAGES = [
    PLAN,
    f"{PLAN}versions/2/",
    f"{PLAN}priorities/serious-violence/",
    f"{PLAN}versions/2/priorities/serious-violence/",
]


@pytest.mark.parametrize("how", ["report published", "figures public on approval"])
@pytest.mark.parametrize("address", NEW_PAGES)
def test_the_new_versions_pages_show_the_status_approved_under_the_old_one(
    client, world, how, address
):
    approve_and_make_public(world, how)
    publish_refresh(world)

    assert public_statuses(client, address) == {
        "Mentor young people": Status.OFF_TRACK,  # the plan says on track; Q1's update does not
        "Clean up alleys": Status.ON_TRACK,
        "Open a youth hub": Status.ON_TRACK,
    }


def test_the_new_versions_open_data_gives_the_status_approved_under_the_old_one(client, world):
    approve_and_make_public(world, "report published")
    publish_refresh(world)

    data = json.loads(client.get(f"{PLAN}plan.json").getvalue())

    (priority,) = data["priorities"]
    statuses = {row["action"]: row["status"] for row in priority["action_rows"]}
    assert statuses["Mentor young people"] == "Off track"


@pytest.mark.parametrize("address", NEW_PAGES)
def test_an_update_the_public_may_not_see_yet_leaves_the_plans_own_status(client, world, address):
    world.sent_in.approve(world.manager)  # approved, but the quarter's report is not published
    publish_refresh(world)

    assert public_statuses(client, address)["Mentor young people"] == Status.ON_TRACK


def test_approving_an_update_on_the_old_row_moves_the_new_versions_pages_on(world):
    refresh = publish_refresh(world)
    other = f.PlanVersionFactory(published=True)
    an_hour_ago = timezone.now() - timedelta(hours=1)
    PlanVersion.objects.update(updated_at=an_hour_ago)

    world.sent_in.approve(world.manager)

    changed = set(
        PlanVersion.objects.filter(updated_at__gt=an_hour_ago).values_list("pk", flat=True)
    )
    assert changed == {world.original.pk, refresh.version.pk}
    assert other.pk not in changed
