"""Action rows go to and from spreadsheets with their outcomes, data lines and the data lines'
indicators, keyed by what people see (the priority in the chosen plan version, the order); an
import with any bad row saves nothing and says which row, which column and what is wrong."""

import re

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from priorities.models import ActionRow, DataLine, Outcome
from priorities.resources import ActionRowResource
from tests.factories import (
    ActionRowFactory,
    DataLineFactory,
    IndicatorFactory,
    OrganisationFactory,
    OutcomeFactory,
    PriorityFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

HEADERS = ["priority", "order", "action", "outcomes", "data", "lead_organisations", "status"]


def dataset(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


@pytest.fixture
def priority():
    return PriorityFactory(title="Domestic Abuse", label="Priority 1", order=1)


def importer(priority, **kwargs) -> ActionRowResource:
    """An import into the priority's plan version, as the import page's choice gives it."""
    return ActionRowResource(plan_version=priority.plan_version, **kwargs)


@pytest.fixture
def police(priority):
    """A member agency of the priority's partnership."""
    police = OrganisationFactory(name="Staffordshire Police", short_name="SP")
    priority.plan_version.plan.partnership.organisations.add(police)
    return police


def test_export_puts_outcomes_data_lines_and_their_indicators_one_per_line(priority):
    row = ActionRowFactory(priority=priority, description="Further develop the local MARAC")
    OutcomeFactory(action_row=row, order=20, text="Second outcome")
    OutcomeFactory(action_row=row, order=10, text="First outcome")
    partnership = priority.plan_version.plan.partnership
    DataLineFactory(action_row=row, order=10, text="High risk cases").indicators.add(
        IndicatorFactory(partnership=partnership, code="DA-HIGH"),
        IndicatorFactory(partnership=partnership, code="DA-REPEAT"),
    )
    DataLineFactory(action_row=row, order=20, text="Survivor feedback")

    exported = ActionRowResource().export().dict[0]

    assert exported["action"] == "Further develop the local MARAC"
    assert exported["outcomes"] == "First outcome\nSecond outcome"
    assert exported["data"] == "High risk cases\nSurvivor feedback"
    assert exported["indicators"] == "DA-HIGH; DA-REPEAT\nnone"
    assert exported["priority"] == "Domestic Abuse"
    assert exported["plan_version"] == str(priority.plan_version)
    assert "id" not in exported


def test_import_creates_rows_with_their_outcomes_data_lines_and_leads(priority, police):
    result = importer(priority).import_data(
        dataset(
            [
                "Domestic Abuse",
                10,
                "Develop a triage process",
                "Less duplication\nMore holistic response",
                "Number of cases triaged",
                "Staffordshire Police",
                "On track",
            ],
        ),
        dry_run=False,
    )

    assert not result.has_errors()
    assert not result.has_validation_errors()
    row = ActionRow.objects.get()
    assert row.priority == priority
    assert row.description == "Develop a triage process"
    assert row.status == ActionRow.Status.ON_TRACK
    assert [o.text for o in row.outcomes.all()] == ["Less duplication", "More holistic response"]
    assert [d.text for d in row.data_lines.all()] == ["Number of cases triaged"]
    assert list(row.lead_organisations.all()) == [police]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing_and_keeps_indicator_links(
    file_format, priority, police
):
    row = ActionRowFactory(priority=priority, lead_organisations=[police])
    OutcomeFactory(action_row=row)
    line = DataLineFactory(action_row=row)
    indicator = IndicatorFactory(partnership=priority.plan_version.plan.partnership)
    line.indicators.add(indicator)
    before = ActionRowResource().export().dict

    exported = ActionRowResource().export().export(file_format)
    reimported = tablib.Dataset().load(exported, format=file_format)
    result = importer(priority).import_data(reimported, dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors(), result.invalid_rows[0].error_dict
    assert ActionRowResource().export().dict == before
    assert list(DataLine.objects.get().indicators.all()) == [indicator]
    assert ActionRow.objects.count() == 1  # the row was found by priority and order


def test_editing_the_wording_in_the_sheet_updates_lines_in_place(priority):
    row = ActionRowFactory(priority=priority)
    OutcomeFactory(action_row=row)
    line = DataLineFactory(action_row=row, order=10, text="Old data line")
    indicator = IndicatorFactory(partnership=priority.plan_version.plan.partnership)
    line.indicators.add(indicator)
    sheet = ActionRowResource().export()
    sheet_row = list(sheet[0])
    sheet_row[sheet.headers.index("data")] = "New data line\nAnother data line"
    sheet[0] = sheet_row

    result = importer(priority).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), result.invalid_rows[0].error_dict
    assert [d.text for d in row.data_lines.all()] == ["New data line", "Another data line"]
    assert list(DataLine.objects.get(pk=line.pk).indicators.all()) == [indicator]


def test_data_lines_are_linked_to_indicators_by_code_one_line_each(priority):
    partnership = priority.plan_version.plan.partnership
    knives = IndicatorFactory(partnership=partnership, code="SV-KNIVES")
    repeat = IndicatorFactory(partnership=partnership, code="DA-REPEAT")
    sheet = tablib.Dataset(
        ["Domestic Abuse", 10, "Knife bins", "Fewer knives", "Knives\nRepeats\nFeedback",
         " sv-knives ;DA-REPEAT\nNone\n"],
        headers=["priority", "order", "action", "outcomes", "data", "indicators"],
    )  # fmt: skip

    result = importer(priority).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), result.invalid_rows[0].error_dict
    lines = list(DataLine.objects.order_by("order"))
    assert [set(line.indicators.all()) for line in lines] == [{knives, repeat}, set(), set()]


def test_a_sheet_with_one_bad_row_saves_nothing_and_names_the_row_column_and_problem(
    priority, police
):
    sheet = dataset(
        ["Domestic Abuse", 10, "A good action", "An outcome", "A data line", "SP", "on_track"],
        ["Domestic Abuse", 20, "A bad action", "An outcome", "A data line",
         "Staffordshire Polce", "on_track"],
        ["Domestic Abuse", 30, "", "", "A data line", "", "nearly done"],
    )  # fmt: skip

    result = importer(priority).import_data(sheet, dry_run=False)

    assert result.has_validation_errors()
    assert ActionRow.objects.count() == Outcome.objects.count() == DataLine.objects.count() == 0
    problems = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert set(problems) == {2, 3}
    assert problems[2]["lead_organisations"] == [
        'Unknown organisation: "Staffordshire Polce". Did you mean "Staffordshire Police"? '
        "Separate names with semicolons."
    ]
    assert "This field cannot be blank." in problems[3]["action"]
    assert problems[3]["outcomes"] == ["Give at least one outcome, one per line."]
    assert problems[3]["status"][0].startswith('"nearly done" is not one of: Not started, On track')


def test_unknown_priority_and_duplicate_order_are_reported_per_row(priority):
    ActionRowFactory(priority=priority, order=10)
    sheet = dataset(
        ["Domestic Abuse (old)", 10, "Action", "Outcome", "Data", "", "on_track"],
        ["Domestic Abuse", "ten", "A non-number order", "Outcome", "Data", "", "on_track"],
    )

    result = importer(priority).import_data(sheet, dry_run=True)

    problems = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert problems[1]["priority"] == [
        'There is no priority in this plan version "Domestic Abuse (old)". '
        'Did you mean "Domestic Abuse"?'
    ]
    assert problems[2]["order"] == ['"ten" is not a whole number.']
    assert ActionRow.objects.count() == 1


def test_a_new_row_whose_order_another_row_has_is_refused(priority):
    ActionRowFactory(priority=priority, order=10)
    other = PriorityFactory(plan_version=priority.plan_version, title="Serious Violence")
    ActionRowFactory(priority=other, order=20)
    sheet = dataset(["Domestic Abuse", 20, "Clashes?", "Outcome", "Data", "", "on_track"])

    result = importer(priority).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors()  # 20 is free under Domestic Abuse
    assert ActionRow.objects.filter(priority=priority).count() == 2


def hidden_inputs(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_admin_import_asks_for_the_version_previews_then_saves_after_confirmation(client, priority):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    csv = dataset(
        ["Priority 1", 10, "Agree a single response", "Better understanding", "Complaints",
         "", "not_started"]
    ).export("csv")  # fmt: skip

    preview = client.post(
        "/admin/priorities/actionrow/import/",
        {
            "import_file": SimpleUploadedFile("rows.csv", csv.encode()),
            "format": "0",
            "plan_version": priority.plan_version.pk,
        },
    )

    page = preview.content.decode()
    assert preview.status_code == 200
    assert "Agree a single response" in page
    assert "Domestic Abuse" in page  # the priority as it will be saved
    assert "Better understanding" in page  # outcomes shown in the preview too
    assert ActionRow.objects.count() == 0
    confirm = client.post("/admin/priorities/actionrow/process_import/", hidden_inputs(page))
    assert confirm.status_code == 302
    saved = ActionRow.objects.get()
    assert (saved.description, saved.priority) == ("Agree a single response", priority)


def test_admin_import_with_a_bad_row_shows_the_error_and_offers_no_confirmation(client, priority):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    csv = dataset(
        ["Domestic Abuse", 10, "Good row", "Outcome", "Data", "", "on_track"],
        ["Domestic Abuse", 20, "Bad row", "Outcome", "Data", "Nobody Ltd", "on_track"],
    ).export("csv")

    response = client.post(
        "/admin/priorities/actionrow/import/",
        {
            "import_file": SimpleUploadedFile("rows.csv", csv.encode()),
            "format": "0",
            "plan_version": priority.plan_version.pk,
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown organisation: &quot;Nobody Ltd&quot;" in page
    assert "process_import" not in page
    assert ActionRow.objects.count() == 0
