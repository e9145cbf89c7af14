"""Reading applicant spreadsheets."""

from __future__ import annotations

import pytest

from shared.domain.spreadsheet import SpreadsheetError, read_csv, read_spreadsheet
from shared.services.imports import chunk_rows


def test_utf8_bom_and_english_headers() -> None:
    sheet = read_csv("\ufeffname,email,phone,national_id,extra\nA,a@b.cn,1,2,x\n".encode())
    assert sheet.encoding == "utf-8-sig"
    assert sheet.rows == [(1, {"name": "A", "email": "a@b.cn", "phone": "1", "national_id": "2"})]
    assert sheet.ignored_columns == ["extra"]


def test_gbk_is_decoded() -> None:
    sheet = read_csv("姓名,邮箱,手机号,身份证号\n王芳,a@b.cn,1,2\n".encode("gbk"))
    assert sheet.encoding == "gb18030"
    assert sheet.rows[0][1]["name"] == "王芳"


def test_row_numbers_skip_blank_lines_and_flag_extra_cells() -> None:
    sheet = read_csv(b"name,email,phone,national_id\nA,a,1,2\n,,,\nB,b,1,2,surplus\n")
    assert [n for n, _ in sheet.rows] == [1, 3]
    assert sheet.rows[1][1]["__extra_cells__"] == "1"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"name,email\nA,a\n", "missing required columns: phone, national_id"),
        (b"\xff\xfe\x81\x30\xff", "neither UTF-8 nor GBK"),
        (b"name,email,phone,national_id\n\x00\x00", "NUL"),
    ],
)
def test_unreadable_files_raise_with_a_reason(data: bytes, message: str) -> None:
    with pytest.raises(SpreadsheetError, match=message):
        read_csv(data)


def test_xlsx_garbage_is_rejected() -> None:
    with pytest.raises(SpreadsheetError, match=r"not a readable \.xlsx"):
        read_spreadsheet("a.xlsx", b"not a zip")


def test_chunks_respect_row_and_byte_limits() -> None:
    rows = [(n, {"resume_text": "字" * 1000}) for n in range(1, 1001)]
    chunks = list(chunk_rows(rows))
    assert [r for c in chunks for r in c] == rows
    assert all(len(c) <= 100 for c in chunks)
    assert max(sum(len(str(r).encode()) for r in c) for c in chunks) < 256_000
