"""Bad files: zip bombs disguised as .xlsx, malformed workbooks and wrong encodings are refused with
a reason, never expanded and never a crash."""

from __future__ import annotations

import io
import zipfile

import pytest

from shared.domain import exports, spreadsheet
from shared.domain.spreadsheet import SpreadsheetError, read_spreadsheet


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return buffer.getvalue()


def real_xlsx() -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "email", "phone", "national_id"])
    sheet.append(["张三", "a@example.com", "13800000001", "11010519491231002X"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_zip_bomb_disguised_as_xlsx_is_refused_without_expanding(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a ".xlsx" whose sheet is 8 MiB of zeros (inflates ~1000x) and openpyxl made unusable
    bomb = zipped({"xl/worksheets/sheet1.xml": b"\0" * (8 * 1_048_576)})
    assert len(bomb) < 50_000
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: pytest.fail("the bomb reached openpyxl"))
    # When it is read, then it is refused from the central directory alone
    with pytest.raises(SpreadsheetError, match="zip bomb"):
        read_spreadsheet("applicants.xlsx", bomb)


def test_an_archive_declaring_too_much_in_total_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given many ordinary-looking parts whose sizes add up beyond the limit
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_UNCOMPRESSED", 100_000)
    parts = {f"xl/part{i}.xml": bytes(range(256)) * 100 for i in range(5)}
    with pytest.raises(SpreadsheetError, match="expand to 128000 bytes"):
        read_spreadsheet("applicants.xlsx", zipped(parts))
    # And too many parts is refused too
    monkeypatch.setattr(spreadsheet, "MAX_XLSX_MEMBERS", 3)
    with pytest.raises(SpreadsheetError, match="more than 3 parts"):
        read_spreadsheet("applicants.xlsx", zipped(parts))


@pytest.mark.parametrize(
    "data",
    [
        b"",  # empty
        b"PK\x03\x04 truncated",  # a zip header and nothing else
        zipped({"hello.txt": b"not a workbook"}),  # a zip without a workbook
        b"name,email\n\xff\xfe\x00\x00",  # CSV bytes named .xlsx
    ],
)
def test_malformed_xlsx_is_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(SpreadsheetError, match=r"not a readable \.xlsx"):
        read_spreadsheet("applicants.xlsx", data)


def test_a_truncated_workbook_is_refused_and_a_real_one_reads() -> None:
    # Given a real workbook, then it reads; cut in half, it is refused with a reason
    data = real_xlsx()
    assert read_spreadsheet("applicants.xlsx", data).rows
    with pytest.raises(SpreadsheetError):
        read_spreadsheet("applicants.xlsx", data[: len(data) // 2])


@pytest.mark.parametrize(
    "data",
    [
        "姓名,email\n张三,a@example.com\n".encode("utf-16"),  # UTF-16 with BOM (NUL bytes)
        bytes(range(128, 256)) * 4,  # binary noise
    ],
)
def test_wrong_encodings_are_refused_with_a_reason(data: bytes) -> None:
    # When a CSV in an unsupported encoding is read, then it is refused with a reason, never a crash
    with pytest.raises(SpreadsheetError):
        read_spreadsheet("applicants.csv", data)


@pytest.mark.parametrize(
    ("cell", "safe"),
    [
        ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("张三", "张三"),
        ("a=b", "a=b"),
    ],
)
def test_formula_prefixes_are_neutralised_in_exported_cells(cell: str, safe: str) -> None:
    # every export (shared.domain.exports: analytics results and every list) writes cells through this
    assert exports.safe(cell) == safe
