"""The quarterly report, computed for a partnership whose every figure has a known answer
(tests/builders.py `build_report_world`), and as the members' page and downloads show it."""

import copy
import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils.html import escape

from indicators.figures import RATING_RULE, Rating
from indicators.models import Return
from reporting.report import build_report
from tests import factories as f
from tests.builders import build_report_world
from tests.conftest import module_transaction


@pytest.fixture(scope="module")
def world_built_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_report_world()
            # Another partnership's report world, so that nothing of it may show in this one's.
            build_report_world("elsewhere")
        yield world


@pytest.fixture
def world(world_built_once, db):
    return copy.deepcopy(world_built_once)


@pytest.fixture
def report(world):
    return build_report(world.period, figures_queryset=Return.objects.approved())


def line_of(report, indicator):
    return next(
        line
        for section in report.priorities
        for line in section.indicators
        if line.indicator.pk == indicator.pk
    )


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "offences",
            {"value": "120", "last_year": "90", "difference_text": "+30", "change_text": "+33%",
             "direction": "↑ worsening", "year_to_date": "420", "target": "400",
             "rolling_twelve_months": "420"},
        ),
        (
            "rate",
            {"value": "16.5 per 1,000", "last_year": "17 per 1,000",
             "difference_text": "−0.5 per 1,000", "change_text": "−2.9%",
             "direction": "↓ improving", "year_to_date": "", "target": "14.5 per 1,000",
             "rank_text": "12 of 15", "last_year_rank_text": "10 of 15"},
        ),
        (
            "repeat",
            {"value": "27%", "last_year": "25%", "difference_text": "+2 points",
             "change_text": "+8%", "direction": "↑ worsening", "rank_text": "11 of 15",
             "last_year_rank_text": ""},
        ),
        (
            "share",  # nothing last year: a change from zero is not a percentage
            {"value": "5%", "last_year": "0%", "difference_text": "+5 points",
             "change_text": "n/a", "direction": "↑ improving", "target": ""},
        ),
        (
            "context",  # neither higher nor lower is better
            {"value": "36", "last_year": "30", "change_text": "+20%", "direction": "↑ not judged"},
        ),
        (
            "new",  # no figure last year
            {"value": "7", "last_year": "", "difference_text": "n/a", "change_text": "n/a",
             "direction": "no figure to compare", "year_to_date": ""},
        ),
    ],
)  # fmt: skip
def test_every_figure_of_each_indicator(report, world, code, expected):
    figures = line_of(report, getattr(world, code)).figures
    shown = {
        name: (
            str(figures.direction)
            if name == "direction"
            else getattr(figures, name)
            if name.endswith("_text")
            else figures.shown(name)
        )
        for name in expected
    }
    assert shown == expected


@pytest.mark.parametrize(
    ("code", "computed", "shown"),
    [
        ("offences", Rating.AMBER, Rating.GREEN),  # 420 so far against 400: within 10%; overridden
        ("rate", Rating.RED, Rating.RED),  # 16.5 against 14.5: more than 10% short
        ("repeat", Rating.GREEN, Rating.GREEN),  # 27% against at most 30%
        ("share", None, None),  # no target
        ("context", None, None),  # no good direction
        ("new", Rating.GREEN, Rating.GREEN),  # 7 against at most 10 (a quarter: not adding up)
    ],
)
def test_each_rating_is_computed_from_the_target_and_an_override_shows_with_its_reason(
    report, world, code, computed, shown
):
    figures = line_of(report, getattr(world, code)).figures
    assert (figures.computed_rating, figures.rating) == (computed, shown)
    if computed != shown:
        assert figures.override_reason == "Crimes are recorded in a new way this year."


def test_indicators_come_in_the_plans_order_each_once_under_their_priority(report, world):
    assert [
        (section.priority.title, [line.indicator.code for line in section.indicators])
        for section in report.priorities
    ] == [
        ("Serious Violence", ["SV-OFFENCES", "SV-RATE", "SV-REPEAT"]),
        ("Anti-Social Behaviour", ["ASB-CONTEXT", "ASB-SHARE", "ASB-NEW"]),
    ]


def test_exceptions_are_worsening_and_behind_target_or_in_the_bottom_third(report):
    # SV-OFFENCES: worse than last year and short of target (an override does not hide it);
    # SV-REPEAT: on target but worse and ranked 11 of 15. SV-RATE is red but improving.
    assert [line.indicator.code for line in report.exceptions] == ["SV-OFFENCES", "SV-REPEAT"]


def test_actions_are_counted_by_the_quarters_approved_status(report, world):
    violence, asb = report.priorities
    assert violence.status_counts == [
        ("on_track", "On track", 1),
        ("at_risk", "At risk", 1),
        ("off_track", "Off track", 1),
        ("complete", "Complete", 0),
        ("not_started", "Not started", 0),
    ]
    assert [count for _, _, count in asb.status_counts] == [0, 0, 0, 1, 1]
    assert [(line.row.description, line.status_label) for line in violence.concerns] == [
        ("Mentor young people", "At risk"),
        ("Open a youth hub", "Off track"),
    ]
    assert violence.concerns[0].progress_text.startswith("Mentors left")
    assert (report.actions_on_track, report.actions_total) == (1, 5)


def test_the_funds_of_the_year_with_totals_and_the_overspent_allocation(report):
    (section,) = report.funds  # the 2022/23 fund is not this year's
    totals = section.totals
    assert (totals.allocated, totals.spent, totals.committed, totals.remaining) == (
        Decimal("15000.00"), Decimal("10500.00"), Decimal("4000.00"), Decimal("500.00"),
    )  # fmt: skip
    assert totals.unallocated == Decimal("5000.00")
    assert [(a.title, a.overspend) for a in section.overspent] == [
        ("Safer nights", Decimal("500.00"))
    ]


def test_open_risks_in_the_registers_order_with_their_level_in_words(report):
    # The builder enters them in this order, all at the same order number.
    assert [(r.title, r.score, r.level) for r in report.risks] == [
        ("Data gaps", 12, "High"),
        ("Funding ends", 20, "Very high"),
        ("Venue lost", 2, "Low"),
        ("Staff turnover", 12, "High"),
    ]


def test_only_approved_figures_reach_the_members_report(world):
    Return.objects.filter(indicator=world.new).update(status="submitted")
    report = build_report(world.period, figures_queryset=Return.objects.approved())
    assert line_of(report, world.new).figures.value is None


def test_the_members_page_reads_like_a_board_paper(client, world):
    client.force_login(world.reviewer)
    page = client.get(f"/reports/{world.period.pk}/").content.decode()

    assert page.index('id="exceptions"') < page.index("Serious Violence")
    assert "Rated green by District Police (computed: amber): Crimes are recorded" in page
    assert "against 22.3 per 1,000 across the force area" in page
    assert "SV-RATE in 2023 Q4." in page  # the commentary
    assert "1 allocation of the Locality Fund 2023/24 has spent and committed more" in page
    assert "Over by £500.00" in page
    assert "£15,000.00" in page
    assert "£5,000.00 not yet allocated" in page
    assert "Very high (20)" in page
    assert escape(RATING_RULE) in page
    assert "Not published" in page
    assert "Elsewhere" not in page


def test_the_report_as_a_spreadsheet_has_a_sheet_per_part(client, world):
    client.force_login(world.officer)
    response = client.get(f"/reports/{world.period.pk}/report.xlsx")
    book = openpyxl.load_workbook(io.BytesIO(response.content))

    assert response["Content-Disposition"].endswith('district-2023-q4-report.xlsx"')
    assert book.sheetnames == ["Indicators", "Actions", "Funding", "Risks"]
    indicators = list(book["Indicators"].values)
    offences = dict(zip(indicators[0], indicators[1], strict=True))
    assert (offences["indicator"], offences["value"], offences["difference"]) == (
        "Sv-Offences", 120, 30,
    )  # fmt: skip
    assert (offences["change (%)"], offences["rating"], offences["computed rating"]) == (
        33.3, "Green", "Amber",
    )  # fmt: skip
    assert offences["exception"] == "yes"
    funding = list(book["Funding"].values)
    assert funding[-1][1:] == ("Total", None, 15000, 10500, 4000, 500)
    assert [row[0] for row in book["Risks"].values][1:] == [
        "Data gaps", "Funding ends", "Venue lost", "Staff turnover",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("part", "header", "rows"),
    [
        ("", "priority,indicator,unit,quarter,value", 6),
        ("indicators", "priority,indicator,unit,quarter,value", 6),
        ("actions", "priority,action,status,progress this quarter", 5),
        ("funding", "fund,allocation,delivered by,allocated", 3),
        ("risks", "risk,impact,likelihood,score,level", 4),
    ],
)
def test_each_part_of_the_report_as_csv(client, world, part, header, rows):
    client.force_login(world.officer)
    response = client.get(f"/reports/{world.period.pk}/report.csv", {"part": part} if part else {})
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert ",".join(lines[0]).startswith(header)
    assert len(lines) - 1 == rows


def test_a_part_that_does_not_exist_is_not_found(client, world):
    client.force_login(world.officer)
    assert client.get(f"/reports/{world.period.pk}/report.csv", {"part": "x"}).status_code == 404
    assert client.get(f"/reports/{world.period.pk}/report.pdf").status_code == 404


def test_report_cells_a_spreadsheet_would_run_are_written_as_text(client, world):
    world.offences.name = '=HYPERLINK("http://evil")'
    world.offences.save()
    client.force_login(world.officer)
    content = client.get(f"/reports/{world.period.pk}/report.csv").content.decode()
    assert "'=HYPERLINK" in content


def test_the_report_is_for_members_of_its_partnership_only(client, world):
    url = f"/reports/{world.period.pk}/"
    assert client.get(url).status_code == 302  # to sign in
    outsider = f.UserFactory(username="outsider")
    f.MembershipFactory(user=outsider, role="manager")  # a manager of another partnership
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.get(url + "report.xlsx").status_code == 403


def test_the_print_styles_name_the_partnership_quarter_and_page(client, world):
    css = client.get("/partnerships/district/reports/2023-24-q4/print.css").content.decode()
    assert 'content: "District CSP: 2023/24 Q4 report"' in css
    assert 'counter(page) " of " counter(pages)' in css
    assert "size: A4 landscape" in css


def test_members_find_their_partnerships_quarters_and_only_theirs(client, world):
    client.force_login(world.reviewer)
    page = client.get("/reports/").content.decode()
    assert page.count(">2023/24 Q4<") == 1  # not the other partnership's 2023/24 Q4
    assert f'href="/reports/{world.period.pk}/"' in page
    assert "Not published: members only" in page
    outsider = f.UserFactory(username="no-partnership")
    client.force_login(outsider)
    assert "2023/24 Q4" not in client.get("/reports/").content.decode()
