"""Every URL, every role, GET and POST: nobody reaches what their role does not allow, and no
partnership's manager reaches another's.

The test walks the URL resolver (every page outside the admin) and the admin registry (every
model's list, add, change, history, revert, delete, actions, import, export and the
autocompletes), and asks each as: a visitor, an officer of agency A, an officer of agency B, a
reviewer, the partnership's manager, another partnership's manager, a staff account with admin
rights but no membership, and the superuser. Everything of the target partnership carries the
word ALPHA. A leak is:

- a page that answers 200 to someone it must refuse, for a page about one object or a page
  outside the admin; for an admin list or form, one that shows them anything marked ALPHA;
- a POST by someone it must refuse that changes anything of the target partnership (each POST
  runs in a transaction rolled back afterwards, so every cell starts from the same world).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from simple_history.admin import SimpleHistoryAdmin

from indicators.models import Indicator, IndicatorTarget, ReportingPeriod, Return
from plans.models import (
    Allocation,
    Area,
    Fund,
    Membership,
    Organisation,
    Partnership,
    Plan,
    PlanVersion,
    Risk,
    Section,
    Theme,
)
from priorities.models import ActionRow, ActionUpdate, Comment, DataLine, Outcome, Priority
from priorities.refresh import start_refresh
from tests import factories as f
from tests.builders import give_admin_rights
from tests.conftest import module_transaction

pytestmark = pytest.mark.django_db

MARK = "ALPHA"
ROLES = [
    "visitor",
    "officer_a",
    "officer_b",
    "reviewer",
    "manager",
    "other_manager",
    "staff_without_membership",
    "superuser",
]
SCOPED_MODELS = [Organisation, Partnership, Membership, Area, Plan, PlanVersion, Section, Theme,
                 Fund, Allocation, Risk, Indicator, IndicatorTarget, ReportingPeriod, Return,
                 Priority, ActionRow, Outcome, DataLine, ActionUpdate]  # fmt: skip


def staff_manager(username: str, partnership) -> object:
    user = give_admin_rights(f.UserFactory(username=username))
    if partnership is not None:
        f.MembershipFactory(user=user, partnership=partnership, role=Membership.Role.MANAGER)
    return user


def build_world() -> SimpleNamespace:
    """Partnership ALPHA with one of everything, its people, and partnership BRAVO's manager."""
    police = f.OrganisationFactory(name=f"{MARK} Police")
    council = f.OrganisationFactory(name=f"{MARK} Council")
    alpha = f.PartnershipFactory(
        name=f"{MARK} Community Safety Partnership", slug="alpha", organisations=[police, council]
    )
    bravo = f.PartnershipFactory(name="BRAVO Community Safety Partnership", slug="bravo")
    bravo.organisations.add(f.OrganisationFactory(name="BRAVO Police"))

    def member(username, organisation, role):
        user = f.UserFactory(username=username)
        return f.MembershipFactory(
            user=user, partnership=alpha, organisation=organisation, role=role
        )

    officer_a = member("officer-a", police, Membership.Role.OFFICER)
    officer_b = member("officer-b", council, Membership.Role.OFFICER)
    reviewer = member("reviewer", council, Membership.Role.REVIEWER)
    manager = staff_manager("manager", None)
    f.MembershipFactory(
        user=manager, partnership=alpha, organisation=council, role=Membership.Role.MANAGER
    )
    area = f.AreaFactory(partnership=alpha, name=f"{MARK} Ward")
    version = f.PlanVersionFactory(
        plan__partnership=alpha, plan__title=f"{MARK} Plan", label=f"{MARK} version", published=True
    )
    section = f.SectionFactory(plan_version=version, title=f"{MARK} section")
    theme = f.ThemeFactory(plan_version=version, name=f"{MARK} theme")
    priority = f.PriorityFactory(plan_version=version, title=f"{MARK} priority", slug="alpha")
    row = f.ActionRowFactory(
        priority=priority, description=f"{MARK} action", theme=theme, lead_organisations=[police]
    )
    outcome = f.OutcomeFactory(action_row=row, text=f"{MARK} outcome")
    indicator = f.IndicatorFactory(
        partnership=alpha, owner=police, code=f"{MARK}-IND", name=f"{MARK} indicator"
    )
    line = f.DataLineFactory(action_row=row, text=f"{MARK} data line")
    line.indicators.add(indicator)
    target = f.IndicatorTargetFactory(indicator=indicator, financial_year=2024)
    period = f.ReportingPeriodFactory(
        partnership=alpha, financial_year=2024, quarter=1, due_date=date(2099, 7, 26), is_open=True
    )
    figure = f.ReturnFactory(
        indicator=indicator, reporting_period=period, value=Decimal(7), commentary=f"{MARK} note"
    )
    update = f.ActionUpdateFactory(
        action_row=row, reporting_period=period, status="submitted", progress=f"{MARK} progress"
    )
    draft = start_refresh(version, manager, f"{MARK} refresh")
    comment = Comment.objects.create(
        version=draft,
        author=reviewer.user,
        organisation=council,
        body=f"{MARK} comment",
    )
    fund = f.FundFactory(partnership=alpha, name=f"{MARK} fund")
    allocation = f.AllocationFactory(fund=fund, title=f"{MARK} allocation", organisation=council)
    risk = f.RiskFactory(partnership=alpha, title=f"{MARK} risk", owner=police)
    return SimpleNamespace(
        alpha=alpha,
        people={
            "officer_a": officer_a.user,
            "officer_b": officer_b.user,
            "reviewer": reviewer.user,
            "manager": manager,
            "other_manager": staff_manager("other-manager", bravo),
            "staff_without_membership": staff_manager("stray-staff", None),
            "superuser": f.UserFactory(username="root", is_staff=True, is_superuser=True),
        },
        # The object of each admin model the matrix aims at.
        targets={
            Organisation: police,
            Partnership: alpha,
            Membership: officer_a,
            Area: area,
            Plan: version.plan,
            PlanVersion: version,
            Fund: fund,
            Allocation: allocation,
            Risk: risk,
            Indicator: indicator,
            ReportingPeriod: period,
            Return: figure,
            Priority: priority,
            ActionRow: row,
            ActionUpdate: update,
        },
        kwargs={
            "partnership": alpha.slug,
            "plan": version.plan.slug,
            "number": version.number,
            "priority": priority.slug,
            "period_id": period.pk,
            "organisation_id": police.pk,
            "code": indicator.code.lower(),
            "file_format": "xlsx",
            **period.url_parts,
            "plan_id": version.plan.pk,
            "comment_id": comment.pk,
            "old": version.number,
            "new": draft.number,
            "move": "send-for-review",
            "membership_id": officer_a.pk,
            "kind": "accessibility",
            "digest": "0" * 16,
            "extension": "png",
            "colour": "1d70b8",
        },
        # The draft's pages take the draft's number, not the public version's.
        draft_number=draft.number,
        unused=(section, outcome, target),
    )


@pytest.fixture(scope="module")
def world_built_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            built = build_world()
        yield built


@pytest.fixture
def world(world_built_once, db):
    return world_built_once


# ---- what to ask, and who may ---------------------------------------------------------------

PUBLIC = {"home", "partnership", "plan", "plan-version", "priority", "priority-version",
          "plan-json", "plan-json-version", "action-rows-csv", "action-rows-csv-version",
          "login", "logout", "password_reset", "password_reset_done",
          "password_reset_complete", "indicator", "open-figures", "report-print-css",
          "plan-print-css", "accessibility", "privacy", "partnership-notice",
          "partnership-logo", "brand-stylesheet"}  # fmt: skip
MEMBERS = {"officer_a", "officer_b", "reviewer", "manager"}
EVERYONE = set(ROLES)
SIGNED_IN = EVERYONE - {"visitor"}
WHO_MAY = {
    "signed-in": SIGNED_IN,
    "password_change": SIGNED_IN,
    "password_change_done": SIGNED_IN,
    "due": {"officer_a", "officer_b"},
    "entry": {"officer_a"},
    "manage": {"manager", "other_manager"},  # each manager's own partnerships
    "manage-period": {"manager"},
    "manage-period-approve": {"manager"},
    "review": {"manager"},
    "reports": SIGNED_IN,  # each their own partnerships' quarters (tests/test_report.py)
    "members": MEMBERS | {"other_manager"},  # each to their own partnership's page
    "members-partnership": MEMBERS,
    "report": MEMBERS,
    "report-download": MEMBERS,
    "publish-report": {"manager"},
    "withdraw-report": {"manager"},
    # The world's quarter is not published: its report is nobody's to read in public.
    "public-report": set(),
    "public-report-download": set(),
    # The plan's year: drafts and their comments for members; comparing with a draft too.
    "plan-draft": MEMBERS,
    "priority-draft": MEMBERS,
    "comment-add": MEMBERS,
    "comment-reply": {"manager"},
    "comment-resolve": {"manager"},
    "plan-changes": MEMBERS,
    "manage-plan": {"manager"},
    "plan-refresh": {"manager"},
    "version-publish": {"manager"},
    "version-unpublish": {"manager"},
    "version-move": {"manager"},
    # Importing a plan from Word: into each manager's own partnerships' plans (and the preview
    # reads only what that person uploaded; tests/test_docx_import.py)
    "plan-import": {"manager", "other_manager"},
    "plan-import-preview": {"manager", "other_manager"},
    # The partnership's people (plans/people_views.py)
    "people": {"manager", "other_manager"},  # each manager's own partnerships
    "people-partnership": {"manager"},
    "people-invite": {"manager"},
    "people-remove": {"manager"},
    "people-resend": {"manager"},
    # The partnership's own site (plans/site_views.py)
    "partnership-notice-edit": {"manager"},
}
DRAFT_PAGES = {"plan-draft", "priority-draft", "comment-add", "comment-reply", "comment-resolve"}
# Pages reached only from an e-mailed link, with a token the matrix cannot know.
TOKEN_PAGES = {"password_reset_confirm"}
ADMINS = {"manager", "superuser"}


@dataclass
class Cell:
    url: str
    who_may: set
    about_one_object: bool = False  # a 200 to anyone else is a leak, marked or not
    post: dict | None = None  # what to POST; None: an empty POST


def site_pages(world) -> list[Cell]:
    cells = []

    def walk(patterns, converters=frozenset()):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) != "admin/":
                    walk(pattern.url_patterns, converters | set(pattern.pattern.converters))
                continue
            assert isinstance(pattern, URLPattern)
            name = pattern.name
            if name in TOKEN_PAGES:
                continue
            assert name in PUBLIC or name in WHO_MAY, f"Add {name} to the access matrix."
            who_may = EVERYONE if name in PUBLIC else WHO_MAY[name]
            if name == "review":
                for kind, item in (("returns", world.targets[Return]),
                                   ("updates", world.targets[ActionUpdate])):  # fmt: skip
                    url = reverse(name, kwargs={"kind": kind, "pk": item.pk})
                    cells.append(Cell(url, who_may, post={"decision": "approve", "revision": 0}))
                continue
            if name == "manage-period-approve":
                ticked = {kind: f"{item.pk}:{item.revision}"
                          for kind, item in (("returns", world.targets[Return]),
                                             ("updates", world.targets[ActionUpdate]))}  # fmt: skip
                url = reverse(name, kwargs={"period_id": world.kwargs["period_id"]})
                cells.append(Cell(url, who_may, post=ticked))
                continue
            names = converters | set(pattern.pattern.converters)
            kwargs = {name: world.kwargs[name] for name in names}
            if name in DRAFT_PAGES:
                kwargs["number"] = world.draft_number
            cells.append(Cell(reverse(name, kwargs=kwargs), who_may))

    walk(get_resolver().url_patterns)
    return cells


def admin_pages(world, form_data) -> list[Cell]:
    cells = [Cell("/admin/", EVERYONE - {"visitor"} - {"officer_a", "officer_b", "reviewer"})]
    for model, model_admin in admin.site._registry.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        scoped = hasattr(model, "partnership_path")
        who_may = ADMINS if scoped else {"superuser"}
        add_who_may = {"superuser"} if model is Partnership else who_may
        cells.append(Cell(reverse(f"{info}_changelist"), who_may))
        cells.append(Cell(reverse(f"{info}_add"), add_who_may, post=form_data.get(model, {})))
        target = world.targets.get(model)
        if target is None:
            continue
        for action in ("delete_selected", *(model_admin.actions or ())):
            cells.append(
                Cell(
                    reverse(f"{info}_changelist"),
                    who_may,
                    post={"action": action, "_selected_action": [target.pk], "post": "yes"},
                )
            )
        for view, post in (
            ("change", form_data.get(model, {})),
            ("history", {}),
            ("delete", {"post": "yes"}),
        ):
            url = reverse(f"{info}_{view}", args=[target.pk])
            allowed = {"superuser"} if (model is Partnership and view == "delete") else who_may
            cells.append(Cell(url, allowed, about_one_object=True, post=post))
        if isinstance(model_admin, SimpleHistoryAdmin):
            version = target.history.earliest().history_id
            url = reverse(f"{info}_simple_history", args=[target.pk, version])
            cells.append(Cell(url, who_may, about_one_object=True, post=form_data.get(model, {})))
        if hasattr(model_admin, "import_action"):
            for view in ("import", "export", "process_import"):
                cells.append(Cell(reverse(f"{info}_{view}"), who_may, post={"format": "0"}))
        for owner in [model_admin, *model_admin.inlines]:
            source = getattr(owner, "model", model)
            cells += [autocomplete(field, source) for field in owner.autocomplete_fields]
    return cells


def autocomplete(field: str, model) -> Cell:
    query = f"app_label={model._meta.app_label}&model_name={model._meta.model_name}"
    return Cell(f"/admin/autocomplete/?{query}&field_name={field}&term=", ADMINS)


def change_form_data(client, url: str, mark: str = "HACKED") -> dict:
    """What a browser would post back from an admin form, with the first ALPHA text changed."""
    page = client.get(url)
    if page.status_code != 200 or "adminform" not in (page.context or {}):
        return {}
    data, changed = {}, False
    forms = [page.context["adminform"].form]
    for inline in page.context.get("inline_admin_formsets", []):
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, str) and MARK in value and not changed:
                value, changed = value.replace(MARK, f"{MARK} {mark}"), True
            if value is None:
                continue
            data[key] = [str(v) for v in value] if isinstance(value, list | tuple) else value
    return data


# ---- the state of the target partnership, to tell whether a POST changed it ------------------


def rows_written() -> int:
    """Rows inserted, updated or deleted so far on this connection: a cheap first look, before
    comparing the whole state of the target partnership."""
    if connection.vendor == "sqlite":
        return connection.connection.total_changes
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) "
            "FROM pg_stat_xact_user_tables"
        )
        return cursor.fetchone()[0]


def state_of_alpha(world) -> list:
    state = []
    for model in SCOPED_MODELS:
        rows = model._default_manager.all()
        if model is Organisation:
            rows = rows.filter(partnerships=world.alpha)
        else:
            rows = rows.filter(**{(model.partnership_path or "pk"): world.alpha.pk})
        state.append(list(rows.order_by("pk").values()))
    return state


def test_nobody_reaches_what_their_role_does_not_allow(world, capsys):
    clients = {"visitor": Client()}
    for role, user in world.people.items():
        clients[role] = Client()
        clients[role].force_login(user)
    form_data = {}
    for model, target in world.targets.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        form_data[model] = change_form_data(
            clients["superuser"], reverse(f"{info}_change", args=[target.pk])
        )
    cells = site_pages(world) + admin_pages(world, form_data)
    before = state_of_alpha(world)
    leaks, tried, served = [], 0, set()

    for cell in cells:
        for role in ROLES:
            client = clients[role]
            tried += 1
            response = client.get(cell.url)
            if response.status_code == 200:
                served.add((cell.url, role))
            if role not in cell.who_may and response.status_code == 200:
                body = response.content.decode(errors="replace")
                outside_admin = not cell.url.startswith("/admin/")
                if cell.about_one_object or outside_admin or MARK in body:
                    leaks.append(f"GET {cell.url} as {role}: {response.status_code}")

            if role in cell.who_may:
                continue  # what the people who may do is tested where it is built
            tried += 1
            with transaction.atomic():
                written = rows_written()
                response = client.post(cell.url, cell.post or {})
                changed = rows_written() != written and state_of_alpha(world) != before
                body = response.content.decode(errors="replace")
                transaction.set_rollback(True)
            # A message about what this POST did would show on the next page: not a leak.
            client.cookies.pop("messages", None)
            session = client.cookies.get("sessionid")
            if role != "visitor" and not (session and session.value):
                client.force_login(world.people[role])  # the cell was "sign out"
            if changed or (response.status_code == 200 and "export" in cell.url and MARK in body):
                leaks.append(f"POST {cell.url} as {role}: {response.status_code}, changed")

    with capsys.disabled():
        print(f"\naccess matrix: {len(cells)} URLs × {len(ROLES)} roles: {tried} requests "
              f"(every GET, and a POST by each role refused), {len(leaks)} leaks")  # fmt: skip
    assert leaks == []
    # And the matrix is not vacuous: the people who may, can.
    for model, target in world.targets.items():
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        url = reverse(f"{info}_change", args=[target.pk])
        assert (url, "manager") in served, url
        assert (url, "superuser") in served, url
    assert (f"/returns/{world.kwargs['period_id']}/{world.kwargs['organisation_id']}/",
            "officer_a") in served  # fmt: skip
    assert ("/manage/", "manager") in served
