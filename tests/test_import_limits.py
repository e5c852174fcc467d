"""A spreadsheet too large to check and save within one request is refused up front with a
message beside the file box, never an error page or a worker killed mid-import."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from indicators.models import Return
from plans.spreadsheets import MAX_IMPORT_ROWS

pytestmark = pytest.mark.django_db

CSV, XLSX = "0", "1"
HEADER = "partnership,indicator,period,area,value\n"


def upload(client, name: str, content: bytes, file_format: str):
    return client.post(
        "/admin/indicators/return/import/",
        {"format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def rows(cast, count: int) -> bytes:
    line = f"{cast.partnership.slug},SV-KNIVES,2024/25 Q1,,12\n"
    return (HEADER + line * count).encode()


def test_ten_thousand_rows_are_refused_before_anything_is_read(admin_manager_client, cast):
    response = upload(admin_manager_client, "returns.csv", rows(cast, 10_000), CSV)

    assert response.status_code == 200
    assert "This file has 10,000 rows: import at most 1,000 rows at a time." in (
        response.content.decode()
    )
    assert not Return.objects.filter(reporting_period=cast.period).exists()


def test_one_row_over_the_limit_is_refused_and_the_limit_itself_is_checked(
    admin_manager_client, cast
):
    over = upload(admin_manager_client, "returns.csv", rows(cast, MAX_IMPORT_ROWS + 1), CSV)
    within = upload(admin_manager_client, "returns.csv", rows(cast, 3), CSV)

    assert "import at most 1,000 rows" in over.content.decode()
    assert "import at most" not in within.content.decode()


def test_a_file_over_five_megabytes_is_refused(admin_manager_client, cast):
    padding = "x" * 2_000
    line = f"{cast.partnership.slug},SV-KNIVES,2024/25 Q1,,12,{padding}\n"
    content = (HEADER.strip() + ",commentary\n" + line * 3_000).encode()

    response = upload(admin_manager_client, "returns.csv", content, CSV)

    assert "MB: import at most 5.0 MB at a time" in response.content.decode()


def test_a_spreadsheet_that_unpacks_to_gigabytes_is_refused(admin_manager_client):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (64 * 1024 * 1024))

    response = upload(admin_manager_client, "returns.xlsx", bomb.getvalue(), XLSX)

    assert len(bomb.getvalue()) < 200_000  # small to send
    assert "This spreadsheet unpacks to 64.0 MB" in response.content.decode()


def test_a_file_that_is_not_a_spreadsheet_gets_a_message(admin_manager_client):
    response = upload(admin_manager_client, "returns.xlsx", b"this is not a spreadsheet", XLSX)

    assert response.status_code == 200
    assert "encountered while trying to read file" in response.content.decode()
