"""Action rows go to and from spreadsheets with their outcomes and data lines; an import
with any bad row saves nothing and says which row and what is wrong."""

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

HEADERS = ["priority_id", "order", "action", "outcomes", "data", "lead_organisations", "status"]


def dataset(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=HEADERS)


@pytest.fixture
def priority():
    return PriorityFactory()


@pytest.fixture
def police(priority):
    """A member agency of the priority's partnership."""
    police = OrganisationFactory(name="Staffordshire Police")
    priority.plan_version.plan.partnership.organisations.add(police)
    return police


def test_export_puts_outcomes_and_data_lines_one_per_line():
    row = ActionRowFactory(description="Further develop the local MARAC")
    OutcomeFactory(action_row=row, order=20, text="Second outcome")
    OutcomeFactory(action_row=row, order=10, text="First outcome")
    DataLineFactory(action_row=row, text="Number of high risk cases")

    exported = ActionRowResource().export()

    assert exported.dict[0]["action"] == "Further develop the local MARAC"
    assert exported.dict[0]["outcomes"] == "First outcome\nSecond outcome"
    assert exported.dict[0]["data"] == "Number of high risk cases"
    assert exported.dict[0]["priority"] == row.priority.title


def test_import_creates_rows_with_their_outcomes_data_lines_and_leads(priority, police):
    result = ActionRowResource().import_data(
        dataset(
            [
                priority.pk,
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
    assert row.description == "Develop a triage process"
    assert row.status == ActionRow.Status.ON_TRACK
    assert [o.text for o in row.outcomes.all()] == ["Less duplication", "More holistic response"]
    assert [d.text for d in row.data_lines.all()] == ["Number of cases triaged"]
    assert list(row.lead_organisations.all()) == [police]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_then_import_changes_nothing_and_keeps_indicator_links(file_format, police):
    row = ActionRowFactory(lead_organisations=[police])
    OutcomeFactory(action_row=row)
    line = DataLineFactory(action_row=row)
    indicator = IndicatorFactory(partnership=row.priority.plan_version.plan.partnership)
    line.indicators.add(indicator)
    before = ActionRowResource().export().dict

    exported = ActionRowResource().export().export(file_format)
    reimported = tablib.Dataset().load(exported, format=file_format)
    result = ActionRowResource().import_data(reimported, dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    assert ActionRowResource().export().dict == before
    assert list(DataLine.objects.get().indicators.all()) == [indicator]


def test_editing_the_wording_in_the_sheet_updates_lines_in_place():
    row = ActionRowFactory()
    OutcomeFactory(action_row=row)
    line = DataLineFactory(action_row=row, order=10, text="Old data line")
    indicator = IndicatorFactory(partnership=row.priority.plan_version.plan.partnership)
    line.indicators.add(indicator)
    sheet = ActionRowResource().export()
    sheet_row = list(sheet[0])
    sheet_row[sheet.headers.index("data")] = "New data line\nAnother data line"
    sheet[0] = sheet_row

    ActionRowResource().import_data(sheet, dry_run=False)

    assert [d.text for d in row.data_lines.all()] == ["New data line", "Another data line"]
    assert list(DataLine.objects.get(pk=line.pk).indicators.all()) == [indicator]


def test_a_sheet_with_one_bad_row_saves_nothing_and_names_the_row_and_problem(priority, police):
    sheet = dataset(
        [
            priority.pk,
            10,
            "A good action",
            "An outcome",
            "A data line",
            "Staffordshire Police",
            "on_track",
        ],
        [
            priority.pk,
            20,
            "A bad action",
            "An outcome",
            "A data line",
            "Staffordshire Polce",
            "on_track",
        ],
        [priority.pk, 30, "", "", "A data line", "", "nearly done"],
    )

    result = ActionRowResource().import_data(sheet, dry_run=False, use_transactions=True)

    assert result.has_validation_errors()
    assert ActionRow.objects.count() == Outcome.objects.count() == DataLine.objects.count() == 0
    problems = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert set(problems) == {2, 3}
    assert problems[2]["lead_organisations"] == [
        'Unknown organisation: "Staffordshire Polce". Separate names with semicolons.'
    ]
    assert "This field cannot be blank." in problems[3]["description"]
    assert problems[3]["outcomes"] == ["Give at least one outcome, one per line."]
    assert problems[3]["status"][0].startswith('"nearly done" is not one of: Not started, On track')


def test_unknown_priority_and_duplicate_order_are_reported_per_row(priority):
    ActionRowFactory(priority=priority, order=10)
    sheet = dataset(
        [999999, 10, "Action", "Outcome", "Data", "", "on_track"],
        [priority.pk, 10, "Clashes with an existing row", "Outcome", "Data", "", "on_track"],
    )

    result = ActionRowResource().import_data(sheet, dry_run=True)

    problems = {invalid.number: invalid.error_dict for invalid in result.invalid_rows}
    assert problems[1]["priority"] == ['There is no priority with ID "999999".']
    assert problems[2]["__all__"] == [
        "Another row under the same parent already has this order number."
    ]
    assert ActionRow.objects.count() == 1


def hidden_inputs(html: str) -> dict:
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', html))


def test_admin_import_previews_then_saves_only_after_confirmation(client, priority):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    csv = dataset(
        [
            priority.pk,
            10,
            "Agree a single response",
            "Better understanding",
            "Complaints",
            "",
            "not_started",
        ]
    ).export("csv")

    preview = client.post(
        "/admin/priorities/actionrow/import/",
        {"import_file": SimpleUploadedFile("rows.csv", csv.encode()), "format": "0"},
    )

    assert preview.status_code == 200
    assert "Agree a single response" in preview.content.decode()
    assert ActionRow.objects.count() == 0
    confirm = client.post(
        "/admin/priorities/actionrow/process_import/", hidden_inputs(preview.content.decode())
    )
    assert confirm.status_code == 302
    assert ActionRow.objects.get().description == "Agree a single response"


def test_admin_import_with_a_bad_row_shows_the_error_and_offers_no_confirmation(client, priority):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    csv = dataset(
        [priority.pk, 10, "Good row", "Outcome", "Data", "", "on_track"],
        [priority.pk, 20, "Bad row", "Outcome", "Data", "Nobody Ltd", "on_track"],
    ).export("csv")

    response = client.post(
        "/admin/priorities/actionrow/import/",
        {"import_file": SimpleUploadedFile("rows.csv", csv.encode()), "format": "0"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Unknown organisation: &quot;Nobody Ltd&quot;" in page
    assert "process_import" not in page
    assert ActionRow.objects.count() == 0
