"""Model methods that decide things: publishing, remaining funds, unit checks, risk scores."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator
from plans.models import PlanVersion
from tests.factories import (
    ActionRowFactory,
    AllocationFactory,
    AreaFactory,
    FundFactory,
    IndicatorFactory,
    MembershipFactory,
    OrganisationFactory,
    PlanVersionFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    RiskFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db


def test_publishing_a_refresh_supersedes_the_published_version():
    original = PlanVersionFactory(published=True, number=1)
    refresh = PlanVersionFactory(plan=original.plan, number=2)

    refresh.publish(None, on=date(2024, 4, 1))

    original.refresh_from_db()
    assert original.status == PlanVersion.Status.SUPERSEDED
    assert refresh.status == PlanVersion.Status.PUBLISHED
    assert refresh.published_on == date(2024, 4, 1)
    assert list(original.plan.versions.published()) == [refresh]
    assert set(original.plan.versions.public()) == {original, refresh}


def test_publishing_leaves_other_plans_alone():
    other = PlanVersionFactory(published=True)
    PlanVersionFactory().publish(None, on=date(2024, 4, 1))
    other.refresh_from_db()
    assert other.status == PlanVersion.Status.PUBLISHED


def test_remaining_is_allocated_less_spent_and_committed():
    allocation = AllocationFactory(
        allocated=Decimal("18000.00"), spent=Decimal("11250.00"), committed=Decimal("5400.50")
    )
    assert allocation.remaining == Decimal("1349.50")


def test_an_overspend_shows_as_negative_remaining():
    allocation = AllocationFactory(
        allocated=Decimal("100.00"), spent=Decimal("90.00"), committed=Decimal("20.00")
    )
    assert allocation.remaining == Decimal("-10.00")


def test_fund_reports_what_is_not_yet_allocated():
    fund = FundFactory(amount=Decimal("75500.00"))
    AllocationFactory(fund=fund, allocated=Decimal("18000.00"))
    AllocationFactory(fund=fund, allocated=Decimal("7500.00"))
    assert fund.allocated_total == Decimal("25500.00")
    assert fund.unallocated == Decimal("50000.00")


@pytest.mark.parametrize(
    ("unit", "value", "message"),
    [
        (Indicator.Unit.COUNT, "2.5", "whole number"),
        (Indicator.Unit.COUNT, "-1", "negative"),
        (Indicator.Unit.PERCENTAGE, "100.01", "between 0 and 100"),
        (Indicator.Unit.RATE, "-0.1", "negative"),
        (Indicator.Unit.MONEY, "10.005", "pounds and pence"),
    ],
)
def test_values_that_do_not_fit_the_unit_are_refused(unit, value, message):
    with pytest.raises(ValidationError, match=message):
        IndicatorFactory.build(unit=unit).check_value(Decimal(value))


@pytest.mark.parametrize(
    ("unit", "value"),
    [
        (Indicator.Unit.COUNT, "0"),
        (Indicator.Unit.COUNT, "1232"),
        (Indicator.Unit.PERCENTAGE, "100"),
        (Indicator.Unit.RATE, "15.1"),
        (Indicator.Unit.MONEY, "75500.50"),
    ],
)
def test_values_that_fit_the_unit_are_accepted(unit, value):
    IndicatorFactory.build(unit=unit).check_value(Decimal(value))


def test_return_validation_puts_the_unit_message_on_the_value():
    figure = ReturnFactory.build(
        indicator=IndicatorFactory(unit=Indicator.Unit.PERCENTAGE), value=Decimal("120")
    )
    figure.reporting_period = ReportingPeriodFactory(partnership=figure.indicator.partnership)
    with pytest.raises(ValidationError) as raised:
        figure.full_clean()
    assert raised.value.message_dict["value"] == ["A percentage is between 0 and 100."]


def test_return_cannot_use_another_partnerships_period_or_area():
    indicator = IndicatorFactory()
    figure = ReturnFactory.build(indicator=indicator, reporting_period=ReportingPeriodFactory())
    with pytest.raises(ValidationError, match="another partnership"):
        figure.full_clean()
    figure.reporting_period = ReportingPeriodFactory(partnership=indicator.partnership)
    figure.area = AreaFactory()
    with pytest.raises(ValidationError, match="another partnership"):
        figure.full_clean()


def test_comparison_reads_as_x_of_n():
    assert ReturnFactory(comparison_rank=11, comparison_group_size=15).comparison == "11 of 15"
    assert ReturnFactory().comparison == ""


def test_membership_must_be_through_a_member_agency():
    membership = MembershipFactory()
    membership.organisation = OrganisationFactory()
    with pytest.raises(ValidationError, match="not a member"):
        membership.full_clean()


def test_action_row_theme_must_come_from_the_same_plan_version():
    row = ActionRowFactory()
    row.theme = ThemeFactory()
    with pytest.raises(ValidationError, match="another version"):
        row.full_clean()
    row.theme = ThemeFactory(plan_version=row.priority.plan_version)
    row.full_clean()


@pytest.mark.parametrize(
    ("impact", "likelihood", "level"),
    [(1, 3, "Low"), (2, 2, "Medium"), (4, 2, "High"), (5, 3, "Very high")],
)
def test_risk_score_and_level_follow_the_five_by_five_matrix(impact, likelihood, level):
    risk = RiskFactory(impact=impact, likelihood=likelihood)
    assert risk.score == impact * likelihood
    assert risk.level == level


def test_risk_scores_outside_one_to_five_are_refused():
    with pytest.raises(ValidationError):
        RiskFactory.build(partnership=RiskFactory().partnership, impact=6).full_clean()
