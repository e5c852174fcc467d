"""Larger worlds for tests: the standard cast around an open quarter, and whole plans of a
chosen size built in bulk."""

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

from indicators.figures import previous_quarters
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


# 2023/24 Q4 and the quarters the report reads around it: last year's Q4 and this year's.
REPORT_QUARTERS = [(2022, 4), (2023, 1), (2023, 2), (2023, 3), (2023, 4)]


def build_report_world(slug: str = "district") -> SimpleNamespace:
    """A partnership whose 2023/24 Q4 report has a known answer for every figure.

    Serious Violence: SV-OFFENCES (a count that adds up, worse than last year, amber, overridden
    to green), SV-RATE (a rate, improving but red, ranked 12 of 15), SV-REPEAT (a percentage on
    target but worsening and in the bottom third). Anti-Social Behaviour: ASB-SHARE (no target,
    zero last year), ASB-CONTEXT (no good direction), ASB-NEW (no figure last year). Five actions,
    one of each status; a fund with an overspent allocation; four open risks and a closed one.
    """
    name = slug.title()
    police = f.OrganisationFactory(name=f"{name} Police")
    council = f.OrganisationFactory(name=f"{name} District Council")
    partnership = f.PartnershipFactory(
        slug=slug, short_name=f"{name} CSP", organisations=[police, council]
    )

    def member(role, organisation):
        user = f.UserFactory(username=f"{slug}-{role}")
        f.MembershipFactory(
            user=user, partnership=partnership, organisation=organisation, role=role
        )
        return user

    periods = {
        quarter: f.ReportingPeriodFactory(
            partnership=partnership, financial_year=quarter[0], quarter=quarter[1]
        )
        for quarter in REPORT_QUARTERS
    }
    version = f.PlanVersionFactory(plan__partnership=partnership, published=True)
    violence = f.PriorityFactory(plan_version=version, title="Serious Violence", order=10)
    asb = f.PriorityFactory(plan_version=version, title="Anti-Social Behaviour", order=20)

    def row(priority, description, status, *indicator_lists):
        made = f.ActionRowFactory(
            priority=priority, description=description, status=status, lead_organisations=[police]
        )
        for order, indicators in enumerate(indicator_lists, start=1):
            f.DataLineFactory(action_row=made, order=order).indicators.add(*indicators)
        return made

    def indicator(code, unit, good, *, target=None, cumulative=False, **figures):
        made = f.IndicatorFactory(
            partnership=partnership, owner=police, code=code, name=code.title(), unit=unit,
            good_direction=good, is_cumulative=cumulative,
        )  # fmt: skip
        if target is not None:
            f.IndicatorTargetFactory(indicator=made, financial_year=2023, value=Decimal(target))
        for (fy, q), value in figures.get("values", {}).items():
            rank = figures.get("ranks", {}).get((fy, q))
            f.ReturnFactory(
                indicator=made, reporting_period=periods[fy, q], value=Decimal(value),
                status="approved", comparison_rank=rank and rank[0],
                comparison_group_size=rank and rank[1], commentary=f"{code} in {fy} Q{q}.",
            )  # fmt: skip
        return made

    offences = indicator(
        "SV-OFFENCES", "count", "down", target="400", cumulative=True,
        values={(2022, 4): "90", (2023, 1): "100", (2023, 2): "110", (2023, 3): "90",
                (2023, 4): "120"},
    )  # fmt: skip
    Return.objects.filter(indicator=offences, reporting_period=periods[2023, 4]).update(
        rag_override="green", rag_override_reason="Crimes are recorded in a new way this year."
    )
    rate = indicator(
        "SV-RATE", "rate", "down", target="14.5",
        values={(2022, 4): "17.0", (2023, 4): "16.5"},
        ranks={(2022, 4): (10, 15), (2023, 4): (12, 15)},
    )  # fmt: skip
    f.ComparatorFactory(
        indicator=rate, reporting_period=periods[2023, 4], name="the force area",
        value=Decimal("22.3"),
    )  # fmt: skip
    repeat = indicator(
        "SV-REPEAT", "percentage", "down", target="30",
        values={(2022, 4): "25", (2023, 4): "27"}, ranks={(2023, 4): (11, 15)},
    )  # fmt: skip
    share = indicator("ASB-SHARE", "percentage", "up", values={(2022, 4): "0", (2023, 4): "5"})
    context = indicator(
        "ASB-CONTEXT", "count", "none", target="50", values={(2022, 4): "30", (2023, 4): "36"}
    )
    new = indicator("ASB-NEW", "count", "down", target="10", values={(2023, 4): "7"})

    on_track = row(violence, "Patrol hotspots", "on_track", [offences], [rate])
    at_risk = row(violence, "Mentor young people", "on_track", [repeat, offences])
    off_track = row(violence, "Open a youth hub", "off_track")
    row(asb, "Clean up alleys", "complete", [share, context])
    row(asb, "Survey residents", "not_started", [new])
    # Only the quarter's approved update counts: not a draft, not last quarter's.
    f.ActionUpdateFactory(
        action_row=at_risk, reporting_period=periods[2023, 4], action_status="at_risk",
        progress="Mentors left; a recovery plan goes to the board.", status="approved",
    )  # fmt: skip
    f.ActionUpdateFactory(
        action_row=on_track, reporting_period=periods[2023, 4], action_status="off_track",
        status="submitted",
    )  # fmt: skip
    f.ActionUpdateFactory(
        action_row=on_track, reporting_period=periods[2023, 3], action_status="off_track",
        status="approved",
    )  # fmt: skip

    fund = f.FundFactory(
        partnership=partnership, name="Locality Fund 2023/24", financial_year=2023,
        amount=Decimal("20000.00"),
    )  # fmt: skip
    f.AllocationFactory(
        fund=fund, title="Street lighting", allocated=Decimal("10000.00"),
        spent=Decimal("6000.00"), committed=Decimal("3000.00"),
    )  # fmt: skip
    f.AllocationFactory(
        fund=fund, title="Safer nights", allocated=Decimal("5000.00"),
        spent=Decimal("4500.00"), committed=Decimal("1000.00"),
    )  # fmt: skip
    f.FundFactory(partnership=partnership, name="Locality Fund 2022/23", financial_year=2022)

    for title, impact, likelihood in [
        ("Data gaps", 3, 4), ("Funding ends", 5, 4), ("Venue lost", 2, 1),
        ("Staff turnover", 4, 3),
    ]:  # fmt: skip
        f.RiskFactory(partnership=partnership, title=title, impact=impact, likelihood=likelihood)
    f.RiskFactory(
        partnership=partnership, title="Closed risk", impact=5, likelihood=5, is_open=False
    )

    return SimpleNamespace(
        partnership=partnership, police=police, council=council, version=version,
        periods=periods, period=periods[2023, 4], violence=violence, asb=asb,
        offences=offences, rate=rate, repeat=repeat, share=share, context=context, new=new,
        at_risk=at_risk, off_track=off_track, fund=fund,
        manager=member("manager", council), officer=member("officer", police),
        reviewer=member("reviewer", council),
    )  # fmt: skip


def build_published_figures(*, indicators: int, quarters: int, slug: str = "figures"):
    """A partnership with `indicators` indicators (each on an action row of its own, with a fund
    allocation and a risk beside it) and `quarters` published quarters of approved figures up
    to 2023/24 Q4: targets, ranks, a comparator each quarter, and the last quarter by area."""
    police = f.OrganisationFactory(name=f"{slug.title()} Police")
    partnership = f.PartnershipFactory(slug=slug, organisations=[police])
    manager = f.UserFactory(username=f"{slug}-manager")
    f.MembershipFactory(user=manager, partnership=partnership, organisation=police, role="manager")
    areas = [f.AreaFactory(partnership=partnership, name=f"Ward {n}") for n in range(1, 4)]
    priority = f.PriorityFactory(
        plan_version=f.PlanVersionFactory(plan__partnership=partnership, published=True)
    )
    wanted = previous_quarters(2023, 4, quarters)
    periods = [
        f.ReportingPeriodFactory(
            partnership=partnership, financial_year=fy, quarter=q, reported=True
        )
        for fy, q in wanted
    ]
    fund = f.FundFactory(partnership=partnership, financial_year=2023)
    made = []
    for n in range(1, indicators + 1):
        indicator = f.IndicatorFactory(
            partnership=partnership, owner=police, code=f"IND-{n}", is_cumulative=True
        )
        made.append(indicator)
        row = f.ActionRowFactory(priority=priority, lead_organisations=[police])
        f.DataLineFactory(action_row=row).indicators.add(indicator)
        f.ActionUpdateFactory(action_row=row, reporting_period=periods[-1], status="approved")
        f.AllocationFactory(fund=fund, organisation=police)
        f.RiskFactory(partnership=partnership, owner=police)
        for fy in {fy for fy, _ in wanted}:
            f.IndicatorTargetFactory(indicator=indicator, financial_year=fy, value=400)
        Return.objects.bulk_create(
            Return(indicator=indicator, reporting_period=period, value=90 + index,
                   status="approved", comparison_rank=3, comparison_group_size=15)
            for index, period in enumerate(periods)
        )  # fmt: skip
        Return.objects.bulk_create(
            Return(indicator=indicator, reporting_period=periods[-1], area=area, value=value,
                   status="approved")
            for area, value in zip(areas, (2, 30, 58), strict=True)
        )  # fmt: skip
        for period in periods:
            f.ComparatorFactory(indicator=indicator, reporting_period=period)
    return SimpleNamespace(
        partnership=partnership, manager=manager, period=periods[-1], indicators=made
    )
