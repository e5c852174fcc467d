"""The plan on a phone and on paper.

At 320 px wide, and at 1280 × 800 zoomed to 200%, no page scrolls sideways: a wide table scrolls
in its own box, which is a tab stop named by the table's caption. Every page is axe-clean at
320 px, its contents links say where they go (the section "Prevent" and the priority
"Priority 6: Prevent" read differently) and its title names nothing twice. Printed, every page
of the plan carries its number, the plan's title, its address and the day it was printed, and
the contents numbers 10 to 12 print whole.

Zoom: a browser at 1280 × 800 zoomed to 200% lays the page out in 640 × 400 CSS pixels, each
drawn as two device pixels; the test opens it so (viewport 640 × 400, device_scale_factor 2),
which is what the zoom does to the layout, media queries included.
"""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from indicators.models import Indicator, ReportingPeriod
from plans.models import PlanVersion
from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = pytest.mark.browser_context_args(viewport={"width": 320, "height": 640})
ZOOMED = pytest.mark.browser_context_args(
    viewport={"width": 640, "height": 400}, device_scale_factor=2
)


def public_versions(partnership) -> list[PlanVersion]:
    plan = partnership.plans.get()
    return list(plan.versions.filter(status__in=PlanVersion.PUBLIC_STATUSES).order_by("number"))


def current_version(partnership) -> PlanVersion:
    return next(version for version in public_versions(partnership) if not version.is_superseded)


def pages_to_check(partnership) -> dict[str, str]:
    """The plan, its priority with the most actions, an indicator with figures by area, what
    changed between the two latest public versions and the latest published report, by name."""
    versions = public_versions(partnership)
    current = current_version(partnership)
    plan = current.plan
    slug = partnership.slug
    longest = (
        current.priorities.annotate(rows=Count("action_rows")).order_by("-rows", "order").first()
    )
    indicator = Indicator.objects.get(partnership=partnership, code="ASB-RATE")
    pages = {
        "plan": plan.get_absolute_url(),
        "priority": reverse("priority", args=[slug, plan.slug, longest.slug]),
        "indicator": reverse("indicator", args=[slug, indicator.code.lower()]),
    }
    if len(versions) >= 2:
        old, new = versions[-2:]
        pages["superseded plan"] = old.get_absolute_url()
        pages["changes"] = reverse("plan-changes", args=[slug, plan.slug, old.number, new.number])
    published = (
        ReportingPeriod.objects.filter(partnership=partnership, report_published_at__isnull=False)
        .order_by("-financial_year", "-quarter")
        .first()
    )
    if published:
        pages["report"] = reverse(
            "public-report", kwargs={"partnership": slug, **published.url_parts}
        )
    return pages


def assert_no_sideways_scroll(page) -> None:
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport, f"{page.url} is {width} px wide in a {viewport} px window"


def assert_tables_scroll_in_named_boxes(page) -> int:
    """Every table is in a box that scrolls sideways, is a tab stop and a region named by the
    table's caption; return how many boxes are wider inside than out (they scroll)."""
    tables = page.locator("main table")
    boxes = page.locator("main .app-table-container")
    expect(page.locator("main .app-table-container > table")).to_have_count(tables.count())
    scrolling = 0
    for index in range(boxes.count()):
        box = boxes.nth(index)
        caption = " ".join(box.locator("caption").inner_text().split())
        expect(box).to_have_attribute("tabindex", "0")
        expect(box).to_have_role("region")
        expect(box).to_have_accessible_name(caption)
        assert box.evaluate("box => getComputedStyle(box).overflowX") == "auto"
        if box.evaluate("box => box.scrollWidth > box.clientWidth"):
            scrolling += 1
    return scrolling


def assert_title_names_nothing_twice(page) -> None:
    parts = page.title().split(" – ")
    assert len(parts) == len(set(parts)), f"{page.url} repeats itself in its title: {page.title()}"


@PHONE
def test_at_320_px_no_page_scrolls_sideways_and_every_page_is_accessible(
    page, live_server, demo_partnership
):
    pages = pages_to_check(demo_partnership)
    assert {"plan", "priority", "indicator"} <= set(pages)
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert_no_sideways_scroll(page)
        scrolling = assert_tables_scroll_in_named_boxes(page)
        if name in ("plan", "priority", "report"):
            assert scrolling, f"no table on the {name} page is wider than a phone: test the box"
        assert_title_names_nothing_twice(page)
        assert_accessible(page)

    # The partnership's own page is titled by its name, once, and its funds table fits too.
    page.goto(live_server.url + demo_partnership.get_absolute_url())
    assert_title_names_nothing_twice(page)
    assert_no_sideways_scroll(page)
    assert_tables_scroll_in_named_boxes(page)

    # A keyboard scrolls a wide table: focus its box, press the right arrow.
    page.goto(live_server.url + pages["priority"])
    box = page.locator(".app-table-container").first
    box.focus()
    expect(box).to_be_focused()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("box => box.scrollLeft > 0", arg=box.element_handle())
    assert_no_sideways_scroll(page)


@ZOOMED
def test_at_200_percent_zoom_no_page_scrolls_sideways(page, live_server, demo_partnership):
    assert page.evaluate("window.devicePixelRatio") == 2
    for path in pages_to_check(demo_partnership).values():
        page.goto(live_server.url + path)
        assert_no_sideways_scroll(page)
        assert_tables_scroll_in_named_boxes(page)


def test_contents_links_with_the_same_words_read_differently(page, live_server, demo_partnership):
    page.goto(live_server.url + current_version(demo_partnership).plan.get_absolute_url())
    # The names the accessibility tree gives the links, visually hidden words included.
    tree = page.get_by_role("navigation", name="Contents").aria_snapshot()
    names = re.findall(r'link "([^"]+)"', tree)  # `- link "Prevent"`, `- 'link "A: B"':`
    assert len(names) >= 12
    assert len(names) == len(set(names)), f"Contents links with the same name:\n{tree}"
    version = current_version(demo_partnership)
    for priority in version.priorities.all():
        assert (priority.heading if priority.label else f"Priority: {priority.title}") in names
    # The demo's case: the section "Prevent" and the priority "Priority 6: Prevent".
    sections = {section.title for section in version.sections.all()}
    assert sections & {priority.title for priority in version.priorities.all()}
    assert {"Prevent", "Priority 6: Prevent"} <= set(names)


def test_the_printed_plan_names_itself_its_address_and_the_day_on_every_page(
    page, live_server, demo_partnership
):
    version = current_version(demo_partnership)
    page.goto(live_server.url + version.plan.get_absolute_url())
    contents = page.get_by_role("navigation", name="Contents").get_by_role("link")
    entries = [" ".join(text.split()) for text in contents.all_inner_texts()]
    assert len(entries) >= 12

    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = [pdf_page.extract_text() for pdf_page in pdf.pages]
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(width), round(height)) == (595, 842)  # A4 portrait, in points
    address = live_server.url + version.get_absolute_url()
    printed = printed_on(timezone.localdate())
    for number, text in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in text
        assert version.plan.title in text
        assert address in text, f"page {number} lacks {address}"
        assert printed in text, f"page {number} lacks {printed}"

    # The two-digit numbers print whole, not cut to "0." and "1." by the page's edge.
    opening = "\n".join(pages[:2])
    for number in (10, 11, 12):
        first_word = entries[number - 1].split()[0]
        assert re.search(rf"(?m)^{number}\. {re.escape(first_word)}", opening), (
            f"{number}. {entries[number - 1]} is not whole in:\n{opening}"
        )


def test_a_printed_draft_says_so_on_every_page(page, live_server, sign_in, demo_partnership):
    # The demo's refresh in review ("Refresh April 2024").
    draft = demo_partnership.plans.get().versions.get(status__in=PlanVersion.EDITABLE_STATUSES)
    sign_in("reviewer", DEMO_PASSWORD)
    path = reverse("plan-draft", args=[demo_partnership.slug, draft.plan.slug, draft.number])
    page.goto(live_server.url + path)
    assert_title_names_nothing_twice(page)

    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = [pdf_page.extract_text() for pdf_page in pdf.pages]
    assert "Draft — not published" in pages[0]  # the banner
    for number, text in enumerate(pages, start=1):
        assert f"Draft, not published: {draft.plan.title}" in text
        assert live_server.url + path in text
        assert f"Page {number} of {len(pages)}" in text


def test_a_drafts_print_styles_are_for_members_only(client, demo_partnership):
    plan = demo_partnership.plans.get()
    current = current_version(demo_partnership)
    public = reverse("plan-print-css", args=[demo_partnership.slug, plan.slug, current.number])
    css = client.get(public)
    assert css["Content-Type"] == "text/css; charset=utf-8"
    assert "size: A4 portrait" in css.content.decode()
    assert f'content: "{plan.title}"' in css.content.decode()

    draft = plan.versions.get(status__in=PlanVersion.EDITABLE_STATUSES)
    url = reverse("plan-print-css", args=[demo_partnership.slug, plan.slug, draft.number])
    assert client.get(url).status_code == 404
    client.force_login(get_user_model().objects.get(username="officer"))
    assert client.get(url).status_code == 200


def printed_on(day: date) -> str:
    return f"Printed {day.day} {day:%B %Y}"
