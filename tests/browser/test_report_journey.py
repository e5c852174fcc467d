"""The quarterly report in a real browser: the manager reads the 2023/24 Q4 report, prints it
for the board and publishes it; a visitor then sees the quarter's figures, the indicator's
chart and table, and the table by area with small counts withheld."""

import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from indicators.models import ReportingPeriod
from priorities.demo import DEMO_PASSWORD
from tests.browser.accessibility import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

ASB_RATE = "/partnerships/lichfield/indicators/ASB-RATE/"
SV_CRIMES = "/partnerships/lichfield/indicators/SV-CRIMES/"


@pytest.fixture
def q4_not_yet_published(demo_partnership):
    """The demo as it stood before the board met: 2023/24 Q4 approved, its report not public."""
    period = ReportingPeriod.objects.get(
        partnership=demo_partnership, financial_year=2023, quarter=4
    )
    period.report_published_at = None
    period.save()
    return period


def test_the_manager_prints_and_publishes_the_report_and_a_visitor_reads_the_results(
    page, browser, live_server, sign_in, q4_not_yet_published
):
    visitors = browser.new_context()
    visitor = visitors.new_page()

    # Before the board has seen it, the public's latest quarter is 2023/24 Q3.
    visitor.goto(live_server.url + ASB_RATE)
    expect(visitor.get_by_role("heading", name="By area, 2023/24 Q3")).to_be_visible()
    expect(visitor.get_by_role("row", name="2023/24 Q4")).to_have_count(0)

    # The manager opens the quarter's report from their returns.
    sign_in("manager", DEMO_PASSWORD)
    page.get_by_role("link", name="2023/24 Q4").click()
    page.get_by_role("link", name="The 2023/24 Q4 report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quarterly performance report, 2023/24 Q4"
    )
    expect(page.get_by_text("Not published")).to_be_visible()
    expect(page.get_by_role("heading", name="Exceptions")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("Locality Fund"))).to_contain_text("Total")
    assert_accessible(page)

    # Printed for the board: A4, every page headed with the partnership and quarter, numbered.
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    pages = [p.extract_text() for p in pdf.pages]
    assert len(pages) > 2
    assert "Lichfield CSP: 2023/24 Q4 report" in pages[1]
    assert f"Page 2 of {len(pages)}" in pages[1]
    width, height = pdf.pages[0].mediabox.width, pdf.pages[0].mediabox.height
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points
    assert "Publish the report" not in "".join(pages)  # buttons are not printed

    # The board has seen it: the manager publishes.
    page.get_by_role("button", name="Publish the report").click()
    expect(page.get_by_text("The 2023/24 Q4 report is published")).to_be_visible()
    assert_accessible(page)

    # The visitor now sees 2023/24 Q4: the chart, the same figures as a table, the areas.
    visitor.goto(live_server.url + ASB_RATE)
    chart = visitor.get_by_role("img", name=re.compile("by quarter"))
    expect(chart).to_be_visible()
    expect(visitor.get_by_role("row", name="2023/24 Q4")).to_have_count(1)
    expect(visitor.get_by_role("heading", name="By area, 2023/24 Q4")).to_be_visible()
    expect(visitor.get_by_role("row", name=re.compile("^Chasetown"))).to_contain_text(
        "Well above average"
    )
    assert_accessible(visitor)

    # Small counts by area are withheld.
    visitor.goto(live_server.url + SV_CRIMES)
    expect(visitor.get_by_text("fewer than 5").first).to_be_visible()
    assert_accessible(visitor)

    # The published report, from the partnership's page.
    visitor.goto(live_server.url + "/partnerships/lichfield/")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="2023/24 Q4 report").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text(
        "Quarterly performance report, 2023/24 Q4"
    )
    expect(visitor.get_by_role("button", name="Publish the report")).to_have_count(0)
    assert_accessible(visitor)

    # The priority page gives the quarter beside last year's, in words as well as arrows.
    visitor.goto(
        live_server.url
        + "/partnerships/lichfield/delivery-plan-2022-2025/priorities/anti-social-behaviour/"
    )
    expect(
        visitor.get_by_role("row", name=re.compile("Repeat anti-social behaviour cases"))
    ).to_contain_text("2023/24 Q4")
    assert_accessible(visitor)
    visitors.close()


def test_the_manager_withdraws_a_report_with_a_reason(page, live_server, sign_in, demo_partnership):
    period = ReportingPeriod.objects.get(
        partnership=demo_partnership, financial_year=2023, quarter=4
    )
    sign_in("manager", DEMO_PASSWORD)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Quarterly reports")
    assert_accessible(page)
    page.get_by_role("link", name="2023/24 Q4 report").click()
    expect(page).to_have_url(f"{live_server.url}/reports/{period.pk}/")
    page.get_by_role("link", name="Withdraw the report").click()
    assert_accessible(page)

    page.get_by_role("button", name="Withdraw the report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Why is the report withdrawn?").fill("A ward figure was entered twice.")
    page.get_by_role("button", name="Withdraw the report").click()

    expect(page.get_by_text("it was withdrawn: A ward figure was entered twice.")).to_be_visible()
    page.goto(f"{live_server.url}/partnerships/lichfield/reports/2023-24-q4/")
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
