"""Targets, risks and funds as plans write them: a yearly target that is a direction, an
indicator no agency owns, a register on Low/Medium/High kept in its own order, and funds given
as approximate amounts, ranges, or every year."""

import copy
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators import figures
from indicators.figures import Rating, Target
from indicators.models import Indicator, IndicatorTarget, Return
from plans.models import Fund, Risk
from plans.models.funding import fund_totals
from plans.models.risk_scales import FIVE_LEVELS, THREE_LEVELS, level_choices
from reporting.daily_digest import send_daily_digests
from reporting.due import completeness, returns_due
from reporting.notifications import agencies_of
from reporting.report import build_report
from tests import factories as f
from tests.builders import build_report_world
from tests.conftest import module_transaction
from tests.entry_helpers import entry_url

D = Decimal


# ---- a yearly target: a number, a direction, or both -----------------------------------------


def test_a_target_needs_a_figure_or_a_direction(db):
    target = f.IndicatorTargetFactory.build(
        indicator=f.IndicatorFactory(), financial_year=2024, value=None
    )
    with pytest.raises(ValidationError) as raised:
        target.full_clean()
    assert raised.value.message_dict["value"] == [
        "Enter the target figure, or choose whether to reduce, increase or maintain."
    ]
    target.direction = IndicatorTarget.Direction.REDUCE
    target.text = "Reduce by 5% on the 2018 baseline"
    target.full_clean()  # a direction alone is a target


def test_the_database_refuses_a_target_with_neither(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IndicatorTargetFactory(value=None, direction="")


def test_a_target_figure_must_fit_the_indicators_unit(db):
    target = f.IndicatorTargetFactory.build(
        indicator=f.IndicatorFactory(unit=Indicator.Unit.PERCENTAGE), financial_year=2024
    )
    target.value = D("120")
    with pytest.raises(ValidationError) as raised:
        target.full_clean()
    assert raised.value.message_dict["value"] == ["A percentage is between 0 and 100."]


@pytest.mark.parametrize(
    ("target", "written"),
    [
        (Target(value=D("1200")), "1,200"),
        (Target(value=D("1200"), direction="reduce"), "Reduce to 1,200"),
        (Target(value=D("1200"), direction="increase"), "Increase to 1,200"),
        (Target(value=D("1200"), direction="maintain"), "Maintain at 1,200"),
        (Target(direction="reduce"), "Reduce on last year"),
        (Target(direction="increase"), "Increase on last year"),
        (Target(direction="maintain"), "Maintain last year's level"),
        (
            Target(direction="reduce", text="Reduce by 5% on the 2018 baseline"),
            "Reduce by 5% on the 2018 baseline",
        ),
        (
            Target(value=D("1140"), direction="reduce", text="5% below the 2018 baseline"),
            "1,140 (5% below the 2018 baseline)",
        ),
    ],
)
def test_a_target_reads_as_the_plan_writes_it(target, written):
    assert target.describe(lambda value: f"{value:,.0f}") == written


@pytest.mark.parametrize(
    ("direction", "value", "last_year", "good", "expected"),
    [
        ("reduce", "90", "100", "down", Rating.GREEN),
        ("reduce", "100", "100", "down", Rating.AMBER),  # no change: not reduced
        ("reduce", "105", "100", "down", Rating.AMBER),  # up, within 10%
        ("reduce", "111", "100", "down", Rating.RED),
        ("reduce", "90", "100", "up", Rating.GREEN),  # the target's direction decides
        ("reduce", "90", "100", "none", Rating.GREEN),
        ("increase", "110", "100", "down", Rating.GREEN),
        ("increase", "100", "100", "up", Rating.AMBER),
        ("increase", "95", "100", "up", Rating.AMBER),
        ("increase", "89", "100", "up", Rating.RED),
        ("maintain", "100", "100", "down", Rating.GREEN),
        ("maintain", "80", "100", "down", Rating.GREEN),  # better than maintained
        ("maintain", "108", "100", "down", Rating.AMBER),
        ("maintain", "120", "100", "down", Rating.RED),
        ("maintain", "92", "100", "up", Rating.AMBER),
        ("maintain", "100", "100", "none", None),  # neither way is better: not rated
        ("reduce", "90", None, "down", None),  # nothing to compare with
        ("reduce", None, "100", "down", None),
        ("", "90", "100", "down", None),
    ],
)
def test_a_direction_is_rated_against_last_year(direction, value, last_year, good, expected):
    value = None if value is None else D(value)
    last_year = None if last_year is None else D(last_year)
    assert figures.rating_on_last_year(value, last_year, direction, good, D("10")) is expected


def test_a_direction_compares_the_quarter_with_the_same_quarter_last_year():
    result = figures.quarter_figures(
        quarter=(2023, 2),
        values={(2022, 2): D("50"), (2023, 1): D("10"), (2023, 2): D("45")},
        ranks={},
        targets={2023: Target(direction="reduce")},
        good="down",
        cumulative=False,
        tolerance=D("10"),
    )
    assert (result.target, result.target_so_far) == (None, D("50"))
    assert result.computed_rating is Rating.GREEN
    assert result.target_text == "Reduce on last year"


def test_a_direction_compares_the_year_so_far_with_last_years_when_quarters_add_up():
    values = {(2022, 1): D("100"), (2022, 2): D("100"), (2023, 1): D("90"), (2023, 2): D("150")}
    result = figures.quarter_figures(
        quarter=(2023, 2),
        values=values,
        ranks={},
        targets={2023: Target(direction="reduce")},
        good="down",
        cumulative=True,
        tolerance=D("10"),
    )
    assert (result.compared_with_target, result.target_so_far) == (D("240"), D("200"))
    assert result.computed_rating is Rating.RED  # 20% up on last year's first half


def test_a_number_beside_a_direction_is_what_the_figure_is_rated_against():
    result = figures.quarter_figures(
        quarter=(2023, 1),
        values={(2022, 1): D("50"), (2023, 1): D("45")},
        ranks={},
        targets={2023: Target(value=D("40"), direction="reduce")},
        good="down",
        cumulative=False,
        tolerance=D("10"),
    )
    assert (result.target, result.target_so_far) == (D("40"), D("40"))
    assert result.computed_rating is Rating.RED  # better than last year, but 12.5% off 40


def test_the_entry_page_shows_a_direction_target_beside_the_box(officer_client, cast):
    f.IndicatorTargetFactory(
        indicator=cast.knives,
        financial_year=2024,
        value=None,
        direction="reduce",
        text="Reduce by 5% on the 2018 baseline",
    )
    page = officer_client.get(entry_url(cast)).content.decode()
    table = page.split("Approved figures and target for Knives surrendered")[1].split("</table>")[0]
    assert "Reduce by 5% on the 2018 baseline" in table


@pytest.fixture(scope="module")
def world_built_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_report_world()
        yield world


@pytest.fixture
def world(world_built_once, db):
    return copy.deepcopy(world_built_once)


def report_line(world, code):
    report = build_report(world.period, figures_queryset=Return.objects.approved())
    return next(
        line
        for section in report.priorities
        for line in section.indicators
        if line.indicator.code == code
    )


def test_the_report_rates_a_reduce_target_on_last_year_and_says_so(world, client):
    # SV-RATE: 16.5 per 1,000 this Q4 against 17.0 last year's.
    IndicatorTarget.objects.filter(indicator=world.rate).update(value=None, direction="reduce")
    line = report_line(world, "SV-RATE")
    assert line.figures.computed_rating is Rating.GREEN
    assert line.figures.target_text == "Reduce on last year"

    client.force_login(world.reviewer)
    page = client.get(f"/reports/{world.period.pk}/").content.decode()
    assert "Reduce on last year" in page


def test_without_last_years_quarters_a_direction_target_is_not_rated(world):
    # SV-OFFENCES adds up, and only last year's Q4 is known: no year to date to compare with.
    IndicatorTarget.objects.filter(indicator=world.offences).update(value=None, direction="reduce")
    line = report_line(world, "SV-OFFENCES")
    assert line.figures.computed_rating is None
    assert line.figures.target_text == "Reduce on last year"


# ---- an indicator no agency owns ---------------------------------------------------------------


def test_an_indicator_without_an_owner_is_owed_by_nobody(cast):
    orphan = f.IndicatorFactory(partnership=cast.partnership, owner=None, code="NO-OWNER")
    figure = f.ReturnFactory(indicator=orphan, reporting_period=cast.period, status="submitted")

    assert orphan not in [item.indicator for item in returns_due(cast.police, cast.period)]
    assert sum(row.due for row in completeness(cast.period)) == 4  # 3 indicators and an action
    assert agencies_of(figure) == []


def test_the_managers_digest_lists_an_unowned_figure_under_no_owning_agency(cast, mailoutbox):
    orphan = f.IndicatorFactory(partnership=cast.partnership, owner=None, name="Unowned count")
    f.ReturnFactory(indicator=orphan, reporting_period=cast.period, status="submitted")

    send_daily_digests()
    (message,) = [message for message in mailoutbox if message.to == ["manager@example.org"]]
    heading = message.body.index(f"No owning agency – 2024/25 Q1, {cast.partnership}")
    assert message.body.index("- Unowned count") > heading


def test_the_managers_pages_say_no_owning_agency(manager_client, cast):
    orphan = f.IndicatorFactory(partnership=cast.partnership, owner=None, name="Unowned count")
    figure = f.ReturnFactory(indicator=orphan, reporting_period=cast.period, status="submitted")

    period_page = manager_client.get(f"/manage/periods/{cast.period.pk}/").content.decode()
    review_page = manager_client.get(f"/manage/returns/{figure.pk}/").content.decode()
    assert "No owning agency" in period_page
    assert "No owning agency" in review_page


# ---- risks on the partnership's scale ----------------------------------------------------------

L, M, H = 1, 2, 3
THREE_BY_THREE = {  # (impact, likelihood): level, as a 3×3 register reads
    (L, L): "Low", (L, M): "Low", (L, H): "Low",
    (M, L): "Low", (M, M): "Medium", (M, H): "High",
    (H, L): "Low", (H, M): "High", (H, H): "High",
}  # fmt: skip
FIVE_BY_FIVE = [  # rows: impact 1 to 5; columns: likelihood 1 to 5
    ["Low", "Low", "Low", "Medium", "Medium"],
    ["Low", "Medium", "Medium", "High", "High"],
    ["Low", "Medium", "High", "High", "Very high"],
    ["Medium", "High", "High", "Very high", "Very high"],
    ["Medium", "High", "Very high", "Very high", "Very high"],
]


@pytest.mark.parametrize(("impact", "likelihood"), list(THREE_BY_THREE))
def test_every_cell_of_the_three_by_three_matrix(impact, likelihood):
    assert THREE_LEVELS.band(impact, likelihood) == THREE_BY_THREE[impact, likelihood]


@pytest.mark.parametrize("impact", range(1, 6))
@pytest.mark.parametrize("likelihood", range(1, 6))
def test_every_cell_of_the_five_by_five_matrix(impact, likelihood):
    assert FIVE_LEVELS.band(impact, likelihood) == FIVE_BY_FIVE[impact - 1][likelihood - 1]


@pytest.mark.parametrize(
    ("scale", "written", "number"),
    [
        (THREE_LEVELS, "High", 3),
        (THREE_LEVELS, " medium ", 2),
        (THREE_LEVELS, "low", 1),
        (THREE_LEVELS, "2", 2),
        (THREE_LEVELS, "Very high", None),
        (THREE_LEVELS, "4", None),
        (FIVE_LEVELS, "4", 4),
        (FIVE_LEVELS, "High", None),
    ],
)
def test_a_level_as_a_register_writes_it(scale, written, number):
    assert scale.level_number(written) == number


def test_a_level_off_the_scale_shows_as_its_number_rather_than_breaking_a_page():
    assert THREE_LEVELS.level_name(5) == "5"
    assert THREE_LEVELS.level_name(3) == "High"


def test_forms_offer_the_scales_named_levels_or_plain_numbers_when_scales_differ():
    assert level_choices(["three"]) == [(1, "Low"), (2, "Medium"), (3, "High")]
    assert level_choices(["five", "five"]) == [(n, str(n)) for n in range(1, 6)]
    assert level_choices(["three", "five"]) == [(n, str(n)) for n in range(1, 6)]


def test_a_risk_on_a_three_level_scale_reads_in_words(db):
    risk = f.RiskFactory(partnership__risk_scale="three", impact=H, likelihood=M)
    assert (risk.impact_name, risk.likelihood_name, risk.level) == ("High", "Medium", "High")


def test_a_risk_scored_beyond_its_partnerships_scale_is_refused_beside_the_field(db):
    partnership = f.PartnershipFactory(risk_scale="three")
    risk = f.RiskFactory.build(partnership=partnership, impact=4, likelihood=2)
    with pytest.raises(ValidationError) as raised:
        risk.full_clean()
    assert raised.value.message_dict == {
        "impact": ["Choose one of the partnership's levels: Low, Medium, High."]
    }


def test_a_partnership_cannot_move_to_a_scale_its_risks_do_not_fit(db):
    risk = f.RiskFactory(impact=4, likelihood=2)
    partnership = risk.partnership
    partnership.risk_scale = "three"
    with pytest.raises(ValidationError) as raised:
        partnership.clean()
    assert raised.value.message_dict["risk_scale"] == [
        "1 risk is scored above 3: score it again before choosing this scale."
    ]
    risk.impact = 3
    risk.save()
    partnership.clean()  # every risk fits now


def test_the_register_keeps_its_own_order_in_the_report(world):
    Risk.objects.filter(partnership=world.partnership).delete()
    for order, title in [(30, "Alpha"), (10, "Charlie"), (20, "Bravo")]:
        f.RiskFactory(partnership=world.partnership, title=title, order=order)
    report = build_report(world.period, figures_queryset=Return.objects.approved())
    assert [risk.title for risk in report.risks] == ["Charlie", "Bravo", "Alpha"]


def test_the_report_shows_a_three_level_register_in_words(world, client):
    world.partnership.risk_scale = "three"
    world.partnership.save()
    Risk.objects.filter(partnership=world.partnership).delete()
    f.RiskFactory(partnership=world.partnership, title="Venue lost", impact=M, likelihood=M)
    client.force_login(world.reviewer)
    page = client.get(f"/reports/{world.period.pk}/").content.decode()
    row = page.split("Venue lost")[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split('govuk-table__cell">')[1:4]] == [
        "Medium",
        "Medium",
        "Medium (4)",
    ]


def test_the_admin_offers_named_levels_and_refuses_one_off_the_scale(admin_manager_client, cast):
    cast.partnership.risk_scale = "three"
    cast.partnership.save()
    form = admin_manager_client.get("/admin/plans/risk/add/").content.decode()
    assert '<option value="3">High</option>' in form

    response = admin_manager_client.post(
        "/admin/plans/risk/add/",
        {"partnership": cast.partnership.pk, "title": "Venue closes", "order": 10,
         "impact": 4, "likelihood": 2, "is_open": "on"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Select a valid choice. 4 is not one of the available choices." in (
        response.content.decode()
    )
    assert not Risk.objects.filter(title="Venue closes").exists()


# ---- funds as written -----------------------------------------------------------------------


def fund(**fields) -> Fund:
    return f.FundFactory.build(partnership=f.PartnershipFactory(), **fields)


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"amount_kind": "range"}, {"amount_high": ["Enter the upper end of the range."]}),
        (
            {"amount_kind": "range", "amount": D("15000"), "amount_high": D("10000")},
            {"amount_high": ["The upper end must be more than the lower end."]},
        ),
        (
            {"amount_kind": "range", "amount": D("10000"), "amount_high": D("10000")},
            {"amount_high": ["The upper end must be more than the lower end."]},
        ),
        (
            {"amount_kind": "approximate", "amount_high": D("80000")},
            {"amount_high": ["Leave this empty unless the amount is a range."]},
        ),
        ({"amount": D("-1")}, {"amount": ["The amount cannot be negative."]}),
        (
            {"last_year": 2025},
            {"last_year": ["A last year is only for a fund that recurs each year."]},
        ),
        (
            {"recurs_yearly": True, "financial_year": 2023, "last_year": 2022},
            {"last_year": ["The last year cannot come before the first year."]},
        ),
    ],
)
def test_a_fund_refuses_amounts_and_years_that_cannot_be(db, fields, errors):
    with pytest.raises(ValidationError) as raised:
        fund(**fields).full_clean()
    assert {key: raised.value.message_dict[key] for key in errors} == errors


def test_the_database_refuses_a_range_whose_upper_end_is_below_its_lower(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        f.FundFactory(amount_kind="range", amount=D("15000"), amount_high=D("10000"))


@pytest.mark.parametrize(
    ("fields", "amount", "years"),
    [
        ({"amount": D("75500")}, "£75,500", "2023/24"),
        ({"amount": D("1250.50")}, "£1,250.50", "2023/24"),
        ({"amount_kind": "approximate", "amount": D("75000")}, "circa £75,000", "2023/24"),
        (
            {"amount_kind": "range", "amount": D("10000"), "amount_high": D("15000")},
            "£10,000 to £15,000",
            "2023/24",
        ),
        ({"recurs_yearly": True}, "£75,500", "each year from 2023/24"),
        ({"recurs_yearly": True, "last_year": 2025}, "£75,500", "each year, 2023/24 to 2025/26"),
    ],
)
def test_a_fund_reads_as_the_plan_writes_it(db, fields, amount, years):
    written = fund(financial_year=2023, **fields)
    assert (written.amount_text, written.years_text) == (amount, years)


def test_a_recurring_fund_counts_in_each_year_it_runs(db):
    partnership = f.PartnershipFactory()
    once = f.FundFactory(partnership=partnership, financial_year=2023)
    ending = f.FundFactory(
        partnership=partnership, financial_year=2022, recurs_yearly=True, last_year=2024
    )
    open_ended = f.FundFactory(partnership=partnership, financial_year=2024, recurs_yearly=True)
    funds = Fund.objects.filter(partnership=partnership)

    def of(year):
        return set(funds.for_year(year))

    assert of(2021) == set()
    assert of(2023) == {once, ending}
    assert of(2024) == {ending, open_ended}
    assert of(2030) == {open_ended}
    for year in range(2020, 2032):  # the model's rule and the query's say the same
        assert {fund for fund in funds if fund.runs_in(year)} == of(year)


def test_a_share_of_a_recurring_fund_is_from_one_of_its_years(db):
    recurring = f.FundFactory(financial_year=2023, recurs_yearly=True, last_year=2025)
    share = f.AllocationFactory.build(fund=recurring, financial_year=2026)
    with pytest.raises(ValidationError) as raised:
        share.full_clean()
    assert raised.value.message_dict["financial_year"] == [
        "That year is outside the fund's years: each year, 2023/24 to 2025/26."
    ]
    share.financial_year = 2025
    share.full_clean()
    assert f.AllocationFactory.build(fund=recurring).year == 2023  # empty: the first year


def test_the_report_counts_only_this_years_shares_of_a_recurring_fund(world):
    Fund.objects.filter(partnership=world.partnership).delete()
    recurring = f.FundFactory(
        partnership=world.partnership, financial_year=2022, recurs_yearly=True, amount=D("9000")
    )
    f.AllocationFactory(fund=recurring, title="Last year's", allocated=D("5000"))
    f.AllocationFactory(
        fund=recurring, title="This year's", allocated=D("4000"), financial_year=2023
    )
    (section,) = build_report(world.period, figures_queryset=Return.objects.approved()).funds
    assert [share.title for share in section.allocations] == ["This year's"]
    assert (section.totals.allocated, section.totals.unallocated) == (D("4000"), D("5000"))


def test_what_is_unallocated_of_a_range_counts_its_lower_end(db):
    ranged = f.FundFactory(amount_kind="range", amount=D("10000"), amount_high=D("15000"))
    f.AllocationFactory(fund=ranged, allocated=D("8000"))
    totals = fund_totals(ranged, ranged.allocations.all())
    assert (totals.unallocated, totals.unallocated_high) == (D("2000"), D("7000"))
    assert ranged.unallocated == D("2000")
    exact = fund_totals(f.FundFactory(amount=D("500")), [])
    assert (exact.unallocated, exact.unallocated_high) == (D("500"), None)


def test_the_report_shows_a_range_and_a_recurring_fund_as_written(world, client):
    Fund.objects.filter(partnership=world.partnership).update(
        amount_kind="range", amount=D("20000"), amount_high=D("25000")
    )
    f.FundFactory(
        partnership=world.partnership,
        name="Safer Streets",
        financial_year=2021,
        amount_kind="approximate",
        amount=D("75000"),
        recurs_yearly=True,
    )
    client.force_login(world.reviewer)
    page = client.get(f"/reports/{world.period.pk}/").content.decode()
    assert "£20,000 to £25,000 received" in page
    assert "counting the lower end of the range (£10,000.00 if the upper end comes)" in page
    assert "Safer Streets: circa £75,000 received each year from 2021/22" in page


def test_the_public_page_shows_funds_as_written(client, cast):
    f.FundFactory(
        partnership=cast.partnership,
        amount_kind="range",
        amount=D("10000"),
        amount_high=D("15000"),
        recurs_yearly=True,
        last_year=2025,
    )
    page = client.get("/partnerships/lichfield/").content.decode()
    assert "£10,000 to £15,000" in page
    assert "each year, 2023/24 to 2025/26" in page


def test_the_admin_refuses_a_range_upside_down_beside_the_field(admin_manager_client, cast):
    response = admin_manager_client.post(
        "/admin/plans/fund/add/",
        {
            "partnership": cast.partnership.pk,
            "name": "Youth fund",
            "financial_year": 2024,
            "amount_kind": "range",
            "amount": "15000",
            "amount_high": "10000",
            "allocations-TOTAL_FORMS": 0,
            "allocations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    assert "The upper end must be more than the lower end." in response.content.decode()
    assert not Fund.objects.filter(name="Youth fund").exists()
