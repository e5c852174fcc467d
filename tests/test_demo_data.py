"""The demo partnership `make run` loads: the whole Lichfield plan, clean, loadable twice, and
ready for a quarter of returns."""

import io
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Indicator, Return
from plans.models import Partnership, PlanVersion, Section
from priorities.demo import DEMO_PASSWORD, create_demo_users, load_partnership, read_demo_file
from priorities.models import ActionRow, DataLine, Outcome, Priority

pytestmark = pytest.mark.django_db

PRIORITIES = [
    "Domestic Abuse",
    "Anti-Social Behaviour",
    "County Lines",
    "Violence against women and girls",
    "Serious Violence",
    "Prevent",
    "Crime prevention",
]
# Rows per priority in the reference document once rows split over a page are joined.
ROWS_PER_PRIORITY = [8, 6, 4, 7, 5, 6, 5]

# What the PDF conversion left behind: markup, table pipes, doubled spaces, and words run
# together where a cell boundary was lost ("concernNumbers").
ARTEFACTS = re.compile(r"<[a-z/]|&[a-z#]+;|\||  |\b[a-z]{2,}[A-Z][a-z]")


def all_texts():
    for section in Section.objects.all():
        yield section.title, section.body
    for priority in Priority.objects.all():
        for field in [
            "title",
            "what_is_heading",
            "what_is",
            "local_picture_heading",
            "local_picture",
            "response_heading",
            "response",
            "at_risk_groups",
        ]:
            yield f"{priority.title}.{field}", getattr(priority, field)
    for row in ActionRow.objects.all():
        yield f"action {row.pk}", row.description
    for line in [*Outcome.objects.all(), *DataLine.objects.all()]:
        yield f"{type(line).__name__} {line.pk}", line.text


def test_demo_plan_has_all_seven_priorities_and_every_action_row(demo_partnership):
    version = PlanVersion.objects.get(plan__partnership=demo_partnership)
    assert version.status == PlanVersion.Status.PUBLISHED
    assert version.label == "Refresh April 2023"
    priorities = list(version.priorities.all())
    assert [p.title for p in priorities] == PRIORITIES
    assert [p.action_rows.count() for p in priorities] == ROWS_PER_PRIORITY
    assert [s.title for s in version.sections.all()] == [
        "Introduction",
        "Serious Violence Duty",
        "Prevent",
        "Local context",
        "Vulnerable people",
    ]


def test_every_action_row_is_complete(demo_partnership):
    for row in ActionRow.objects.all():
        assert row.outcomes.exists(), row
        assert row.data_lines.exists(), row
        assert row.lead_organisations.exists(), row


def test_no_conversion_artefacts_remain_in_any_text(demo_partnership):
    dirty = [
        (where, match.group())
        for where, text in all_texts()
        for match in [ARTEFACTS.search(text)]
        if match or text != text.strip()
    ]
    assert dirty == []


def test_rows_split_by_the_conversion_are_joined_and_cells_split(demo_partnership):
    assert ActionRow.objects.filter(
        description="Develop a process to deal with repeat and perpetuating cases"
    ).exists()
    assert (
        DataLine.objects.filter(
            text="Data from partners such as housing associations about areas of concern"
        ).count()
        == 2
    )
    matac = ActionRow.objects.get(description__startswith="Develop a MATAC")
    assert matac.description == (
        "Develop a MATAC (Multi agency tactical assessment meeting) to target repeat offenders"
    )


EIGHT_QUARTERS = [f"{year} Q{q}" for year in ("2022/23", "2023/24") for q in (1, 2, 3, 4)]


def test_measurable_data_lines_have_indicators_with_eight_quarters_of_approved_returns(
    demo_partnership,
):
    indicators = Indicator.objects.filter(partnership=demo_partnership)
    assert indicators.exists()
    for indicator in indicators:
        assert indicator.data_lines.exists(), indicator
        whole_area = indicator.returns.filter(area__isnull=True).approved()
        assert sorted(r.reporting_period.label for r in whole_area) == EIGHT_QUARTERS, indicator
    for figure in Return.objects.all():
        assert figure.commentary.startswith("Illustrative demo figure, not real data.")
        figure.full_clean()  # every demo value fits its unit


def test_a_dozen_areas_have_figures_for_three_indicators_with_small_counts_to_withhold(
    demo_partnership,
):
    by_area = Return.objects.filter(indicator__partnership=demo_partnership, area__isnull=False)
    assert demo_partnership.areas.count() == 12
    assert by_area.values("indicator").distinct().count() == 3
    assert by_area.values("area").distinct().count() == 12
    assert by_area.filter(indicator__unit="count", value__lt=5).exists()


def test_past_quarters_reports_are_published_up_to_2023_24_q4_and_some_figures_are_red(
    demo_partnership,
):
    from indicators.models import ReportingPeriod
    from reporting.report import build_report

    published = ReportingPeriod.objects.public().filter(partnership=demo_partnership)
    assert sorted(p.label for p in published) == EIGHT_QUARTERS
    last = published.get(financial_year=2023, quarter=4)
    report = build_report(last, figures_queryset=Return.objects.public())
    ratings = {
        line.figures.rating.code
        for section in report.priorities
        for line in section.indicators
        if line.figures.rating
    }
    assert {"red", "green"} <= ratings
    assert report.exceptions
    assert any(section.overspent for section in report.funds)


def test_loading_twice_changes_nothing_and_resets_the_demo_passwords(demo_partnership):
    counts = [ActionRow.objects.count(), Return.objects.count(), Partnership.objects.count()]

    partnership, created = load_partnership(read_demo_file())
    create_demo_users(partnership)

    assert not created
    assert [
        ActionRow.objects.count(),
        Return.objects.count(),
        Partnership.objects.count(),
    ] == counts
    for username in ["manager", "officer", "officer2", "reviewer", "admin"]:
        user = get_user_model().objects.get(username=username)
        assert user.check_password(DEMO_PASSWORD), username


def test_demo_users_have_their_roles(demo_partnership):
    roles = {
        m.user.username: (m.role, m.organisation.name)
        for m in demo_partnership.memberships.select_related("user", "organisation")
    }
    assert roles == {
        "manager": ("manager", "Lichfield District Council"),
        "officer": ("officer", "Staffordshire Police"),
        "officer2": ("officer", "Lichfield District Council"),
        "reviewer": ("reviewer", "Support Staffordshire"),
    }


def test_a_broken_demo_file_saves_nothing(db):
    data = read_demo_file()
    data["partnership"].update(slug="broken", name="Broken Community Safety Partnership")
    data["plan"]["priorities"][-1]["actions"][-1]["lead"] = ["No Such Agency"]
    before = [Partnership.objects.count(), ActionRow.objects.count(), Return.objects.count()]

    with pytest.raises(KeyError):
        load_partnership(data)

    assert [Partnership.objects.count(), ActionRow.objects.count(), Return.objects.count()] == (
        before
    )
    assert not Partnership.objects.filter(slug="broken").exists()


def test_demo_officers_are_reminded_once_a_quarter_is_opened(mailoutbox, demo_partnership):
    # A quarter the demo data has no returns for, so both demo officers owe everything.
    call_command(
        "open_period", "lichfield", "2026/27 Q1", "--due", "2026-07-24", stdout=io.StringIO()
    )
    out = io.StringIO()

    call_command("send_reminders", "--date", "2026-07-27", stdout=out)

    assert out.getvalue() == "Sent 2 reminder e-mails.\n"
    assert sorted(mail.to[0] for mail in mailoutbox) == [
        "officer2@example.org",
        "officer@example.org",
    ]
    assert all("overdue" in mail.subject for mail in mailoutbox)
    assert all("2026/27 Q1" in mail.subject for mail in mailoutbox)


def test_load_demo_command_loads_a_file_once_then_says_it_is_there(demo_partnership, tmp_path):
    data = read_demo_file()
    data["partnership"].update(slug="tamworth", name="Tamworth Community Safety Partnership")
    other = tmp_path / "tamworth.json"
    other.write_text(json.dumps(data), encoding="utf-8")

    first, again = io.StringIO(), io.StringIO()
    call_command("load_demo", "--file", str(other), "--password", "another-pass-1", stdout=first)
    call_command("load_demo", "--file", str(other), stdout=again)

    assert first.getvalue().startswith(
        "Loaded the demo partnership: Tamworth Community Safety Partnership.\n"
    )
    assert "sign in with the password: another-pass-1" in first.getvalue()
    assert again.getvalue().startswith(
        "The demo partnership is already loaded: Tamworth Community Safety Partnership.\n"
    )
    assert Partnership.objects.get(slug="tamworth").plans.get().versions.count() == 1
