"""Page tokens are authenticated (``shared/security/page_tokens.py``): a crafted, altered or foreign
``next_token`` is 400 naming it, on every listing of the route table, never a 500."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from functions.http import ROUTE_DOCS
from tests.support.access import Caller, World
from tests.support.api import Api
from tests.support.hiring import make, new_app

# the token the adversarial pass crafted: base64 of {"pk":"APP#1"} (500 on four listings before)
CRAFTED = base64.urlsafe_b64encode(json.dumps({"pk": "APP#1"}, separators=(",", ":")).encode()).decode().rstrip("=")
# values for the query parameters a listing requires
REQUIRED_QUERY = {"team": "it", "subject": "application:x"}
ROLES = ("hr", "interviewer", "it", "manager")


def listings() -> list[tuple[str, str, dict[str, Any]]]:
    """Every GET route whose query takes a ``next_token``, with its required query parameters."""
    import app  # noqa: F401  (registers every route)

    found = []
    for (method, path), doc in sorted(ROUTE_DOCS.items()):
        if method == "GET" and doc.query is not None and "next_token" in doc.query.model_fields:
            required = [n for n, f in doc.query.model_fields.items() if f.is_required()]
            found.append((method, path, {n: REQUIRED_QUERY[n] for n in required}))
    return found


def _refused(response: Any) -> bool:
    error = (response.data or {}).get("error") or {}
    return response.status_code == 400 and [d["field"] for d in error.get("details", [])] == ["next_token"]


@pytest.fixture
def world(api: Api) -> World:
    return World(api)


def test_every_listing_refuses_a_crafted_token_with_400(api: Api, world: World) -> None:
    # Given every listing of the route table (an import job for its rows), each called by a role that
    # may read it
    imported = api.call("POST", "/imports", body={"requisition_id": world.req, "filename": "pool.csv"})
    assert imported.status_code == 201, imported.data
    hr = Caller("hr", "hr", "hr")
    checked = []
    for _, template, query in listings():
        path = world.path(template.replace("{import_id}", imported.data["id"]), hr)
        params = "&".join(f"{k}={v}" for k, v in query.items())
        role = next(r for r in ROLES if api.call("GET", f"{path}?{params}", role=r).status_code == 200)
        # When the crafted token of the finding is sent
        response = api.call("GET", f"{path}?{params}&next_token={CRAFTED}", role=role)
        # Then it is 400 naming next_token (it was 500 on the index-backed listings)
        assert _refused(response), (template, response.status_code, response.data)
        checked.append(template)
    assert len(checked) >= 10 and "/employees" in checked and "/performance/cycles" in checked


def test_an_altered_or_foreign_token_is_400_and_a_genuine_one_pages_on(api: Api, world: World) -> None:
    # Given a second page of the requisition's applications (three applications, two a page)
    new_app(api, world.req, 3)
    listing = f"/requisitions/{world.req}/applications?limit=2"
    first = api.call("GET", listing)
    token = first.data["next_token"]
    assert token and "." in token
    cursor, _, tag = token.rpartition(".")

    # When the genuine token is sent back, the next page comes
    second = api.call("GET", f"{listing}&next_token={token}")
    assert second.status_code == 200 and len(second.data["items"]) == 1

    # When its cursor is changed (another start key, the tag kept), the tag removed, the tag forged,
    # or the token is sent to another listing (a new requisition's applications)
    other = make(api).data["id"]
    tampered = base64.urlsafe_b64encode(json.dumps({"pk": "APP#x", "sk": "META"}).encode()).decode().rstrip("=")
    attempts = [
        f"{listing}&next_token={tampered}.{tag}",
        f"{listing}&next_token={cursor}",
        f"{listing}&next_token={cursor}.{'A' * len(tag)}",
        f"/requisitions/{other}/applications?limit=2&next_token={token}",
        f"/requisitions?limit=2&next_token={token}",
    ]
    # Then each is 400 naming next_token
    for path in attempts:
        response = api.call("GET", path)
        assert _refused(response), (path, response.status_code, response.data)
