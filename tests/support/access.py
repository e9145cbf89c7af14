"""Callers of every kind and a small world to call every route on (the access matrix, the fuzzer and
the fault tests use them): one requisition of 零售金融部, two applications, one hire."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from infra.local.vendors import LOCAL_BACKGROUND_VENDOR_SECRETS, LOCAL_ESIGN_SECRETS, signature_headers
from tests.support.api import Api
from tests.support.employees import seed_hires
from tests.support.hiring import deliver, make, new_app
from tests.support.webhooks import canonical, signed

MISSING = "does-not-exist"  # the id of an object that does not exist


@dataclass(frozen=True)
class Caller:
    name: str
    role: str | None  # the demo role whose token is used (None: no bearer token)
    policy_role: str | None  # the role POLICY knows it by
    other_object: bool = False  # calls on the application not assigned to it (interviewer)
    credential: str = "token"  # token | none | expired | vendor


def vendor_signed(path: str, body: Any) -> tuple[dict[str, str], bytes]:
    """A genuine vendor signature: the key of the vendor that calls ``path`` (any vendor elsewhere)."""
    raw = json.dumps(body).encode()
    if path == "/webhooks/background-checks":
        return signature_headers(
            raw, "msg_matrix", int(time.time()), LOCAL_BACKGROUND_VENDOR_SECRETS["bgcheck"][0]
        ), raw
    if path == "/webhooks/esign":
        return signature_headers(raw, "msg_matrix", int(time.time()), LOCAL_ESIGN_SECRETS[0]), raw
    return signed(raw)


class World:
    """One requisition of 零售金融部 with two applications (A assigned to interviewer.demo, B not),
    an AI result on both, and one hire of the department."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.req = str(make(api).data["id"])
        self.app_a = new_app(api, self.req, 1)
        self.app_b = new_app(api, self.req, 2)
        for app in (self.app_a, self.app_b):
            assert deliver(api, canonical(self.req, application_id=app["id"])).status_code == 200
        assigned = api.call(
            "PUT", f"/applications/{self.app_a['id']}/interviewers", body={"usernames": ["interviewer.demo"]}
        )
        assert assigned.status_code == 200, assigned.data
        (self.employee,) = seed_hires(self.req, "零售金融部", [date(2026, 1, 5)], "mx")

    def path(self, template: str, caller: Caller) -> str:
        app = self.app_b if caller.other_object else self.app_a
        values = {
            "application_id": app["id"],
            "candidate_id": app["id"],
            "requisition_id": self.req,
            "employee_id": self.employee,
            "asset": "index.html",
        }
        out = template
        while "{" in out:
            start = out.index("{")
            name = out[start + 1 : out.index("}")]
            out = out[:start] + values.get(name, MISSING) + out[out.index("}") + 1 :]
        return out

    def call(self, method: str, template: str, caller: Caller, body: Any = None) -> Any:
        headers: dict[str, str] = {}
        raw: bytes | None = None
        if caller.credential == "expired":
            now = int(time.time())
            headers["Authorization"] = "Bearer " + self.api.stack.forge(iat=now - 7200, exp=now - 3600)
        elif caller.credential == "vendor":
            headers, raw = vendor_signed(template, body if body is not None else {})
        if method in ("GET", "DELETE") and body is None and raw is None:
            return self.api.call(method, self.path(template, caller), role=caller.role, headers=headers)
        if raw is None:
            raw = json.dumps(body if body is not None else {}).encode()
        return self.api.call(method, self.path(template, caller), role=caller.role, headers=headers, raw=raw)
