"""Generated inputs (Hypothesis) through the forms people type into: the officer's entry page,
the manager's decision, sign-in and the spreadsheet import. Whatever is typed, the answer is a
page (never a 500), and a refused submission leaves nothing half saved.

Over 10,000 inputs in all, so this runs as its own step (`make fuzz`), not in `make test`.
Each input runs in a transaction rolled back afterwards, so every one starts from the same data.
"""

import os

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.models import Return
from priorities.demo import MANAGED_APPS
from priorities.models import ActionUpdate
from tests.entry_helpers import entry_form_data, entry_url, field
from tests.factories import ReturnFactory

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

# FUZZ_SCALE=0.01 tries a hundredth of them, for a quick look while working on a form.
SCALE = float(os.environ.get("FUZZ_SCALE", "1"))
EXAMPLES = {
    name: max(1, int(count * SCALE))
    for name, count in {
        "entry": 4_000,
        "decision": 2_000,
        "sign_in": 2_000,
        "import": 2_000,
    }.items()
}
FUZZ = {
    "deadline": None,
    "derandomize": True,  # the same inputs on every run: CI is repeatable
    "database": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
}

# What people (and attackers) type into a box.
TRICKY = ["", " ", "0", "-0", "12", " 12 ", "1,232", "£75,500.50", "12%", "1e1000000", "1e-1000000",
          "NaN", "-Infinity", "9" * 40, "0.001", "12e-3", "abc", "\x00", "=HYPERLINK(1)",
          "+cmd|' /C calc'!A0", "<script>alert(1)</script>", "' OR 1=1 --", "𝟙𝟚", "١٢",
          "32767", "32768", "-1", "2147483648", "x" * 6000]  # fmt: skip
typed = st.one_of(
    st.sampled_from(TRICKY),
    st.text(max_size=40),
    st.integers().map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats().map(str),
)


def state(*models) -> list:
    return [list(model._default_manager.order_by("pk").values()) for model in models]


def attempt(client, url, data, *, files=None) -> tuple[int, bool]:
    """POST in a transaction rolled back afterwards: (status, whether anything was written)."""
    with transaction.atomic():
        before = state(Return, ActionUpdate)
        response = client.post(url, {**data, **(files or {})})
        changed = state(Return, ActionUpdate) != before
        transaction.set_rollback(True)
    return response.status_code, changed


@pytest.fixture
def officer(client, cast):
    client.force_login(cast.officer)
    return client


@settings(**FUZZ, max_examples=EXAMPLES["entry"])
@given(
    value=typed,
    rag=st.one_of(st.sampled_from(["", "red", "amber", "green"]), typed),
    commentary=typed,
    rank=typed,
    size=typed,
    progress=typed,
    action_status=st.one_of(st.sampled_from(["on_track", "complete"]), typed),
    revision=st.one_of(st.just("0"), typed),
    action=st.sampled_from(["draft", "submit", "", "publish"]),
)
def test_the_entry_page_answers_every_input(
    officer, cast, value, rag, commentary, rank, size, progress, action_status, revision, action
):
    if not hasattr(cast, "entry_data"):  # the page as shown, read once for all the inputs
        cast.entry_data = entry_form_data(officer.get(entry_url(cast)))
    data = dict(cast.entry_data)
    data.update(
        {
            field(cast.knives, "value"): value,
            field(cast.knives, "rag_override"): rag,
            field(cast.knives, "rag_override_reason"): commentary,
            field(cast.knives, "commentary"): commentary,
            field(cast.knives, "comparison_rank"): rank,
            field(cast.knives, "comparison_group_size"): size,
            field(cast.knives, "revision"): revision,
            field(cast.action, "progress"): progress,
            field(cast.action, "action_status"): action_status,
            "action": action,
        }
    )

    with transaction.atomic():
        before = state(Return, ActionUpdate)
        status = officer.post(entry_url(cast), data).status_code
        after = state(Return, ActionUpdate)
        transaction.set_rollback(True)

    assert status in (200, 302)
    # Each item is saved on its own, whole or not at all: a row written moved one revision on,
    # to a draft or a submission by the officer; any other row is as it was.
    for rows_before, rows_after in zip(before, after, strict=True):
        earlier = {row["id"]: row for row in rows_before}
        for row in rows_after:
            if earlier.get(row["id"]) != row:
                old = earlier.get(row["id"], {"revision": 0})
                assert row["revision"] == old["revision"] + 1
                assert (row["status"], row["entered_by_id"]) in {
                    ("draft", cast.officer.pk),
                    ("submitted", cast.officer.pk),
                }


@settings(**FUZZ, max_examples=EXAMPLES["decision"])
@given(
    decision=st.one_of(st.sampled_from(["approve", "return", "reopen"]), typed),
    reason=typed,
    revision=st.one_of(st.just("SEEN"), typed),
)
def test_a_decision_answers_every_input(client, cast, decision, reason, revision):
    with transaction.atomic():
        item = ReturnFactory(
            indicator=cast.knives, reporting_period=cast.period, status="submitted", value=40
        )
        client.force_login(cast.manager)
        seen = str(item.revision) if revision == "SEEN" else revision
        response = client.post(
            f"/manage/returns/{item.pk}/",
            {"decision": decision, "reason": reason, "revision": seen},
        )
        item_after = Return.objects.get(pk=item.pk)
        transaction.set_rollback(True)

    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert (item_after.status, item_after.revision) == ("submitted", item.revision)


@settings(**FUZZ, max_examples=EXAMPLES["sign_in"])
@given(username=typed, password=typed)
def test_sign_in_answers_every_input(cast, username, password):
    with transaction.atomic():
        response = Client().post("/accounts/login/", {"username": username, "password": password})
        transaction.set_rollback(True)

    assert response.status_code in (200, 302, 429)


@settings(**FUZZ, max_examples=EXAMPLES["import"])
@given(
    cells=st.lists(st.lists(typed, min_size=5, max_size=7), min_size=1, max_size=3),
    keep_keys=st.booleans(),
)
def test_the_returns_import_answers_every_input(client, cast, cells, keep_keys):
    cast.manager.is_staff = True
    cast.manager.save()
    cast.manager.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=MANAGED_APPS)
    )
    client.force_login(cast.manager)
    header = ["partnership", "indicator", "period", "area", "value", "comparison_rank",
              "rating_override"]  # fmt: skip
    rows = []
    for row in cells:
        if keep_keys:  # keys that resolve, so the fuzzed cells reach the figure's own checks
            row = [cast.partnership.slug, "SV-KNIVES", "2024/25 Q1", "", *row[3:]]
        rows.append(",".join('"' + str(c).replace('"', '""') + '"' for c in row))
    content = ("\n".join([",".join(header), *rows]) + "\n").encode("utf-8", "surrogatepass")

    with transaction.atomic():
        before = state(Return)
        preview = client.post(
            "/admin/indicators/return/import/",
            {"format": "0", "import_file": SimpleUploadedFile("returns.csv", content)},
        )
        assert preview.status_code == 200  # the preview or the problems, on a page
        assert state(Return) == before  # a preview saves nothing
        confirm = preview.context.get("confirm_form") if preview.context else None
        if confirm is not None:  # no problem found: confirm it, as the manager would
            done = client.post("/admin/indicators/return/process_import/", confirm.initial)
            assert done.status_code == 302
            assert len(state(Return)[0]) >= len(before[0])
        transaction.set_rollback(True)
