"""Reading applicant spreadsheets (CSV or .xlsx) into rows of text.

CSV may be UTF-8 (with or without BOM) or GB18030/GBK, the encoding Excel uses on Chinese Windows.
Column headers may be English field names or their usual Chinese labels.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

MAX_ROWS = 200_000
# A zip bomb disguised as .xlsx is refused from the archive's central directory, before anything is
# inflated: Python's zipfile never inflates a member beyond its declared size, so declared sizes bound
# the work. A real workbook of MAX_ROWS rows is far below these limits.
MAX_XLSX_UNCOMPRESSED = 256 * 1_048_576
MAX_XLSX_MEMBERS = 1_000
MAX_XLSX_RATIO = 200  # inflated / compressed, for members larger than RATIO_FLOOR
RATIO_FLOOR = 1_048_576

COLUMN_ALIASES: dict[str, str] = {
    "name": "name",
    "姓名": "name",
    "email": "email",
    "邮箱": "email",
    "电子邮箱": "email",
    "电子邮件": "email",
    "phone": "phone",
    "手机": "phone",
    "手机号": "phone",
    "手机号码": "phone",
    "联系电话": "phone",
    "national_id": "national_id",
    "身份证号": "national_id",
    "身份证号码": "national_id",
    "身份证": "national_id",
    "education": "education",
    "学历": "education",
    "教育背景": "education",
    "experience": "experience",
    "工作经历": "experience",
    "experience_years": "experience_years",
    "工作年限": "experience_years",
    "resume_text": "resume_text",
    "简历": "resume_text",
    "简历内容": "resume_text",
    "external_ref": "external_ref",
    "外部编号": "external_ref",
    "候选人编号": "external_ref",
}
REQUIRED_COLUMNS = ("name", "email", "phone", "national_id")


class SpreadsheetError(ValueError):
    """The file as a whole cannot be read (as opposed to a bad row)."""


@dataclass(frozen=True)
class Sheet:
    columns: list[str]
    ignored_columns: list[str]
    rows: list[tuple[int, dict[str, str]]]
    encoding: str


def decode_csv(data: bytes) -> tuple[str, str]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError("the CSV file is neither UTF-8 nor GBK/GB18030 text")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _map_header(header: list[str]) -> tuple[list[str | None], list[str]]:
    mapped: list[str | None] = []
    ignored: list[str] = []
    seen: set[str] = set()
    for raw in header:
        key = COLUMN_ALIASES.get(raw.strip().lower()) or COLUMN_ALIASES.get(raw.strip())
        if key is None or key in seen:
            mapped.append(None)
            if raw.strip():
                ignored.append(raw.strip())
            continue
        seen.add(key)
        mapped.append(key)
    missing = [c for c in REQUIRED_COLUMNS if c not in seen]
    if missing:
        raise SpreadsheetError("missing required columns: " + ", ".join(missing))
    return mapped, ignored


def _rows(raw_rows: Iterator[list[object]], encoding: str) -> Sheet:
    try:
        header = [_cell_text(c) for c in next(raw_rows)]
    except StopIteration as exc:
        raise SpreadsheetError("the file is empty") from exc
    mapped, ignored = _map_header(header)
    rows: list[tuple[int, dict[str, str]]] = []
    for number, raw in enumerate(raw_rows, start=1):
        cells = [_cell_text(c) for c in raw]
        if not any(cells):
            continue  # blank lines are not applicants
        if len(rows) >= MAX_ROWS:
            raise SpreadsheetError(f"the file has more than {MAX_ROWS} rows; split it")
        record = {key: cells[i] if i < len(cells) else "" for i, key in enumerate(mapped) if key}
        if len(cells) > len(mapped) and any(cells[len(mapped) :]):
            record["__extra_cells__"] = str(len(cells) - len(mapped))
        rows.append((number, record))
    return Sheet([c for c in mapped if c], ignored, rows, encoding)


def read_csv(data: bytes) -> Sheet:
    text, encoding = decode_csv(data)
    if "\x00" in text:
        raise SpreadsheetError("the CSV file contains NUL bytes; is it really a CSV?")
    try:
        rows: list[list[object]] = [list(r) for r in csv.reader(io.StringIO(text, newline=""))]
        return _rows(iter(rows), encoding)
    except csv.Error as exc:
        raise SpreadsheetError(f"the CSV file is malformed: {exc}") from exc


def check_archive(data: bytes) -> None:
    """Refuse an .xlsx whose zip archive would inflate to too much (a zip bomb) or is not a zip."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SpreadsheetError("the file is not a readable .xlsx workbook") from exc
    if len(members) > MAX_XLSX_MEMBERS:
        raise SpreadsheetError(f"the .xlsx archive has more than {MAX_XLSX_MEMBERS} parts; refused")
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_UNCOMPRESSED:
        raise SpreadsheetError(f"the .xlsx would expand to {total} bytes (limit {MAX_XLSX_UNCOMPRESSED}); refused")
    for m in members:
        if m.file_size > RATIO_FLOOR and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise SpreadsheetError(f"the .xlsx part {m.filename} is compressed suspiciously well (a zip bomb); refused")


def read_xlsx(data: bytes) -> Sheet:
    from openpyxl import load_workbook  # imported on use: keeps cold start of other functions small

    check_archive(data)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError("the file is not a readable .xlsx workbook") from exc
    try:
        sheet = book.worksheets[0]
        return _rows((list(r) for r in sheet.iter_rows(values_only=True)), "xlsx")
    finally:
        book.close()


def read_spreadsheet(filename: str, data: bytes) -> Sheet:
    if filename.lower().endswith(".xlsx"):
        return read_xlsx(data)
    return read_csv(data)
