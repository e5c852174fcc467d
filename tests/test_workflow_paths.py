"""One way for a figure to change: the admin, imports and decisions all go through the workflow,
every write moves the revision, and of two decisions made at once exactly one wins."""

from decimal import Decimal

import pytest
import tablib
from django.test import Client

from indicators.models import DecisionRefused, Return
from indicators.resources import ReturnResource
from tests.entry_helpers import entry_form_data, entry_url, field
from tests.factories import ActionUpdateFactory, PlanVersionFactory, ReturnFactory, UserFactory

pytestmark = pytest.mark.django_db


def figure(cast, status, value="30", **kwargs):
    return ReturnFactory(
        indicator=cast.knives,
        reporting_period=cast.period,
        value=Decimal(value),
        status=status,
        **kwargs,
    )


def return_form(item, **changes) -> dict:
    data = {
        "indicator": item.indicator_id,
        "reporting_period": item.reporting_period_id,
        "area": "",
        "value": item.value,
        "commentary": item.commentary,
        "rag_override": item.rag_override,
        "rag_override_reason": item.rag_override_reason,
        "comparison_rank": "",
        "comparison_group_size": "",
        "seen_revision": item.revision,
    }
    return {**data, **changes}


# ---- the admin ------------------------------------------------------------------------------


def test_the_admin_cannot_type_a_status(admin_manager_client, cast):
    item = figure(cast, "draft")

    form = (
        admin_manager_client.get(f"/admin/indicators/return/{item.pk}/change/")
        .context["adminform"]
        .form
    )

    for name in ("status", "approved_by", "approved_at", "revision", "returned_reason"):
        assert name not in form.fields
    admin_manager_client.post(
        f"/admin/indicators/return/{item.pk}/change/", return_form(item, status="approved")
    )
    item.refresh_from_db()
    assert item.status == "draft"


def test_an_approved_figure_is_read_only_in_the_admin(admin_manager_client, cast):
    item = figure(cast, "approved")

    page = admin_manager_client.get(f"/admin/indicators/return/{item.pk}/change/")
    admin_manager_client.post(
        f"/admin/indicators/return/{item.pk}/change/", return_form(item, value="99")
    )

    assert "value" not in page.context["adminform"].form.fields
    item.refresh_from_db()
    assert item.value == Decimal("30")


def test_an_admin_edit_moves_the_revision_so_an_officers_stale_page_is_refused(
    admin_manager_client, cast
):
    officer = Client()
    officer.force_login(cast.officer)
    stale_page = officer.get(entry_url(cast))
    item = figure(cast, "draft", revision=1)

    response = admin_manager_client.post(
        f"/admin/indicators/return/{item.pk}/change/", return_form(item, value="31")
    )

    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.value, item.revision, item.entered_by) == (Decimal("31"), 2, cast.manager)
    typed = entry_form_data(stale_page, **{field(cast.knives, "value"): "12"})
    refused = officer.post(entry_url(cast), {**typed, "action": "draft"})
    assert "saved this on" in refused.content.decode()
    item.refresh_from_db()
    assert item.value == Decimal("31")


def test_an_admin_edit_on_a_stale_form_is_refused(admin_manager_client, cast):
    item = figure(cast, "draft", revision=1)
    stale = return_form(item, value="31")
    Return.objects.filter(pk=item.pk).update(revision=2, value=Decimal("33"))

    response = admin_manager_client.post(f"/admin/indicators/return/{item.pk}/change/", stale)

    assert "Someone changed this since you opened it" in response.content.decode()
    item.refresh_from_db()
    assert item.value == Decimal("33")


def test_a_figure_cannot_be_reverted_from_its_history(admin_manager_client, cast):
    item = figure(cast, "draft")
    first = item.history.earliest()
    item.value = Decimal("31")
    item.save()

    url = f"/admin/indicators/return/{item.pk}/history/{first.history_id}/"
    response = admin_manager_client.post(url, return_form(item, value="30"))

    assert response.status_code == 403
    item.refresh_from_db()
    assert item.value == Decimal("31")


def test_action_update_and_plan_version_states_are_read_only(admin_manager_client, cast):
    update = ActionUpdateFactory(
        action_row=cast.action, reporting_period=cast.period, status="draft"
    )
    version = PlanVersionFactory(plan=cast.version.plan)

    update_form = admin_manager_client.get(f"/admin/priorities/actionupdate/{update.pk}/change/")
    version_form = admin_manager_client.get(f"/admin/plans/planversion/{version.pk}/change/")

    assert "status" not in update_form.context["adminform"].form.fields
    assert "status" not in version_form.context["adminform"].form.fields
    assert "published_on" not in version_form.context["adminform"].form.fields


# ---- imports --------------------------------------------------------------------------------

HEADERS = ["partnership", "indicator", "period", "area", "value", "status"]


def sheet(cast, value, status="approved"):
    return tablib.Dataset(
        [cast.partnership.slug, "SV-KNIVES", "2024/25 Q1", "", value, status],
        headers=HEADERS,
    )


def test_an_import_cannot_change_an_approved_figure(cast):
    item = figure(cast, "approved")

    result = ReturnResource(user=cast.manager).import_data(sheet(cast, "31"), dry_run=False)

    assert result.invalid_rows[0].error_dict["__all__"] == [
        "This figure is approved: reopen it first (Manage returns) to change it."
    ]
    item.refresh_from_db()
    assert item.value == Decimal("30")


def test_an_import_cannot_change_a_submitted_figure(cast):
    figure(cast, "submitted")

    result = ReturnResource(user=cast.manager).import_data(sheet(cast, "31"), dry_run=False)

    assert "approve it or return it to the officer" in str(result.invalid_rows[0].error_dict)


def test_an_unchanged_approved_row_of_an_exported_sheet_is_skipped_not_refused(cast):
    figure(cast, "approved")

    result = ReturnResource(user=cast.manager).import_data(sheet(cast, "30"), dry_run=False)

    assert not result.has_validation_errors()
    assert result.totals["skip"] == 1


def test_imported_figures_are_drafts_whatever_the_status_column_says(cast):
    result = ReturnResource(user=cast.manager).import_data(sheet(cast, "31"), dry_run=False)

    assert not result.has_validation_errors()
    item = Return.objects.get(indicator=cast.knives, reporting_period=cast.period)
    assert (item.status, item.revision, item.entered_by) == ("draft", 1, cast.manager)


def test_an_import_moves_the_revision_of_a_draft(cast):
    item = figure(cast, "draft", revision=3)

    ReturnResource(user=cast.manager).import_data(sheet(cast, "31", "draft"), dry_run=False)

    item.refresh_from_db()
    assert (item.value, item.revision) == (Decimal("31"), 4)


# ---- decisions ------------------------------------------------------------------------------


def test_a_decision_on_what_the_manager_saw_before_a_change_is_refused(cast):
    item = figure(cast, "submitted", revision=2)
    seen = item.revision
    item.approve(cast.manager, seen_revision=seen)

    with pytest.raises(DecisionRefused) as refused:
        Return.objects.get(pk=item.pk).send_back(cast.manager, "Check it", seen_revision=seen)

    assert refused.value.current.status == "approved"
    assert Return.objects.get(pk=item.pk).status == "approved"


def test_the_second_manager_is_told_who_decided_first(client, cast):
    item = figure(cast, "submitted", revision=2)
    other = UserFactory(username="deputy", first_name="Dee", last_name="Puty")
    item.approve(other, seen_revision=2)
    client.force_login(cast.manager)

    response = client.post(
        f"/manage/returns/{item.pk}/",
        {"decision": "return", "reason": "Please check the count", "revision": 2},
    )

    page = response.content.decode()
    assert "Dee Puty approved this on" in page
    assert "Nothing was changed." in page
    assert "Please check the count" in page  # the typed reason is kept
    assert Return.objects.get(pk=item.pk).status == "approved"
