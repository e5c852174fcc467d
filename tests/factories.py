"""factory-boy factories: one per model, making the smallest valid object."""

from datetime import UTC, date, datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.db.models import Max

from indicators import periods
from indicators.models import Comparator, Indicator, IndicatorTarget, ReportingPeriod, Return
from plans.models import (
    Allocation,
    Area,
    AreaGroup,
    Fund,
    Membership,
    Organisation,
    Partnership,
    Plan,
    PlanVersion,
    Risk,
    Section,
    Theme,
    VersionEvent,
)
from priorities.models import ActionRow, ActionUpdate, Comment, DataLine, Outcome, Priority

ORDER = factory.Sequence(lambda n: (n + 1) * 10)
PASSWORD = "a-test-password-1"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def saved(user, create, extracted, **kwargs):
        if create:
            user.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Agency {n}")
    short_name = factory.Sequence(lambda n: f"A{n}")
    kind = Organisation.Kind.POLICE


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Partnership {n} Community Safety Partnership")
    slug = factory.Sequence(lambda n: f"partnership-{n}")
    area_name = factory.Sequence(lambda n: f"District {n}")

    @factory.post_generation
    def organisations(partnership, create, extracted, **kwargs):
        if create and extracted:
            partnership.organisations.set(extracted)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    partnership = factory.SubFactory(PartnershipFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Membership.Role.OFFICER

    @factory.post_generation
    def join(membership, create, extracted, **kwargs):
        if create:
            membership.partnership.organisations.add(membership.organisation)


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")
    population = 10000


class AreaGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AreaGroup
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Area group {n}")

    @factory.post_generation
    def areas(group, create, extracted, **kwargs):
        if create and extracted:
            group.areas.set(extracted)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Community Safety Delivery Plan {n}")
    start_year = 2022
    end_year = 2025


def next_version_number(plan) -> int:
    if plan.pk is None:
        return 1
    return (plan.versions.aggregate(highest=Max("number"))["highest"] or 0) + 1


class PlanVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanVersion

    plan = factory.SubFactory(PlanFactory)
    # The plan's next number, as the app numbers a refresh: a test that then makes "version
    # 2" explicitly never meets a number a sequence shared by every test happened to reach.
    number = factory.LazyAttribute(lambda version: next_version_number(version.plan))
    label = factory.LazyAttribute(lambda version: f"Version {version.number}")
    status = PlanVersion.Status.DRAFT

    class Params:
        published = factory.Trait(
            status=PlanVersion.Status.PUBLISHED, published_on=date(2023, 4, 1)
        )


class VersionEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VersionEvent

    version = factory.SubFactory(PlanVersionFactory)
    kind = VersionEvent.Kind.CORRECTED
    reason = "A correction."


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan_version = factory.SubFactory(PlanVersionFactory)
    title = factory.Sequence(lambda n: f"Section {n}")
    body = "Some narrative."
    order = ORDER


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    plan_version = factory.SubFactory(PlanVersionFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    order = ORDER


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Locality Fund {n}")
    financial_year = 2023
    amount = Decimal("75500.00")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Allocation

    fund = factory.SubFactory(FundFactory)
    title = factory.Sequence(lambda n: f"Project {n}")
    allocated = Decimal("10000.00")


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    partnership = factory.SubFactory(PartnershipFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    impact = 3
    likelihood = 2


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    partnership = factory.SubFactory(PartnershipFactory)
    financial_year = factory.Sequence(lambda n: 2020 + n // 4)
    quarter = factory.Sequence(lambda n: n % 4 + 1)
    due_date = factory.LazyAttribute(
        lambda period: periods.quarter_dates(period.financial_year, period.quarter)[1]
    )

    class Params:
        # The quarter's report is published: its approved figures are public.
        reported = factory.Trait(report_published_at=datetime(2024, 5, 20, 9, 0, tzinfo=UTC))


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    partnership = factory.SubFactory(PartnershipFactory)
    code = factory.Sequence(lambda n: f"IND-{n}")
    name = factory.Sequence(lambda n: f"Indicator {n}")
    unit = Indicator.Unit.COUNT
    good_direction = Indicator.Direction.DOWN
    owner = factory.SubFactory(OrganisationFactory)


class IndicatorTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    financial_year = factory.Sequence(lambda n: 2023 + n)
    value = Decimal("100")


class ReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Return

    indicator = factory.SubFactory(IndicatorFactory)
    reporting_period = factory.SubFactory(
        ReportingPeriodFactory, partnership=factory.SelfAttribute("..indicator.partnership")
    )
    value = Decimal("12")
    status = Return._meta.get_field("status").default


class ComparatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comparator

    indicator = factory.SubFactory(IndicatorFactory)
    reporting_period = factory.SubFactory(
        ReportingPeriodFactory, partnership=factory.SelfAttribute("..indicator.partnership")
    )
    name = "England and Wales"
    value = Decimal("20")


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority

    plan_version = factory.SubFactory(PlanVersionFactory)
    title = factory.Sequence(lambda n: f"Priority {n}")
    order = ORDER


class ActionRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionRow
        skip_postgeneration_save = True

    priority = factory.SubFactory(PriorityFactory)
    order = ORDER
    description = factory.Sequence(lambda n: f"Action {n}")
    status = ActionRow.Status.ON_TRACK

    @factory.post_generation
    def lead_organisations(row, create, extracted, **kwargs):
        if create and extracted:
            # Lead agencies are members of the partnership; make them so, as a manager would.
            row.priority.plan_version.plan.partnership.organisations.add(*extracted)
            row.lead_organisations.set(extracted)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outcome

    action_row = factory.SubFactory(ActionRowFactory)
    order = ORDER
    text = factory.Sequence(lambda n: f"Outcome {n}")


class DataLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataLine

    action_row = factory.SubFactory(ActionRowFactory)
    order = ORDER
    text = factory.Sequence(lambda n: f"Number of things {n}")


class ActionUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionUpdate

    action_row = factory.SubFactory(ActionRowFactory)
    reporting_period = factory.SubFactory(ReportingPeriodFactory)
    # The row's first lead agency's update, unless the test names another.
    organisation = factory.LazyAttribute(
        lambda update: update.action_row.lead_organisations.order_by("pk").first()
    )
    action_status = ActionRow.Status.ON_TRACK
    progress = "Work continues."


class CommentFactory(factory.django.DjangoModelFactory):
    """A member's comment on the whole of a version; pass section, priority or action_row
    (of the same version) to comment on a part."""

    class Meta:
        model = Comment

    version = factory.SubFactory(PlanVersionFactory)
    author = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    body = factory.Sequence(lambda n: f"Comment {n}: could this say more?")
