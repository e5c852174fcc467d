import pytest

from priorities.demo import create_demo_users, load_partnership, read_demo_file


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing is slow on purpose; tests only need passwords to check."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo_partnership(db):
    """The Lichfield demo partnership, loaded from fixtures/ as `make run` loads it."""
    partnership, _ = load_partnership(read_demo_file())
    create_demo_users(partnership)
    return partnership


@pytest.fixture
def cast(db):
    """The standard cast around one open quarter: two agencies' officers, the manager, a
    reviewer, a partnership-wide outsider, and what the police owe for the quarter."""
    from datetime import date
    from decimal import Decimal
    from types import SimpleNamespace

    from plans.models import Membership
    from tests import factories as f

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
