"""Whole plans of a chosen size, built in bulk, for tests that compare a small plan with a
large one (query counts must not grow with the plan)."""

from datetime import date

from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import Organisation, Partnership, Plan, PlanVersion, Section
from priorities.models import ActionRow, DataLine, Outcome, Priority


def build_plan(
    *,
    priorities: int,
    rows_per_priority: int,
    indicators: int = 0,
    slug: str = "big",
    status="published",
) -> PlanVersion:
    """A plan of the given size; `indicators` evidence its first priority, each with four
    approved quarterly returns."""
    partnership = Partnership.objects.create(
        name=f"{slug.title()} Community Safety Partnership", slug=slug, area_name=slug.title()
    )
    lead = Organisation.objects.create(name=f"{slug.title()} Police")
    partnership.organisations.add(lead)
    plan = Plan.objects.create(
        partnership=partnership, title=f"{slug.title()} Plan", start_year=2022, end_year=2025
    )
    version = PlanVersion.objects.create(
        plan=plan,
        number=1,
        label="Version 1",
        status=status,
        published_on=date(2023, 4, 1) if status in PlanVersion.PUBLIC_STATUSES else None,
    )
    Section.objects.bulk_create(
        Section(plan_version=version, title=f"Section {n}", body="Text.", order=n)
        for n in range(1, 4)
    )
    made = Priority.objects.bulk_create(
        Priority(
            plan_version=version,
            title=f"Priority {n}",
            slug=f"priority-{n}",
            order=n,
            what_is="What it is.",
            local_picture="Local picture.",
            response="Response.",
            at_risk_groups="Young people\nOlder people",
        )
        for n in range(1, priorities + 1)
    )
    rows = ActionRow.objects.bulk_create(
        ActionRow(priority=priority, order=n, description=f"{priority.title} action {n}")
        for priority in made
        for n in range(1, rows_per_priority + 1)
    )
    ActionRow.lead_organisations.through.objects.bulk_create(
        ActionRow.lead_organisations.through(actionrow=row, organisation=lead) for row in rows
    )
    Outcome.objects.bulk_create(
        Outcome(action_row=row, order=n, text=f"Outcome {n}") for row in rows for n in (1, 2)
    )
    lines = DataLine.objects.bulk_create(
        DataLine(action_row=row, order=n, text=f"Data line {n}") for row in rows for n in (1, 2)
    )
    periods = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(partnership=partnership, financial_year=2023, quarter=q,
                        due_date=date(2024, 4, 26))
        for q in (1, 2, 3, 4)
    )  # fmt: skip
    made_indicators = Indicator.objects.bulk_create(
        Indicator(partnership=partnership, code=f"IND-{n}", name=f"Indicator {n}",
                  unit="count", owner=lead)
        for n in range(1, indicators + 1)
    )  # fmt: skip
    DataLine.indicators.through.objects.bulk_create(
        DataLine.indicators.through(dataline=lines[0], indicator=indicator)
        for indicator in made_indicators
    )
    Return.objects.bulk_create(
        Return(indicator=indicator, reporting_period=period, value=10 + period.quarter,
               status="approved")
        for indicator in made_indicators
        for period in periods
    )  # fmt: skip
    return version
