"""The pages measured in-process, each as the demo partnership's own people see it.

A page is a label, who asks (None: the public), and a request made through Django's test
Client. Addresses are read from the demo database; the national one is a copy of it with
more beside, so the same addresses and people serve both.
"""

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from .forms import form_fields

FORM_ENCODED = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Page:
    group: str  # public, officer, manager, admin
    label: str
    user: str | None  # username; None for an anonymous visitor
    request: Callable  # (client, what `before` returned) -> response: the part timed
    cached: bool = False  # a public page measured from the cache (not cleared)
    before: Callable | None = None  # (client) -> what the request needs, made untimed


def get(path: str):
    return lambda client, _=None: client.get(path)


def deep_page(_client) -> int:
    """Page 150 of the returns, or the deepest full page of a list with fewer (the demo alone
    has four): a hundred rows on either database, read after skipping as many as it holds."""
    from indicators.models import Return

    return min(150, Return.objects.order_by()[: 150 * 100].count() // 100)


@dataclass(frozen=True)
class Demo:
    """The demo partnership's addresses and items the pages need."""

    partnership: int

    plan: str  # the plan page's path
    priority: str
    indicator_code: str
    report: str  # a published quarter's public report
    open_period: int
    police: int
    a_return: int


def find_demo() -> Demo:
    from indicators.models import Indicator, ReportingPeriod, Return
    from plans.models import Organisation, PlanVersion

    version = PlanVersion.objects.select_related("plan").get(
        plan__partnership__slug="lichfield", status="published"
    )
    base = f"/partnerships/lichfield/{version.plan.slug}/"
    published = (
        ReportingPeriod.objects.filter(partnership__slug="lichfield")
        .public()
        .order_by("-financial_year", "-quarter")
        .first()
    )
    parts = published.url_parts
    return Demo(
        partnership=version.plan.partnership_id,
        plan=base,
        priority=f"{base}priorities/{version.priorities.order_by('order').first().slug}/",
        indicator_code=Indicator.objects.filter(partnership__slug="lichfield")
        .order_by("code")
        .first()
        .code,
        report=f"/partnerships/lichfield/reports/{parts['year']}-{parts['yy']:02d}"
        f"-q{parts['quarter']}/",
        open_period=ReportingPeriod.objects.get(partnership__slug="lichfield", is_open=True).pk,
        police=Organisation.objects.get(name="Staffordshire Police").pk,
        a_return=Return.objects.filter(indicator__partnership__slug="lichfield")
        .order_by("pk")
        .first()
        .pk,
    )


def post(path: str):
    return lambda client, fields: client.post(path, urlencode(fields), content_type=FORM_ENCODED)


def draft_of_entry(entry: str):
    """The officer's draft, read from the entry page as shown (untimed): every figure box
    changed (11 and 12 in turn), to post as a browser posts the form."""

    def before(client):
        fields = form_fields(client.get(entry).content.decode())
        for name, value in fields.items():
            if name.startswith("returns-") and name.endswith("-value"):
                fields[name] = "12" if value == "11" else "11"
        return {**fields, "action": "draft"}

    return before


EXPORT = "/admin/indicators/return/export/"


def export_form(client):
    """The admin's export form as shown (untimed), every field chosen, CSV."""
    fields = form_fields(client.get(EXPORT).content.decode())
    return {**fields, "format": csv_format_index()}


def csv_format_index() -> str:
    from plans.spreadsheets import SPREADSHEET_FORMATS

    names = [fmt().get_title().lower() for fmt in SPREADSHEET_FORMATS]
    return str(names.index("csv"))


def catalogue(demo: Demo) -> list[Page]:
    entry = f"/returns/{demo.open_period}/{demo.police}/"
    returns = "/admin/indicators/return/"
    public = [
        Page("public", "home", None, get("/")),
        # Like for like: the home page lists twenty partnerships nationally, one alone.
        Page("public", "home, searched to the demo's partnership", None, get("/?q=Lichfield")),
        Page("public", "partnership page", None, get("/partnerships/lichfield/")),
        Page("public", "plan page", None, get(demo.plan)),
        Page("public", "plan page (cached)", None, get(demo.plan), cached=True),
        Page("public", "priority page", None, get(demo.priority)),
        Page("public", "indicator page", None,
             get(f"/partnerships/lichfield/indicators/{demo.indicator_code}/")),
        Page("public", "published report", None, get(demo.report)),
        Page("public", "plan.json", None, get(f"{demo.plan}plan.json")),
        Page("public", "action-rows.csv", None, get(f"{demo.plan}action-rows.csv")),
        Page("public", "figures.csv", None, get("/partnerships/lichfield/figures.csv")),
    ]  # fmt: skip
    officer = [
        Page("officer", "returns due", "officer", get("/returns/")),
        Page("officer", "entry page (GET)", "officer", get(entry)),
        Page(
            "officer",
            "save draft (every figure)",
            "officer",
            post(entry),
            before=draft_of_entry(entry),
        ),
    ]
    manager = [
        Page("manager", "manage home", "manager", get("/manage/")),
        Page("manager", "quarter review page", "manager",
             get(f"/manage/periods/{demo.open_period}/")),
        Page("manager", "members page", "manager", get("/members/lichfield/")),
        Page("manager", "people page", "manager", get("/manage/people/lichfield/")),
    ]  # fmt: skip
    admin = [
        Page("admin", "returns list (manager)", "manager", get(returns)),
        Page("admin", "returns list (superuser)", "admin", get(returns)),
        Page("admin", "returns, status=approved (manager)", "manager",
             get(f"{returns}?status__exact=approved")),
        Page("admin", "returns, status=approved (superuser)", "admin",
             get(f"{returns}?status__exact=approved")),
        Page("admin", "returns, search code (manager)", "manager",
             get(f"{returns}?q={demo.indicator_code}")),
        Page("admin", "returns, search code (superuser)", "admin",
             get(f"{returns}?q={demo.indicator_code}")),
        # Nationally 300 partnerships' indicators share the demo's codes: the search above
        # finds a full page of them, where the demo alone has one indicator's returns.
        Page("admin", "returns, search code in the demo's partnership (superuser)", "admin",
             get(f"{returns}?q={demo.indicator_code}"
                 f"&indicator__partnership__id__exact={demo.partnership}")),
        # Like for like: a code's start that fills a page on both (129 returns in the demo).
        Page("admin", "returns, search a code's start, a page full (superuser)", "admin",
             get(f"{returns}?q={demo.indicator_code.split('-')[0]}-")),
        Page("admin", "returns, deep page (superuser)", "admin",
             lambda client, page: client.get(f"{returns}?p={page}"), before=deep_page),
        Page("admin", "action updates list (manager)", "manager",
             get("/admin/priorities/actionupdate/")),
        Page("admin", "indicators list (manager)", "manager",
             get("/admin/indicators/indicator/")),
        Page("admin", "return change form (manager)", "manager",
             get(f"{returns}{demo.a_return}/change/")),
        Page("admin", "returns export CSV (manager)", "manager", post(EXPORT),
             before=export_form),
    ]  # fmt: skip
    return public + officer + manager + admin


def hundredfold_pages(demo: Demo) -> list[Page]:
    """The hundredfold plan's public pages, uncached (it exists in the national database
    only): how a public page grows with the plan."""
    from .sizes import HUNDREDFOLD_SLUG

    base = demo.plan.replace("/lichfield/", f"/{HUNDREDFOLD_SLUG}/")
    return [
        Page("public", "hundredfold plan page", None, get(base)),
        Page("public", "hundredfold plan.json", None, get(f"{base}plan.json")),
        Page("public", "hundredfold action-rows.csv", None, get(f"{base}action-rows.csv")),
    ]
