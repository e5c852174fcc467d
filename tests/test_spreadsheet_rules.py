"""The rules every spreadsheet import follows, one test each: rows name things as people see
them (never database IDs), in any case and spacing, with "did you mean …?" for a near miss and
never a match in another partnership; cells obey the entry page's unit rules; yes/no cells say
yes or no; every problem is reported at once under the file's own header."""

import re
from decimal import Decimal

import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Indicator, Return
from indicators.resources import IndicatorResource, ReturnResource
from priorities.models import ActionRow, DataLine
from priorities.resources import ActionRowResource
from tests import factories as f
from tests.builders import give_admin_rights

pytestmark = pytest.mark.django_db

ROW_HEADERS = ["priority", "order", "action", "outcomes", "data"]


@pytest.fixture
def draft(cast):
    """A draft refresh of the cast's plan, with a priority and a theme, to import into."""
    version = f.PlanVersionFactory(plan=cast.version.plan, label="Refresh April 2025")
    priority = f.PriorityFactory(
        plan_version=version, title="Serious Violence", label="Priority 5", order=5
    )
    f.ThemeFactory(plan_version=version, name="Early Intervention & Prevention")
    return version, priority


@pytest.fixture
def elsewhere():
    """A second partnership whose names overlap the cast's: never to be matched."""
    agency = f.OrganisationFactory(name="Tamworth Borough Council", short_name="TBC")
    partnership = f.PartnershipFactory(slug="tamworth", organisations=[agency])
    version = f.PlanVersionFactory(plan__partnership=partnership, label="Refresh April 2025")
    f.PriorityFactory(plan_version=version, title="Knife Crime", label="Priority 9", order=9)
    f.ThemeFactory(plan_version=version, name="Enforcement")
    f.IndicatorFactory(partnership=partnership, owner=agency, code="KC-ARRESTS")
    return partnership


def action_rows(*rows, headers=ROW_HEADERS) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=headers)


def row(priority="Serious Violence", order=10, **cells) -> list:
    values = {"action": "Open a knife amnesty", "outcomes": "Fewer knives", "data": "Knives"}
    return [priority, order, *{**values, **cells}.values()]


def import_rows(version, sheet, user=None, dry_run=False):
    return ActionRowResource(plan_version=version, user=user).import_data(sheet, dry_run=dry_run)


def problems_of(result) -> dict:
    return {invalid.number: invalid.error_dict for invalid in result.invalid_rows}


# Priorities: by what people see, in the version imported into only.


@pytest.mark.parametrize(
    "written",
    [
        "Serious Violence",
        "  serious   VIOLENCE ",
        "Priority 5",
        "priority 5: serious violence",
        "5",
    ],
)
def test_a_priority_is_named_by_title_label_or_number_in_any_case(cast, draft, written):
    version, priority = draft

    result = import_rows(version, action_rows(row(priority=written)))

    assert not result.has_validation_errors(), problems_of(result)
    assert ActionRow.objects.get(description="Open a knife amnesty").priority == priority


def test_a_misspelt_priority_is_refused_with_a_suggestion(cast, draft):
    version, _ = draft

    result = import_rows(version, action_rows(row(priority="Serius Violence")))

    assert problems_of(result)[1]["priority"] == [
        'There is no priority in this plan version "Serius Violence". '
        'Did you mean "Serious Violence"?'
    ]


def test_a_priority_of_another_version_or_partnership_is_never_matched(cast, draft, elsewhere):
    version, _ = draft
    sheet = action_rows(row(priority="Knife Crime"), row(priority="Priority 9", order=20))

    result = import_rows(version, sheet)

    problems = problems_of(result)
    assert problems[1]["priority"] == [
        'There is no priority in this plan version "Knife Crime".'
    ]  # no suggestion from the other partnership either
    assert "There is no priority" in problems[2]["priority"][0]
    assert not ActionRow.objects.filter(description="Open a knife amnesty").exists()


def test_the_sheets_plan_version_cell_must_name_the_version_imported_into(cast, draft):
    version, _ = draft
    headers = ["plan_version", *ROW_HEADERS]
    sheet = action_rows(
        [str(version), *row()],
        ["refresh april 2025", *row(order=20)],
        [str(cast.version), *row(order=30)],
        headers=headers,
    )

    result = import_rows(version, sheet)

    problems = problems_of(result)
    assert set(problems) == {3}
    assert problems[3]["plan_version"] == [
        f'This row is from "{cast.version}", not "{version}", which you are importing into. '
        "Import it into its own version, or clear this cell."
    ]


def test_without_a_chosen_version_the_plan_version_cell_names_it(cast, draft):
    version, _ = draft
    headers = ["plan_version", *ROW_HEADERS]
    sheet = action_rows([str(version), *row()], ["", *row(order=20)], headers=headers)

    result = ActionRowResource(user=cast.manager).import_data(sheet, dry_run=True)

    problems = problems_of(result)
    assert set(problems) == {2}
    assert problems[2]["plan_version"] == ["Choose the plan version to import into."]


# Organisations, themes and indicators: by name, abbreviation or code, in the partnership.


def test_agencies_are_named_by_name_or_abbreviation_in_any_case(cast, draft):
    version, _ = draft
    cast.council.short_name = "LDC"
    cast.council.save()
    sheet = action_rows(
        row(lead="staffordshire police ; ldc", support=" Lichfield  District Council"),
        headers=[*ROW_HEADERS, "lead_organisations", "supporting_organisations"],
    )

    result = import_rows(version, sheet)

    assert not result.has_validation_errors(), problems_of(result)
    saved = ActionRow.objects.get(description="Open a knife amnesty")
    assert set(saved.lead_organisations.all()) == {cast.police, cast.council}
    assert list(saved.supporting_organisations.all()) == [cast.council]


def test_an_agency_of_another_partnership_is_never_matched(cast, draft, elsewhere):
    version, _ = draft
    sheet = action_rows(
        row(lead="TBC; Staffordshire Polise"), headers=[*ROW_HEADERS, "lead_organisations"]
    )

    result = import_rows(version, sheet)

    assert problems_of(result)[1]["lead_organisations"] == [
        'Unknown organisation: "TBC", "Staffordshire Polise". '
        'Did you mean "Staffordshire Police"? Separate names with semicolons.'
    ]


def test_a_theme_is_named_in_any_case_within_the_version(cast, draft, elsewhere):
    version, _ = draft
    sheet = action_rows(
        row(theme="early intervention &  prevention"),
        row(order=20, theme="Enforcement"),
        headers=[*ROW_HEADERS, "theme"],
    )

    result = import_rows(version, sheet, dry_run=True)

    problems = problems_of(result)
    assert set(problems) == {2}
    assert problems[2]["theme"] == ['There is no theme in this plan version "Enforcement".']


def test_data_lines_name_their_indicators_by_code(cast, draft, elsewhere):
    version, _ = draft
    sheet = action_rows(
        row(data="Knives\nRepeats", indicators="sv-knives; DA-REPEAT\nnone"),
        row(order=20, indicators="SV-KNIFES; KC-ARRESTS"),
        headers=[*ROW_HEADERS, "indicators"],
    )

    result = import_rows(version, sheet)

    assert problems_of(result)[2]["indicators"] == [
        'Unknown indicator: "SV-KNIFES", "KC-ARRESTS". Did you mean "SV-KNIVES"?'
    ]
    sheet.pop()
    result = import_rows(version, sheet)
    assert not result.has_validation_errors(), problems_of(result)
    lines = DataLine.objects.filter(action_row__priority__plan_version=version).order_by("order")
    assert [set(line.indicators.all()) for line in lines] == [{cast.knives, cast.repeat}, set()]


def test_more_lines_of_indicator_codes_than_data_lines_is_refused(cast, draft):
    version, _ = draft
    sheet = action_rows(
        row(indicators="SV-KNIVES\nDA-REPEAT"), headers=[*ROW_HEADERS, "indicators"]
    )

    result = import_rows(version, sheet)

    assert problems_of(result)[1]["indicators"] == [
        "There are 2 lines of indicator codes for 1 data line(s): give one line per data line, "
        'in the same order ("none" for none).'
    ]


INDICATOR_HEADERS = ["partnership", "code", "name", "unit", "baseline_value", "owner", "is_active"]


def indicators(*rows) -> tablib.Dataset:
    return tablib.Dataset(*rows, headers=INDICATOR_HEADERS)


def test_an_indicator_owner_is_named_by_abbreviation_and_a_blank_owner_is_none(cast):
    cast.police.short_name = "SP"
    cast.police.save()
    sheet = indicators(
        ["LICHFIELD", "NEW-1", "New one", "count", "4", "sp", "yes"],
        ["lichfield", "NEW-2", "New two", "Count", "", "", "no"],
    )

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), problems_of(result)
    assert Indicator.objects.get(code="NEW-1").owner == cast.police
    assert Indicator.objects.get(code="NEW-2").owner is None


def test_an_indicators_code_in_another_case_updates_it_rather_than_adding_one(cast):
    sheet = indicators([" Lichfield ", "sv-knives", "Knives handed in", "count", "", "", "yes"])

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), problems_of(result)
    assert [row.import_type for row in result.rows] == ["update"]
    cast.knives.refresh_from_db()
    assert cast.knives.name == "Knives handed in"


def test_an_indicator_owner_or_partnership_elsewhere_is_never_matched(cast, elsewhere):
    sheet = indicators(
        ["lichfield", "NEW-1", "New one", "count", "4", "Tamworth Borough Council", "yes"],
        ["tamworth", "NEW-2", "New two", "count", "4", "TBC", "yes"],
    )

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    problems = problems_of(result)
    assert problems[1]["owner"] == [
        'There is no organisation in this partnership "Tamworth Borough Council".'
    ]
    assert problems[2]["partnership"] == ['There is no partnership you manage "tamworth".']
    assert not Indicator.objects.filter(code__startswith="NEW").exists()


# Numbers obey the entry page's unit rules; nothing is silently stripped.


@pytest.mark.parametrize(
    ("unit", "baseline", "message"),
    [
        ("count", "41.5", "A count is a whole number."),
        ("percentage", "181", "A percentage is between 0 and 100."),
        ("money", "10.005", "Give money in pounds and pence, e.g. 1250.50."),
        ("count", "-3", "The figure cannot be negative."),
        ("count", "+12%", '"+12%" is not a number: write the figure alone, like 12 or 12.5.'),
        ("percentage", "12%", '"12%" is not a number: write the figure alone, like 12 or 12.5.'),
    ],
)
def test_a_baseline_obeys_the_units_rules(cast, unit, baseline, message):
    sheet = indicators(["lichfield", "NEW-1", "New", unit, baseline, "", "yes"])

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert problems_of(result)[1]["baseline_value"] == [message]
    assert not Indicator.objects.filter(code="NEW-1").exists()


def test_money_to_the_penny_and_thousands_commas_are_read(cast):
    sheet = indicators(["lichfield", "NEW-1", "Spend", "money", "£1,250.50", "", "yes"])

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert not result.has_validation_errors(), problems_of(result)
    assert Indicator.objects.get(code="NEW-1").baseline_value == Decimal("1250.50")


def test_a_figure_with_a_sign_is_refused_in_a_returns_sheet(cast):
    sheet = tablib.Dataset(
        ["lichfield", "SV-KNIVES", "2024/25 Q1", "", "+12%"],
        ["lichfield", "DA-REPEAT", "2024/25 Q1", "", "101"],
        headers=["partnership", "indicator", "period", "area", "value"],
    )

    result = ReturnResource(user=cast.manager).import_data(sheet, dry_run=False)

    problems = problems_of(result)
    assert problems[1]["value"] == [
        '"+12%" is not a number: write the figure alone, like 12 or 12.5.'
    ]
    assert problems[2]["value"] == ["A percentage is between 0 and 100."]
    assert not Return.objects.filter(reporting_period=cast.period).exists()


# Yes/no cells.


@pytest.mark.parametrize(
    ("written", "active"),
    [("YES", True), ("true", True), ("1", True), ("No", False), ("FALSE", False), ("0", False)],
)
def test_yes_no_cells_take_yes_no_true_false_1_0_in_any_case(cast, written, active):
    sheet = indicators(["lichfield", "NEW-1", "New", "count", "", "", written])

    IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert Indicator.objects.get(code="NEW-1").is_active is active


def test_anything_else_in_a_yes_no_cell_is_refused_not_saved_as_no(cast):
    sheet = indicators(["lichfield", "NEW-1", "New", "count", "", "", "yes please"])

    result = IndicatorResource(user=cast.manager).import_data(sheet, dry_run=False)

    assert problems_of(result)[1]["is_active"] == [
        '"yes please" is not yes or no: write yes or no.'
    ]
    assert not Indicator.objects.filter(code="NEW-1").exists()


# Every problem at once, under the file's own header, never a raw exception.


def test_a_non_numeric_order_is_reported_beside_its_column_with_the_rows_other_problems(
    cast, draft
):
    version, _ = draft
    sheet = action_rows(
        row(order="five", action="", status="maybe"), headers=[*ROW_HEADERS, "status"]
    )

    result = import_rows(version, sheet)

    assert not result.has_errors()  # no exception, no traceback
    problems = problems_of(result)[1]
    assert problems["order"] == ['"five" is not a whole number.']
    assert problems["action"] == ["This field cannot be blank."]
    assert problems["status"][0].startswith('"maybe" is not one of')


def test_error_columns_are_the_files_headers_not_the_models_fields(cast):
    sheet = tablib.Dataset(
        ["lichfield", "SV-KNIVES", "2024 Q1", "", "1", "Purple"],
        headers=["partnership", "indicator", "period", "area", "value", "rating_override"],
    )

    result = ReturnResource(user=cast.manager).import_data(sheet, dry_run=True)

    assert set(problems_of(result)[1]) == {"period", "rating_override"}


# The admin pages: the version asked for, problems as text linked from a summary, templates.


def upload(client, url: str, sheet: tablib.Dataset, **data):
    csv = sheet.export("csv").encode()
    return client.post(
        url, {"import_file": SimpleUploadedFile("sheet.csv", csv), "format": "0", **data}
    )


def test_the_import_page_offers_only_the_managers_own_unpublished_versions(
    admin_manager_client, cast, draft, elsewhere
):
    version, _ = draft

    page = admin_manager_client.get("/admin/priorities/actionrow/import/").content.decode()

    assert f'<option value="{version.pk}">{version}</option>' in page
    assert str(cast.version) not in page  # published: corrected, never imported
    assert "tamworth" not in page.casefold()


def test_problems_are_text_beside_row_and_column_linked_from_a_summary(
    admin_manager_client, cast, draft
):
    version, _ = draft
    sheet = action_rows(row(), row(order="x", priority="Serius Violence"))

    page = upload(
        admin_manager_client,
        "/admin/priorities/actionrow/import/",
        sheet,
        plan_version=version.pk,
    ).content.decode()

    assert "2 problems in 1 row: nothing has been saved" in page
    assert '<a href="#row-3-order">Row 3, column “order”: &quot;x&quot; is not a whole number.' in (
        page
    )
    assert '<td id="row-3-order" class="import-cell-with-problem">' in page
    assert '<td id="row-3-priority" class="import-cell-with-problem">' in page
    assert "Did you mean &quot;Serious Violence&quot;?" in page
    assert "style=" not in page.split('id="content"')[1]  # no inline styles (CSP)
    assert not ActionRow.objects.filter(description="Open a knife amnesty").exists()


def test_the_preview_shows_every_column_as_it_will_be_saved(admin_manager_client, cast, draft):
    version, _ = draft
    sheet = action_rows(
        row(priority="priority 5", data="Knives handed in", indicators="sv-knives"),
        headers=[*ROW_HEADERS, "indicators"],
    )

    page = upload(
        admin_manager_client,
        "/admin/priorities/actionrow/import/",
        sheet,
        plan_version=version.pk,
    ).content.decode()

    preview = page.split("Preview: the rows as they will be saved")[1]
    for shown in (
        "Serious Violence",
        "Fewer knives",
        "Knives handed in",
        "SV-KNIVES",
        str(version),
    ):
        assert shown in preview
    assert f'name="plan_version" value="{version.pk}"' in page


@pytest.mark.parametrize(
    ("admin_url", "resource"),
    [
        ("/admin/priorities/actionrow/", ActionRowResource),
        ("/admin/indicators/indicator/", IndicatorResource),
        ("/admin/indicators/return/", ReturnResource),
    ],
)
def test_each_import_links_a_blank_template_in_xlsx_and_csv(
    admin_manager_client, admin_url, resource
):
    page = admin_manager_client.get(f"{admin_url}import/").content.decode()
    assert f'href="{admin_url}import/template.xlsx"' in page
    assert f'href="{admin_url}import/template.csv"' in page

    for file_format in ("xlsx", "csv"):
        response = admin_manager_client.get(f"{admin_url}import/template.{file_format}")
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        content = response.content.decode() if file_format == "csv" else response.content
        sheet = tablib.Dataset().load(content, format=file_format)
        assert sheet.headers == list(resource.example_row)
        assert len(sheet) == 1


def test_each_templates_example_row_imports_as_it_stands(cast, draft):
    version, _ = draft
    version.priorities.update(label="Priority 1")

    for resource in (
        IndicatorResource(user=cast.manager),
        ReturnResource(user=cast.manager),
        ActionRowResource(user=cast.manager, plan_version=version),
    ):
        example = tablib.Dataset(
            list(type(resource).example_row.values()), headers=list(type(resource).example_row)
        )
        result = resource.import_data(example, dry_run=True)
        assert not result.has_validation_errors(), (resource, problems_of(result))
        assert not result.has_errors()


def test_templates_are_only_for_people_who_may_import(client, cast):
    client.force_login(cast.officer)
    response = client.get("/admin/indicators/return/import/template.xlsx")
    assert response.status_code in (302, 403)


def test_a_manager_without_admin_rights_cannot_reach_the_template(client, cast):
    give_admin_rights(cast.reviewer)  # staff, but manages no partnership
    client.force_login(cast.reviewer)
    response = client.get("/admin/indicators/return/import/template.csv")
    assert response.status_code == 403


# Headers as people write them; none silently ignored.


def test_headers_are_read_in_any_case_with_spaces_and_errors_use_the_files_own(cast, draft):
    version, _ = draft
    sheet = action_rows(
        row(lead="Nobody Ltd"),
        headers=["Priority", "ORDER", "Action", "Outcomes", "Data", "Lead organisations"],
    )

    result = import_rows(version, sheet)

    assert problems_of(result)[1] == {
        "Lead organisations": [
            'Unknown organisation: "Nobody Ltd". Separate names with semicolons.'
        ]
    }
    assert "Lead organisations" in result.diff_headers


def test_a_header_the_import_does_not_read_is_refused_with_a_suggestion(cast, draft):
    version, _ = draft
    sheet = action_rows(row(lead="Staffordshire Police"), headers=[*ROW_HEADERS, "lead agency"])
    sheet.headers = [*ROW_HEADERS, "lead organisation"]

    result = import_rows(version, sheet)

    [failure] = result.failures()
    assert failure.startswith(
        'This import does not read the column(s) "lead organisation". '
        'Did you mean "lead_organisations"? It reads: plan_version, priority, order,'
    )
    assert not ActionRow.objects.filter(description="Open a knife amnesty").exists()


def test_a_missing_key_column_is_named(cast):
    sheet = tablib.Dataset(["SV-KNIVES", "12"], headers=["indicator", "value"])

    result = ReturnResource(user=cast.manager).import_data(sheet, dry_run=True)

    assert result.failures() == [
        'The file has no "period", "area" column: each row is found by "indicator", "period", '
        '"area". The blank template has every column.'
    ]


def test_a_confirmation_for_a_version_the_manager_does_not_manage_saves_nothing(
    admin_manager_client, cast, draft, elsewhere
):
    version, _ = draft
    page = upload(
        admin_manager_client,
        "/admin/priorities/actionrow/import/",
        action_rows(row()),
        plan_version=version.pk,
    ).content.decode()
    confirm = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    confirm["plan_version"] = elsewhere.plans.get().versions.get().pk

    response = admin_manager_client.post("/admin/priorities/actionrow/process_import/", confirm)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ActionRow.objects.filter(description="Open a knife amnesty").exists()


def test_a_file_that_cannot_be_read_says_why_on_the_page_without_a_traceback(
    admin_manager_client, cast
):
    sheet = tablib.Dataset(["SV-KNIVES", "12"], headers=["indicator", "valeu"])

    page = upload(admin_manager_client, "/admin/indicators/return/import/", sheet).content
    page = page.decode()

    assert "The file could not be read: nothing has been saved" in page
    assert "Did you mean &quot;value&quot;?" in page
    assert "Traceback" not in page
    assert "process_import" not in page
