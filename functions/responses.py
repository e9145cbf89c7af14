"""What a route answers: a JSON response, or a list as a CSV / XLSX download."""

from __future__ import annotations

from typing import Any

from chalice.app import Request
from chalice.app import Response as ChaliceResponse
from pydantic import BaseModel

from shared.domain.exports import CSV, XLSX, to_csv, to_xlsx

JSON_HEADERS: dict[str, str | list[str]] = {"Content-Type": "application/json"}


def ok(body: BaseModel | dict[str, Any] | list[Any], status: int = 200, headers: dict[str, str] | None = None) -> Any:
    payload = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
    return ChaliceResponse(body=payload, status_code=status, headers={**JSON_HEADERS, **(headers or {})})


DOWNLOADS = {"text/csv": "csv", XLSX: "xlsx"}


def as_download(request: Request, path: str, result: Any) -> Any:
    """A list (a response with ``items``) as a CSV or XLSX download when the caller asks for one with
    ``Accept: text/csv`` or the XLSX type: the same role-shaped rows as the JSON, one per item, nested
    values as JSON text, formula injection neutralised (``shared.domain.exports``)."""
    accept = str(request.headers.get("accept") or "") if request.headers else ""
    wanted = next((kind for media, kind in DOWNLOADS.items() if media in accept), None)
    if wanted is None or not isinstance(result, ChaliceResponse) or result.status_code != 200:
        return result
    items = result.body.get("items") if isinstance(result.body, dict) else None
    if not isinstance(items, list):
        return result
    rows = [item if isinstance(item, dict) else {"value": item} for item in items]
    name = "-".join(p for p in path.strip("/").split("/") if not p.startswith("{")) or "export"
    headers: dict[str, str | list[str]] = {"Content-Disposition": f'attachment; filename="{name}.{wanted}"'}
    if wanted == "csv":
        body: str | bytes = to_csv(rows).decode("utf-8")
        headers["Content-Type"] = CSV
    else:
        body = to_xlsx(rows, name)
        headers["Content-Type"] = XLSX
    return ChaliceResponse(body=body, status_code=200, headers=headers)
