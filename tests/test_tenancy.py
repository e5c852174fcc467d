"""One partnership cannot touch another's: links between objects never cross partnerships, and
in the admin each manager sees and changes only their own partnerships' objects."""

import io

import pytest
import tablib
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction

from indicators.models import Indicator, Return
from indicators.resources import IndicatorResource
from plans.models import Membership, Organisation
from priorities.demo import MANAGED_APPS
from priorities.models import ActionRow
from priorities.resources import ActionRowResource
from tests.admin_forms import admin_form_values
from tests.builders import give_admin_rights
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    AllocationFactory,
    AreaFactory,
    DataLineFactory,
    FundFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    RiskFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    return PartnershipFactory(name="Lichfield Community Safety Partnership", slug="lichfield")


@pytest.fixture
def other_partnership():
    return PartnershipFactory(name="Tamworth Community Safety Partnership", slug="tamworth")


def manager_of(partnership, username="manager"):
    user = give_admin_rights(UserFactory(username=username))
    MembershipFactory(user=user, partnership=partnership, role=Membership.Role.MANAGER)
    return user


@pytest.fixture
def manager(home):
    return manager_of(home)


@pytest.fixture
def other_manager(other_partnership):
    return manager_of(other_partnership, "tamworth-manager")


def row_in(partnership, **kwargs):
    return ActionRowFactory(priority__plan_version__plan__partnership=partnership, **kwargs)


# ---- links never cross partnerships, whatever writes them ------------------------------------


def test_an_indicator_cannot_evidence_another_partnerships_action(home, other_partnership):
    line = DataLineFactory(action_row=row_in(home))
    theirs = IndicatorFactory(partnership=other_partnership, name="Their knife crime")

    with pytest.raises(ValidationError) as refused, transaction.atomic():
        line.indicators.add(theirs)
    with pytest.raises(ValidationError), transaction.atomic():
        theirs.data_lines.add(line)  # from the other side too

    assert "belongs to another partnership" in str(refused.value)
    assert not line.indicators.exists()


def test_only_member_agencies_lead_or_support_an_action(home):
    row = row_in(home)
    outsider = OrganisationFactory(name="Distant Police")

    for field in (row.lead_organisations, row.supporting_organisations):
        with pytest.raises(ValidationError) as refused, transaction.atomic():
            field.add(outsider)
        assert "Distant Police is not a member of this partnership" in str(refused.value)

    home.organisations.add(outsider)
    row.lead_organisations.add(outsider)
    assert list(row.lead_organisations.all()) == [outsider]


def test_hotspots_and_funding_of_a_priority_stay_in_its_partnership(home, other_partnership):
    priority = PriorityFactory(plan_version__plan__partnership=home)

    elsewhere = AreaFactory(partnership=other_partnership)
    their_money = AllocationFactory(fund__partnership=other_partnership)
    with pytest.raises(ValidationError), transaction.atomic():
        priority.hotspots.add(elsewhere)
    with pytest.raises(ValidationError), transaction.atomic():
        priority.allocations.add(their_money)

    priority.hotspots.add(AreaFactory(partnership=home))
    assert priority.hotspots.count() == 1


@pytest.mark.parametrize("kind", ["indicator", "risk", "allocation"])
def test_an_owner_or_delivering_agency_must_be_a_member(home, kind):
    outsider = OrganisationFactory(name="Distant Council")
    made = {
        "indicator": lambda: IndicatorFactory.build(partnership=home, owner=outsider),
        "risk": lambda: RiskFactory.build(partnership=home, owner=outsider),
        "allocation": lambda: AllocationFactory.build(
            fund=FundFactory(partnership=home), organisation=outsider
        ),
    }[kind]()

    with pytest.raises(ValidationError) as refused:
        made.full_clean()

    assert "Distant Council is not a member of this partnership" in str(refused.value)


def test_progress_is_reported_in_the_partnership_of_the_action(home, other_partnership):
    update = ActionUpdateFactory.build(
        action_row=row_in(home),
        reporting_period=ReportingPeriodFactory(partnership=other_partnership),
    )

    with pytest.raises(ValidationError) as refused:
        update.full_clean()

    assert "reporting_period" in refused.value.error_dict


# ---- the admin, seen by a manager -----------------------------------------------------------


def test_a_manager_lists_only_their_own_partnerships_objects(
    client, manager, home, other_partnership
):
    mine = row_in(home, description="Our knife bins")
    row_in(other_partnership, description="Their knife bins")
    client.force_login(manager)

    page = client.get("/admin/priorities/actionrow/").content.decode()

    assert "Our knife bins" in page
    assert "Their knife bins" not in page
    assert f"/admin/priorities/actionrow/{mine.pk}/change/" in page


def test_another_partnerships_object_cannot_be_opened_changed_or_deleted(
    client, manager, other_partnership
):
    theirs = row_in(other_partnership, description="Their knife bins")
    client.force_login(manager)
    base = f"/admin/priorities/actionrow/{theirs.pk}"

    for url in (f"{base}/change/", f"{base}/delete/"):
        response = client.get(url)
        assert response.status_code == 302  # "doesn't exist", back to the admin's front page
        assert "Their knife bins" not in response.content.decode()
    client.post(f"{base}/change/", {"description": "Hijacked"})
    client.post(f"{base}/delete/", {"post": "yes"})
    assert client.get(f"{base}/history/").status_code == 403

    theirs.refresh_from_db()
    assert theirs.description == "Their knife bins"


def test_history_of_another_partnerships_object_cannot_be_reverted(
    client, manager, other_partnership
):
    theirs = row_in(other_partnership, description="Their knife bins")
    theirs.description = "Their knife bins, updated"
    theirs.save()
    first = theirs.history.earliest()
    client.force_login(manager)

    url = f"/admin/priorities/actionrow/{theirs.pk}/history/{first.history_id}/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"description": "Their knife bins"}).status_code == 403
    theirs.refresh_from_db()
    assert theirs.description == "Their knife bins, updated"


def test_choice_lists_offer_only_the_managers_own_objects(client, manager, home, other_partnership):
    mine = PlanVersionFactory(plan__partnership=home, label="Our plan")
    PlanVersionFactory(plan__partnership=other_partnership, label="Their plan")
    client.force_login(manager)

    form = client.get("/admin/priorities/priority/add/").context["adminform"].form
    offered = [str(version) for version in form.fields["plan_version"].queryset]

    assert offered == [str(mine)]


def test_a_manager_cannot_add_a_priority_to_another_partnerships_plan(
    client, manager, other_partnership
):
    theirs = PlanVersionFactory(plan__partnership=other_partnership)
    client.force_login(manager)

    response = client.post(
        "/admin/priorities/priority/add/",
        {"plan_version": theirs.pk, "title": "Planted", "slug": "planted", "order": 10},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not theirs.priorities.exists()


def test_linking_another_partnerships_indicator_is_refused_beside_the_field(
    client, manager, home, other_partnership
):
    line = DataLineFactory(action_row=row_in(home))
    theirs = IndicatorFactory(partnership=other_partnership)
    client.force_login(manager)
    row = line.action_row
    data = {
        "priority": row.priority.pk,
        "order": row.order,
        "description": row.description,
        "status": row.status,
        "outcomes-TOTAL_FORMS": 0,
        "outcomes-INITIAL_FORMS": 0,
        "data_lines-TOTAL_FORMS": 1,
        "data_lines-INITIAL_FORMS": 1,
        "data_lines-0-id": line.pk,
        "data_lines-0-action_row": row.pk,
        "data_lines-0-order": line.order,
        "data_lines-0-text": line.text,
        "data_lines-0-indicators": [theirs.pk],
    }

    response = client.post(f"/admin/priorities/actionrow/{row.pk}/change/", data)

    assert response.status_code == 200  # the form again, with the problem beside the field
    assert not line.indicators.exists()


def test_staff_without_a_membership_see_nothing(client, home):
    staff = UserFactory(username="stray-staff", is_staff=True)
    staff.user_permissions.set(Permission.objects.filter(content_type__app_label__in=MANAGED_APPS))
    row_in(home)
    client.force_login(staff)

    index = client.get("/admin/").content.decode()

    assert "Action rows" not in index
    assert client.get("/admin/priorities/actionrow/").status_code == 403
    assert client.get("/admin/indicators/return/export/").status_code == 403


def test_the_superuser_sees_every_partnership(admin_client, home, other_partnership):
    row_in(home, description="Our knife bins")
    row_in(other_partnership, description="Their knife bins")

    page = admin_client.get("/admin/priorities/actionrow/").content.decode()

    assert "Our knife bins" in page
    assert "Their knife bins" in page


# ---- roles are granted only within one's own partnership, never to oneself --------------------


def test_a_manager_cannot_give_themself_a_role(client, manager, home):
    police = OrganisationFactory(name="Staffordshire Police")
    home.organisations.add(police)
    client.force_login(manager)

    response = client.post(
        "/admin/plans/membership/add/",
        {"user": manager.pk, "partnership": home.pk, "organisation": police.pk, "role": "officer"},
    )

    assert "You cannot give yourself a role" in response.content.decode()
    assert not Membership.objects.filter(user=manager, role="officer").exists()


def test_a_manager_cannot_grant_a_role_in_another_partnership(client, manager, other_partnership):
    police = OrganisationFactory(name="Staffordshire Police")
    other_partnership.organisations.add(police)
    colleague = UserFactory(username="colleague")
    client.force_login(manager)

    response = client.post(
        "/admin/plans/membership/add/",
        {
            "user": colleague.pk,
            "partnership": other_partnership.pk,
            "organisation": police.pk,
            "role": "manager",
        },
    )

    assert "Select a valid choice" in response.content.decode()
    assert not Membership.objects.filter(user=colleague).exists()


def test_a_manager_grants_roles_in_their_own_partnership(client, manager, home):
    police = OrganisationFactory(name="Staffordshire Police")
    home.organisations.add(police)
    colleague = UserFactory(username="colleague")
    client.force_login(manager)

    response = client.post(
        "/admin/plans/membership/add/",
        {
            "user": colleague.pk,
            "partnership": home.pk,
            "organisation": police.pk,
            "role": "officer",
        },
    )

    assert response.status_code == 302
    assert Membership.objects.filter(user=colleague, partnership=home, role="officer").exists()


def test_a_manager_cannot_change_their_own_membership(client, manager):
    own = Membership.objects.get(user=manager)
    client.force_login(manager)

    client.post(
        f"/admin/plans/membership/{own.pk}/change/",
        {
            "user": manager.pk,
            "partnership": own.partnership_id,
            "organisation": own.organisation_id,
            "role": "officer",
        },
    )

    own.refresh_from_db()
    assert own.role == "manager"


def test_only_the_superuser_adds_a_partnership(client, manager, admin_client):
    client.force_login(manager)

    assert client.get("/admin/plans/partnership/add/").status_code == 403
    assert admin_client.get("/admin/plans/partnership/add/").status_code == 200


def test_an_agency_shared_with_another_partnership_is_read_only(
    client, manager, home, other_partnership
):
    shared = OrganisationFactory(name="Staffordshire Police")
    home.organisations.add(shared)
    other_partnership.organisations.add(shared)
    own = OrganisationFactory(name="Lichfield Youth Service")
    home.organisations.add(own)
    client.force_login(manager)

    client.post(
        f"/admin/plans/organisation/{shared.pk}/change/", {"name": "Renamed", "kind": "police"}
    )
    client.post(
        f"/admin/plans/organisation/{own.pk}/change/", {"name": "Youth Service", "kind": "other"}
    )

    assert Organisation.objects.get(pk=shared.pk).name == "Staffordshire Police"
    assert Organisation.objects.get(pk=own.pk).name == "Youth Service"


# ---- spreadsheets ---------------------------------------------------------------------------


def test_an_import_row_for_another_partnership_is_an_error_on_its_row(
    manager, home, other_partnership
):
    home.organisations.add(police := OrganisationFactory(name="Staffordshire Police"))
    other_partnership.organisations.add(police)
    sheet = tablib.Dataset(
        [
            "lichfield",
            "DA-CRIMES",
            "Domestic abuse crimes",
            "Count",
            "Lower is better",
            "Staffordshire Police",
        ],
        [
            "tamworth",
            "DA-CRIMES",
            "Domestic abuse crimes",
            "Count",
            "Lower is better",
            "Staffordshire Police",
        ],
        headers=["partnership", "code", "name", "unit", "good_direction", "owner"],
    )

    result = IndicatorResource(user=manager).import_data(sheet, dry_run=False)

    assert [row.number for row in result.invalid_rows] == [2]
    assert result.invalid_rows[0].error_dict["partnership"] == [
        'There is no partnership you manage "tamworth".'
    ]
    assert not Indicator.objects.exists()  # all or nothing


def test_an_action_row_import_cannot_reach_another_partnerships_priority(
    manager, other_partnership
):
    theirs = PriorityFactory(plan_version__plan__partnership=other_partnership)
    sheet = tablib.Dataset(
        [str(theirs.plan_version), theirs.title, 10, "Planted", "An outcome", "A line", "", ""],
        headers=[
            "plan_version",
            "priority",
            "order",
            "action",
            "outcomes",
            "data",
            "lead_organisations",
            "status",
        ],
    )

    result = ActionRowResource(user=manager).import_data(sheet, dry_run=False)

    assert result.invalid_rows[0].error_dict["plan_version"] == [
        f'There is no plan version "{theirs.plan_version}".'
    ]
    assert not ActionRow.objects.exists()


def test_exports_hold_only_the_managers_own_rows(client, manager, home, other_partnership):
    ReturnFactory(indicator__partnership=home, indicator__code="OURS", commentary="Ours")
    ReturnFactory(indicator__partnership=other_partnership, indicator__code="THEIRS")
    client.force_login(manager)

    response = client.post(
        "/admin/indicators/return/export/",
        {
            "format": "0",
            "resource": "0",
            **{
                f"returnresource_{name}": "on"
                for name in ("partnership", "indicator", "reporting_period", "value", "status")
            },
        },
    )

    assert response.status_code == 200
    exported = response.content.decode()
    assert "OURS" in exported
    assert "THEIRS" not in exported


def test_staff_without_the_right_cannot_import_or_export(client, home):
    staff = UserFactory(username="stray-staff", is_staff=True)
    MembershipFactory(user=staff, partnership=home, role=Membership.Role.MANAGER)
    client.force_login(staff)  # a manager by membership, but given no admin rights

    assert client.get("/admin/indicators/return/import/").status_code == 403
    assert client.get("/admin/indicators/return/export/").status_code == 403
    sheet = io.BytesIO(b"partnership,indicator,period,value\nlichfield,X,2023/24 Q1,1\n")
    sheet.name = "returns.csv"
    client.post("/admin/indicators/return/import/", {"format": "0", "import_file": sheet})
    assert not Return.objects.exists()


def test_comparators_are_entered_on_the_indicator_for_the_partnerships_own_quarters(
    client, manager, home, other_partnership
):
    police = OrganisationFactory()
    home.organisations.add(police)
    indicator = IndicatorFactory(partnership=home, owner=police)
    ours = ReportingPeriodFactory(partnership=home, financial_year=2023, quarter=4)
    theirs = ReportingPeriodFactory(partnership=other_partnership, financial_year=2023, quarter=4)
    client.force_login(manager)
    url = f"/admin/indicators/indicator/{indicator.pk}/change/"
    page = client.get(url)
    offered = page.context["inline_admin_formsets"][1].formset.empty_form.fields
    assert list(offered["reporting_period"].queryset) == [ours]

    def add_comparator(period):
        data = admin_form_values(page)
        data.update({
            "comparators-TOTAL_FORMS": "1", "comparators-0-reporting_period": period.pk,
            "comparators-0-name": "England and Wales", "comparators-0-value": "27.9",
        })  # fmt: skip
        return client.post(url, data)

    refused = add_comparator(theirs)
    assert refused.status_code == 200
    assert "Select a valid choice" in refused.content.decode()
    assert not indicator.comparators.exists()

    assert add_comparator(ours).status_code == 302
    assert [(c.reporting_period, c.name) for c in indicator.comparators.all()] == [
        (ours, "England and Wales")
    ]
