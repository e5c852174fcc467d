"""Rules the database itself enforces, so no code path can break them."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from plans.models import PlanVersion
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    AreaFactory,
    IndicatorFactory,
    OrganisationFactory,
    OutcomeFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_one_return_per_indicator_and_period_for_the_whole_area():
    first = ReturnFactory()
    refused(ReturnFactory, indicator=first.indicator, reporting_period=first.reporting_period)


def test_returns_by_area_are_one_per_area_and_separate_from_the_whole_area_figure():
    whole = ReturnFactory()
    area = AreaFactory(partnership=whole.indicator.partnership)
    ReturnFactory(indicator=whole.indicator, reporting_period=whole.reporting_period, area=area)
    other_area = AreaFactory(partnership=whole.indicator.partnership)
    ReturnFactory(
        indicator=whole.indicator, reporting_period=whole.reporting_period, area=other_area
    )
    refused(
        ReturnFactory, indicator=whole.indicator, reporting_period=whole.reporting_period, area=area
    )


@pytest.mark.parametrize(("rank", "size"), [(0, 15), (16, 15), (3, None), (None, 15)])
def test_comparison_rank_must_be_between_one_and_the_group_size(rank, size):
    refused(ReturnFactory, comparison_rank=rank, comparison_group_size=size)


def test_a_submitted_return_needs_a_value_but_a_draft_may_be_empty():
    ReturnFactory(value=None, status="draft")
    refused(ReturnFactory, value=None, status="submitted")


def test_order_numbers_are_unique_among_siblings_only():
    priority = PriorityFactory(order=10)
    PriorityFactory(plan_version=priority.plan_version, order=20)
    refused(PriorityFactory, plan_version=priority.plan_version, order=10)
    PriorityFactory(order=10)  # another plan version may reuse it

    row = ActionRowFactory(order=10)
    refused(ActionRowFactory, priority=row.priority, order=10)
    outcome = OutcomeFactory(order=10)
    refused(OutcomeFactory, action_row=outcome.action_row, order=10)
    section = SectionFactory(order=10)
    refused(SectionFactory, plan_version=section.plan_version, order=10)


def test_order_clash_is_reported_as_a_message_not_a_crash():
    row = ActionRowFactory(order=10)
    clash = ActionRowFactory.build(priority=row.priority, order=10, description="Another")
    with pytest.raises(ValidationError, match="already has this order number"):
        clash.full_clean()


def test_siblings_come_out_in_order_number_not_in_creation_order():
    version = PlanVersionFactory()
    PriorityFactory(plan_version=version, order=30, title="Third")
    PriorityFactory(plan_version=version, order=10, title="First")
    PriorityFactory(plan_version=version, order=20, title="Second")
    assert [p.title for p in version.priorities.all()] == ["First", "Second", "Third"]


def test_a_plan_has_at_most_one_published_version():
    published = PlanVersionFactory(published=True)
    refused(PlanVersionFactory, plan=published.plan, published=True)


def test_a_published_version_needs_its_date():
    refused(PlanVersionFactory, status=PlanVersion.Status.PUBLISHED, published_on=None)


def test_one_progress_update_per_action_period_and_lead_agency():
    police, council = OrganisationFactory(), OrganisationFactory()
    update = ActionUpdateFactory(action_row=ActionRowFactory(lead_organisations=[police, council]))
    assert update.organisation == police
    refused(
        ActionUpdateFactory,
        action_row=update.action_row,
        reporting_period=update.reporting_period,
        organisation=police,
    )
    # A jointly led action: the other lead agency gives its own.
    ActionUpdateFactory(
        action_row=update.action_row, reporting_period=update.reporting_period, organisation=council
    )


def test_one_quarter_per_partnership():
    period = ReportingPeriodFactory()
    refused(
        ReportingPeriodFactory,
        partnership=period.partnership,
        financial_year=period.financial_year,
        quarter=period.quarter,
    )


def test_values_are_stored_as_exact_decimals():
    stored = ReturnFactory(
        value=Decimal("0.1") + Decimal("0.2"),
        indicator=IndicatorFactory(unit="rate"),
    )
    stored.refresh_from_db()
    assert stored.value == Decimal("0.30")
    assert isinstance(stored.value, Decimal)
