"""A partnership in the middle of its plan's year: a published version, a draft refresh of it
with a comment, and members in every role; built the same way for a second partnership, so
every test can ask what an outsider sees."""

from datetime import date
from types import SimpleNamespace

from plans.models import Membership
from priorities.models import Comment
from priorities.refresh import start_refresh

from . import factories as f


def build_plan_year(slug: str, priorities: int = 1) -> SimpleNamespace:
    police = f.OrganisationFactory(name=f"{slug} Police")
    council = f.OrganisationFactory(name=f"{slug} Council")
    partnership = f.PartnershipFactory(slug=slug, organisations=[police, council])

    def member(role, organisation):
        user = f.UserFactory(username=f"{slug}-{role}", email=f"{slug}-{role}@example.org")
        f.MembershipFactory(
            user=user, partnership=partnership, organisation=organisation, role=role
        )
        return user

    manager = member(Membership.Role.MANAGER, council)
    reviewer = member(Membership.Role.REVIEWER, council)
    officer = member(Membership.Role.OFFICER, police)

    published = f.PlanVersionFactory(
        plan__partnership=partnership,
        plan__slug="delivery-plan",
        number=1,
        label="Plan 2023",
        published=True,
    )
    f.SectionFactory(plan_version=published, title="Introduction", body="We keep people safe.")
    ward = f.AreaFactory(partnership=partnership, name=f"{slug} North")
    indicator = f.IndicatorFactory(partnership=partnership, owner=police, code="ASB-1")
    for number in range(1, priorities + 1):
        priority = f.PriorityFactory(
            plan_version=published,
            order=number * 10,
            label=f"Priority {number}",
            title=f"Anti-social behaviour {number}",
            slug=f"asb-{number}",
            what_is="Behaviour that causes harassment, alarm or distress.",
        )
        priority.hotspots.add(ward)
        row = f.ActionRowFactory(
            priority=priority,
            description=f"Patrol the town centre on Friday nights ({number})",
            lead_organisations=[police],
        )
        row.supporting_organisations.add(council)
        f.OutcomeFactory(action_row=row, text="Fewer incidents reported")
        f.DataLineFactory(action_row=row, text="ASB incidents").indicators.add(indicator)

    draft = start_refresh(published, manager, "Refresh 2024")
    draft_row = draft.priorities.first().action_rows.first()
    comment = Comment.objects.create(
        version=draft,
        action_row=draft_row,
        author=reviewer,
        organisation=council,
        body=f"Say which nights in {slug}: Friday and Saturday?",
    )
    return SimpleNamespace(
        partnership=partnership,
        plan=published.plan,
        published=published,
        draft=draft,
        draft_row=draft_row,
        comment=comment,
        manager=manager,
        reviewer=reviewer,
        officer=officer,
        police=police,
        council=council,
        indicator=indicator,
        today=date(2024, 4, 1),
    )
