"""Jointly led actions: each lead agency gives its own update for the quarter, confirms the
other's status or disagrees with a note, and the manager and the report show both."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Return
from priorities.joint import JointStatus
from priorities.models import ActionUpdate
from reporting.due import completeness
from reporting.report import build_report
from tests import factories as f
from tests.entry_helpers import entry_form_data


@pytest.fixture
def joint(cast):
    """The cast's knife-bins action, led by the police and the council together."""
    cast.action.lead_organisations.add(cast.council)
    return SimpleNamespace(
        police_url=f"/returns/{cast.period.pk}/{cast.police.pk}/",
        council_url=f"/returns/{cast.period.pk}/{cast.council.pk}/",
        field=f"updates-{cast.action.pk}",
    )


def _send(client, user, url, **changes):
    """An officer fills every figure of their page and sends it, with `changes` to the row."""
    client.force_login(user)
    page = client.get(url)
    figures = {f"returns-{form.item.key}-value": "41" for form in page.context["returns"].forms}
    return client.post(url, entry_form_data(page, **figures, **changes, action="submit"))


def test_each_lead_agency_gives_its_own_update(client, cast, joint):
    _send(
        client,
        cast.officer,
        joint.police_url,
        **{f"{joint.field}-action_status": "on_track", f"{joint.field}-progress": "Bins fitted."},
    )
    _send(
        client,
        cast.other_officer,
        joint.council_url,
        **{f"{joint.field}-action_status": "on_track", f"{joint.field}-progress": "Sites agreed."},
    )
    updates = ActionUpdate.objects.filter(action_row=cast.action).order_by("organisation__name")
    assert [(u.organisation, u.progress, u.status) for u in updates] == [
        (cast.council, "Sites agreed.", "submitted"),
        (cast.police, "Bins fitted.", "submitted"),
    ]


def test_the_second_agency_is_offered_the_firsts_status_to_confirm(client, cast, joint):
    f.ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=cast.police,
        action_status="at_risk",
        progress="Two sites refused.",
        status="submitted",
    )
    client.force_login(cast.other_officer)
    page = client.get(joint.council_url)
    form = next(form for form in page.context["updates"].forms if form.item.key == cast.action.pk)
    assert form[("action_status")].value() == "at_risk"
    text = page.content.decode()
    assert "Staffordshire Police says <strong>at risk</strong>" in text
    assert "Two sites refused." in text


def test_a_police_draft_is_not_shown_to_the_council(client, cast, joint):
    f.ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=cast.police,
        progress="Half-written thoughts",
        status="draft",
    )
    client.force_login(cast.other_officer)
    assert "Half-written thoughts" not in client.get(joint.council_url).content.decode()


def test_disagreeing_needs_a_note_and_the_note_is_kept(client, cast, joint):
    f.ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=cast.police,
        action_status="on_track",
        status="submitted",
    )
    changes = {f"{joint.field}-action_status": "off_track", f"{joint.field}-progress": "Late."}
    refused = _send(client, cast.other_officer, joint.council_url, **changes)
    assert "differs from Staffordshire Police (on track)" in refused.content.decode()
    assert not ActionUpdate.objects.filter(organisation=cast.council, status="submitted").exists()

    _send(
        client,
        cast.other_officer,
        joint.council_url,
        **changes,
        **{f"{joint.field}-status_note": "No site has been agreed yet."},
    )
    council = ActionUpdate.objects.get(organisation=cast.council)
    assert (council.status, council.status_note) == ("submitted", "No site has been agreed yet.")
    police = ActionUpdate.objects.get(organisation=cast.police)
    assert police.action_status == "on_track"  # the police's words are not replaced


def _approved(cast, organisation, status, progress):
    return f.ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=organisation,
        action_status=status,
        progress=progress,
        status="approved",
    )


def test_the_report_shows_both_agencies_words_and_whether_they_agree(cast, joint):
    _approved(cast, cast.police, "on_track", "Bins fitted.")
    _approved(cast, cast.council, "off_track", "No site agreed.")
    report = build_report(cast.period, figures_queryset=Return.objects.approved())
    line = report.priorities[0].actions[0]
    assert not line.joint.agreed
    assert line.status == "off_track"  # a disagreement counts as the more cautious status
    assert line in report.priorities[0].concerns
    assert line.joint.agreement_text == (
        "Not agreed: Lichfield District Council says off track; Staffordshire Police says on track"
    )
    assert line.progress_text == (
        "Lichfield District Council: No site agreed. Staffordshire Police: Bins fitted."
    )


def test_agreed_statuses_count_once(cast, joint):
    _approved(cast, cast.police, "on_track", "Bins fitted.")
    _approved(cast, cast.council, "on_track", "Sites agreed.")
    line = build_report(cast.period, figures_queryset=Return.objects.approved()).priorities[0]
    assert [(status, count) for status, _, count in line.status_counts if count] == [
        ("on_track", 1)
    ]
    assert line.actions[0].joint.agreement_text == (
        "Agreed by Lichfield District Council and Staffordshire Police"
    )


def test_one_agencys_update_is_not_called_joint():
    update = ActionUpdate(action_status="at_risk")
    assert (JointStatus([update]).is_joint, JointStatus([update]).agreement_text) == (False, "")
    assert JointStatus([]).status is None


def test_each_lead_agency_owes_its_own_update(cast, joint):
    _approved(cast, cast.police, "on_track", "Bins fitted.")
    rows = {row.organisation: row for row in completeness(cast.period)}
    assert rows[cast.police].counts["approved"] == 1
    assert rows[cast.council].counts["approved"] == 0
    assert rows[cast.council].outstanding == 2  # its indicator and its part of the action


def test_only_a_lead_agency_can_give_an_update(cast):
    update = ActionUpdate(
        action_row=cast.action, reporting_period=cast.period, organisation=cast.council
    )
    with pytest.raises(ValidationError) as error:
        update.clean()
    assert error.value.message_dict == {
        "organisation": ["Choose one of the action's lead agencies."]
    }


def test_the_manager_sees_both_agencies_words_and_whether_they_agree(client, cast, joint):
    police = f.ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=cast.police,
        action_status="on_track",
        progress="Bins fitted.",
        status="submitted",
    )
    council = f.ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=cast.council,
        action_status="off_track",
        progress="No site agreed.",
        status_note="Two sites refused.",
        status="submitted",
    )
    client.force_login(cast.manager)
    quarter = client.get(f"/manage/periods/{cast.period.pk}/").content.decode()
    assert quarter.count("Not agreed") == 2  # once beside each agency's update
    assert "Staffordshire Police says on track: “Bins fitted.”" in quarter
    assert "Lichfield District Council says off track: “No site agreed.”" in quarter

    page = client.get(f"/manage/updates/{council.pk}/").content.decode()
    assert "Staffordshire Police says on track" in page
    assert "Why Lichfield District Council's status differs: Two sites refused." in page

    police.action_status = "off_track"
    police.save()
    assert "Agreed" in client.get(f"/manage/updates/{council.pk}/").content.decode()
