"""Nothing is stored that the database cannot hold or that nobody meant to type: figures,
ranks and free text are bounded alike on SQLite and PostgreSQL, on every way in, each with a
message beside the field or on the row, never an error page."""

import pytest
import tablib

from indicators.models import Indicator, Return
from indicators.resources import ReturnResource
from plans.models.text import NOTE
from tests.entry_helpers import entry_form_data, entry_url, field
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

LONG_NOTE = "x" * (NOTE + 1)


def post(client, cast, **changes):
    data = entry_form_data(client.get(entry_url(cast)), **changes)
    return client.post(entry_url(cast), {**data, "action": "draft"})


@pytest.mark.parametrize("name", ["comparison_rank", "comparison_group_size"])
def test_a_rank_beyond_what_the_database_holds_is_refused_on_the_entry_page(
    officer_client, cast, name
):
    response = post(
        officer_client,
        cast,
        **{
            field(cast.knives, "value"): "12",
            field(cast.knives, "comparison_rank"): "40000",
            field(cast.knives, "comparison_group_size"): "40000",
        },
    )

    assert response.status_code == 200
    assert "Comparison groups are at most 32,767 partnerships" in response.content.decode()
    assert not Return.objects.filter(reporting_period=cast.period).exists()


def test_an_agency_with_hundreds_of_indicators_saves_its_whole_page(officer_client, cast):
    # Seven boxes an indicator: 300 send over 2,000 fields, twice Django's default limit.
    Indicator.objects.bulk_create(
        IndicatorFactory.build_batch(300, partnership=cast.partnership, owner=cast.police)
    )
    data = entry_form_data(officer_client.get(entry_url(cast)))
    boxes = [name for name in data if name.startswith("returns-") and name.endswith("-value")]
    data |= dict.fromkeys(boxes, "7")

    response = officer_client.post(entry_url(cast), {**data, "action": "draft"})

    assert response.status_code == 302
    assert len(data) > 2_000
    assert Return.objects.filter(reporting_period=cast.period, value=7).count() == len(boxes)
    assert len(boxes) == 302  # the cast's own two as well


def test_commentary_longer_than_a_note_is_refused_and_kept_on_screen(officer_client, cast):
    response = post(
        officer_client,
        cast,
        **{field(cast.knives, "value"): "12", field(cast.knives, "commentary"): LONG_NOTE},
    )

    page = response.content.decode()
    assert f"Shorten this to {NOTE} characters or fewer (it has {NOTE + 1})." in page
    assert LONG_NOTE in page  # the typing is not lost
    assert not Return.objects.filter(reporting_period=cast.period).exists()


def test_progress_longer_than_a_note_is_refused(officer_client, cast):
    response = post(officer_client, cast, **{field(cast.action, "progress"): LONG_NOTE})

    assert "Shorten this to" in response.content.decode()


def test_a_decision_reason_longer_than_a_note_is_refused(client, cast):
    from tests.factories import ReturnFactory

    item = ReturnFactory(
        indicator=cast.knives, reporting_period=cast.period, status="submitted", value=12
    )
    client.force_login(cast.manager)

    response = client.post(
        f"/manage/returns/{item.pk}/",
        {"decision": "return", "reason": LONG_NOTE, "revision": item.revision},
    )

    assert "Shorten this to" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "submitted"


HEADERS = ["partnership", "indicator", "period", "area", "value", "commentary",
           "comparison_rank", "comparison_group_size"]  # fmt: skip


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        (["1e20", "", "", ""], "value", "The figure is too large"),
        (["1e1000000", "", "", ""], "value", "The figure is too large"),
        (["12", "", "40000", "40000"], "comparison_rank", "at most 32,767 partnerships"),
        (["12", LONG_NOTE, "", ""], "commentary", "Shorten this to"),
    ],
)
def test_an_import_row_beyond_the_bounds_is_an_error_on_its_row(cast, cells, column, message):
    sheet = tablib.Dataset(
        [cast.partnership.slug, "SV-KNIVES", "2024/25 Q1", "", *cells], headers=HEADERS
    )

    result = ReturnResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert not result.has_errors()  # no crash: a message on the row
    [row] = result.invalid_rows
    assert message in " ".join(row.error_dict[column])
    assert not Return.objects.filter(reporting_period=cast.period).exists()
