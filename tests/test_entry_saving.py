"""How a save of the officer's page is written: plain figures of a draft read without a form
exactly as the form reads them; many rows updated in a few statements, each keeping what the
save does not change; and a save refused part way leaves the page's items as they are stored."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from indicators.models import Indicator, Return
from reporting import entry
from reporting.bulk_writes import update_with_history
from reporting.due import ReturnItem, due_list
from reporting.entry import EntryRefused, save_entry
from reporting.forms import ActionUpdateEntryForm, PlainDraft, ReturnEntryForm
from tests.entry_helpers import entry_form_data, entry_url, field
from tests.factories import ActionUpdateFactory, ReturnFactory

pytestmark = pytest.mark.django_db

PREFIX = "returns-7"
FIGURES = st.one_of(
    st.sampled_from(["", " ", "12", "12.5", "1,250", "£1,250.50", "97%", "+12", "-3", "1e3"]),
    st.sampled_from(["0.005", "101", "NaN", "Infinity", "12.", ".5", " 40 ", "4" * 31, "١٢"]),
    # Longer than the box takes (30 characters), though a figure; and long only in spaces.
    st.sampled_from(["0" * 29 + "12", "0" * 28 + "12", " " * 20 + "12" + " " * 20]),
    st.text(alphabet="0123456789.,£%+- e", max_size=12),
    st.text(max_size=6),
)
DETAILS = st.sampled_from(["", "", "", " ", "A note", "red", "3", "x"])
REVISIONS = st.sampled_from(["0", "3", "", "-1", "1.0", " 2", "٣", "9" * 12])


@settings(max_examples=400, deadline=None)
@given(
    unit=st.sampled_from(Indicator.Unit.values),
    value=FIGURES,
    details=st.lists(DETAILS, min_size=5, max_size=5),
    revision=REVISIONS,
)
def test_a_plain_draft_reads_as_the_form_would(unit, value, details, revision):
    item = ReturnItem(Indicator(name="Knives surrendered", unit=unit), None, None, (2024, 1))
    boxes = ["commentary", "rag_override", "rag_override_reason", "comparison_rank"]
    data = {f"{PREFIX}-value": value, f"{PREFIX}-revision": revision}
    data |= {f"{PREFIX}-{name}": typed for name, typed in zip(boxes, details, strict=False)}
    data[f"{PREFIX}-comparison_group_size"] = details[-1]

    plain = PlainDraft.read(data, item, PREFIX)
    form = ReturnEntryForm(data, item=item, submitting=False, prefix=PREFIX)

    if plain is not None:
        assert form.is_valid(), form.errors
        assert plain.cleaned_data == form.cleaned_data
    elif not any(details) and revision.isascii() and revision.isdigit() and len(revision) < 10:
        # Only a figure the form refuses (or one too long for its box) takes the form's path.
        assert not form.is_valid() or len(value.strip()) > 30


def test_a_plain_draft_has_changed_only_if_it_differs_from_what_is_stored(cast):
    stored = ReturnFactory(
        indicator=cast.knives, reporting_period=cast.period, value=Decimal("41"), revision=1
    )
    item = next(i for i in due_list(cast.police, cast.period).returns if i.indicator == cast.knives)
    prefix = f"returns-{cast.knives.pk}"
    same = PlainDraft.read({f"{prefix}-value": "41", f"{prefix}-revision": "1"}, item, prefix)
    other = PlainDraft.read({f"{prefix}-value": "42", f"{prefix}-revision": "1"}, item, prefix)

    assert not same.has_changed()
    assert other.has_changed()
    stored.commentary = "Counted twice"
    item.current = stored
    assert same.has_changed()  # clearing the commentary is a change


def test_a_draft_saved_beside_submitted_items_keeps_its_own_status_and_submitter(
    officer_client, cast
):
    returned = ReturnFactory(
        indicator=cast.knives, reporting_period=cast.period, value=Decimal("10"),
        status="returned", submitted_by=cast.colleague, revision=2,
    )  # fmt: skip
    draft = ReturnFactory(
        indicator=cast.repeat, reporting_period=cast.period, value=Decimal("5"), revision=1
    )
    page = officer_client.get(entry_url(cast))
    data = entry_form_data(
        page,
        action="submit",
        **{field(cast.knives, "value"): "", field(cast.repeat, "value"): "6"},
    )

    officer_client.post(entry_url(cast), data)

    returned.refresh_from_db()
    draft.refresh_from_db()
    assert (returned.status, returned.value, returned.revision) == ("returned", None, 3)
    assert returned.submitted_by == cast.colleague  # not the officer who saved it as a draft
    assert returned.entered_by == cast.officer
    assert (draft.status, draft.value, draft.submitted_by) == ("submitted", 6, cast.officer)


@pytest.mark.parametrize(
    ("params_per_statement", "updates", "inserts"),
    # Of a statement's parameters 10 are kept for its own, and the revision (one value on every
    # row) is sent once: at 12, rows of 2 (id, value) go one at a time and history two at a
    # time; at 15, rows two at a time and history five.
    [(None, 1, 1), (12, 3, 2), (15, 2, 1)],
)
def test_many_rows_are_written_in_two_statements_each_keeping_the_columns_not_written(
    cast, monkeypatch, params_per_statement, updates, inserts
):
    rows = _three_returns(cast)
    if params_per_statement:
        monkeypatch.setattr(connection.features, "max_query_params", params_per_statement)
    now = timezone.now()
    changed = [
        (row, {"value": Decimal(f"{10 + n}.5"), "revision": 7}) for n, row in enumerate(rows)
    ]

    with CaptureQueriesContext(connection) as queries:
        update_with_history(Return, changed, {"value", "revision"}, user=cast.officer, now=now)

    statements = [query["sql"].split()[0] for query in queries]
    assert statements == ["WITH"] * updates + ["INSERT"] * inserts
    for n, row in enumerate(rows):
        row.refresh_from_db()
        assert (row.value, row.revision, row.commentary) == (Decimal(f"{10 + n}.5"), 7, f"n{n}")
        latest = row.history.order_by("-history_id").first()
        assert (latest.history_type, latest.history_user, latest.value) == (
            "~",
            cast.officer,
            Decimal(f"{10 + n}.5"),
        )
        assert latest.history_date == now
    untouched = Return.objects.exclude(pk__in=[row.pk for row in rows])
    assert not untouched.filter(revision=7).exists()


@pytest.mark.parametrize(
    ("values", "varying"),
    [
        # The same on every row: sent once, the rows' list holds only their ids.
        ([{"status": "submitted", "revision": 4}] * 3, 0),
        # A status that differs on one row is sent in every row; the revision still once.
        ([{"status": s, "revision": 4} for s in ["submitted", "returned", "submitted"]], 1),
        # One figure typed three ways is one value as the database takes it: sent once.
        ([{"value": v} for v in [Decimal("12"), Decimal("12.0"), 12]], 0),
        ([{"value": v} for v in [Decimal("12"), Decimal("12.5"), None]], 1),
    ],
)
def test_each_row_gets_its_own_values_whether_a_column_is_sent_once_or_per_row(
    cast, values, varying
):
    rows = _three_returns(cast)
    columns = set(values[0])

    with CaptureQueriesContext(connection) as queries:
        update_with_history(
            Return,
            list(zip(rows, values, strict=True)),
            columns,
            user=cast.officer,
            now=timezone.now(),
        )

    update = queries[0]["sql"]
    assert update.count("new.c") == varying, update
    for row, wanted in zip(rows, values, strict=True):
        row.refresh_from_db()
        assert {name: getattr(row, name) for name in columns} == wanted
        assert row.commentary.startswith("n")  # not written: kept


def _three_returns(cast) -> list[Return]:
    indicators = [cast.knives, cast.repeat, cast.council_indicator]
    return [
        ReturnFactory(indicator=one, reporting_period=cast.period, value=n, commentary=f"n{n}")
        for n, one in enumerate(indicators)
    ]


def test_a_save_refused_part_way_leaves_the_pages_items_as_stored(cast, monkeypatch):
    figure = ReturnFactory(
        indicator=cast.knives, reporting_period=cast.period, value=Decimal("41"), revision=1
    )
    ActionUpdateFactory(
        action_row=cast.action, reporting_period=cast.period, organisation=cast.police
    )
    items = due_list(cast.police, cast.period)
    knives = next(item for item in items.returns if item.indicator == cast.knives)
    update = items.updates[0]
    return_form = ReturnEntryForm(
        {"r-value": "44", "r-revision": "1"}, item=knives, submitting=False, prefix="r"
    )
    # The agency's update, created by someone else between the read and the write.
    update.current = None
    update_form = ActionUpdateEntryForm(
        {"u-action_status": "on_track", "u-progress": "Done", "u-revision": "0"},
        item=update, submitting=False, prefix="u",
    )  # fmt: skip
    assert return_form.is_valid()
    assert update_form.is_valid()
    stored = entry.Kind.stored
    monkeypatch.setattr(
        entry.Kind, "stored", lambda kind, *a: {} if kind is entry.UPDATES else stored(kind, *a)
    )

    with pytest.raises(EntryRefused):
        save_entry(
            user=cast.officer, period=cast.period,
            return_forms=[return_form], update_forms=[update_form],
        )  # fmt: skip

    figure.refresh_from_db()
    assert (figure.value, figure.revision) == (Decimal("41"), 1)  # rolled back
    assert knives.current is not None
    assert (knives.current.value, knives.current.revision) == (Decimal("41"), 1)  # as stored
