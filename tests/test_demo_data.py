"""The demo partnership `make run` loads: the whole Lichfield plan, clean, loadable twice, and
ready for a quarter of returns; the plan's earlier outline, superseded; and its 2024 refresh in
review with partners' comments."""

import io
import json
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import AreaGroup, Partnership, PlanVersion, Section, Theme, VersionEvent
from priorities.changes import COMPARED_CONTENTS, compare
from priorities.demo import (
    DEMO_PASSWORD,
    create_demo_users,
    load_partnership,
    read_demo_file,
)
from priorities.demo_refresh import load_refresh
from priorities.models import ActionRow, Comment, DataLine, Outcome, Priority

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


def published_version(partnership) -> PlanVersion:
    return PlanVersion.objects.published().get(plan__partnership=partnership)


def test_demo_plan_has_all_seven_priorities_and_every_action_row(demo_partnership):
    version = published_version(demo_partnership)
    assert (version.number, version.label) == (2, "Refresh April 2023")
    assert version.theme_use == PlanVersion.ThemeUse.NONE
    assert not version.themes.exists()
    priorities = list(version.priorities.all())
    assert [p.title for p in priorities] == PRIORITIES
    assert [p.label for p in priorities] == [f"Priority {n}" for n in range(1, 8)]
    assert [p.action_rows.count() for p in priorities] == ROWS_PER_PRIORITY
    assert [s.title for s in version.sections.all()] == [
        "Introduction",
        "Serious Violence Duty",
        "Prevent",
        "Local context",
        "Vulnerable people",
    ]


def test_every_action_row_of_the_2022_25_plan_is_complete(demo_partnership):
    # The 2021-22 outline's example rows have only actions and outcomes, as printed.
    for row in ActionRow.objects.exclude(priority__plan_version__number=1):
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
    rows = ActionRow.objects.filter(priority__plan_version=published_version(demo_partnership))
    assert rows.filter(
        description="Develop a process to deal with repeat and perpetuating cases"
    ).exists()
    assert (
        DataLine.objects.filter(
            action_row__in=rows,
            text="Data from partners such as housing associations about areas of concern",
        ).count()
        == 2
    )
    matac = rows.get(description__startswith="Develop a MATAC")
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


def counts() -> list[int]:
    pinned = ReportingPeriod.plan_versions.through
    models = [Partnership, PlanVersion, VersionEvent, Section, Theme, Priority, ActionRow,
              Outcome, DataLine, Return, AreaGroup, Comment, pinned]  # fmt: skip
    return [model.objects.count() for model in models]


def test_loading_twice_changes_nothing_and_resets_the_demo_passwords(demo_partnership):
    before = counts()

    data = read_demo_file()
    partnership, created = load_partnership(data)
    create_demo_users(partnership)
    draft = load_refresh(partnership, data)

    assert not created
    assert draft is None
    assert counts() == before
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
    assert "Started the plan's Refresh April 2024" in first.getvalue()
    assert "Started" not in again.getvalue()
    versions = Partnership.objects.get(slug="tamworth").plans.get().versions
    assert sorted(versions.values_list("number", "status")) == [
        (1, "superseded"),
        (2, "published"),
        (3, "in_review"),
    ]


def test_the_plan_has_its_outline_its_2023_refresh_and_a_2024_refresh_in_review(demo_partnership):
    versions = demo_partnership.plans.get().versions.order_by("number")
    assert [(v.number, v.label, v.status, v.published_on) for v in versions] == [
        (1, "Outline plan 2021–2022", "superseded", date(2021, 5, 1)),
        (2, "Refresh April 2023", "published", date(2023, 4, 1)),
        (3, "Refresh April 2024", "in_review", None),
    ]
    events = {
        v.number: [(e.kind, e.at.date(), e.by and e.by.username) for e in v.events.all()]
        for v in versions
    }
    assert events == {
        1: [("published", date(2021, 5, 1), None), ("superseded", date(2023, 4, 1), None)],
        2: [("published", date(2023, 4, 1), None)],
        3: [("created", date(2024, 4, 8), "manager"),
            ("sent_for_review", date(2024, 5, 2), "manager")],
    }  # fmt: skip
    assert versions[0].events.get(kind="superseded").reason == "Replaced by Refresh April 2023."


def test_the_outline_groups_its_example_rows_by_the_commissioners_four_approaches(
    demo_partnership,
):
    outline = demo_partnership.plans.get().versions.get(number=1)
    assert outline.theme_use == PlanVersion.ThemeUse.ACTIONS
    themes = [theme.name for theme in outline.themes.all()]
    assert themes == [
        "Early Intervention & Prevention",
        "Managing Perpetrators",
        "Supporting Victims & Witnesses",
        "Public Confidence",
    ]
    assert all(theme.description for theme in outline.themes.all())
    assert [s.title for s in outline.sections.all()] == [
        "Introduction",
        "The CSP in Lichfield District",
        "Impact of Covid 19",
        "Strategic assessment",
        "Action plan",
    ]
    priorities = list(outline.priorities.all())
    assert len(priorities) == 8
    assert [p.title for p in priorities[:2]] == ["Anti-social Behaviour (ASB)", "Domestic Abuse"]
    by_theme = {
        p.title: [(theme.name, len(rows)) for theme, rows in p.action_rows_by_theme()]
        for p in priorities[:2]
    }
    assert by_theme == {
        "Anti-social Behaviour (ASB)": list(zip(themes, [2, 1, 1, 1], strict=True)),
        "Domestic Abuse": list(zip(themes, [1, 1, 1, 1], strict=True)),
    }
    rows = ActionRow.objects.filter(priority__plan_version=outline)
    assert all(row.outcomes.exists() for row in rows)
    assert not any(p.action_rows.exists() for p in priorities[2:])


def test_the_2024_refresh_keeps_the_2023_plan_but_for_a_few_edits(demo_partnership):
    plan = demo_partnership.plans.get()
    current, draft = (
        plan.versions.prefetch_related(*COMPARED_CONTENTS).get(number=number) for number in (2, 3)
    )

    changes = compare(current, draft)

    assert [(c.kind, c.name) for c in changes.sections] == [("changed", "Local context")]
    assert "As at October 2023" in draft.sections.get(title="Local context").body
    assert {(p.name, r.kind, r.name[:30]) for p in changes.priorities for r in p.rows} == {
        ("Priority 2: Anti-Social Behaviour", "changed", "Embed the triage process acros"),
        ("Priority 2: Anti-Social Behaviour", "removed", "Agree an initial single agency"),
        ("Priority 5: Serious Violence", "added", "Publish the partnership's loca"),
        ("Priority 7: Crime prevention", "changed", "Safer nights campaign"),
    }
    added = ActionRow.objects.get(priority__plan_version=draft, description__startswith="Publish")
    assert [o.name for o in added.lead_organisations.all()] == ["Lichfield District Council"]
    assert added.outcomes.exists()
    assert added.data_lines.exists()
    assert draft.change_summary


def test_partners_comments_on_the_draft_some_answered_one_resolved(demo_partnership):
    draft = demo_partnership.plans.get().versions.get(number=3)
    threads = list(draft.comments.threads().select_related("author", "organisation"))
    about = [
        (
            c.author.username,
            c.organisation.name,
            type(c.subject).__name__ if c.subject else "plan",
            c.is_resolved,
        )
        for c in threads
    ]
    assert about == [
        ("reviewer", "Support Staffordshire", "plan", False),
        ("officer", "Staffordshire Police", "Section", True),
        ("officer", "Staffordshire Police", "Priority", False),
        ("reviewer", "Support Staffordshire", "ActionRow", False),
    ]
    assert draft.comments.open().count() == 3
    assert threads[1].resolved_by.username == "manager"
    [reply] = draft.comments.filter(reply_to__isnull=False)
    assert (reply.reply_to, reply.author.username, reply.subject) == (threads[0], "manager", None)
    for comment in draft.comments.all():
        comment.full_clean()  # every part commented on is the draft's own


def test_area_groups_name_the_places_the_plan_singles_out(demo_partnership):
    groups = {
        group.name: sorted(area.name for area in group.areas.all())
        for group in AreaGroup.objects.filter(partnership=demo_partnership)
    }
    assert groups == {
        "Areas at greater risk": ["Burntwood", "Chasetown", "North Lichfield"],
        "Lichfield City": ["Boley Park", "Chadsmead", "Lichfield City centre", "North Lichfield"],
        "Vehicle crime hotspots": ["Chasetown", "Little Aston", "Shenstone", "Stonnall"],
    }
    assert all(group.description for group in AreaGroup.objects.all())


def test_every_quarter_is_pinned_to_the_2023_refresh_its_updates_are_on(demo_partnership):
    current = published_version(demo_partnership)
    periods = ReportingPeriod.objects.filter(partnership=demo_partnership)
    assert periods.count() == 9
    for period in periods:
        assert list(period.plan_versions.all()) == [current], period
    assert (
        not ActionRow.objects.exclude(priority__plan_version=current)
        .filter(updates__isnull=False)
        .exists()
    )


def test_the_demo_loads_in_a_fixed_number_of_queries(demo_partnership, django_assert_num_queries):
    """Rows are written in bulk: a few queries per kind of row, whatever the plan's size (with
    the demo's organisations and users already there, as for a second partnership)."""
    data = read_demo_file()
    data["partnership"].update(slug="tamworth", name="Tamworth Community Safety Partnership")

    # 24 of them: each plan, version event, fund allocation, risk and priority area saved
    # marks the versions showing it changed, for the public page cache (plans/signals.py).
    with django_assert_num_queries(124):
        partnership, created = load_partnership(data)
    with django_assert_num_queries(36):
        create_demo_users(partnership)
    with django_assert_num_queries(92):  # its version events mark it changed (as above)
        draft = load_refresh(partnership, data)

    assert created
    assert draft.number == 3


def test_migrating_gives_an_existing_managers_group_the_new_models(db):
    from django.contrib.auth.models import Group, Permission

    from priorities.apps import give_managers_new_models
    from priorities.demo import MANAGER_GROUP

    group, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    group.permissions.clear()  # as a group made before this release had none of the new ones
    give_managers_new_models(sender=None)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_areagroup", "view_versionevent", "delete_comment"} <= codenames
    assert not Permission.objects.filter(group=group, content_type__app_label="auth").exists()
