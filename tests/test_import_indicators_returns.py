"""Indicators and returns in spreadsheets: names people know, clear messages per row."""

from decimal import Decimal

import pytest
import tablib

from indicators.models import Indicator, Return
from indicators.resources import IndicatorResource, ReturnResource
from tests.factories import (
    AreaFactory,
    IndicatorFactory,
    OrganisationFactory,
    PartnershipFactory,
    ReportingPeriodFactory,
    ReturnFactory,
)

pytestmark = pytest.mark.django_db

RETURN_HEADERS = [
    "partnership",
    "indicator",
    "period",
    "area",
    "value",
    "rating_override",
    "commentary",
    "comparison_rank",
    "comparison_group_size",
    "status",
    "rating_override_reason",
]


@pytest.fixture
def partnership():
    partnership = PartnershipFactory(slug="lichfield")
    ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=1)
    return partnership


def returns_sheet(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=RETURN_HEADERS)


def test_indicators_round_trip_through_xlsx():
    indicator = IndicatorFactory(code="ASB-RATE", unit="rate", baseline_value=Decimal("15.1"))
    indicator.partnership.organisations.add(indicator.owner)
    before = IndicatorResource().export().dict
    xlsx = IndicatorResource().export().export("xlsx")

    result = IndicatorResource().import_data(tablib.Dataset().load(xlsx, format="xlsx"))

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert IndicatorResource().export().dict == before
    assert Indicator.objects.count() == 1


def test_indicator_import_accepts_labels_and_creates_by_code(partnership):
    partnership.organisations.add(OrganisationFactory(name="Staffordshire Police"))
    sheet = tablib.Dataset(
        [
            "lichfield",
            "DA-CRIMES",
            "Domestic abuse crimes",
            "Count",
            "Lower is better",
            "1,232",
            "2021/22",
            "Staffordshire Police",
        ],
        headers=[
            "partnership",
            "code",
            "name",
            "unit",
            "good_direction",
            "baseline_value",
            "baseline_period",
            "owner",
        ],
    )

    result = IndicatorResource().import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), result.invalid_rows[0].error_dict
    indicator = Indicator.objects.get(code="DA-CRIMES")
    assert (indicator.unit, indicator.good_direction) == ("count", "down")
    assert indicator.baseline_value == Decimal("1232")


def test_returns_import_by_code_period_label_and_area(partnership):
    indicator = IndicatorFactory(partnership=partnership, code="ASB-RATE", unit="rate")
    AreaFactory(partnership=partnership, name="Chasetown")
    sheet = returns_sheet(
        [
            "lichfield",
            "ASB-RATE",
            "2023/24 Q1",
            "",
            "15.1",
            "Amber",
            "",
            11,
            15,
            "approved",
            "Seasonal",
        ],
        [
            "lichfield",
            "ASB-RATE",
            "2023/24 Q1",
            "Chasetown",
            "45.3",
            "red",
            "Hotspot",
            "",
            "",
            "approved",
            "Hotspot work is behind",
        ],
    )

    result = ReturnResource().import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    whole = Return.objects.get(area__isnull=True)
    chasetown = Return.objects.get(area__isnull=False)
    assert (whole.value, whole.comparison, whole.rag_override) == (
        Decimal("15.10"),
        "11 of 15",
        "amber",
    )
    assert whole.rag_override_reason == "Seasonal"
    assert chasetown.area.name == "Chasetown"
    assert whole.indicator == indicator

    again = ReturnResource().import_data(sheet, dry_run=False)
    assert not again.has_validation_errors()
    assert Return.objects.count() == 2  # updated in place, not duplicated


def test_a_returns_sheet_with_bad_rows_saves_nothing_and_explains_each(partnership):
    IndicatorFactory(partnership=partnership, code="DA-REPEAT", unit="percentage")
    IndicatorFactory(partnership=partnership, code="DA-CRIMES", unit="count")
    sheet = returns_sheet(
        ["lichfield", "DA-CRIMES", "2023/24 Q1", "", "318", "green", "", "", "", "approved", "x"],
        ["lichfield", "DA-CRIMES", "2023/24 Q1", "Atlantis", "abc", "", "", "", "", "draft", ""],
        ["lichfield", "DA-REPEAT", "2023/24 Q1", "", "120", "", "", 16, 15, "approved", ""],
        ["lichfield", "DA-NOPE", "2024/25 Q1", "", "1", "", "", "", "", "draft", ""],
        ["lichfield", "DA-CRIMES", "2023 Q1", "", "1", "", "", "", "", "draft", ""],
    )

    result = ReturnResource().import_data(sheet, dry_run=False, use_transactions=True)

    assert Return.objects.count() == 0
    problems = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(problems) == {2, 3, 4, 5}
    assert problems[2]["value"] == [
        '"abc" is not a number: write the figure alone, like 12 or 12.5.'
    ]
    assert problems[2]["area"] == ['There is no area "Atlantis".']
    assert problems[3]["value"] == ["A percentage is between 0 and 100."]
    assert problems[3]["__all__"] == [
        "Give both the rank and the group size, with the rank between 1 and the size."
    ]
    assert problems[4]["indicator"] == [
        'There is no indicator "DA-NOPE". Did you mean "DA-REPEAT"?'
    ]
    assert problems[4]["period"] == ['The partnership has no reporting period "2024/25 Q1".']
    assert problems[5]["period"] == ['"2023 Q1" is not a period: write it like "2023/24 Q1".']


def test_codes_are_looked_up_in_the_rows_partnership_only(partnership):
    IndicatorFactory(partnership=PartnershipFactory(slug="elsewhere"), code="DA-CRIMES")
    sheet = returns_sheet(
        ["lichfield", "DA-CRIMES", "2023/24 Q1", "", "1", "", "", "", "", "draft", ""]
    )

    result = ReturnResource().import_data(sheet, dry_run=True)

    assert result.invalid_rows[0].error_dict["indicator"] == ['There is no indicator "DA-CRIMES".']


def test_export_writes_the_labels_it_imports():
    figure = ReturnFactory(comparison_rank=3, comparison_group_size=15)
    row = ReturnResource().export().dict[0]
    assert row["partnership"] == figure.indicator.partnership.slug
    assert row["indicator"] == figure.indicator.code
    assert row["period"] == figure.reporting_period.label
    assert row["status"] == "Draft"
