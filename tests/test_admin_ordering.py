"""Order numbers in the admin: a row added with its order box left empty goes last, several
added in one save take consecutive numbers, a number typed twice is refused beside the rows,
and every inline field has an accessible name."""

import pytest
from django.forms import modelformset_factory

from plans.admin_forms import named_list
from plans.models import PlanVersion
from priorities.models import ActionRow, DataLine, Outcome, Priority
from tests import factories as f
from tests.admin_forms import admin_form_values

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(cast) -> PlanVersion:
    """A draft version of the cast's plan (a published one's inlines are read-only), holding a
    priority with an action row: each with rows at orders 10 and 20 under it."""
    version = f.PlanVersionFactory(plan=cast.version.plan)
    priority = f.PriorityFactory(plan_version=version, title="Domestic Abuse", order=10)
    f.PriorityFactory(plan_version=version, title="Serious Violence", order=20)
    row = f.ActionRowFactory(priority=priority, order=10)
    f.ActionRowFactory(priority=priority, order=20)
    for order in (10, 20):
        f.OutcomeFactory(action_row=row, order=order)
        f.DataLineFactory(action_row=row, order=order)
    return version


# Each inline: the page it is on, its prefix, the model and what a new row needs besides order.
INLINES = {
    "priorities in a version": (
        lambda v: f"/admin/plans/planversion/{v.pk}/change/",
        "priorities",
        lambda v: Priority.objects.filter(plan_version=v),
        lambda n: {"title": f"New priority {n}"},
    ),
    "action rows in a priority": (
        lambda v: f"/admin/priorities/priority/{v.priorities.first().pk}/change/",
        "action_rows",
        lambda v: ActionRow.objects.filter(priority=v.priorities.first()),
        lambda n: {"description": f"New action {n}", "status": "not_started"},
    ),
    "outcomes in an action row": (
        lambda v: f"/admin/priorities/actionrow/{first_row(v).pk}/change/",
        "outcomes",
        lambda v: Outcome.objects.filter(action_row=first_row(v)),
        lambda n: {"text": f"New outcome {n}"},
    ),
    "data lines in an action row": (
        lambda v: f"/admin/priorities/actionrow/{first_row(v).pk}/change/",
        "data_lines",
        lambda v: DataLine.objects.filter(action_row=first_row(v)),
        lambda n: {"text": f"New data line {n}"},
    ),
}


def first_row(version) -> ActionRow:
    return ActionRow.objects.filter(priority__plan_version=version).earliest("priority", "order")


def with_new_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """`data` with `rows` added at the foot of the inline, as "Add another" does."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    for index, row in enumerate(rows, start=total):
        data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    data[f"{prefix}-TOTAL_FORMS"] = str(total + len(rows))
    return data


def post_rows(client, draft, inline, orders: list[str]):
    """Add a new row per entry of `orders` (what is typed in its order box) on the inline's
    page; the response, and the rows under the parent afterwards."""
    url, prefix, rows, new_row = INLINES[inline]
    data = admin_form_values(client.get(url(draft)))
    added = [{"order": order, **new_row(n)} for n, order in enumerate(orders, start=1)]
    response = client.post(url(draft), with_new_rows(data, prefix, added))
    return response, rows(draft)


@pytest.mark.parametrize("inline", INLINES)
def test_two_rows_added_with_empty_order_go_last_in_consecutive_numbers(
    admin_manager_client, draft, inline
):
    response, rows = post_rows(admin_manager_client, draft, inline, ["", ""])

    assert response.status_code == 302, response.context and response.context["errors"]
    assert list(rows.values_list("order", flat=True)) == [10, 20, 21, 22]


def test_an_empty_order_goes_after_a_number_typed_in_the_same_save(admin_manager_client, draft):
    _, rows = post_rows(admin_manager_client, draft, "priorities in a version", ["", "50"])

    assert list(rows.values_list("title", "order")) == [
        ("Domestic Abuse", 10),
        ("Serious Violence", 20),
        ("New priority 2", 50),
        ("New priority 1", 51),
    ]


@pytest.mark.parametrize("inline", INLINES)
def test_a_number_typed_twice_is_refused_beside_both_rows(admin_manager_client, draft, inline):
    response, rows = post_rows(admin_manager_client, draft, inline, ["30", "30"])

    assert response.status_code == 200
    formset = next(
        formset.formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == INLINES[inline][1]
    )
    refused = [form.errors.get("order") for form in formset.forms[-2:]]
    assert all(errors and "also has order 30" in errors[0] for errors in refused)
    assert rows.count() == 2  # nothing saved


def test_a_new_row_may_not_take_a_stored_rows_number(admin_manager_client, draft):
    response, rows = post_rows(admin_manager_client, draft, "outcomes in an action row", ["20"])

    assert response.status_code == 200
    assert "Another outcome here also has order 20" in response.content.decode()
    assert rows.count() == 2


def test_two_rows_may_swap_numbers_in_one_save(admin_manager_client, draft):
    url, prefix, rows, _ = INLINES["outcomes in an action row"]
    first, second = rows(draft)
    data = admin_form_values(admin_manager_client.get(url(draft)))
    data.update({f"{prefix}-0-order": "20", f"{prefix}-1-order": "10"})

    response = admin_manager_client.post(url(draft), data)

    assert response.status_code == 302
    assert list(rows(draft).values_list("pk", flat=True)) == [second.pk, first.pk]


def test_a_row_deleted_frees_its_number_for_another_in_the_same_save(admin_manager_client, draft):
    url, prefix, rows, _ = INLINES["data lines in an action row"]
    kept = rows(draft).last()
    data = admin_form_values(admin_manager_client.get(url(draft)))
    data.update({f"{prefix}-0-DELETE": "on", f"{prefix}-1-order": "10"})

    response = admin_manager_client.post(url(draft), data)

    assert response.status_code == 302
    assert list(rows(draft).values_list("pk", "order")) == [(kept.pk, 10)]


def add_priority(client, draft, order: str):
    """Add a priority to the draft on the priority's own form, with `order` typed."""
    data = admin_form_values(client.get("/admin/priorities/priority/add/"))
    data.update(plan_version=draft.pk, title="Road Safety", slug="road-safety", order=order)
    return client.post("/admin/priorities/priority/add/", data)


def test_a_priority_added_on_its_own_form_with_empty_order_goes_last(admin_manager_client, draft):
    response = add_priority(admin_manager_client, draft, order="")

    assert response.status_code == 302, response.context and response.context["errors"]
    assert Priority.objects.get(plan_version=draft, slug="road-safety").order == 21


def test_an_order_a_sibling_holds_is_refused_beside_the_box_on_a_rows_own_form(
    admin_manager_client, draft
):
    response = add_priority(admin_manager_client, draft, order="20")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["order"]
    assert errors == [
        "Another priority in the same place already has order 20: choose another number, or "
        "leave it empty to put it last."
    ]
    assert not Priority.objects.filter(slug="road-safety").exists()


def test_a_new_rows_order_box_starts_empty_with_a_hint(admin_manager_client, draft):
    response = admin_manager_client.get(f"/admin/plans/planversion/{draft.pk}/change/")
    formset = next(
        formset.formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "priorities"
    )

    new_row = formset.empty_form["order"]
    assert new_row.value() is None
    assert 'placeholder="Last"' in str(new_row)
    assert new_row.help_text.startswith("Leave empty to put it last.")
    assert formset.forms[0]["order"].value() == 10  # a stored row keeps its number


def test_every_inline_field_is_named_by_its_column_and_row(admin_manager_client, draft):
    response = admin_manager_client.get(f"/admin/plans/planversion/{draft.pk}/change/")
    formset = next(
        formset.formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "priorities"
    )

    assert 'aria-label="Title, priority 2"' in str(formset.forms[1]["title"])
    assert 'aria-label="Delete, priority 1"' in str(formset.forms[0]["DELETE"])
    assert 'aria-label="Order, new priority"' in str(formset.empty_form["order"])


def test_inlines_list_rows_in_the_plans_order_whatever_order_they_were_added_in(
    admin_manager_client, draft
):
    row = first_row(draft)
    f.OutcomeFactory(action_row=row, order=5, text="Typed in last, placed first")

    response = admin_manager_client.get(f"/admin/priorities/actionrow/{row.pk}/change/")

    formset = next(
        formset.formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.prefix == "outcomes"
    )
    assert [form.instance.order for form in formset.forms] == [5, 10, 20]


def test_a_versions_priorities_are_listed_by_version_then_in_the_plans_order(
    admin_manager_client, cast, draft
):
    f.PriorityFactory(plan_version=draft, title="Placed first", order=5)

    response = admin_manager_client.get("/admin/priorities/priority/")

    listed = [(p.plan_version_id, p.order) for p in response.context["cl"].result_list]
    by_version = [version for version, _ in listed]
    assert by_version == sorted(by_version, key=by_version.index)  # each version's together
    assert [order for version, order in listed if version == draft.pk] == [5, 10, 20]


def test_a_lists_editable_order_must_be_filled_in_and_each_box_is_named_by_its_row(draft):
    # In a list, rows of several parents sit together: there is no "last" to put one in.
    formset_class = named_list(modelformset_factory(Outcome, fields=["order", "text"]))
    outcomes = Outcome.objects.filter(action_row=first_row(draft))
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"}
    for index, outcome in enumerate(outcomes):
        data |= {f"form-{index}-id": outcome.pk, f"form-{index}-text": outcome.text}
    data["form-1-order"] = "20"

    formset = formset_class(data, queryset=outcomes)

    assert not formset.is_valid()
    assert formset.forms[0].errors["order"] == ["This field is required."]
    assert 'aria-label="Order, outcome 2"' in str(formset.forms[1]["order"])
