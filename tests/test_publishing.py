"""Publishing a quarter: only the partnership's managers publish or withdraw its report, with who
and when kept; until it is published, no public page, download or open data shows the
quarter's figures, and no public table shows a small count for an area. Members see both."""

import copy
import csv
import io
import json
import re

import openpyxl
import pytest

from indicators.models import ReportingPeriod, Return
from plans.models import Partnership
from tests import factories as f
from tests.builders import build_report_world
from tests.conftest import module_transaction

Q4 = "2023-24-q4"
RATE_Q4 = "16.5"  # SV-RATE's 2023/24 Q4 figure; its 2022/23 Q4 one is 17.0


@pytest.fixture(scope="module")
def world_built_once(django_db_setup, django_db_blocker):
    with module_transaction(django_db_blocker):
        with django_db_blocker.unblock():
            world = build_report_world()
            # ASB-NEW (a count) by ward in 2023/24 Q4: Ward A's 3 is small; Ward B's 8 is the
            # next smallest, withheld with it so that it cannot be worked out from the total.
            world.wards = {}
            for name, value in [("Ward A", 3), ("Ward B", 8), ("Ward C", 12), ("Ward D", 20)]:
                area = f.AreaFactory(partnership=world.partnership, name=name)
                world.wards[name] = f.ReturnFactory(
                    indicator=world.new, reporting_period=world.period, area=area,
                    value=value, status="approved",
                )  # fmt: skip
            world.other = f.MembershipFactory(role="manager").user  # another partnership's
        yield world


@pytest.fixture
def world(world_built_once, db):
    return copy.deepcopy(world_built_once)


def published(world) -> ReportingPeriod:
    return ReportingPeriod.objects.get(pk=world.period.pk)


def public_urls(world) -> dict[str, str]:
    slug = world.partnership.slug
    plan = f"/partnerships/{slug}/{world.version.plan.slug}"
    return {
        "priority page": f"{plan}/priorities/{world.violence.slug}/",
        "indicator page": f"/partnerships/{slug}/indicators/SV-RATE/",
        "public report": f"/partnerships/{slug}/reports/{Q4}/",
        "report XLSX": f"/partnerships/{slug}/reports/{Q4}/report.xlsx",
        "report CSV": f"/partnerships/{slug}/reports/{Q4}/report.csv",
        "open data CSV": f"/partnerships/{slug}/figures.csv",
        "open data JSON": f"/partnerships/{slug}/figures.json",
    }


def shows_q4(response) -> bool:
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    content = response.getvalue()  # the open data is streamed
    if response["Content-Type"].startswith("application/vnd.openxml"):
        book = openpyxl.load_workbook(io.BytesIO(content))
        return any(row[4] == 16.5 for row in book["Indicators"].values)
    return RATE_Q4.encode() in content


# ---- who publishes ---------------------------------------------------------------------------


def test_the_manager_publishes_and_the_record_says_who_and_when(client, world):
    client.force_login(world.manager)
    response = client.post(f"/manage/periods/{world.period.pk}/publish/")

    assert response.status_code == 302
    period = published(world)
    assert period.report_published_by == world.manager
    assert period.report_published_at is not None
    latest = period.history.latest()
    assert (latest.history_user, latest.report_published_at) == (
        world.manager,
        period.report_published_at,
    )
    page = client.get(f"/reports/{world.period.pk}/").content.decode()
    assert "these figures are public" in page


@pytest.mark.parametrize("who", ["officer", "reviewer", "other", "anonymous"])
def test_nobody_but_its_managers_publishes_or_withdraws_a_report(client, world, who):
    if who != "anonymous":
        client.force_login(getattr(world, who))
    publish_url = f"/manage/periods/{world.period.pk}/publish/"
    withdraw_url = f"/manage/periods/{world.period.pk}/withdraw/"

    responses = [
        client.post(publish_url),
        client.get(withdraw_url),
        client.post(withdraw_url, {"reason": "Because."}),
    ]

    expected = 302 if who == "anonymous" else 403  # anonymous: to sign in
    assert [r.status_code for r in responses] == [expected] * 3
    assert not published(world).report_is_published


def test_publishing_again_keeps_who_published_first(client, world):
    client.force_login(world.manager)
    client.post(f"/manage/periods/{world.period.pk}/publish/")
    first = published(world).report_published_at
    client.post(f"/manage/periods/{world.period.pk}/publish/")
    assert published(world).report_published_at == first


def test_withdrawing_needs_a_reason_which_members_then_read(client, world):
    client.force_login(world.manager)
    client.post(f"/manage/periods/{world.period.pk}/publish/")
    url = f"/manage/periods/{world.period.pk}/withdraw/"

    refused = client.post(url, {"reason": "  "})
    assert refused.status_code == 200
    assert "Say why the report is withdrawn." in refused.content.decode()
    assert published(world).report_is_published

    assert client.post(url, {"reason": "The rate was miscalculated."}).status_code == 302
    period = published(world)
    assert not period.report_is_published
    assert period.report_withdrawn_reason == "The rate was miscalculated."
    assert period.history.latest().history_user == world.manager
    client.force_login(world.officer)
    page = client.get(f"/reports/{world.period.pk}/").content.decode()
    assert "it was withdrawn: The rate was miscalculated." in page


def test_withdrawing_a_report_that_is_not_published_says_so(client, world):
    client.force_login(world.manager)
    response = client.post(f"/manage/periods/{world.period.pk}/withdraw/", {"reason": "Oops"})
    assert "The report is not published, so there is nothing to withdraw." in (
        response.content.decode()
    )


# ---- what the public sees --------------------------------------------------------------------


@pytest.mark.parametrize(
    "page",
    [
        "priority page",
        "indicator page",
        "public report",
        "report XLSX",
        "report CSV",
        "open data CSV",
        "open data JSON",
    ],
)
def test_the_public_sees_a_quarter_only_while_its_report_is_published(client, world, page):
    url = public_urls(world)[page]
    assert not shows_q4(client.get(url))

    client.force_login(world.manager)
    client.post(f"/manage/periods/{world.period.pk}/publish/")
    client.logout()
    assert shows_q4(client.get(url))

    client.force_login(world.manager)
    client.post(f"/manage/periods/{world.period.pk}/withdraw/", {"reason": "Wrong rate."})
    client.logout()
    assert not shows_q4(client.get(url))


def test_members_see_the_quarter_before_it_is_published(client, world):
    client.force_login(world.reviewer)
    assert RATE_Q4 in client.get(f"/reports/{world.period.pk}/").content.decode()
    assert shows_q4(client.get(f"/reports/{world.period.pk}/report.xlsx"))


def test_the_partnership_page_lists_only_published_reports(client, world):
    url = f"/partnerships/{world.partnership.slug}/"
    assert "2023/24 Q4 report" not in client.get(url).content.decode()
    published(world).publish_report(world.manager)
    assert "2023/24 Q4 report" in client.get(url).content.decode()


def test_the_plan_says_how_delivery_stands_as_of_the_published_quarter(client, world):
    """Serious Violence's rows are on track, on track and off track as the plan has them; the
    2023/24 Q4 approved updates put the second at risk, once that quarter is published."""
    url = f"/partnerships/{world.partnership.slug}/{world.version.plan.slug}/"
    assert "2 of 3 actions on track" in client.get(url).content.decode()
    published(world).publish_report(world.manager)
    assert "1 of 3 actions on track" in client.get(url).content.decode()


def test_a_partnership_may_make_figures_public_on_approval(client, world):
    Partnership.objects.filter(pk=world.partnership.pk).update(figures_public="approval")
    url = public_urls(world)
    assert shows_q4(client.get(url["indicator page"]))
    assert shows_q4(client.get(url["open data CSV"]))
    assert not shows_q4(client.get(url["public report"]))  # the report itself waits

    for figure in Return.objects.filter(indicator=world.rate, reporting_period=world.period):
        figure.reopen(world.manager, "Miscounted")
    assert not shows_q4(client.get(url["indicator page"]))  # approved figures only


# ---- small counts ----------------------------------------------------------------------------


def area_cells(page: str) -> dict[str, str]:
    """Each area's figure as the indicator page's area table shows it."""
    return dict(
        re.findall(
            r'<th scope="row" class="govuk-table__header">(Ward \w)</th>\s*'
            r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>',
            page,
        )
    )


def test_small_counts_by_area_are_withheld_on_the_indicator_page(client, world):
    published(world).publish_report(world.manager)
    page = client.get(f"/partnerships/{world.partnership.slug}/indicators/ASB-NEW/")
    assert area_cells(page.content.decode()) == {
        "Ward A": "fewer than 5",
        "Ward B": "fewer than 5",
        "Ward C": "12",
        "Ward D": "20",
    }
    # 10.75 and 6.46 would let Ward A and B be worked out; whole numbers are stated instead.
    assert "the mean is 11 and the standard deviation 6" in page.content.decode()


def test_the_partnership_sets_the_threshold(client, world):
    Partnership.objects.filter(pk=world.partnership.pk).update(small_count_threshold=10)
    published(world).publish_report(world.manager)
    page = client.get(f"/partnerships/{world.partnership.slug}/indicators/ASB-NEW/")
    assert area_cells(page.content.decode()) == {
        "Ward A": "fewer than 10",
        "Ward B": "fewer than 10",
        "Ward C": "12",
        "Ward D": "20",
    }


def test_small_counts_by_area_are_withheld_in_open_data(client, world):
    published(world).publish_report(world.manager)
    slug = world.partnership.slug
    rows = json.loads(client.get(f"/partnerships/{slug}/figures.json").getvalue())["figures"]
    by_area = {r["area"]: (r["value"], r["note"]) for r in rows if r["indicator"] == "ASB-NEW"}
    assert by_area == {
        "whole area": (7, ""),
        "Ward A": (None, "fewer than 5"),
        "Ward B": (None, "fewer than 5"),
        "Ward C": (12, ""),
        "Ward D": (20, ""),
    }
    table = csv.DictReader(
        io.StringIO(client.get(f"/partnerships/{slug}/figures.csv").getvalue().decode())
    )
    in_csv = {r["area"]: (r["value"], r["note"]) for r in table if r["indicator"] == "ASB-NEW"}
    assert in_csv == {
        "whole area": ("7", ""),
        "Ward A": ("", "fewer than 5"),
        "Ward B": ("", "fewer than 5"),
        "Ward C": ("12", ""),
        "Ward D": ("20", ""),
    }


def test_members_see_each_areas_real_count(client, world):
    client.force_login(world.manager)
    page = client.get(f"/manage/returns/{world.wards['Ward A'].pk}/").content.decode()
    assert "fewer than" not in page
    assert 'Figure</dt><dd class="govuk-summary-list__value">3</dd>' in page


def test_open_data_states_its_licence(client, world):
    published(world).publish_report(world.manager)
    response = client.get(f"/partnerships/{world.partnership.slug}/figures.json")
    data = json.loads(response.getvalue())
    assert data["licence"] == "Open Government Licence v3.0"
    assert "open-government-licence/version/3" in response["Link"]
    assert {"indicator", "unit", "period", "area", "value", "rank", "status"} <= set(
        data["figures"][0]
    )
    rate = next(r for r in data["figures"] if r["indicator"] == "SV-RATE")
    assert (rate["value"], rate["rank"], rate["status"]) == (16.5, "12 of 15", "published")


def test_the_manager_reviews_an_areas_figure_as_that_areas(client, world):
    """A ward's figure is not set against the whole area's last year or target."""
    figure = world.wards["Ward C"]
    Return.objects.filter(pk=figure.pk).update(status="submitted")
    client.force_login(world.manager)

    review = client.get(f"/manage/returns/{figure.pk}/").content.decode()
    listed = client.get(f"/manage/periods/{world.period.pk}/").content.decode()

    assert "Asb-New: Ward C" in review
    assert "Same quarter last year" not in review
    assert "Ward C" in listed
    assert "One area's figure: not compared with the whole area's" in listed
