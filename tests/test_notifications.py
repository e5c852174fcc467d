"""E-mails the quarter sends: an officer hears when an item is returned or reopened, the managers
when an agency has sent in everything, and everyone else's news waits for the daily digest.
Each is sent once, whatever is run again, and never to another agency or partnership."""

import io
import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from indicators.models import Return
from plans.models import Membership
from reporting import notifications
from reporting.daily_digest import send_daily_digests
from reporting.models import Notice
from tests.factories import (
    ActionUpdateFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REASON = "The figure is twice last quarter's: check it against the crime system."


class RefusingBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down.")


def submitted_return(cast, indicator=None, *, by=None, **kwargs):
    return ReturnFactory(
        indicator=indicator or cast.knives,
        reporting_period=cast.period,
        value=Decimal("44"),
        status="submitted",
        submitted_by=cast.officer if by is None else by,
        submitted_at=timezone.now(),
        revision=1,
        **kwargs,
    )


def submitted_update(cast, *, by=None):
    return ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        status="submitted",
        submitted_by=cast.officer if by is None else by,
        submitted_at=timezone.now(),
        revision=1,
    )


def police_indicators(cast, count):
    return [
        IndicatorFactory(partnership=cast.partnership, owner=cast.police, name=f"Extra {n}")
        for n in range(count)
    ]


def return_all(capture, cast, items, step="return", reason=REASON):
    """The manager returns (or reopens) `items`, and the transaction commits."""
    with capture(execute=True):
        for item in items:
            if step == "reopen":
                item.reopen(cast.manager, reason)
            else:
                item.send_back(cast.manager, reason)
        notifications.decided(items, step, cast.manager, reason)


@pytest.fixture
def elsewhere(cast):
    """Another partnership the police also belong to, with its own police officer and manager."""
    partnership = PartnershipFactory(slug="tamworth", organisations=[cast.police, cast.council])
    officer = UserFactory(username="tamworth-officer")
    manager = UserFactory(username="tamworth-manager")
    MembershipFactory(user=officer, partnership=partnership, organisation=cast.police)
    MembershipFactory(
        user=manager, partnership=partnership, organisation=cast.council, role="manager"
    )
    return partnership


# ---- returned or reopened ---------------------------------------------------------------------


def test_a_returned_item_is_emailed_to_whoever_submitted_it_with_the_reason(
    mailoutbox, settings, django_capture_on_commit_callbacks, cast
):
    settings.SITE_URL = "https://csp.example.org"
    figure = submitted_return(cast)

    return_all(django_capture_on_commit_callbacks, cast, [figure])

    [message] = mailoutbox
    assert message.to == ["officer@example.org"]
    assert message.subject == "Returned for correction: Knives surrendered for 2024/25 Q1"
    assert "The partnership manager, manager, has returned this item" in message.body
    assert f"Reason: {REASON}" in message.body
    assert f"Staffordshire Police – 2024/25 Q1, {cast.partnership}" in message.body
    assert "- Knives surrendered\n" in message.body
    entry = f"https://csp.example.org/returns/{cast.period.pk}/{cast.police.pk}/"
    assert f"Correct it and submit again at {entry}" in message.body


def test_nothing_is_sent_until_the_decision_commits(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    figure = submitted_return(cast)

    with django_capture_on_commit_callbacks() as callbacks:
        figure.send_back(cast.manager, REASON)
        notifications.decided([figure], "return", cast.manager, REASON)
        assert mailoutbox == []

    assert len(callbacks) == 1
    assert mailoutbox == []
    callbacks[0]()
    assert len(mailoutbox) == 1


def test_a_reopened_item_is_emailed_likewise(mailoutbox, django_capture_on_commit_callbacks, cast):
    figure = submitted_return(cast)
    figure.approve(cast.manager)

    return_all(django_capture_on_commit_callbacks, cast, [figure], step="reopen")

    [message] = mailoutbox
    assert message.to == ["officer@example.org"]
    assert message.subject == "Reopened for correction: Knives surrendered for 2024/25 Q1"
    assert "has reopened this item" in message.body
    assert f"Reason: {REASON}" in message.body


def test_several_items_returned_to_one_officer_make_one_email(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    items = [
        submitted_return(cast, cast.knives),
        submitted_return(cast, cast.repeat),
        submitted_update(cast),
    ]

    return_all(django_capture_on_commit_callbacks, cast, items)

    [message] = mailoutbox
    assert message.subject == "Returned for correction: 3 items for 2024/25 Q1"
    assert "has returned these 3 items" in message.body
    for name in ("Knives surrendered", "Repeat incidents", "Install knife bins"):
        assert f"- {name}\n" in message.body
    assert "Correct them and submit again at" in message.body


def test_each_officer_hears_only_of_their_own_items(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    items = [
        submitted_return(cast, cast.knives),
        submitted_return(cast, cast.repeat, by=cast.colleague),
        submitted_return(cast, cast.council_indicator, by=cast.other_officer),
    ]

    return_all(django_capture_on_commit_callbacks, cast, items)

    by_recipient = {message.to[0]: message.body for message in mailoutbox}
    assert set(by_recipient) == {
        "officer@example.org",
        "colleague@example.org",
        "officer2@example.org",
    }
    assert "Knives surrendered" in by_recipient["officer@example.org"]
    assert "Repeat incidents" not in by_recipient["officer@example.org"]
    assert "Repeat incidents" in by_recipient["colleague@example.org"]
    assert "ASB cases" in by_recipient["officer2@example.org"]
    assert "Knives" not in by_recipient["officer2@example.org"]


@pytest.mark.parametrize(
    "submitter_change",
    ["no e-mail address", "left the agency", "account closed", "unknown submitter"],
)
def test_without_a_reachable_submitter_the_agencys_officers_are_told(
    mailoutbox, django_capture_on_commit_callbacks, cast, elsewhere, submitter_change
):
    figure = submitted_return(cast)
    if submitter_change == "no e-mail address":
        cast.officer.email = ""
        cast.officer.save()
    elif submitter_change == "left the agency":
        Membership.objects.filter(user=cast.officer, partnership=cast.partnership).delete()
    elif submitter_change == "account closed":
        cast.officer.is_active = False
        cast.officer.save()
    else:
        Return.objects.filter(pk=figure.pk).update(submitted_by=None)

    return_all(django_capture_on_commit_callbacks, cast, [figure])

    recipients = sorted(message.to[0] for message in mailoutbox)
    if submitter_change in ("no e-mail address", "left the agency", "account closed"):
        assert recipients == ["colleague@example.org"]
    else:
        assert recipients == ["colleague@example.org", "officer@example.org"]
    # Not the council's officer, not the manager, not the police officer of Tamworth.


def test_a_jointly_led_actions_update_goes_to_the_agency_that_wrote_it(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    cast.action.lead_organisations.add(cast.council)
    update = ActionUpdateFactory(
        action_row=cast.action,
        reporting_period=cast.period,
        organisation=cast.council,
        status="submitted",
        submitted_by=None,
        revision=1,
    )

    return_all(django_capture_on_commit_callbacks, cast, [update])

    [message] = mailoutbox
    assert message.to == ["officer2@example.org"]
    assert f"Lichfield District Council – 2024/25 Q1, {cast.partnership}" in message.body
    assert f"/returns/{cast.period.pk}/{cast.council.pk}/" in message.body


def test_a_submitter_who_is_now_only_a_reviewer_is_not_told(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    figure = submitted_return(cast, by=cast.reviewer)

    return_all(django_capture_on_commit_callbacks, cast, [figure])

    assert sorted(message.to[0] for message in mailoutbox) == [
        "colleague@example.org",
        "officer@example.org",
    ]


def test_the_same_decision_is_emailed_once_however_often_it_is_reported(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    figure = submitted_return(cast)
    return_all(django_capture_on_commit_callbacks, cast, [figure])

    with django_capture_on_commit_callbacks(execute=True):
        notifications.decided([figure], "return", cast.manager, REASON)

    assert len(mailoutbox) == 1
    assert Notice.objects.filter(kind="returned", sent_at__isnull=False).count() == 1


def test_returning_an_item_again_after_it_is_fixed_is_news_again(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    figure = submitted_return(cast)
    return_all(django_capture_on_commit_callbacks, cast, [figure])
    Return.objects.filter(pk=figure.pk).update(status="submitted", revision=figure.revision + 1)
    figure.refresh_from_db()

    return_all(django_capture_on_commit_callbacks, cast, [figure], reason="Still too high.")

    assert [message.to for message in mailoutbox] == [["officer@example.org"]] * 2
    assert "Reason: Still too high." in mailoutbox[1].body


def test_approvals_are_not_emailed_one_by_one(mailoutbox, django_capture_on_commit_callbacks, cast):
    figure = submitted_return(cast)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        figure.approve(cast.manager)
        notifications.decided([figure], "approve", cast.manager)

    assert callbacks == []
    assert mailoutbox == []


def test_an_item_no_longer_returned_by_the_time_of_sending_is_left_out(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    figure = submitted_return(cast)  # the decision was refused: it is still submitted

    with django_capture_on_commit_callbacks(execute=True):
        notifications.decided([figure], "return", cast.manager, REASON)

    assert mailoutbox == []


def test_a_mail_failure_never_breaks_the_decision_and_is_logged(
    mailoutbox, settings, caplog, django_capture_on_commit_callbacks, cast
):
    settings.EMAIL_BACKEND = "tests.test_notifications.RefusingBackend"
    figure = submitted_return(cast)

    with caplog.at_level(logging.ERROR, logger="reporting.emails"):
        return_all(django_capture_on_commit_callbacks, cast, [figure])

    figure.refresh_from_db()
    assert figure.status == "returned"
    assert "Could not send “Returned for correction" in caplog.text
    # The claim is released, so reporting the decision again would send it.
    assert not Notice.objects.exists()


@pytest.mark.parametrize("count", [1, 3])
def test_telling_officers_of_returned_items_costs_the_same_for_1_or_3(
    mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries, cast, count
):
    items = [submitted_return(cast, i) for i in police_indicators(cast, count)]
    for item in items:
        item.send_back(cast.manager, REASON)

    # Items, officers, notices already sent, claim (savepoint, insert, release), mark sent.
    with django_assert_num_queries(7), django_capture_on_commit_callbacks(execute=True):
        notifications.decided(items, "return", cast.manager, REASON)

    [message] = mailoutbox
    assert message.body.count("- Extra") == count


# ---- an agency has sent in everything ---------------------------------------------------------


def send_in_everything(cast):
    """The police submit every item they owe for the quarter."""
    return [
        submitted_return(cast, cast.knives),
        submitted_return(cast, cast.repeat),
        submitted_update(cast),
    ]


def agency_submitted(capture, cast, organisation=None):
    with capture(execute=True):
        notifications.agency_submitted(cast.period, organisation or cast.police)


def test_managers_hear_once_when_an_agency_has_sent_in_everything(
    mailoutbox, settings, django_capture_on_commit_callbacks, cast, elsewhere
):
    settings.SITE_URL = "https://csp.example.org"
    second_manager = UserFactory(username="deputy")
    MembershipFactory(
        user=second_manager, partnership=cast.partnership, organisation=cast.police, role="manager"
    )
    send_in_everything(cast)

    for _ in range(3):
        agency_submitted(django_capture_on_commit_callbacks, cast)

    assert sorted(message.to[0] for message in mailoutbox) == [
        "deputy@example.org",
        "manager@example.org",
    ]
    message = mailoutbox[0]
    assert message.subject == "Staffordshire Police has sent in everything for 2024/25 Q1"
    assert (
        f"Staffordshire Police has sent in everything due for 2024/25 Q1 in {cast.partnership}: "
        "2 figures and 1 progress update." in message.body
    )
    assert f"https://csp.example.org/manage/periods/{cast.period.pk}/" in message.body


def test_managers_are_not_told_while_anything_is_outstanding(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    submitted_return(cast, cast.knives)
    ReturnFactory(indicator=cast.repeat, reporting_period=cast.period, status="draft")
    submitted_update(cast)

    agency_submitted(django_capture_on_commit_callbacks, cast)

    assert mailoutbox == []


def test_approved_items_count_as_sent_in(mailoutbox, django_capture_on_commit_callbacks, cast):
    knives, *_ = send_in_everything(cast)
    knives.approve(cast.manager)

    agency_submitted(django_capture_on_commit_callbacks, cast)

    assert len(mailoutbox) == 1


def test_an_agency_with_nothing_due_tells_nobody(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    housing = OrganisationFactory(name="Lichfield Housing")
    cast.partnership.organisations.add(housing)

    agency_submitted(django_capture_on_commit_callbacks, cast, housing)

    assert mailoutbox == []


def test_sending_everything_in_again_after_a_return_tells_the_managers_again(
    mailoutbox, django_capture_on_commit_callbacks, cast
):
    knives, *_ = send_in_everything(cast)
    agency_submitted(django_capture_on_commit_callbacks, cast)
    return_all(django_capture_on_commit_callbacks, cast, [knives])
    agency_submitted(django_capture_on_commit_callbacks, cast)  # still one outstanding
    mail.outbox.clear()

    Return.objects.filter(pk=knives.pk).update(
        status="submitted", submitted_at=timezone.now() + timedelta(minutes=5)
    )
    agency_submitted(django_capture_on_commit_callbacks, cast)
    agency_submitted(django_capture_on_commit_callbacks, cast)

    assert [message.to for message in mailoutbox] == [["manager@example.org"]]


@pytest.mark.parametrize("count", [1, 3])
def test_checking_an_agency_is_complete_costs_the_same_for_1_or_3(
    mailoutbox, django_capture_on_commit_callbacks, django_assert_num_queries, cast, count
):
    send_in_everything(cast)
    for indicator in police_indicators(cast, count):
        submitted_return(cast, indicator)

    # What the agency owes (due_list: 5), the managers, notices sent, claim (savepoint,
    # insert, release), mark sent.
    with django_assert_num_queries(11):
        agency_submitted(django_capture_on_commit_callbacks, cast)

    assert f"{2 + count} figures" in mailoutbox[0].body


# ---- the daily digest -------------------------------------------------------------------------


def test_managers_get_one_digest_of_items_sent_in_by_agency(mailoutbox, settings, cast, elsewhere):
    settings.SITE_URL = "https://csp.example.org"
    submitted_return(cast, cast.knives)
    submitted_update(cast)
    submitted_return(cast, cast.council_indicator, by=cast.other_officer)
    tamworth_period = ReportingPeriodFactory(partnership=elsewhere, financial_year=2024, quarter=1)
    ReturnFactory(
        indicator=IndicatorFactory(partnership=elsewhere, owner=cast.police, name="Tamworth only"),
        reporting_period=tamworth_period,
        status="submitted",
    )

    assert send_daily_digests() == 2

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {"manager@example.org", "tamworth-manager@example.org"}
    ours = by_recipient["manager@example.org"]
    assert ours.subject == "3 items sent in for your approval"
    police = ours.body.index(f"Staffordshire Police – 2024/25 Q1, {cast.partnership}")
    council = ours.body.index(f"Lichfield District Council – 2024/25 Q1, {cast.partnership}")
    assert ours.body.index("- Knives surrendered: 44") > police
    assert ours.body.index("- Install knife bins: On track") > police
    assert ours.body.index("- ASB cases: 44") > council
    address = f"Approve or return them at https://csp.example.org/manage/periods/{cast.period.pk}/"
    assert address in ours.body
    assert "Tamworth only" not in ours.body
    assert "Knives" not in by_recipient["tamworth-manager@example.org"].body


def test_officers_get_one_digest_of_their_items_approved(mailoutbox, cast, elsewhere):
    knives = submitted_return(cast, cast.knives)
    repeat = submitted_return(cast, cast.repeat, by=cast.colleague)
    council = submitted_return(cast, cast.council_indicator, by=cast.other_officer)
    for figure in (knives, repeat, council):
        figure.approve(cast.manager)

    assert send_daily_digests() == 3

    by_recipient = {message.to[0]: message for message in mailoutbox}
    assert set(by_recipient) == {
        "officer@example.org",
        "colleague@example.org",
        "officer2@example.org",
    }
    ours = by_recipient["officer@example.org"]
    assert ours.subject == "1 item approved by the partnership manager"
    assert "- Knives surrendered: 44" in ours.body
    assert "Repeat incidents" not in ours.body
    assert f"See them at http://127.0.0.1:8000/returns/{cast.period.pk}/{cast.police.pk}/" in (
        ours.body
    )


def test_each_event_is_in_a_digest_once_over_repeated_runs(mailoutbox, cast):
    figure = submitted_return(cast)
    assert send_daily_digests() == 1  # the manager: sent in
    assert send_daily_digests() == 0

    figure.approve(cast.manager)
    assert send_daily_digests() == 1  # the officer: approved
    assert send_daily_digests() == 0

    figure.reopen(cast.manager, REASON)
    Return.objects.filter(pk=figure.pk).update(status="submitted", revision=figure.revision + 1)
    assert send_daily_digests() == 1  # sent in again: news again
    assert [message.to[0] for message in mailoutbox] == [
        "manager@example.org",
        "officer@example.org",
        "manager@example.org",
    ]


def test_items_already_decided_and_old_approvals_are_not_news(mailoutbox, cast):
    returned = submitted_return(cast, cast.knives)
    returned.send_back(cast.manager, REASON)
    old = submitted_return(cast, cast.repeat)
    old.approve(cast.manager)
    Return.objects.filter(pk=old.pk).update(approved_at=timezone.now() - timedelta(days=8))

    assert send_daily_digests() == 0


def test_a_failed_digest_is_sent_on_the_next_run(mailoutbox, caplog, cast):
    submitted_return(cast)

    with caplog.at_level(logging.ERROR, logger="reporting.emails"):
        assert send_daily_digests(connection=RefusingBackend()) == 0

    assert "Could not send" in caplog.text
    assert send_daily_digests() == 1


def test_digest_command_says_how_many_emails_it_sent(mailoutbox, cast):
    submitted_return(cast)
    out = io.StringIO()

    call_command("send_daily_digest", stdout=out)
    call_command("send_daily_digest", stdout=out)

    assert out.getvalue() == "Sent 1 digest e-mail.\nSent 0 digest e-mails.\n"


@pytest.mark.parametrize("count", [1, 3])
def test_the_digest_costs_the_same_for_1_or_3_items(
    mailoutbox, django_assert_num_queries, cast, count
):
    submitted_update(cast)
    for indicator in police_indicators(cast, count):
        submitted_return(cast, indicator).approve(cast.manager)
        submitted_return(cast, IndicatorFactory(partnership=cast.partnership, owner=cast.police))

    # Returns, updates and their lead agencies, managers, officers, notices sent, claim
    # (savepoint, insert, release), mark sent.
    with django_assert_num_queries(10):
        assert send_daily_digests() == 2

    to_manager, to_officer = sorted(mailoutbox, key=lambda message: message.to[0])
    assert to_manager.body.count("\n- ") == count + 1  # and the action's update
    assert to_officer.body.count("\n- ") == count
