"""Text that a spreadsheet would run as a formula (officers' free text can start like one) is
written as text in every CSV and XLSX the product exports."""

import csv
import io

import openpyxl
import pytest

from indicators.resources import ReturnResource
from plans.spreadsheets import SafeCSV, SafeXLSX, escape_formula
from tests.factories import ActionRowFactory, PlanVersionFactory, PriorityFactory, ReturnFactory

pytestmark = pytest.mark.django_db

FORMULAE = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1"]  # fmt: skip


@pytest.mark.parametrize("text", FORMULAE)
def test_a_formula_becomes_text(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("cell", ["-5", "-0.25", "+12", "Knife bins", "", 12, None, "12 - 3"])
def test_numbers_and_plain_text_are_left_alone(cell):
    assert escape_formula(cell) == cell


def test_the_public_csv_writes_formulas_as_text(client):
    version = PlanVersionFactory(published=True)
    priority = PriorityFactory(plan_version=version, title="=1+1")
    ActionRowFactory(priority=priority, description=FORMULAE[0])

    response = client.get(version.plan.get_absolute_url() + "action-rows.csv")

    [row] = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert row["priority"] == "'=1+1"
    assert row["action"] == "'" + FORMULAE[0]


@pytest.mark.parametrize("file_format", [SafeCSV, SafeXLSX])
def test_admin_exports_write_commentary_formulas_as_text(file_format):
    ReturnFactory(commentary=FORMULAE[1], value=12)

    exported = file_format().export_data(ReturnResource().export())

    if file_format is SafeCSV:
        cells = next(csv.DictReader(io.StringIO(exported)))
        assert cells["commentary"] == "'" + FORMULAE[1]
    else:
        sheet = openpyxl.load_workbook(io.BytesIO(exported)).active
        values = [cell.value for cell in sheet[2]]
        assert "'" + FORMULAE[1] in values
        assert all(not str(v).startswith("=") for v in values if v is not None)
