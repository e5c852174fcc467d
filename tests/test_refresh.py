"""The yearly refresh: a public version copied into a new draft, part for part and link for
link, each copy keeping its original's lineage; nothing that belongs to the quarters (updates,
figures), to the members (comments) or to the funds (allocations) is copied; the original and
every other partnership's plan are left as they were; a few queries, whatever the plan's size."""

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError

from indicators.models import Indicator, ReportingPeriod, Return
from plans.models import Allocation, Area, Organisation, PlanVersion, Section, Theme, VersionEvent
from priorities.models import ActionRow, ActionUpdate, Comment, DataLine, Outcome, Priority
from priorities.refresh import start_refresh
from tests import factories as f

pytestmark = pytest.mark.django_db

# Each table a refresh copies, with the path from its rows to their version.
COPIED = {
    "sections": (Section, "plan_version"),
    "themes": (Theme, "plan_version"),
    "priorities": (Priority, "plan_version"),
    "hotspots": (Priority.hotspots.through, "priority__plan_version"),
    "action rows": (ActionRow, "priority__plan_version"),
    "lead agencies": (ActionRow.lead_organisations.through, "actionrow__priority__plan_version"),
    "supporting agencies": (
        ActionRow.supporting_organisations.through,
        "actionrow__priority__plan_version",
    ),
    "outcomes": (Outcome, "action_row__priority__plan_version"),
    "data lines": (DataLine, "action_row__priority__plan_version"),
    "indicator links": (
        DataLine.indicators.through,
        "dataline__action_row__priority__plan_version",
    ),
}
# Tables a refresh must leave alone.
NOT_COPIED = {
    "action updates": ActionUpdate,
    "comments": Comment,
    "indicators": Indicator,
    "returns": Return,
    "allocations": Allocation,
    "funding links": Priority.allocations.through,
    "areas": Area,
    "agencies": Organisation,
    "quarters": ReportingPeriod,
}
# What one priority of `build_rich_plan` holds, table by table.
PER_PRIORITY = {
    "themes": 1,
    "priorities": 1,
    "hotspots": 2,
    "action rows": 2,
    "lead agencies": 3,
    "supporting agencies": 2,
    "outcomes": 3,
    "data lines": 3,
    "indicator links": 3,
}


def build_rich_plan(slug: str, priorities: int = 2) -> SimpleNamespace:
    """A published version with every kind of part and link a refresh copies, and beside it
    everything it must not copy: updates, comments, funding, figures."""
    police = f.OrganisationFactory(name=f"{slug} Police")
    council = f.OrganisationFactory(name=f"{slug} Council")
    youth = f.OrganisationFactory(name=f"{slug} Youth Service")
    partnership = f.PartnershipFactory(slug=slug, organisations=[police, council, youth])
    north = f.AreaFactory(partnership=partnership, name=f"{slug} North")
    south = f.AreaFactory(partnership=partnership, name=f"{slug} South")
    knives = f.IndicatorFactory(partnership=partnership, owner=police)
    repeat = f.IndicatorFactory(partnership=partnership, owner=council)
    period = f.ReportingPeriodFactory(partnership=partnership, financial_year=2023, quarter=4)
    for indicator in (knives, repeat):
        f.ReturnFactory(indicator=indicator, reporting_period=period, status="approved")
    fund = f.FundFactory(partnership=partnership)
    version = f.PlanVersionFactory(
        plan__partnership=partnership,
        number=1,
        label="Plan 2023",
        published=True,
        theme_use=PlanVersion.ThemeUse.PRIORITIES,
    )
    f.SectionFactory(plan_version=version, title="Introduction", body="Why we have a plan.")
    f.SectionFactory(plan_version=version, title="Local context", body="## Our district")
    for number in range(1, priorities + 1):
        theme = f.ThemeFactory(
            plan_version=version, name=f"Theme {number}", description="Working together."
        )
        priority = f.PriorityFactory(
            plan_version=version,
            theme=theme,
            label=f"Priority {number}",
            title=f"Serious violence {number}",
            slug=f"serious-violence-{number}",
            what_is_heading="What is serious violence?",
            what_is="Violence that causes serious harm.",
            local_picture="Most offences happen in the town centre.",
            response="Patrols and mentoring.",
            at_risk_groups="Young people\nNight-time workers",
        )
        priority.hotspots.add(north, south)
        prevent = f.ActionRowFactory(
            priority=priority, theme=theme, description=f"Mentor young people {number}",
            lead_organisations=[police], status=ActionRow.Status.AT_RISK,
        )  # fmt: skip
        prevent.supporting_organisations.add(council, youth)
        f.OutcomeFactory(action_row=prevent, text="Fewer young people carry knives")
        f.OutcomeFactory(action_row=prevent, text="More referrals")
        f.DataLineFactory(action_row=prevent, text="Knives and repeats").indicators.add(
            knives, repeat
        )
        f.DataLineFactory(action_row=prevent, text="Mentoring sessions held")
        patrol = f.ActionRowFactory(
            priority=priority, description=f"Patrol hotspots {number}",
            lead_organisations=[police, council],
        )  # fmt: skip
        f.OutcomeFactory(action_row=patrol, text="Fewer offences at night")
        f.DataLineFactory(action_row=patrol, text="Repeat incidents").indicators.add(repeat)
        for row in (prevent, patrol):
            f.ActionUpdateFactory(action_row=row, reporting_period=period, status="approved")
        f.CommentFactory(version=version, priority=priority, organisation=council)
        f.CommentFactory(version=version, action_row=patrol, organisation=police)
        priority.allocations.add(f.AllocationFactory(fund=fund, organisation=police))
    f.CommentFactory(version=version, organisation=youth)
    return SimpleNamespace(
        partnership=partnership, version=version, police=police, knives=knives, period=period
    )


def counts() -> dict[str, int]:
    tables = {name: model for name, (model, _) in COPIED.items()} | NOT_COPIED
    return {name: model.objects.count() for name, model in tables.items()}


def counts_in(version: PlanVersion) -> dict[str, int]:
    return {
        name: model.objects.filter(**{path: version}).count()
        for name, (model, path) in COPIED.items()
    }


def by_lineage(rows) -> list:
    return sorted(rows, key=repr)


def contents(version: PlanVersion) -> dict[str, list]:
    """Every part and link of a version, named by lineage (and order, for parts without
    one) rather than by primary key: two versions with the same contents compare equal."""
    in_version = {name: model.objects.filter(**{path: version}) for name, (model, path) in
                  COPIED.items()}  # fmt: skip
    fields = {
        "sections": ["lineage", "order", "title", "body"],
        "themes": ["lineage", "order", "name", "description"],
        "priorities": ["lineage", "order", "label", "title", "slug", "theme__lineage",
                       "what_is_heading", "what_is", "local_picture", "response",
                       "at_risk_groups"],
        "hotspots": ["priority__lineage", "area"],
        "action rows": ["lineage", "priority__lineage", "order", "description", "status",
                        "theme__lineage"],
        "lead agencies": ["actionrow__lineage", "organisation"],
        "supporting agencies": ["actionrow__lineage", "organisation"],
        "outcomes": ["action_row__lineage", "order", "text"],
        "data lines": ["action_row__lineage", "order", "text"],
        "indicator links": ["dataline__action_row__lineage", "dataline__order", "indicator"],
    }  # fmt: skip
    return {name: by_lineage(in_version[name].values_list(*fields[name])) for name in COPIED}


def primary_keys(version: PlanVersion) -> dict[str, set]:
    return {
        name: set(model.objects.filter(**{path: version}).values_list("pk", flat=True))
        for name, (model, path) in COPIED.items()
    }


@pytest.fixture
def manager():
    return f.UserFactory(username="manager")


@pytest.fixture
def ours():
    return build_rich_plan("ours")


@pytest.fixture
def theirs():
    return build_rich_plan("theirs", priorities=1)


# ---- what is copied -------------------------------------------------------------------------


def test_a_refresh_is_a_new_draft_after_the_last_version(ours, manager):
    draft = start_refresh(ours.version, manager, "  Refresh April 2024 ")

    draft.refresh_from_db()
    assert (draft.plan, draft.number, draft.label) == (ours.version.plan, 2, "Refresh April 2024")
    assert (draft.status, draft.published_on) == (PlanVersion.Status.DRAFT, None)
    assert draft.theme_use == PlanVersion.ThemeUse.PRIORITIES
    created = draft.events.get()
    assert (created.kind, created.by, created.reason) == (
        VersionEvent.Kind.CREATED,
        manager,
        "Copied from Plan 2023.",
    )
    ours.version.refresh_from_db()
    assert ours.version.status == PlanVersion.Status.PUBLISHED


def test_a_refresh_without_a_label_is_named_by_its_number(ours, manager):
    assert start_refresh(ours.version, manager, "   ").label == "Refresh 2"


def test_every_copied_table_grows_by_the_sources_rows_and_no_other_table_grows(
    ours, theirs, manager
):
    source = counts_in(ours.version)
    assert source == {"sections": 2} | {name: 2 * n for name, n in PER_PRIORITY.items()}
    before = counts()

    draft = start_refresh(ours.version, manager, "Refresh April 2024")

    after = counts()
    assert {name: after[name] - before[name] for name in COPIED} == source
    assert {name: after[name] for name in NOT_COPIED} == {name: before[name] for name in NOT_COPIED}
    assert counts_in(draft) == source


def test_each_copy_keeps_its_originals_lineage_fields_and_links(ours, manager):
    draft = start_refresh(ours.version, manager, "Refresh April 2024")

    assert contents(draft) == contents(ours.version)
    for name in ("sections", "themes", "priorities", "action rows"):
        lineages = contents(draft)[name]
        assert len({part[0] for part in lineages}) == len(lineages), name


def test_the_copies_belong_to_the_new_draft_only(ours, manager):
    original_contents = contents(ours.version)
    original_keys = primary_keys(ours.version)

    draft = start_refresh(ours.version, manager, "Refresh April 2024")

    copies = primary_keys(draft)
    assert all(not copies[name] & original_keys[name] for name in COPIED)
    assert primary_keys(ours.version) == original_keys
    assert contents(ours.version) == original_contents
    # No copy is themed by, or hangs under, a part of the version it was copied from.
    assert (
        not Priority.objects.filter(plan_version=draft)
        .exclude(theme=None)
        .exclude(theme__plan_version=draft)
    )
    assert (
        not ActionRow.objects.filter(priority__plan_version=draft)
        .exclude(theme=None)
        .exclude(theme__plan_version=draft)
    )
    assert set(ActionRow.objects.filter(pk__in=copies["action rows"]).values_list(
        "priority__plan_version", flat=True)) == {draft.pk}  # fmt: skip


def test_updates_comments_and_funding_stay_with_the_original(ours, manager):
    draft = start_refresh(ours.version, manager, "Refresh April 2024")

    assert not ActionUpdate.objects.filter(action_row__priority__plan_version=draft).exists()
    assert not Comment.objects.filter(version=draft).exists()
    assert not Priority.allocations.through.objects.filter(priority__plan_version=draft).exists()
    assert ActionUpdate.objects.filter(action_row__priority__plan_version=ours.version).count() == 4
    assert Comment.objects.filter(version=ours.version).count() == 5


def test_a_superseded_version_keeps_its_parts_after_the_refresh_is_published(ours, manager):
    original_contents = contents(ours.version)
    draft = start_refresh(ours.version, manager, "Refresh April 2024")

    draft.publish(manager, on=ours.period.end_date)

    ours.version.refresh_from_db()
    assert ours.version.status == PlanVersion.Status.SUPERSEDED
    assert contents(ours.version) == original_contents


# ---- what is refused ------------------------------------------------------------------------


def test_a_draft_cannot_be_refreshed(ours, manager):
    draft = f.PlanVersionFactory(plan=f.PlanFactory(partnership=ours.partnership), number=1)
    f.PriorityFactory(plan_version=draft)
    before = counts()

    with pytest.raises(ValidationError, match="Only a public version can be refreshed"):
        start_refresh(draft, manager, "Refresh")

    assert counts() == before
    assert draft.plan.versions.count() == 1


@pytest.mark.parametrize("waiting", ["a draft", "a version in review"])
def test_a_plan_with_a_version_in_progress_cannot_be_refreshed_again(ours, manager, waiting):
    first = start_refresh(ours.version, manager, "Refresh April 2024")
    if waiting == "a version in review":
        first.send_for_review(manager)
    before, versions = counts(), PlanVersion.objects.count()

    with pytest.raises(ValidationError, match="already has a draft"):
        start_refresh(ours.version, manager, "Another refresh")

    assert (counts(), PlanVersion.objects.count()) == (before, versions)


def test_another_partnerships_plan_is_untouched(ours, theirs, manager):
    their_contents, their_keys = contents(theirs.version), primary_keys(theirs.version)
    theirs.version.refresh_from_db()
    their_updated_at = theirs.version.updated_at

    start_refresh(ours.version, manager, "Refresh April 2024")

    theirs.version.refresh_from_db()
    assert list(theirs.version.plan.versions.all()) == [theirs.version]
    assert theirs.version.status == PlanVersion.Status.PUBLISHED
    assert theirs.version.updated_at == their_updated_at
    assert (contents(theirs.version), primary_keys(theirs.version)) == (their_contents, their_keys)


# ---- cost -----------------------------------------------------------------------------------


@pytest.mark.parametrize("priorities", [1, 3])
def test_a_refresh_costs_the_same_queries_whatever_the_plans_size(
    django_assert_num_queries, manager, priorities
):
    source = build_rich_plan("sized", priorities=priorities).version

    # One of them marks the new draft changed as its "started" event is recorded.
    with django_assert_num_queries(33):
        draft = start_refresh(source, manager, "Refresh April 2024")

    assert counts_in(draft)["action rows"] == 2 * priorities
