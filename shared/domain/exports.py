"""CSV and XLSX downloads of analytics results and HR's lists.

Formula injection is neutralised: a text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return is prefixed with an apostrophe, so a spreadsheet shows it as text and never runs
it. Numbers stay numbers. CSV is UTF-8 with a BOM (Excel on Chinese Windows reads it correctly).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping, Sequence
from typing import Any

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Mapping | list):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = str(value)
    return "'" + text if text.startswith(DANGEROUS) else text


def columns(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        for key in row:
            seen.setdefault(key, None)
    return list(seen)


def to_csv(rows: Sequence[Mapping[str, Any]]) -> bytes:
    cols = columns(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe(c) for c in cols])
    for row in rows:
        writer.writerow([safe(row.get(c)) for c in cols])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[Mapping[str, Any]], title: str) -> bytes:
    from openpyxl import Workbook  # imported on use: keeps cold start of other functions small

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title=title[:31] or "export")
    cols = columns(rows)
    sheet.append([safe(c) for c in cols])
    for row in rows:
        sheet.append([safe(row.get(c)) for c in cols])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
