"""The officer's entry page: drafts, submission, the rules beside each box, closed periods,
nothing saved when anything is wrong, and no lost updates."""

from decimal import Decimal

import pytest
from django.test import Client

from indicators.models import ReportingPeriod, Return
from priorities.models import ActionUpdate
from tests.entry_helpers import entry_form_data, entry_url, field
from tests.factories import IndicatorTargetFactory, ReturnFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client, cast):
    client.force_login(cast.officer)
    return client


def post_entry(client, cast, action="draft", **changes):
    page = client.get(entry_url(cast))
    data = entry_form_data(page, **{k.replace("__", "-"): v for k, v in changes.items()})
    data["action"] = action
    return client.post(entry_url(cast), data)


def test_page_shows_every_item_due_with_the_figures_beside_the_box(officer_client, cast):
    page = officer_client.get(entry_url(cast)).content.decode()
    assert "Knives surrendered" in page
    assert "Repeat incidents" in page
    assert "Install knife bins" in page
    assert "ASB cases" not in page  # owned by the council
    assert "40 (2023/24 Q1)" in page  # same quarter last year, approved


def test_a_draft_may_be_half_filled_and_keeps_other_items_not_started(officer_client, cast):
    response = post_entry(officer_client, cast, **{field(cast.knives, "value"): "12"})

    assert response.status_code == 302
    saved = Return.objects.get(reporting_period=cast.period)
    assert (saved.indicator, saved.value, saved.status) == (cast.knives, Decimal("12"), "draft")
    assert saved.entered_by == cast.officer
    assert not ActionUpdate.objects.exists()
    page = officer_client.get(entry_url(cast)).content.decode()
    assert 'value="12.00"' in page or 'value="12"' in page


def test_submit_needs_every_item_complete_and_then_sends_them_all(officer_client, cast):
    incomplete = post_entry(officer_client, cast, "submit", **{field(cast.knives, "value"): "12"})
    page = incomplete.content.decode()
    assert incomplete.status_code == 200
    assert "Enter the figure for Repeat incidents." in page
    assert "rating for" not in page  # the rating is computed: nobody is asked for one
    assert "Describe this quarter" in page
    assert not Return.objects.filter(reporting_period=cast.period).exists()

    complete = post_entry(
        officer_client,
        cast,
        "submit",
        **{
            field(cast.knives, "value"): "45",
            field(cast.repeat, "value"): "27.5",
            field(cast.action, "progress"): "Two bins installed.",
            field(cast.action, "action_status"): "on_track",
        },
    )
    assert complete.status_code == 302
    statuses = set(Return.objects.filter(reporting_period=cast.period).values_list("status"))
    assert statuses == {("submitted",)}
    update = ActionUpdate.objects.get()
    assert (update.status, update.progress, update.submitted_by) == (
        "submitted",
        "Two bins installed.",
        cast.officer,
    )


def test_a_failed_save_reshows_every_value_typed_and_saves_nothing(officer_client, cast):
    response = post_entry(
        officer_client,
        cast,
        **{
            field(cast.knives, "value"): "2.5",
            field(cast.repeat, "value"): "33.3",
            field(cast.repeat, "commentary"): "Typed with care",
            field(cast.action, "progress"): "A long progress note",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "A count is a whole number." in page
    assert 'value="2.5"' in page
    assert 'value="33.3"' in page
    assert "Typed with care" in page
    assert "A long progress note" in page
    assert not Return.objects.filter(reporting_period=cast.period).exists()
    assert not ActionUpdate.objects.exists()


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        ("count", "2.5", "A count is a whole number."),
        ("count", "-3", "The figure cannot be negative."),
        ("count", "abc", "Enter the figure as a number, like 12 or 12.5."),
        ("count", "1e400", "The figure is too large: it must be below 1,000,000,000,000."),
        ("count", "1e1000000", "The figure is too large: it must be below 1,000,000,000,000."),
        ("money", "1000000000000", "The figure is too large: it must be below 1,000,000,000,000."),
        ("count", "1e-1000000", "Give the figure to at most 2 decimal places."),
        ("count", "NaN", "Enter the figure as a number, like 12 or 12.5."),
        ("percentage", "100.5", "A percentage is between 0 and 100."),
        ("rate", "-0.1", "The figure cannot be negative."),
        ("money", "12.345", "Give money in pounds and pence, e.g. 1250.50."),
        ("rate", "1.234", "Give the figure to at most 2 decimal places."),
    ],
)
def test_the_value_must_fit_the_unit(officer_client, cast, unit, typed, message):
    cast.knives.unit = unit
    cast.knives.save()
    response = post_entry(officer_client, cast, **{field(cast.knives, "value"): typed})
    assert message in response.content.decode()
    assert not Return.objects.filter(reporting_period=cast.period).exists()


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [("1,232", Decimal("1232")), ("£75,500.50", Decimal("75500.50")), ("12%", Decimal("12"))],
)
def test_people_may_type_figures_the_way_they_write_them(officer_client, cast, typed, accepted):
    cast.knives.unit = "money"
    cast.knives.save()
    post_entry(officer_client, cast, **{field(cast.knives, "value"): typed})
    assert Return.objects.get(reporting_period=cast.period).value == accepted


@pytest.mark.parametrize(
    ("rank", "size", "message"),
    [
        ("16", "15", "The rank must be between 1 and 15."),
        ("0", "15", "Ensure this value is greater than or equal to 1."),
        ("3", "", "Give both the rank and how many it is out of, or neither."),
        ("", "15", "Give both the rank and how many it is out of, or neither."),
        ("x", "15", "Enter the rank as a whole number, like 11."),
    ],
)
def test_rank_is_between_one_and_the_group_size(officer_client, cast, rank, size, message):
    response = post_entry(
        officer_client,
        cast,
        **{
            field(cast.knives, "value"): "10",
            field(cast.knives, "comparison_rank"): rank,
            field(cast.knives, "comparison_group_size"): size,
        },
    )
    assert message in response.content.decode()
    assert not Return.objects.filter(reporting_period=cast.period).exists()


@pytest.mark.parametrize(
    ("value", "target", "override", "needs_commentary", "reason"),
    [
        ("44", "30", "", True, "it is rated red"),  # computed: 14 over a target of 30
        ("44", "", "red", True, "it is rated red"),  # the agency's own rating
        ("41", "40", "", False, ""),  # amber: within 10% of the target
        (
            "61",
            "",
            "",
            True,
            "it has moved +53% from the same quarter last year (40 in 2023/24 Q1)",
        ),
        ("19", "", "", True, "it has moved −53% from the same quarter last year"),
        ("59", "", "", False, ""),
        ("21", "", "", False, ""),
    ],
)
def test_commentary_is_required_when_red_or_an_outlier(
    officer_client, cast, value, target, override, needs_commentary, reason
):
    if target:
        IndicatorTargetFactory(indicator=cast.knives, financial_year=2024, value=Decimal(target))
    response = post_entry(
        officer_client,
        cast,
        "submit",
        **{
            field(cast.knives, "value"): value,
            field(cast.knives, "rag_override"): override,
            field(cast.knives, "rag_override_reason"): "Our own reading" if override else "",
            field(cast.repeat, "value"): "20",
            field(cast.action, "progress"): "Done",
        },
    )
    page = response.content.decode().replace("&#x27;", "'")
    if needs_commentary:
        assert f"Explain the figure for Knives surrendered: {reason}" in page
        assert not Return.objects.filter(reporting_period=cast.period).exists()
    else:
        assert response.status_code == 302
        assert Return.objects.get(indicator=cast.knives, reporting_period=cast.period).status == (
            "submitted"
        )


def test_any_rise_from_zero_last_year_needs_explaining(officer_client, cast):
    Return.objects.filter(indicator=cast.knives).update(value=0)
    response = post_entry(
        officer_client,
        cast,
        "submit",
        **{field(cast.knives, "value"): "3"},
    )
    assert "it has moved up from zero from the same quarter last year" in response.content.decode()


def test_nothing_can_be_entered_into_a_closed_period(officer_client, cast):
    page = officer_client.get(entry_url(cast))
    cast.period.is_open = False
    cast.period.save()
    data = entry_form_data(page, **{field(cast.knives, "value"): "12"})
    data["action"] = "draft"

    response = officer_client.post(entry_url(cast), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "2024/25 Q1 is closed, so nothing can be entered for it." in page
    assert "Not saved" in page  # and what was typed is shown back
    assert '<dd class="govuk-summary-list__value">12</dd>' in page
    assert not Return.objects.filter(reporting_period=cast.period).exists()


def test_items_of_another_agency_cannot_be_slipped_into_the_post(officer_client, cast):
    data = entry_form_data(officer_client.get(entry_url(cast)))
    data.update(
        {
            field(cast.council_indicator, "value"): "99",
            field(cast.council_indicator, "revision"): "0",
            "action": "draft",
        }
    )
    officer_client.post(entry_url(cast), data)
    assert not Return.objects.filter(indicator=cast.council_indicator).exists()


def test_submitted_and_approved_figures_are_locked_for_the_officer(officer_client, cast):
    ReturnFactory(indicator=cast.knives, reporting_period=cast.period, value=7, status="approved")
    page = officer_client.get(entry_url(cast))
    assert field(cast.knives, "value") not in page.content.decode()
    data = entry_form_data(page)
    data.update({field(cast.knives, "value"): "99", field(cast.knives, "revision"): "1"})
    data["action"] = "draft"
    officer_client.post(entry_url(cast), data)
    assert Return.objects.get(indicator=cast.knives, reporting_period=cast.period).value == 7


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": "submit"},
        {"returns-TOTAL_FORMS": "x", "action": "draft"},
        {"returns-TOTAL_FORMS": "1", "returns-INITIAL_FORMS": "1", "returns-1-value": "1"},
    ],
)
def test_mangled_posts_get_a_page_not_a_crash(officer_client, cast, data):
    response = officer_client.post(entry_url(cast), data)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Return.objects.filter(reporting_period=cast.period).exists()


def test_a_second_save_of_the_same_return_is_refused_showing_what_is_stored(cast):
    mine, theirs = Client(), Client()
    mine.force_login(cast.officer)
    theirs.force_login(cast.colleague)
    my_page = mine.get(entry_url(cast))
    their_page = theirs.get(entry_url(cast))

    their_data = entry_form_data(their_page, **{field(cast.knives, "value"): "10"})
    assert theirs.post(entry_url(cast), {**their_data, "action": "draft"}).status_code == 302

    my_data = entry_form_data(
        my_page, **{field(cast.knives, "value"): "20", field(cast.repeat, "value"): "5"}
    )
    refused = mine.post(entry_url(cast), {**my_data, "action": "draft"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "colleague saved this" in page
    assert "The stored entry is now: 10." in page
    assert 'value="20"' in page  # my typing is kept
    assert Return.objects.get(indicator=cast.knives, reporting_period=cast.period).value == 10
    assert not Return.objects.filter(indicator=cast.repeat, reporting_period=cast.period).exists()

    # Saving again on purpose, from the re-shown page, replaces it.
    again = entry_form_data(refused, **{field(cast.knives, "value"): "20"})
    again[field(cast.repeat, "value")] = "5"
    assert mine.post(entry_url(cast), {**again, "action": "draft"}).status_code == 302
    assert Return.objects.get(indicator=cast.knives, reporting_period=cast.period).value == 20


def test_a_figure_typed_for_an_item_submitted_meanwhile_is_shown_back(cast):
    mine, theirs = Client(), Client()
    mine.force_login(cast.officer)
    theirs.force_login(cast.colleague)
    my_page = mine.get(entry_url(cast))
    their_data = entry_form_data(
        theirs.get(entry_url(cast)),
        **{field(cast.knives, "value"): "40"},
    )
    their_data[field(cast.repeat, "value")] = "4"
    their_data[field(cast.action, "progress")] = "Bins installed"
    assert theirs.post(entry_url(cast), {**their_data, "action": "submit"}).status_code == 302

    my_data = entry_form_data(
        my_page,
        **{field(cast.knives, "value"): "20", field(cast.knives, "commentary"): "My count"},
    )
    refused = mine.post(entry_url(cast), {**my_data, "action": "draft"})

    page = refused.content.decode()
    assert refused.status_code == 200
    assert "Nothing was saved: some items changed while you were editing" in page
    assert "Not saved" in page
    assert "colleague saved this" in page
    assert "it is now submitted, so it can no longer be changed here" in page
    assert "The stored entry is: 40." in page
    assert '<dd class="govuk-summary-list__value">20</dd>' in page  # what I typed
    assert "My count" in page
    assert Return.objects.get(indicator=cast.knives, reporting_period=cast.period).value == 40


def test_a_quarter_closed_while_saving_is_refused_by_name(cast):
    from reporting.entry import PeriodClosed, save_entry

    ReportingPeriod.objects.filter(pk=cast.period.pk).update(is_open=False)
    assert cast.period.is_open  # the copy read before it was closed

    with pytest.raises(PeriodClosed) as refused:
        save_entry(
            user=cast.officer, period=cast.period, return_forms=[], update_forms=[], submitting=True
        )

    assert str(refused.value) == "2024/25 Q1 is closed: returns can no longer be entered."


def test_a_conflict_on_a_return_stored_without_a_figure_is_explained(cast):
    mine, theirs = Client(), Client()
    mine.force_login(cast.officer)
    theirs.force_login(cast.colleague)
    my_page = mine.get(entry_url(cast))
    their_data = entry_form_data(
        theirs.get(entry_url(cast)), **{field(cast.knives, "commentary"): "Still counting"}
    )
    assert theirs.post(entry_url(cast), {**their_data, "action": "draft"}).status_code == 302

    my_data = entry_form_data(my_page, **{field(cast.knives, "value"): "20"})
    refused = mine.post(entry_url(cast), {**my_data, "action": "draft"})

    assert refused.status_code == 200
    assert "The stored entry is now: no figure." in refused.content.decode()


def test_a_closed_period_is_read_only(officer_client, cast):
    ReturnFactory(indicator=cast.knives, reporting_period=cast.period, value=8, status="draft")
    cast.period.is_open = False
    cast.period.save()

    page = officer_client.get(entry_url(cast)).content.decode()

    assert "2024/25 Q1 is closed" in page
    assert 'name="returns-' not in page
    assert "Submit to the partnership manager" not in page
    assert "Knives surrendered" in page
    assert ">8<" in page
