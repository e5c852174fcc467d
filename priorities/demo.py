"""The demo partnership: loads `fixtures/lichfield.json` and creates the demo users.

The file is shaped like the plan document (priorities hold their action rows, rows hold their
outcomes and data lines) rather than like database tables, so people can read and correct it.
It names two more files beside it: the plan's earlier version (the 2021–22 outline) and the
refresh in progress (its edits and the partners' comments on them).
"""

import json
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from indicators.models import (
    Comparator,
    Indicator,
    IndicatorTarget,
    ReportingPeriod,
    Return,
    SubmissionStatus,
)
from indicators.periods import parse_period_label
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

from .models import ActionRow, ActionUpdate, DataLine, Outcome, Priority

DEMO_FILE = Path(settings.BASE_DIR) / "fixtures" / "lichfield.json"
DEMO_PASSWORD = "csp-demo-2026"
ORDER_STEP = 10
# When the demo's past quarterly reports count as published, and the last of them.
PUBLISHED_AT = datetime(2024, 5, 20, 9, 0, tzinfo=UTC)
LAST_PUBLISHED_QUARTER = (2023, 4)
MANAGER_GROUP = "Partnership managers"
MANAGED_APPS = ["plans", "indicators", "priorities"]
# What a comment can be about besides the whole plan (a reply is about what its thread is).

# username -> (role, organisation name, staff?)
DEMO_USERS = {
    "manager": (Membership.Role.MANAGER, "Lichfield District Council", True),
    "officer": (Membership.Role.OFFICER, "Staffordshire Police", False),
    "officer2": (Membership.Role.OFFICER, "Lichfield District Council", False),
    "reviewer": (Membership.Role.REVIEWER, "Support Staffordshire", False),
}


def _read_json(path: Path) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def read_demo_file(path: Path = DEMO_FILE) -> dict:
    """The demo file, with the files it names beside it (the plan's earlier versions, its
    refresh in progress) read into it, so the result holds the whole demo."""
    path = Path(path)
    data = _read_json(path)
    plan = data["plan"]
    plan["earlier_versions"] = [
        _read_json(path.parent / item) if isinstance(item, str) else item
        for item in plan.get("earlier_versions", [])
    ]
    if isinstance(plan.get("refresh"), str):
        plan["refresh"] = _read_json(path.parent / plan["refresh"])
    return data


def _orders(items):
    return [((index + 1) * ORDER_STEP, item) for index, item in enumerate(items)]


@transaction.atomic
def load_partnership(data: dict) -> tuple[Partnership, bool]:
    """Create the partnership described by `data` unless one with its slug exists.

    Returns the partnership and whether it was created. All or nothing: any error leaves
    the database as it was.
    """
    existing = Partnership.objects.filter(slug=data["partnership"]["slug"]).first()
    if existing:
        return existing, False

    partnership = Partnership.objects.create(**data["partnership"])
    organisations = {}
    for item in data["organisations"]:
        organisation, _ = Organisation.objects.get_or_create(
            name=item["name"], defaults={"short_name": item["short_name"], "kind": item["kind"]}
        )
        organisations[organisation.name] = organisation
    partnership.organisations.set(organisations.values())
    made = Area.objects.bulk_create(Area(partnership=partnership, **item) for item in data["areas"])
    areas = {area.name: area for area in made}
    _load_area_groups(data.get("area_groups", []), partnership, areas)

    plan_data = data["plan"]
    plan = Plan.objects.create(
        partnership=partnership,
        title=plan_data["title"],
        slug=plan_data["slug"],
        start_year=plan_data["start_year"],
        end_year=plan_data["end_year"],
    )
    # The plan's versions in order, oldest first; the last is the one the demo reports on.
    documents = [*plan_data["earlier_versions"], plan_data]
    versions = _load_versions(plan, [document["version"] for document in documents])
    version = versions[-1]
    written = list(zip(versions, documents, strict=True))
    bulk_create_with_history(
        [
            Section(plan_version=each, order=order, **item)
            for each, document in written
            for order, item in _orders(document["sections"])
        ],
        Section,
    )
    made = Theme.objects.bulk_create(
        Theme(plan_version=each, order=order, **item)
        for each, document in written
        for order, item in _orders(document.get("themes", []))
    )
    themes = {(theme.plan_version_id, theme.name): theme for theme in made}

    indicators = _load_indicators(data, partnership, organisations)
    _load_priorities(
        [(each, document["priorities"]) for each, document in written],
        organisations,
        areas,
        themes,
        indicators,
    )
    periods = _load_returns(data, partnership, areas, indicators)
    # The quarters' action updates are on this version's rows: it was in force for them all.
    ReportingPeriod.plan_versions.through.objects.bulk_create(
        ReportingPeriod.plan_versions.through(reportingperiod=period, planversion=version)
        for period in periods.values()
    )
    _load_progress(plan_data["priorities"], version, periods[LAST_PUBLISHED_QUARTER])
    _load_funds(data, partnership, organisations, version)
    Risk.objects.bulk_create(
        Risk(
            partnership=partnership,
            **{key: value for key, value in item.items() if key != "owner"},
            owner=organisations[item["owner"]],
        )
        for item in data["risks"]
    )
    return partnership, True


def _load_area_groups(groups, partnership, areas) -> None:
    made = AreaGroup.objects.bulk_create(
        AreaGroup(
            partnership=partnership, name=item["name"], description=item["description"], order=order
        )
        for order, item in _orders(groups)
    )
    AreaGroup.areas.through.objects.bulk_create(
        AreaGroup.areas.through(areagroup=group, area=areas[name])
        for group, item in zip(made, groups, strict=True)
        for name in item["areas"]
    )


def _published_at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _load_versions(plan, items) -> list[PlanVersion]:
    """The versions numbered 1, 2… in order, and their record as `publish` would have left it:
    each published on its date, and superseded when the next one was published."""
    versions = bulk_create_with_history(
        [
            PlanVersion(
                plan=plan,
                number=number,
                label=item["label"],
                status=item["status"],
                published_on=date.fromisoformat(item["published_on"]),
                theme_use=item.get("theme_use", PlanVersion.ThemeUse.NONE),
                change_summary=item.get("change_summary", ""),
            )
            for number, item in enumerate(items, start=1)
        ],
        PlanVersion,
    )
    events = []
    for version, later in zip(versions, [*versions[1:], None], strict=True):
        events.append(VersionEvent(
            version=version, kind=VersionEvent.Kind.PUBLISHED, on=version.published_on,
            at=_published_at(version.published_on),
        ))  # fmt: skip
        if version.status == PlanVersion.Status.SUPERSEDED and later is not None:
            events.append(VersionEvent(
                version=version, kind=VersionEvent.Kind.SUPERSEDED,
                at=_published_at(later.published_on), reason=f"Replaced by {later.label}.",
            ))  # fmt: skip
    VersionEvent.objects.bulk_create(events)
    return versions


def _load_indicators(data, partnership, organisations) -> dict[str, Indicator]:
    made = bulk_create_with_history(
        [
            Indicator(
                partnership=partnership,
                code=item["code"],
                name=item["name"],
                description=item["description"],
                unit=item["unit"],
                good_direction=item["good_direction"],
                baseline_value=Decimal(item["baseline_value"]) if item["baseline_value"] else None,
                baseline_period=item["baseline_period"],
                baseline_span=item["baseline_span"],
                is_cumulative=item["is_cumulative"],
                rag_tolerance=Decimal(item["rag_tolerance"]),
                owner=organisations[item["owner"]],
            )
            for item in data["indicators"]
        ],
        Indicator,
    )
    IndicatorTarget.objects.bulk_create(
        IndicatorTarget(
            indicator=indicator, financial_year=target["year"], value=Decimal(target["value"])
        )
        for indicator, item in zip(made, data["indicators"], strict=True)
        for target in item["targets"]
    )
    return {indicator.code: indicator for indicator in made}


PRIORITY_TEXTS = [
    "what_is_heading", "what_is", "local_picture_heading", "local_picture", "response_heading",
    "response",
]  # fmt: skip


def _load_priorities(documents, organisations, areas, themes, indicators) -> None:
    """The priorities of each (version, priorities) in `documents`, with their rows and lines,
    written in bulk: a few queries per kind of row, not several per row (nor per version), so
    `make run` and the tests load the demo quickly. An earlier plan may give a priority no
    texts, and a row no data lines or lead agencies."""
    entries = [(version, order, item) for version, priorities in documents
               for order, item in _orders(priorities)]  # fmt: skip
    made = bulk_create_with_history(
        [
            Priority(
                plan_version=version,
                order=order,
                label=item.get("label", ""),
                title=item["title"],
                slug=slugify(item["title"])[:50],
                **{name: item.get(name, "") for name in PRIORITY_TEXTS},
                at_risk_groups="\n".join(item.get("at_risk_groups", [])),
            )
            for version, order, item in entries
        ],
        Priority,
    )
    Priority.hotspots.through.objects.bulk_create(
        Priority.hotspots.through(priority=priority, area=areas[name])
        for priority, (_, _, item) in zip(made, entries, strict=True)
        for name in item.get("hotspots", [])
    )
    load_actions(
        [(priority, order, action) for priority, (_, _, item) in zip(made, entries, strict=True)
         for order, action in _orders(item["actions"])],
        organisations, themes, indicators,
    )  # fmt: skip


def load_actions(actions, organisations, themes, indicators, by=None) -> list[ActionRow]:
    """Action rows from (priority, order, action) with their agencies, outcomes and data
    lines, in bulk; `themes` by (version id, name). Returns the rows."""
    rows = bulk_create_with_history(
        [
            ActionRow(
                priority=priority,
                order=order,
                description=action["action"],
                status=action.get("status", ActionRow.Status.NOT_STARTED),
                theme=themes[(priority.plan_version_id, action["theme"])]
                if action.get("theme")
                else None,
            )
            for priority, order, action in actions
        ],
        ActionRow,
        default_user=by,
    )
    written = list(zip(rows, (action for _, _, action in actions), strict=True))
    for field, key in (("lead_organisations", "lead"), ("supporting_organisations", "supporting")):
        through = getattr(ActionRow, field).through
        through.objects.bulk_create(
            through(actionrow=row, organisation=organisations[name])
            for row, action in written
            for name in action.get(key, [])
        )
    bulk_create_with_history(
        [
            Outcome(action_row=row, order=order, text=text)
            for row, action in written
            for order, text in _orders(action["outcomes"])
        ],
        Outcome,
        default_user=by,
    )
    lines = [(row, order, line) for row, action in written
             for order, line in _orders(action.get("data", []))]  # fmt: skip
    data_lines = bulk_create_with_history(
        [DataLine(action_row=row, order=order, text=line["text"]) for row, order, line in lines],
        DataLine,
        default_user=by,
    )
    DataLine.indicators.through.objects.bulk_create(
        DataLine.indicators.through(dataline=data_line, indicator=indicators[code])
        for data_line, (_, _, line) in zip(data_lines, lines, strict=True)
        for code in line["indicators"]
    )
    return rows


def _load_returns(data, partnership, areas, indicators) -> None:
    """The quarters and their illustrative figures; past quarters' reports are published, so
    their figures are public as they would be after each board meeting."""
    made = ReportingPeriod.objects.bulk_create(
        ReportingPeriod(
            partnership=partnership,
            financial_year=item["financial_year"],
            quarter=item["quarter"],
            due_date=item["due_date"],
            is_open=item["is_open"],
            report_published_at=PUBLISHED_AT if item["report_published"] else None,
        )
        for item in data["reporting_periods"]
    )
    periods = {(period.financial_year, period.quarter): period for period in made}
    bulk_create_with_history(
        [
            Return(
                indicator=indicators[item["indicator"]],
                reporting_period=periods[parse_period_label(item["period"])],
                area=areas[item["area"]] if item["area"] else None,
                value=Decimal(item["value"]),
                rag_override=item["rag_override"],
                rag_override_reason=item["rag_override_reason"],
                comparison_rank=item["comparison_rank"],
                comparison_group_size=item["comparison_group_size"],
                status=item["status"],
                commentary=item["commentary"],
                revision=1,
            )
            for item in data["returns"]
        ],
        Return,
    )
    Comparator.objects.bulk_create(
        Comparator(
            indicator=indicators[item["indicator"]],
            reporting_period=periods[parse_period_label(item["period"])],
            name=item["name"],
            value=Decimal(item["value"]),
        )
        for item in data["comparators"]
    )
    return periods


def _load_progress(priorities, version, period) -> None:
    """Each action's approved progress update for the last published quarter."""
    rows = {
        (row.priority.title, row.order): row
        for row in ActionRow.objects.filter(priority__plan_version=version)
        .select_related("priority")
        .prefetch_related("lead_organisations")
    }
    bulk_create_with_history(
        [
            ActionUpdate(
                action_row=rows[(item["title"], order)],
                # The demo's plan gives one update per action: its first lead agency's.
                organisation=min(
                    rows[(item["title"], order)].lead_organisations.all(),
                    key=lambda organisation: organisation.pk,
                    default=None,
                ),
                reporting_period=period,
                action_status=action["status"],
                progress=action["q4_progress"],
                status=SubmissionStatus.APPROVED,
                revision=1,
            )
            for item in priorities
            for order, action in _orders(item["actions"])
        ],
        ActionUpdate,
    )


def _load_funds(data, partnership, organisations, version) -> None:
    priorities = {priority.title: priority for priority in version.priorities.all()}
    for item in data["funds"]:
        fund = Fund.objects.create(
            partnership=partnership,
            name=item["name"],
            source=item["source"],
            financial_year=item["financial_year"],
            amount=Decimal(item["amount"]),
        )
        for share in item["allocations"]:
            allocation = Allocation.objects.create(
                fund=fund,
                title=share["title"],
                organisation=organisations[share["organisation"]]
                if share["organisation"]
                else None,
                allocated=Decimal(share["allocated"]),
                spent=Decimal(share["spent"]),
                committed=Decimal(share["committed"]),
            )
            allocation.priorities.set([priorities[title] for title in share["priorities"]])


def managers_group() -> Group:
    """The admin rights partnership managers are given: every model of the three apps (the
    admin then limits each manager to their own partnerships)."""
    managers, _ = Group.objects.get_or_create(name=MANAGER_GROUP)
    managers.permissions.set(Permission.objects.filter(content_type__app_label__in=MANAGED_APPS))
    return managers


@transaction.atomic
def create_demo_users(partnership: Partnership, password: str = DEMO_PASSWORD) -> list[str]:
    """Create (or reset the password of) the demo users and their memberships.

    `manager` is also staff in the "Partnership managers" group, which may change everything in
    the plan, indicator and priority apps; `admin` is a superuser. Returns the usernames.
    """
    User = get_user_model()
    managers = managers_group()

    for username, (role, organisation_name, is_staff) in DEMO_USERS.items():
        user, _ = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        user.is_staff = is_staff
        user.set_password(password)
        user.save()
        if is_staff:
            user.groups.add(managers)
        Membership.objects.get_or_create(
            user=user,
            partnership=partnership,
            organisation=Organisation.objects.get(name=organisation_name),
            role=role,
        )

    admin, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@example.org"})
    admin.is_staff = admin.is_superuser = True
    admin.set_password(password)
    admin.save()
    return [*DEMO_USERS, "admin"]
