"""Larger worlds for tests: the standard cast around an open quarter, and whole plans of a
chosen size built in bulk."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import Membership, Organisation, Partnership, Plan, PlanVersion, Section
from priorities.demo import managers_group
from priorities.models import ActionRow, DataLine, Outcome, Priority
from tests import factories as f


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


def build_cast() -> SimpleNamespace:
    """The standard cast around one open quarter: two agencies' officers, the manager, a
    reviewer, a partnership-wide outsider, and what the police owe for the quarter."""
    police = f.OrganisationFactory(name="Staffordshire Police")
    council = f.OrganisationFactory(name="Lichfield District Council")
    partnership = f.PartnershipFactory(slug="lichfield", organisations=[police, council])

    def member(username, role, organisation):
        user = f.UserFactory(username=username, email=f"{username}@example.org")
        f.MembershipFactory(
            user=user, partnership=partnership, organisation=organisation, role=role
        )
        return user

    version = f.PlanVersionFactory(plan__partnership=partnership, published=True)
    priority = f.PriorityFactory(plan_version=version, title="Serious Violence")
    action = f.ActionRowFactory(
        priority=priority, description="Install knife bins", lead_organisations=[police]
    )
    last_year = f.ReportingPeriodFactory(
        partnership=partnership, financial_year=2023, quarter=1, due_date=date(2023, 7, 28)
    )
    period = f.ReportingPeriodFactory(
        partnership=partnership,
        financial_year=2024,
        quarter=1,
        due_date=date(2099, 7, 26),
        is_open=True,
    )
    knives = f.IndicatorFactory(
        partnership=partnership, owner=police, code="SV-KNIVES", name="Knives surrendered"
    )
    repeat = f.IndicatorFactory(
        partnership=partnership,
        owner=police,
        code="DA-REPEAT",
        name="Repeat incidents",
        unit="percentage",
    )
    f.DataLineFactory(action_row=action).indicators.add(knives)
    f.ReturnFactory(
        indicator=knives, reporting_period=last_year, value=Decimal("40"), status="approved"
    )
    council_indicator = f.IndicatorFactory(
        partnership=partnership, owner=council, code="ASB-CASES", name="ASB cases"
    )

    return SimpleNamespace(
        partnership=partnership,
        police=police,
        council=council,
        officer=member("officer", Membership.Role.OFFICER, police),
        colleague=member("colleague", Membership.Role.OFFICER, police),
        other_officer=member("officer2", Membership.Role.OFFICER, council),
        manager=member("manager", Membership.Role.MANAGER, council),
        reviewer=member("reviewer", Membership.Role.REVIEWER, council),
        version=version,
        priority=priority,
        action=action,
        period=period,
        last_year=last_year,
        knives=knives,
        repeat=repeat,
        council_indicator=council_indicator,
    )


def give_admin_rights(user):
    """Staff with the demo manager's admin rights: what a partnership manager has."""
    user.is_staff = True
    user.save()
    user.groups.add(managers_group())
    return user
