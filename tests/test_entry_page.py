"""The officer's entry page: items grouped by priority with a contents list and a progress line;
Enter saves a draft; a draft saves every valid item and keeps every invalid one typed beside
its error; Submit sends the complete items and lists what stays and why; every message names
its item; the last four quarters and the target beside each box; closed quarters; and no lost
updates: an item changed meanwhile keeps the typed value on screen with the explanation."""

from datetime import date
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.test import Client

from indicators.models import ReportingPeriod, Return
from priorities.models import ActionUpdate
from reporting import entry_page, notifications
from reporting.entry import PeriodClosed, save_entry
from reporting.history import change_log
from tests.entry_helpers import entry_form_data, entry_url, field
from tests.factories import (
    ActionRowFactory,
    ActionUpdateFactory,
    DataLineFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    PlanVersionFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    ReturnFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def post_entry(client, cast, action="draft", **changes):
    page = client.get(entry_url(cast))
    data = entry_form_data(page, **{k.replace("__", "-"): v for k, v in changes.items()})
    data["action"] = action
    return client.post(entry_url(cast), data)


def stored(cast, indicator):
    return Return.objects.filter(indicator=indicator, reporting_period=cast.period).first()


def text_of(response) -> str:
    return response.content.decode().replace("&#x27;", "'").replace("&quot;", '"')


# ---- what the page shows ---------------------------------------------------------------------


def test_page_shows_every_item_due_with_the_last_four_quarters_and_the_target(officer_client, cast):
    for quarter, value in ((2, "38"), (4, "41")):
        ReturnFactory(
            indicator=cast.knives,
            reporting_period=ReportingPeriodFactory(
                partnership=cast.partnership, financial_year=2023, quarter=quarter
            ),
            value=Decimal(value),
            status="approved",
        )
    ReturnFactory(  # a figure not yet approved is not shown as one
        indicator=cast.knives,
        reporting_period=ReportingPeriodFactory(
            partnership=cast.partnership, financial_year=2023, quarter=3
        ),
        value=Decimal("99"),
        status="submitted",
    )
    IndicatorTargetFactory(indicator=cast.knives, financial_year=2024, value=Decimal("150"))

    page = officer_client.get(entry_url(cast)).content.decode()

    assert "Knives surrendered" in page
    assert "Repeat incidents" in page
    assert "Install knife bins" in page
    assert "ASB cases" not in page  # owned by the council
    table = page.split("Approved figures and target for Knives surrendered")[1].split("</table>")[0]
    headers = ["2023/24 Q1", "2023/24 Q2", "2023/24 Q3", "2023/24 Q4", "Target 2024/25"]
    assert [table.index(header) for header in headers] == sorted(
        table.index(header) for header in headers
    )
    cells = [cell.split("</td>")[0] for cell in table.split('numeric">')[6:]]
    assert cells == ["40", "38", '<span class="app-meta">none</span>', "41", "150"]


def test_the_page_is_grouped_by_priority_with_contents_and_counts(officer_client, cast):
    later = PriorityFactory(
        plan_version=cast.version, title="Domestic Abuse", order=cast.priority.order + 1
    )
    row = ActionRowFactory(priority=later, description="Train staff", lead_organisations=[])
    DataLineFactory(action_row=row).indicators.add(cast.repeat)
    unlinked = IndicatorFactory(
        partnership=cast.partnership, owner=cast.police, code="ZZ-1", name="Calls answered"
    )

    page = officer_client.get(entry_url(cast)).content.decode()

    violence, abuse = f"group-{cast.priority.pk}", f"group-{later.pk}"
    contents = page.split('id="entry-contents"')[1].split("</nav>")[0]
    assert f'href="#{violence}">Serious Violence</a> <span class="app-meta">(2 items)' in contents
    assert f'href="#{abuse}">Domestic Abuse</a> <span class="app-meta">(1 item)' in contents
    assert 'href="#group-other">Other figures</a>' in contents
    # Each group holds its items: the figure evidencing it, then the actions under it.
    order = [
        f'id="{violence}"',
        f'id="item-returns-{cast.knives.pk}"',
        f'id="item-updates-{cast.action.pk}"',
        f'id="{abuse}"',
        f'id="item-returns-{cast.repeat.pk}"',
        'id="group-other"',
        f'id="item-returns-{unlinked.pk}"',
    ]
    assert [page.index(mark) for mark in order] == sorted(page.index(mark) for mark in order)


def test_the_progress_line_counts_what_is_ready_and_what_is_sent_in(officer_client, cast):
    def progress():
        page = officer_client.get(entry_url(cast)).content.decode()
        return page.split('id="entry-progress">')[1].split("<")[0]

    assert progress() == "0 of 3 ready to submit."
    # A complete draft is ready; an incomplete one (no figure) is not.
    ReturnFactory(indicator=cast.knives, reporting_period=cast.period, value=41, status="draft")
    ReturnFactory(indicator=cast.repeat, reporting_period=cast.period, value=None, status="draft")
    assert progress() == "1 of 3 ready to submit."
    ActionUpdateFactory(action_row=cast.action, reporting_period=cast.period, status="submitted")
    assert progress() == "1 of 2 ready to submit, 1 already sent in."


def test_a_draft_that_needs_commentary_is_not_ready(officer_client, cast):
    ReturnFactory(indicator=cast.knives, reporting_period=cast.period, value=90, status="draft")

    page = officer_client.get(entry_url(cast)).content.decode()

    assert "0 of 3 ready to submit." in page  # 90 is more than 50% above last year's 40


def test_save_draft_is_the_first_submit_button_so_enter_saves_a_draft(officer_client, cast):
    """HTML's implicit submission: Enter in a text box runs the form's first submit button."""

    class Buttons(HTMLParser):
        def __init__(self):
            super().__init__()
            self.in_form, self.found = False, []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "form" and attrs.get("id") == "entry-form":
                self.in_form = True
            elif self.in_form and tag in ("button", "input") and attrs.get("type") == "submit":
                self.found.append((attrs.get("name"), attrs.get("value"), attrs.get("id")))

        def handle_endtag(self, tag):
            if tag == "form":
                self.in_form = False

    parser = Buttons()
    page = officer_client.get(entry_url(cast)).content.decode()
    parser.feed(page)

    assert parser.found[0] == ("action", "draft", "save-draft-top")
    assert parser.found == [
        ("action", "draft", "save-draft-top"),
        ("action", "submit", "submit-top"),
        ("action", "draft", "save-draft-bottom"),
        ("action", "submit", "submit-bottom"),
    ]
    # The first buttons come before the first item: reachable without tabbing through it all.
    assert page.index('id="save-draft-top"') < page.index(f"item-returns-{cast.knives.pk}")
    assert page.index('id="entry-progress"') < page.index('id="save-draft-top"')
    assert '<script type="module" src="/static/js/entry.js"></script>' in page


def test_boxes_are_described_by_their_hint_and_error(officer_client, cast):
    response = post_entry(officer_client, cast, **{field(cast.knives, "commentary"): "x" * 5001})
    page = response.content.decode()
    box = f"id_returns-{cast.knives.pk}-commentary"

    assert f'aria-describedby="{box}-hint {box}-error"' in page
    assert f'<p class="govuk-error-message" id="{box}-error">' in page
    assert "govuk-textarea govuk-textarea--error" in page
    assert '<details class="govuk-details govuk-!-margin-bottom-0" open>' in page


# ---- drafts ------------------------------------------------------------------------------------


def test_a_draft_may_be_half_filled_and_keeps_other_items_not_started(officer_client, cast):
    response = post_entry(officer_client, cast, **{field(cast.knives, "value"): "12"})

    assert response.status_code == 302
    saved = Return.objects.get(reporting_period=cast.period)
    assert (saved.indicator, saved.value, saved.status) == (cast.knives, Decimal("12"), "draft")
    assert saved.entered_by == cast.officer
    assert not ActionUpdate.objects.exists()
    page = officer_client.get(entry_url(cast)).content.decode()
    assert 'value="12.00"' in page or 'value="12"' in page


def test_a_draft_saves_every_valid_item_and_keeps_the_invalid_one_typed(officer_client, cast):
    response = post_entry(
        officer_client,
        cast,
        **{
            field(cast.knives, "value"): "2.5",
            field(cast.knives, "commentary"): "Counted twice",
            field(cast.repeat, "value"): "33.3",
            field(cast.repeat, "commentary"): "Typed with care",
            field(cast.action, "progress"): "A long progress note",
        },
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "1 item was saved as a draft." not in page  # two were: the figure and the action
    assert "2 items were saved as a draft." in page
    message = "Enter the figure for Knives surrendered as a whole number: it is a count."
    assert f'<a href="#id_returns-{cast.knives.pk}-value">{message}</a>' in page
    assert 'value="2.5"' in page  # kept as typed, with its commentary
    assert "Counted twice" in page
    assert stored(cast, cast.knives) is None
    repeat = stored(cast, cast.repeat)
    assert (repeat.value, repeat.commentary, repeat.status) == (
        Decimal("33.3"),
        "Typed with care",
        "draft",
    )
    assert ActionUpdate.objects.get().progress == "A long progress note"


def test_the_page_shown_again_saves_over_what_it_saved(officer_client, cast):
    """After a partial save, the items saved carry their new revision: saving again from the
    page shown is not refused as someone else's change."""
    first = post_entry(
        officer_client,
        cast,
        **{field(cast.knives, "value"): "2.5", field(cast.repeat, "value"): "33"},
    )
    again = entry_form_data(
        first, **{field(cast.knives, "value"): "3", field(cast.repeat, "value"): "34"}
    )

    response = officer_client.post(entry_url(cast), {**again, "action": "draft"})

    assert response.status_code == 302
    assert stored(cast, cast.knives).value == 3
    assert stored(cast, cast.repeat).value == 34
    assert stored(cast, cast.repeat).revision == 2


@pytest.mark.parametrize(
    ("unit", "typed", "message"),
    [
        (
            "count",
            "2.5",
            "Enter the figure for Knives surrendered as a whole number: it is a count.",
        ),
        ("count", "-3", "The figure for Knives surrendered cannot be negative."),
        ("count", "abc", "Enter the figure for Knives surrendered as a number, like 12 or 12.5."),
        (
            "count",
            "1e400",
            "The figure for Knives surrendered is too large: it must be below 1,000,000,000,000.",
        ),
        (
            "money",
            "1000000000000",
            "The figure for Knives surrendered is too large: it must be below 1,000,000,000,000.",
        ),
        (
            "count",
            "1e-1000000",
            "Give the figure for Knives surrendered to at most 2 decimal places.",
        ),
        ("count", "NaN", "Enter the figure for Knives surrendered as a number, like 12 or 12.5."),
        (
            "percentage",
            "100.5",
            "The figure for Knives surrendered is a percentage: enter a number from 0 to 100.",
        ),
        ("rate", "-0.1", "The figure for Knives surrendered cannot be negative."),
        (
            "money",
            "12.345",
            "Give the figure for Knives surrendered in pounds and pence, like 1250.50.",
        ),
        ("rate", "1.234", "Give the figure for Knives surrendered to at most 2 decimal places."),
        ("count", "1" * 31, "Enter the figure for Knives surrendered in 30 characters or fewer."),
    ],
)
def test_the_value_must_fit_the_unit_and_the_message_names_the_indicator(
    officer_client, cast, unit, typed, message
):
    cast.knives.unit = unit
    cast.knives.save()
    response = post_entry(officer_client, cast, **{field(cast.knives, "value"): typed})
    assert message in response.content.decode()
    assert stored(cast, cast.knives) is None


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
        ("16", "15", "The rank of Knives surrendered must be between 1 and 15."),
        ("0", "15", "The rank of Knives surrendered must be 1 or more."),
        ("3", "0", "The number Knives surrendered is ranked among must be 1 or more."),
        (
            "3",
            "",
            "Give both the rank of Knives surrendered and how many it is out of, or neither.",
        ),
        (
            "",
            "15",
            "Give both the rank of Knives surrendered and how many it is out of, or neither.",
        ),
        ("x", "15", "Enter the rank of Knives surrendered as a whole number, like 11."),
        ("3", "y", "Enter how many Knives surrendered is ranked among as a whole number, like 15."),
        (
            "40000",
            "40000",
            "Comparison groups are at most 32,767 partnerships: check the number for Knives "
            "surrendered.",
        ),
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
    assert stored(cast, cast.knives) is None


def test_every_message_names_its_item(officer_client, cast):
    response = post_entry(
        officer_client,
        cast,
        **{
            field(cast.knives, "value"): "10",
            field(cast.knives, "rag_override"): "purple",
            field(cast.knives, "commentary"): "x" * 5001,
            field(cast.action, "action_status"): "done",
            field(cast.action, "progress"): "y" * 5001,
        },
    )

    page = text_of(response)
    summary = page.split('class="govuk-list govuk-error-summary__list">')[1].split("</ul>")[0]
    messages = [line.split('">', 1)[1] for line in summary.split("</a></li>")[:-1]]
    assert len(messages) == 4
    assert "Choose a rating for Knives surrendered from the list." in messages
    assert "Knives surrendered: Shorten this to 5000 characters or fewer (it has 5001)." in messages
    action = "“Install knife bins”"
    assert all("Knives surrendered" in m or action in m for m in messages)
    assert sum(action in m for m in messages) == 2


def test_a_name_with_a_percent_sign_is_safe_in_messages(officer_client, cast):
    cast.knives.name = "% of knives surrendered"
    cast.knives.save()

    response = post_entry(
        officer_client,
        cast,
        **{
            field(cast.knives, "value"): "10",
            field(cast.knives, "comparison_rank"): "0",
            field(cast.knives, "comparison_group_size"): "15",
        },
    )

    assert response.status_code == 200
    assert "The rank of % of knives surrendered must be 1 or more." in text_of(response)


def test_a_mangled_revision_is_said_in_words_against_the_item(officer_client, cast):
    response = post_entry(
        officer_client,
        cast,
        **{field(cast.knives, "value"): "10", field(cast.knives, "revision"): "x"},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "Knives surrendered was not saved: the page sent was incomplete." in page
    assert f'href="#item-returns-{cast.knives.pk}"' in page
    assert stored(cast, cast.knives) is None


# ---- submitting --------------------------------------------------------------------------------


def test_submit_sends_the_complete_items_and_lists_what_stays_and_why(
    officer_client, cast, monkeypatch
):
    told = []
    monkeypatch.setattr(notifications, "agency_submitted", lambda *args: told.append(args))

    response = post_entry(
        officer_client,
        cast,
        "submit",
        **{
            field(cast.knives, "value"): "41",
            field(cast.repeat, "commentary"): "Figure to follow",
        },
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "1 item was submitted to the partnership manager. 1 item was saved as a draft." in page
    assert "2 items were not submitted: they stay as they are until they are complete." in page
    summary = page.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert f'href="#id_returns-{cast.repeat.pk}-value">Enter the figure for Repeat incidents.' in (
        summary
    )
    assert (
        f'href="#id_updates-{cast.action.pk}-progress">Describe this quarter\'s progress on '
        "“Install knife bins”." in summary
    )
    knives = stored(cast, cast.knives)
    assert (knives.status, knives.submitted_by) == ("submitted", cast.officer)
    repeat = stored(cast, cast.repeat)  # incomplete, kept as a draft with what was typed
    assert (repeat.status, repeat.commentary) == ("draft", "Figure to follow")
    assert not ActionUpdate.objects.exists()  # untouched: stays not started
    assert told == [(cast.period, cast.police)]
    # The submitted figure is locked now; the others can still be entered.
    assert f'name="returns-{cast.knives.pk}-value"' not in page
    assert f'name="returns-{cast.repeat.pk}-value"' in page
    assert "1 of 2 ready to submit, 1 already sent in." not in page  # repeat is not ready
    assert "0 of 2 ready to submit, 1 already sent in." in page


def test_submitting_everything_complete_goes_back_to_the_page(officer_client, cast, monkeypatch):
    told = []
    monkeypatch.setattr(notifications, "agency_submitted", lambda *args: told.append(args))

    response = post_entry(
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

    assert response.status_code == 302
    statuses = set(Return.objects.filter(reporting_period=cast.period).values_list("status"))
    assert statuses == {("submitted",)}
    update = ActionUpdate.objects.get()
    assert (update.status, update.progress, update.submitted_by) == (
        "submitted",
        "Two bins installed.",
        cast.officer,
    )
    assert told == [(cast.period, cast.police)]
    page = officer_client.get(response.url).content.decode()
    assert "Your returns for 2024/25 Q1 were submitted to the partnership manager." in page
    assert "All 3 items are sent in." in page
    assert 'id="entry-form"' not in page


def test_a_draft_does_not_tell_the_manager(officer_client, cast, monkeypatch):
    told = []
    monkeypatch.setattr(notifications, "agency_submitted", lambda *args: told.append(args))

    post_entry(officer_client, cast, **{field(cast.knives, "value"): "41"})

    assert told == []


def test_an_invalid_figure_is_neither_submitted_nor_saved(officer_client, cast):
    response = post_entry(
        officer_client,
        cast,
        "submit",
        **{field(cast.knives, "value"): "abc", field(cast.repeat, "value"): "20"},
    )

    page = text_of(response)
    assert "Enter the figure for Knives surrendered as a number, like 12 or 12.5." in page
    assert 'value="abc"' in page
    assert stored(cast, cast.knives) is None
    assert stored(cast, cast.repeat).status == "submitted"


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
    page = text_of(response)
    assert stored(cast, cast.repeat).status == "submitted"
    if needs_commentary:
        assert f"Explain the figure for Knives surrendered: {reason}" in page
        assert stored(cast, cast.knives).status == "draft"  # kept, as a draft
    else:
        assert response.status_code == 302
        assert stored(cast, cast.knives).status == "submitted"


def test_any_rise_from_zero_last_year_needs_explaining(officer_client, cast):
    Return.objects.filter(indicator=cast.knives).update(value=0)
    response = post_entry(
        officer_client,
        cast,
        "submit",
        **{field(cast.knives, "value"): "3"},
    )
    assert "it has moved up from zero from the same quarter last year" in text_of(response)


# ---- keeping the officer where they were ----------------------------------------------------


@pytest.mark.parametrize(
    ("focus", "address"),
    [
        ("id_returns-{knives}-value", "?focus=id_returns-{knives}-value#item-returns-{knives}"),
        (
            "id_updates-{action}-progress",
            "?focus=id_updates-{action}-progress#item-updates-{action}",
        ),
        ("save-draft-bottom", "?focus=save-draft-bottom#save-draft-bottom"),
        ("", ""),
        ('"><script>alert(1)</script>', ""),
        ("x" * 200, ""),
    ],
)
def test_a_save_comes_back_to_the_box_that_had_focus(officer_client, cast, focus, address):
    names = {"knives": cast.knives.pk, "action": cast.action.pk}
    data = entry_form_data(
        officer_client.get(entry_url(cast)), **{field(cast.knives, "value"): "7"}
    )

    response = officer_client.post(
        entry_url(cast), {**data, "action": "draft", "focus": focus.format(**names)}
    )

    assert response.status_code == 302
    assert response.url == entry_url(cast) + address.format(**names)
    assert officer_client.get(response.url).status_code == 200  # the page ignores it


# ---- closed quarters and items changed meanwhile --------------------------------------------


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


def test_a_quarter_closed_during_the_save_saves_nothing_and_shows_the_typing_back(
    officer_client, cast, monkeypatch
):
    def closed_meanwhile(**kwargs):
        ReportingPeriod.objects.filter(pk=cast.period.pk).update(is_open=False)
        return save_entry(**kwargs)

    monkeypatch.setattr(entry_page, "save_entry", closed_meanwhile)

    response = post_entry(
        officer_client,
        cast,
        **{field(cast.knives, "value"): "12", field(cast.repeat, "value"): "2.5"},
    )

    page = text_of(response)
    assert response.status_code == 200
    assert "Nothing was saved: 2024/25 Q1 was closed while you were editing." in page
    assert '<dd class="govuk-summary-list__value">12</dd>' in page
    assert '<dd class="govuk-summary-list__value">2.5</dd>' in page
    assert 'name="returns-' not in page
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
    assert stored(cast, cast.knives).value == 7


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


def two_officers(cast):
    mine, theirs = Client(), Client()
    mine.force_login(cast.officer)
    theirs.force_login(cast.colleague)
    return mine, theirs


def test_an_item_saved_by_a_colleague_meanwhile_is_refused_and_the_rest_saved(cast):
    mine, theirs = two_officers(cast)
    my_page = mine.get(entry_url(cast))
    their_page = theirs.get(entry_url(cast))

    their_data = entry_form_data(their_page, **{field(cast.knives, "value"): "10"})
    assert theirs.post(entry_url(cast), {**their_data, "action": "draft"}).status_code == 302

    my_data = entry_form_data(
        my_page, **{field(cast.knives, "value"): "20", field(cast.repeat, "value"): "5"}
    )
    refused = mine.post(entry_url(cast), {**my_data, "action": "draft"})

    page = text_of(refused)
    assert refused.status_code == 200
    assert "Knives surrendered was not saved: colleague saved this on" in page
    assert "The stored entry is now: 10." in page
    assert 'value="20"' in page  # my typing is kept
    assert stored(cast, cast.knives).value == 10
    assert stored(cast, cast.repeat).value == 5  # the rest is saved

    # Saving again on purpose, from the re-shown page, replaces it.
    again = entry_form_data(refused, **{field(cast.knives, "value"): "20"})
    assert mine.post(entry_url(cast), {**again, "action": "draft"}).status_code == 302
    assert stored(cast, cast.knives).value == 20
    assert stored(cast, cast.repeat).value == 5


def test_a_figure_typed_for_an_item_submitted_by_a_colleague_meanwhile_is_shown_back(cast):
    mine, theirs = two_officers(cast)
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

    page = text_of(refused)
    assert refused.status_code == 200
    assert "There is a problem" in page
    assert "Not saved" in page
    assert "Knives surrendered was not saved: colleague saved this on" in page
    assert "it is now submitted, so it can no longer be changed here" in page
    assert "The stored entry is: 40." in page
    assert '<dd class="govuk-summary-list__value">20</dd>' in page  # what I typed
    assert "My count" in page
    assert f'href="#item-returns-{cast.knives.pk}"' in page
    assert stored(cast, cast.knives).value == 40


def test_a_figure_approved_meanwhile_keeps_the_typed_value_with_who_and_what(cast):
    mine, _ = two_officers(cast)
    my_page = mine.get(entry_url(cast))
    figure = ReturnFactory(
        indicator=cast.knives,
        reporting_period=cast.period,
        value=33,
        status="submitted",
        entered_by=cast.colleague,
    )
    figure.approve(cast.manager)

    my_data = entry_form_data(
        my_page, **{field(cast.knives, "value"): "21", field(cast.repeat, "value"): "6"}
    )
    refused = mine.post(entry_url(cast), {**my_data, "action": "draft"})

    page = text_of(refused)
    assert "it is now approved, so it can no longer be changed here" in page
    assert "The stored entry is: 33." in page
    assert '<dd class="govuk-summary-list__value">21</dd>' in page
    assert stored(cast, cast.knives).value == 33
    assert stored(cast, cast.repeat).value == 6  # the rest is saved


def test_the_same_item_submitted_by_both_officers_is_refused_for_the_second(cast):
    mine, theirs = two_officers(cast)
    my_page = mine.get(entry_url(cast))
    their_data = entry_form_data(theirs.get(entry_url(cast)), **{field(cast.knives, "value"): "41"})
    theirs.post(entry_url(cast), {**their_data, "action": "submit"})

    my_data = entry_form_data(my_page, **{field(cast.knives, "value"): "39"})
    refused = mine.post(entry_url(cast), {**my_data, "action": "submit"})

    page = text_of(refused)
    assert "it is now submitted, so it can no longer be changed here" in page
    assert '<dd class="govuk-summary-list__value">39</dd>' in page
    assert stored(cast, cast.knives).value == 41


def test_a_quarter_closed_while_saving_is_refused_by_name(cast):
    ReportingPeriod.objects.filter(pk=cast.period.pk).update(is_open=False)
    assert cast.period.is_open  # the copy read before it was closed

    with pytest.raises(PeriodClosed) as refused:
        save_entry(user=cast.officer, period=cast.period, return_forms=[], update_forms=[])

    assert str(refused.value) == "2024/25 Q1 is closed: returns can no longer be entered."


def test_a_conflict_on_a_return_stored_without_a_figure_is_explained(cast):
    mine, theirs = two_officers(cast)
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


# ---- who may use the page ---------------------------------------------------------------------


def refused_people(cast):
    elsewhere = MembershipFactory(organisation=cast.police, partnership=PartnershipFactory()).user
    return {
        "officer of another agency": cast.other_officer,
        "officer of the same agency in another partnership": elsewhere,
        "reviewer": cast.reviewer,
        "manager": cast.manager,
        "outsider": UserFactory(),
    }


@pytest.mark.parametrize("method", ["get", "post"])
def test_visitors_are_sent_to_sign_in(client, cast, method):
    response = getattr(client, method)(entry_url(cast))
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


@pytest.mark.parametrize(
    "who",
    [
        "officer of another agency",
        "officer of the same agency in another partnership",
        "reviewer",
        "manager",
        "outsider",
    ],
)
def test_only_the_agencys_officers_may_see_or_save_the_page(client, cast, who):
    client.force_login(refused_people(cast)[who])
    data = {
        field(cast.knives, "value"): "12",
        field(cast.knives, "revision"): "0",
        "action": "submit",
    }

    assert client.get(entry_url(cast)).status_code == 403
    assert client.post(entry_url(cast), data).status_code == 403
    assert stored(cast, cast.knives) is None


# ---- a fixed number of queries ----------------------------------------------------------------


def agency_page(count: int):
    """An open quarter in which an agency owes `count` figures (each with the last four
    quarters approved and a target, evidencing a priority) and `count` action updates."""
    police = OrganisationFactory(name="Police")
    partnership = PartnershipFactory(organisations=[police])
    officer = UserFactory(username="officer")
    MembershipFactory(user=officer, partnership=partnership, organisation=police)
    version = PlanVersionFactory(plan__partnership=partnership, published=True)
    earlier = [
        ReportingPeriodFactory(partnership=partnership, financial_year=fy, quarter=q)
        for fy, q in ((2023, 1), (2023, 2), (2023, 3), (2023, 4))
    ]
    period = ReportingPeriodFactory(
        partnership=partnership, financial_year=2024, quarter=1, due_date=date(2099, 7, 26),
        is_open=True,
    )  # fmt: skip
    for _ in range(count):
        row = ActionRowFactory(priority=PriorityFactory(plan_version=version),
                               lead_organisations=[police])  # fmt: skip
        indicator = IndicatorFactory(partnership=partnership, owner=police)
        DataLineFactory(action_row=row).indicators.add(indicator)
        IndicatorTargetFactory(indicator=indicator, financial_year=2024)
        for quarter in earlier:
            ReturnFactory(indicator=indicator, reporting_period=quarter, status="approved")
        ActionUpdateFactory(action_row=row, reporting_period=earlier[-1], status="approved")
    return officer, f"/returns/{period.pk}/{police.pk}/"


@pytest.mark.parametrize("count", [1, 3])
def test_a_page_shown_again_with_errors_costs_the_same_for_one_or_three_items(
    client, django_assert_num_queries, count
):
    officer, url = agency_page(count)
    client.force_login(officer)
    page = client.get(url)
    data = entry_form_data(page, action="draft")
    for form in page.context["returns"].forms:
        data[form.add_prefix("value")] = "2.5"  # not a whole number: nothing saved
    for form in page.context["updates"].forms:
        data[form.add_prefix("progress")] = "Going well"

    with django_assert_num_queries(21):
        response = client.post(url, data)
    assert response.status_code == 200
    assert len(response.context["page"].errors) == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_page_costs_the_same_for_one_or_three_items(client, django_assert_num_queries, count):
    officer, url = agency_page(count)
    client.force_login(officer)

    with django_assert_num_queries(15):
        page = client.get(url)
    assert len(page.context["returns"].forms) == count
    assert len(page.context["page"].groups) == count  # each figure under its own priority
    assert page.content.decode().count(">12</td>") == 4 * count  # four earlier quarters each


@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("action", ["draft", "submit"])
def test_saving_costs_the_same_for_one_or_three_items(
    client, django_assert_num_queries, count, action
):
    officer, url = agency_page(count)
    client.force_login(officer)
    page = client.get(url)
    data = entry_form_data(page, action=action)
    for form in page.context["returns"].forms:
        data[form.add_prefix("value")] = "12"  # as last year: no commentary needed
    for form in page.context["updates"].forms:
        data[form.add_prefix("progress")] = "Going well"

    # A draft reads no earlier figures: only submitting checks a figure against them.
    with django_assert_num_queries(22 if action == "submit" else 19):
        assert client.post(url, data).status_code == 302
    status = "submitted" if action == "submit" else "draft"
    assert Return.objects.filter(status=status).count() == count
    assert ActionUpdate.objects.filter(status=status).count() == count
    assert Return.history.filter(status=status).count() == count


@pytest.mark.parametrize("count", [1, 3])
def test_saving_over_stored_entries_costs_the_same_for_one_or_three_items(
    client, django_assert_num_queries, count
):
    officer, url = agency_page(count)
    client.force_login(officer)
    first = entry_form_data(client.get(url), action="draft")
    for name in first:
        if name.endswith("-value"):
            first[name] = "12"
        elif name.endswith("-progress"):
            first[name] = "Going well"
    assert client.post(url, first).status_code == 302
    again = entry_form_data(client.get(url), action="draft")
    for name in again:
        if name.endswith("-value"):
            again[name] = "13"
        elif name.endswith("-progress"):
            again[name] = "Going better"

    # One UPDATE and one history INSERT for each kind, whatever the number of items.
    with django_assert_num_queries(19):
        assert client.post(url, again).status_code == 302
    assert (
        list(Return.objects.filter(status="draft").values_list("value", flat=True)) == [13] * count
    )
    assert ActionUpdate.objects.filter(progress="Going better", revision=2).count() == count
    assert Return.history.filter(value=13, history_type="~").count() == count


def test_a_saved_change_is_in_the_history_with_who_and_when(officer_client, cast):
    stored = ReturnFactory(
        indicator=cast.knives, reporting_period=cast.period, value=41, status="draft", revision=1
    )
    post_entry(officer_client, cast, **{field(cast.knives, "value"): "44"})

    stored.refresh_from_db()
    latest = stored.history.order_by("-history_id").first()
    assert (latest.history_type, latest.history_user, latest.value, latest.revision) == (
        "~",
        cast.officer,
        Decimal("44"),
        2,
    )
    assert latest.history_date == stored.updated_at
    change = change_log(stored)[-1]
    assert (change.who, change.kind) == (cast.officer.username, "Changed")
    assert ("Value", "41.00", "44.00") in change.details
