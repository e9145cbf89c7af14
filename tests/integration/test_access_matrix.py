"""The access matrix, generated from the app's route table: every route × every caller → the status
that ``shared.security.routes.ROUTE_ACCESS`` + ``shared.security.policy.POLICY`` say it must get.

Callers: hr, the manager of the application's department, a manager of another department, the
interviewer assigned to the application and the same interviewer on an application not assigned to
them, it, no token, an expired token, and a vendor's webhook signature instead of a token.
Object level (OWASP API1): an object of another department / not assigned is 403 or 404, never data.
Property level (API3): what ``it`` and ``interviewer`` get validates against the route's response
model with every object closed (no field outside the model). Request models forbid unknown fields.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from pydantic import BaseModel

from app import app as chalice_app
from functions.routing import route_docs
from infra.package import GATEWAY_RESPONSES
from shared.security.policy import POLICY, Action, Scope
from shared.security.routes import ROUTE_ACCESS, Gate
from tests.support.access import Caller, World
from tests.support.api import Api

DENIED = {403}
OUT_OF_SCOPE = {403, 404}
UNAUTHENTICATED = {401}


CALLERS = (
    Caller("hr", "hr", "hr"),
    Caller("manager_same_department", "manager", "manager"),
    Caller("manager_other_department", "manager2", "manager"),
    Caller("interviewer_assigned", "interviewer", "interviewer"),
    Caller("interviewer_not_assigned", "interviewer", "interviewer", other_object=True),
    Caller("it", "it", "it"),
    Caller("no_token", None, None, credential="none"),
    Caller("expired_token", None, None, credential="expired"),
    Caller("vendor_signature", None, None, credential="vendor"),
)


def served_routes() -> list[tuple[str, str]]:
    return sorted((method, path) for path, methods in chalice_app.routes.items() for method in methods)


def expected(method: str, path: str, caller: Caller) -> set[int] | None:
    """The statuses allowed for this caller on this route; ``None`` means "allowed": any status but
    401/403 (404 for an id that does not exist, 400 for the empty body, never a 5xx)."""
    access = ROUTE_ACCESS[(method, path)]
    if access is Gate.public:
        return None
    if access is Gate.webhook:
        return None if caller.credential == "vendor" else UNAUTHENTICATED
    if caller.credential != "token":
        return UNAUTHENTICATED
    if access is Gate.signed_in:
        return None
    scope = POLICY[access].get(caller.policy_role or "")
    if scope is None:
        return DENIED
    on_object = "{application_id}" in path or "{candidate_id}" in path
    if scope is Scope.department and caller.role == "manager2" and (on_object or "{requisition_id}" in path):
        return OUT_OF_SCOPE
    if scope is Scope.department and caller.role == "manager2" and "{employee_id}" in path:
        return OUT_OF_SCOPE
    if scope is Scope.assigned and caller.other_object and on_object:
        return OUT_OF_SCOPE
    return None


def is_error_body(data: Any, caller: Caller) -> bool:
    """design.md §5's error body; without an Authorization header the 401 comes from API Gateway's
    authorizer, whose body the deployed API shapes the same way (infra/package.py GATEWAY_RESPONSES)."""
    if isinstance(data, dict) and set(data) == {"error"}:
        return True
    return caller.credential in ("none", "vendor") and data == {"message": "Unauthorized"}


def test_every_route_has_one_declared_expectation() -> None:
    # Given the routes the app serves and the documented route table
    served = set(served_routes())
    # Then each has exactly one declared access entry, and no entry names a route that is gone
    assert served - set(ROUTE_ACCESS) == set(), "routes without a declared access expectation"
    assert set(ROUTE_ACCESS) - served == set(), "access entries for routes the app no longer serves"
    assert served == set(route_docs())
    # And a route is public (no authorizer) exactly when declared public or webhook
    for key, access in ROUTE_ACCESS.items():
        assert route_docs()[key].public == (access in (Gate.public, Gate.webhook)), key
    # And every action of the policy table is exercised by some route (no dead policy rows)
    used = {a for a in ROUTE_ACCESS.values() if isinstance(a, Action)}
    assert set(POLICY) - used == set()
    # And the deployed API answers a missing token with the error body too
    assert GATEWAY_RESPONSES["UNAUTHORIZED"][:2] == ("401", "unauthenticated")


def closed(schema: Any) -> Any:
    """The JSON schema with every object closed: a field outside the model fails validation."""
    if isinstance(schema, dict):
        out = {k: closed(v) for k, v in schema.items()}
        if out.get("type") == "object" and "properties" in out and "additionalProperties" not in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [closed(v) for v in schema]
    return schema


def assert_within_model(model: type[BaseModel], data: Any, where: str) -> None:
    import jsonschema

    schema = closed(model.model_json_schema(mode="serialization"))
    errors = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(data)]
    assert errors == [], f"{where}: response outside {model.__name__}: {errors[:3]}"


def test_access_matrix(api: Api) -> None:
    # Given a world with objects of the manager's department, one assigned to the interviewer
    world = World(api)
    failures: list[str] = []
    tried = 0
    property_checked = 0
    for method, template in served_routes():
        if template.startswith("/console"):
            continue  # static files of the console (public, checked by the console's own tests)
        doc = route_docs()[(method, template)]
        for caller in CALLERS:
            # When the caller calls the route (an empty JSON object as the body of writes)
            response = world.call(method, template, caller, body={} if doc.body else None)
            tried += 1
            status = response.status_code
            want = expected(method, template, caller)
            label = f"{method} {template} as {caller.name}: {status}"
            # Then never a 5xx, and the status is the declared one
            if status >= 500:
                failures.append(f"{label} (5xx) {response.data}")
            elif want is None and status in (401, 403):
                failures.append(f"{label}, expected to be allowed {response.data}")
            elif want is not None and status not in want:
                failures.append(f"{label}, expected {sorted(want)} {response.data}")
            # And a refusal carries the error body and never data
            refused = status in (401, 403, 404) and response.data is not None
            if refused and not is_error_body(response.data, caller):
                failures.append(f"{label}: refusal with data {list(response.data)}")
            # And what it and interviewers get stays inside the route's response model
            if (
                status < 300
                and caller.policy_role in ("it", "interviewer")
                and doc.response is not None
                and doc.media_type == "application/json"
                and isinstance(response.data, dict)
            ):
                try:
                    assert_within_model(doc.response, response.data, label)
                    property_checked += 1
                except AssertionError as exc:
                    failures.append(str(exc))
    assert failures == [], "\n".join(failures)
    assert tried >= 60 * len(CALLERS) - 2 * len(CALLERS)
    assert property_checked >= 5


def test_interviewer_and_it_see_no_assessment_or_personal_field(api: Api) -> None:
    # Given the world, when the assigned interviewer reads the archive
    world = World(api)
    archive = api.call("GET", f"/applications/{world.app_a['id']}", role="interviewer")
    assert archive.status_code == 200
    # Then it is the AI report shape, with no contact, identity, salary or background data anywhere
    assert archive.data["view"] == "interviewer"  # the AiReport model, not the HR archive
    text = json.dumps(archive.data, ensure_ascii=False)
    for field in ("national_id", "phone", "email", "salary", "credit", "resume_text", "background"):
        assert f'"{field}' not in text, field
    # And IT is refused every application, requisition and assessment read
    for path in (f"/applications/{world.app_a['id']}", f"/requisitions/{world.req}", "/audit?subject=x"):
        assert api.call("GET", path, role="it").status_code == 403


def test_lists_of_another_department_return_no_data(api: Api) -> None:
    # Given the world in 零售金融部, when the manager of 风险管理部 lists what they may list
    world = World(api)
    requisitions = api.call("GET", "/requisitions", role="manager2")
    employees = api.call("GET", "/employees", role="manager2")
    # Then nothing of the other department appears
    assert requisitions.status_code == 200
    assert world.req not in json.dumps(requisitions.data)
    assert employees.status_code in (200, 403)
    assert world.employee not in json.dumps(employees.data)
    # And asking for the other department by name is refused
    assert api.call("GET", "/requisitions?department=零售金融部", role="manager2").status_code == 403


@pytest.mark.parametrize(("method", "path"), sorted(k for k, d in route_docs().items() if d.body is not None))
def test_request_models_forbid_unknown_fields(method: str, path: str) -> None:
    # Given the body model of the route, then an unknown field is refused by the model itself
    model = route_docs()[(method, path)].body
    assert model is not None
    schema = model.model_json_schema()
    branches = (
        [schema] if "properties" in schema else [schema["$defs"][r["$ref"].split("/")[-1]] for r in _refs(schema)]
    )
    for branch in branches:
        assert branch.get("additionalProperties") is False, f"{model.__name__} accepts unknown fields"


def _refs(schema: dict[str, Any]) -> list[dict[str, Any]]:
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return list(schema[key])
    raise AssertionError(f"no object schema: {json.dumps(schema)[:200]}")


def test_an_unknown_field_is_400_naming_it(api: Api) -> None:
    # Given a valid requisition body with one extra field, when HR sends it
    from tests.support.hiring import SAMPLE

    body = copy.deepcopy(SAMPLE) | {"is_admin": True}
    response = api.call("POST", "/requisitions", body=body)
    # Then it is 400 naming the field, and nothing is stored
    assert response.status_code == 400
    assert [d["field"] for d in response.data["error"]["details"]] == ["is_admin"]
    assert api.call("GET", "/requisitions").data["items"] == []
