"""Reminder e-mails: who is owed one, what it says, that each item is reminded once per step,
and the send_reminders command."""

import io
from datetime import date, timedelta

import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from reporting.models import Notice
from reporting.reminders import REMINDER_STEPS, send_reminders
from tests.factories import (
    ActionRowFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUE = date(2024, 7, 26)
OVERDUE_DAY = DUE + timedelta(days=4)


@pytest.fixture
def partnership():
    return PartnershipFactory(name="Lichfield District Community Safety Partnership")


@pytest.fixture
def police():
    return OrganisationFactory(name="Staffordshire Police")


@pytest.fixture
def officer(partnership, police):
    user = UserFactory(username="alice", first_name="Alice", last_name="Brown")
    MembershipFactory(user=user, partnership=partnership, organisation=police, role="officer")
    return user


@pytest.fixture
def period(partnership):
    return ReportingPeriodFactory(
        partnership=partnership, financial_year=2024, quarter=1, due_date=DUE, is_open=True
    )


def owed_indicator(partnership, organisation, **kwargs):
    """An indicator the agency sends figures for: due every quarter until a return is in."""
    return IndicatorFactory(partnership=partnership, owner=organisation, **kwargs)


def led_action_row(partnership, organisation, *, published=True, **kwargs):
    version = PlanVersionFactory(plan=PlanFactory(partnership=partnership), published=published)
    return ActionRowFactory(
        priority=PriorityFactory(plan_version=version), lead_organisations=[organisation], **kwargs
    )


def test_overdue_officer_gets_one_email_covering_two_periods_and_two_organisations(
    mailoutbox, partnership, police, officer, period
):
    council = OrganisationFactory(name="Lichfield District Council")
    MembershipFactory(user=officer, partnership=partnership, organisation=council)
    next_quarter = ReportingPeriodFactory(
        partnership=partnership, financial_year=2024, quarter=2, due_date=DUE, is_open=True
    )
    owed_indicator(partnership, police, name="Recorded violent crime")
    owed_indicator(partnership, council, name="Fly-tipping incidents")

    assert send_reminders(OVERDUE_DAY) == 1

    [mail] = mailoutbox
    assert mail.to == ["alice@example.org"]
    assert mail.subject == "Returns due: 4 items overdue for 2024/25 Q1 and 2024/25 Q2"
    for heading in (
        f"Lichfield District Council – 2024/25 Q1, {partnership}",
        f"Staffordshire Police – 2024/25 Q1, {partnership}",
        f"Lichfield District Council – 2024/25 Q2, {partnership}",
        f"Staffordshire Police – 2024/25 Q2, {partnership}",
    ):
        assert heading in mail.body
    assert f"/returns/{next_quarter.pk}/{council.pk}/" in mail.body


def test_officer_is_reminded_when_due_within_seven_days(mailoutbox, partnership, police, officer):
    ReportingPeriodFactory(
        partnership=partnership, financial_year=2024, quarter=1, due_date=DUE, is_open=True
    )
    owed_indicator(partnership, police)

    assert send_reminders(DUE - timedelta(days=7)) == 1

    [mail] = mailoutbox
    assert mail.subject == "Returns due: 1 item due in 7 days for 2024/25 Q1"
    assert "Due 26 July 2024: due in 7 days." in mail.body


def test_no_reminder_when_due_in_eight_days_or_more(mailoutbox, partnership, police, officer):
    ReportingPeriodFactory(partnership=partnership, due_date=DUE, is_open=True)
    owed_indicator(partnership, police)

    assert send_reminders(DUE - timedelta(days=8)) == 0
    assert mailoutbox == []


def test_no_reminder_for_a_closed_period(mailoutbox, partnership, police, officer):
    ReportingPeriodFactory(partnership=partnership, due_date=DUE, is_open=False)
    owed_indicator(partnership, police)

    assert send_reminders(OVERDUE_DAY) == 0
    assert mailoutbox == []


def test_no_reminder_when_everything_is_submitted_or_approved(
    mailoutbox, partnership, police, officer, period
):
    for status in ("submitted", "approved"):
        indicator = owed_indicator(partnership, police)
        ReturnFactory(indicator=indicator, reporting_period=period, status=status)

    assert send_reminders(OVERDUE_DAY) == 0
    assert mailoutbox == []


def test_no_reminder_for_an_agency_with_nothing_to_send(mailoutbox, officer, period):
    assert send_reminders(OVERDUE_DAY) == 0


def test_officer_without_email_gets_nothing_but_colleagues_do(
    mailoutbox, partnership, police, officer, period
):
    silent = UserFactory(email="")
    MembershipFactory(user=silent, partnership=partnership, organisation=police)
    owed_indicator(partnership, police)

    assert send_reminders(OVERDUE_DAY) == 1
    assert [mail.to for mail in mailoutbox] == [["alice@example.org"]]


def test_inactive_officer_gets_nothing(mailoutbox, partnership, police, officer, period):
    officer.is_active = False
    officer.save()
    owed_indicator(partnership, police)

    assert send_reminders(OVERDUE_DAY) == 0


def test_managers_and_reviewers_are_not_reminded(mailoutbox, partnership, police, period):
    for role in ("manager", "reviewer"):
        MembershipFactory(partnership=partnership, organisation=police, role=role)
    owed_indicator(partnership, police)

    assert send_reminders(OVERDUE_DAY) == 0


def test_other_partnerships_officers_get_nothing(mailoutbox, partnership, police, officer, period):
    elsewhere = PartnershipFactory()
    MembershipFactory(user=UserFactory(username="bob"), partnership=elsewhere, organisation=police)
    ReportingPeriodFactory(partnership=elsewhere, due_date=DUE + timedelta(days=30), is_open=True)
    owed_indicator(partnership, police)

    send_reminders(OVERDUE_DAY)

    assert [mail.to for mail in mailoutbox] == [["alice@example.org"]]


def test_body_lists_outstanding_items_with_their_status_and_the_entry_address(
    mailoutbox, settings, partnership, police, officer, period
):
    settings.SITE_URL = "https://csp.example.org/"
    owed_indicator(partnership, police, name="Recorded violent crime")
    draft = owed_indicator(partnership, police, name="Domestic abuse incidents")
    ReturnFactory(indicator=draft, reporting_period=period, status="draft")
    sent = owed_indicator(partnership, police, name="Knife crime offences")
    ReturnFactory(indicator=sent, reporting_period=period, status="submitted")
    led_action_row(partnership, police, description="Run a week of action " + "on knife crime " * 8)

    send_reminders(OVERDUE_DAY)

    body = mailoutbox[0].body
    assert body.startswith("Hello Alice Brown,")
    assert "Due 26 July 2024: overdue." in body
    assert "- Recorded violent crime: Not started" in body
    assert "- Domestic abuse incidents: Draft" in body
    assert "Knife crime offences" not in body
    [action_line] = [line for line in body.splitlines() if line.startswith("- Run a week")]
    assert action_line.endswith("…: Not started")
    assert len(action_line.removeprefix("- ").removesuffix(": Not started")) == 80
    assert f"Enter them at https://csp.example.org/returns/{period.pk}/{police.pk}/" in body


def test_entry_address_defaults_to_the_development_server(
    mailoutbox, settings, partnership, police, officer, period
):
    del settings.SITE_URL
    owed_indicator(partnership, police)

    send_reminders(OVERDUE_DAY)

    assert f"http://127.0.0.1:8000/returns/{period.pk}/{police.pk}/" in mailoutbox[0].body


def test_action_rows_count_only_when_their_plan_is_published(
    mailoutbox, partnership, police, officer, period
):
    led_action_row(partnership, police, published=False, description="Draft plan action")
    assert send_reminders(OVERDUE_DAY) == 0

    led_action_row(partnership, police, description="Published plan action")
    assert send_reminders(OVERDUE_DAY) == 1
    assert "- Published plan action: Not started" in mailoutbox[0].body
    assert "Draft plan action" not in mailoutbox[0].body


def test_subject_says_how_many_are_overdue_and_how_many_due_soon(
    mailoutbox, partnership, police, officer, period
):
    ReportingPeriodFactory(
        partnership=partnership,
        financial_year=2024,
        quarter=2,
        due_date=OVERDUE_DAY + timedelta(days=3),
        is_open=True,
    )
    owed_indicator(partnership, police)
    owed_indicator(partnership, police)

    send_reminders(OVERDUE_DAY)

    assert mailoutbox[0].subject == (
        "Returns due: 2 items overdue and 2 due soon for 2024/25 Q1 and 2024/25 Q2"
    )


def test_email_comes_from_the_default_sender(
    mailoutbox, settings, partnership, police, officer, period
):
    settings.DEFAULT_FROM_EMAIL = "csp@example.org"
    owed_indicator(partnership, police)

    send_reminders(OVERDUE_DAY)

    assert mailoutbox[0].from_email == "csp@example.org"


def test_command_reports_how_many_emails_it_sent(mailoutbox, partnership, police, officer, period):
    colleague = UserFactory(username="carol")
    MembershipFactory(user=colleague, partnership=partnership, organisation=police)
    owed_indicator(partnership, police)
    out = io.StringIO()

    call_command("send_reminders", "--date", OVERDUE_DAY.isoformat(), stdout=out)

    assert out.getvalue() == "Sent 2 reminder e-mails.\n"
    assert len(mailoutbox) == 2


def test_command_says_one_email_in_the_singular(mailoutbox, partnership, police, officer, period):
    owed_indicator(partnership, police)
    out = io.StringIO()

    call_command("send_reminders", "--date", OVERDUE_DAY.isoformat(), stdout=out)

    assert out.getvalue() == "Sent 1 reminder e-mail.\n"


def test_command_defaults_to_today(mailoutbox, partnership, police, officer):
    ReportingPeriodFactory(partnership=partnership, due_date=timezone.localdate(), is_open=True)
    owed_indicator(partnership, police)
    out = io.StringIO()

    call_command("send_reminders", stdout=out)

    assert out.getvalue() == "Sent 1 reminder e-mail.\n"
    assert "due today" in mailoutbox[0].subject


def test_command_refuses_a_bad_date(mailoutbox):
    with pytest.raises(CommandError) as raised:
        call_command("send_reminders", "--date", "26/07/2024", stdout=io.StringIO())

    assert str(raised.value) == '"26/07/2024" is not a date: write it like 2024-07-26.'
    assert mailoutbox == []


def test_plain_text_email_is_not_html_escaped(mailoutbox, partnership, police, officer, period):
    owed_indicator(partnership, police, name='Drug & alcohol referrals ("tier 2")')

    send_reminders(OVERDUE_DAY)

    body = mailoutbox[0].body
    assert '- Drug & alcohol referrals ("tier 2"): Not started' in body
    assert "&amp;" not in body
    assert "&quot;" not in body


def test_subject_is_one_line_whatever_the_template_layout(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police)

    send_reminders(OVERDUE_DAY)

    assert "\n" not in mailoutbox[0].subject
    assert mailoutbox[0].subject == "Returns due: 1 item overdue for 2024/25 Q1"


# ---- once per item per step ------------------------------------------------------------------


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("The mail server is down.")


class CrashingBackend(BaseEmailBackend):
    """The process dies while sending (as when the machine is switched off)."""

    def send_messages(self, email_messages):
        raise SystemExit("killed")


def test_the_steps_are_a_week_before_on_the_day_and_a_week_after():
    assert REMINDER_STEPS == {"week-before": -7, "due-date": 0, "week-after": 7}


def test_each_item_is_reminded_once_per_step_over_repeated_runs(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police, name="Recorded violent crime")
    sent_each_day = {}

    for offset in range(-9, 20):
        for _ in range(2):  # cron run twice the same day
            day = DUE + timedelta(days=offset)
            sent_each_day[offset] = sent_each_day.get(offset, 0) + send_reminders(day)

    assert {offset: sent for offset, sent in sent_each_day.items() if sent} == {-7: 1, 0: 1, 7: 1}
    assert [mail.subject for mail in mailoutbox] == [
        "Returns due: 1 item due in 7 days for 2024/25 Q1",
        "Returns due: 1 item due today for 2024/25 Q1",
        "Returns due: 1 item overdue for 2024/25 Q1",
    ]


def test_a_first_run_late_reminds_at_the_latest_step_only(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police)

    assert send_reminders(DUE + timedelta(days=9)) == 1
    assert send_reminders(DUE + timedelta(days=10)) == 0
    assert Notice.objects.filter(key__contains=":week-after:").count() == 1
    assert not Notice.objects.exclude(key__contains=":week-after:").exists()


def test_an_item_due_after_the_step_was_sent_is_reminded_alone(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police, name="Recorded violent crime")
    send_reminders(DUE)
    owed_indicator(partnership, police, name="Knife crime offences")

    assert send_reminders(DUE) == 1

    body = mailoutbox[1].body
    assert "- Knife crime offences: Not started" in body
    assert "Recorded violent crime" not in body


def test_items_sent_in_after_a_reminder_are_never_reminded_again(
    mailoutbox, partnership, police, officer, period
):
    indicator = owed_indicator(partnership, police)
    send_reminders(DUE - timedelta(days=7))
    ReturnFactory(indicator=indicator, reporting_period=period, status="submitted")

    assert send_reminders(DUE) == 0
    assert send_reminders(DUE + timedelta(days=7)) == 0


def test_officers_are_reminded_only_of_their_own_partnerships_items(
    mailoutbox, partnership, police, officer, period
):
    elsewhere = PartnershipFactory(name="Tamworth Community Safety Partnership")
    MembershipFactory(user=UserFactory(username="bob"), partnership=elsewhere, organisation=police)
    ReportingPeriodFactory(
        partnership=elsewhere, financial_year=2024, quarter=1, due_date=DUE, is_open=True
    )
    owed_indicator(partnership, police, name="Lichfield figure")
    owed_indicator(elsewhere, police, name="Tamworth figure")

    assert send_reminders(OVERDUE_DAY) == 2

    by_recipient = {mail.to[0]: mail.body for mail in mailoutbox}
    assert "Lichfield figure" in by_recipient["alice@example.org"]
    assert "Tamworth figure" not in by_recipient["alice@example.org"]
    assert "Tamworth figure" in by_recipient["bob@example.org"]
    assert "Lichfield figure" not in by_recipient["bob@example.org"]


def test_a_refused_reminder_is_sent_on_the_next_run(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police)

    assert send_reminders(OVERDUE_DAY, connection=RefusingBackend()) == 0
    assert send_reminders(OVERDUE_DAY) == 1
    assert len(mailoutbox) == 1


def test_a_run_that_dies_while_sending_never_sends_twice(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police)

    with pytest.raises(SystemExit):
        send_reminders(OVERDUE_DAY, connection=CrashingBackend())

    assert send_reminders(OVERDUE_DAY) == 0
    assert mailoutbox == []
    # Not lost silently: the claim is there, never confirmed sent.
    assert Notice.objects.unconfirmed().count() == 1


def test_command_run_twice_the_same_day_sends_once(
    mailoutbox, partnership, police, officer, period
):
    owed_indicator(partnership, police)
    out = io.StringIO()

    for _ in range(2):
        call_command("send_reminders", "--date", OVERDUE_DAY.isoformat(), stdout=out)

    assert out.getvalue() == "Sent 1 reminder e-mail.\nSent 0 reminder e-mails.\n"


@pytest.mark.parametrize("count", [1, 3])
def test_sending_reminders_costs_the_same_for_1_or_3_items(
    mailoutbox, django_assert_num_queries, partnership, police, officer, period, count
):
    for _ in range(count):
        owed_indicator(partnership, police)

    # build_reminders (7, as in tests/test_query_counts.py), notices sent, claim (savepoint,
    # insert, release), mark sent.
    with django_assert_num_queries(11):
        assert send_reminders(OVERDUE_DAY) == 1

    assert mailoutbox[0].body.count("\n- ") == count
