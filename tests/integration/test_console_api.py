"""The console's API: static assets, sign-in through Cognito, the vocabulary, the stage model, the funnel, the
applicant list by weighted score and the audit trail — over moto through the HTTP handlers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jwt
import pytest

from infra.local.cognito import DEMO_PASSWORD, LOCAL_CONSOLE_URL
from infra.local.hosted_ui import HostedSignIn
from shared.domain.funnel import STEPS, fold
from shared.domain.stages import Stage
from shared.models.common import Dimension, RoleFamily
from shared.settings import get_settings, reset_settings
from shared.store import objects
from tests.support import sign_in
from tests.support.api import Api
from tests.support.hiring import INTERVIEW, new_app, scored_apps


@pytest.fixture
def console_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from functions import console

    (tmp_path / "index.html").write_text('<base href="__BASE__"><script type="module" src="app.js"></script>')
    (tmp_path / "app.js").write_text("export const x = 1;\n")
    monkeypatch.setattr(console, "CONSOLE_DIR", tmp_path)
    return tmp_path


def fetch(api: Api, path: str) -> Any:
    """A GET without a token, the body left as bytes (assets are not JSON)."""
    return api.client.http.get(path)


def test_console_assets_are_public_with_a_strict_policy(api: Api, console_dir: Path) -> None:
    # When the browser loads the console without a token
    page = fetch(api, "/console")
    # Then the page comes from the API with its base path filled in and a same-origin policy
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert '<base href="/console/">' in page.body.decode()
    policy = page.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    # And the page may send files only to its own origin and the object store's presigned uploads,
    # exchange a sign-in code only at the hosted sign-in pages' origin and enrol an authenticator app
    # only at the Cognito user pools API of the region
    connect = next(p.split()[1:] for p in policy.split("; ") if p.startswith("connect-src"))
    idp = "https://cognito-idp.us-east-1.amazonaws.com"
    assert connect == ["'self'", objects.upload_origin(), get_settings().sign_in_url, idp]
    assert objects.upload_origin().startswith(("http://", "https://")) and "*" not in objects.upload_origin()
    script = fetch(api, "/console/app.js")
    assert script.status_code == 200 and script.headers["Content-Type"].startswith("text/javascript")
    # And nothing outside the built folder is served: unknown files, other types, path tricks
    for name in ("missing.js", "secrets.py", "..%2Fapp.py", ".built"):
        assert fetch(api, f"/console/{name}").status_code == 404


def test_console_not_built_says_how_to_build_it(api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from functions import console

    monkeypatch.setattr(console, "CONSOLE_DIR", tmp_path / "absent")
    answer = api.call("GET", "/console", role=None)
    assert answer.status_code == 404 and "make console" in answer.data["error"]["message"]


def test_the_console_signs_in_at_the_hosted_pages_and_the_id_token_works(
    api: Api, hosted_sign_in: HostedSignIn, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given the API pointing the console at the hosted sign-in pages (a public client: no secret)
    monkeypatch.setenv("SIGN_IN_URL", hosted_sign_in.url)
    reset_settings()
    config = api.call("GET", "/auth/config", role=None)
    assert config.status_code == 200
    assert config.data == {
        "client_id": api.stack.client_id,
        "authorize_url": f"{hosted_sign_in.url}/oauth2/authorize",
        "token_url": f"{hosted_sign_in.url}/oauth2/token",
        "logout_url": f"{hosted_sign_in.url}/logout",
        "scope": "openid email profile aws.cognito.signin.user.admin",
        "idp_url": "https://cognito-idp.us-east-1.amazonaws.com/",
    }
    assert not any("secret" in key for key in config.data)
    # When the manager signs in there with the code flow and PKCE
    token = sign_in.id_token(
        config.data["authorize_url"].removesuffix("/oauth2/authorize"),
        config.data["client_id"],
        LOCAL_CONSOLE_URL,
        "manager.demo",
        DEMO_PASSWORD,
    )
    # Then the ID token works as a bearer token and carries the role and department
    listed = api.call("GET", "/requisitions", role=None, headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["cognito:groups"] == ["manager"] and claims["custom:department"] == "零售金融部"


def test_no_route_of_the_api_takes_a_password(api: Api) -> None:
    # Given the console's former password route
    # When a password is posted to it
    answer = api.call("POST", "/auth/session", role=None, body={"username": "hr.demo", "password": DEMO_PASSWORD})
    # Then no route takes it (passwords are typed into the hosted sign-in pages only)
    assert answer.status_code in (403, 404)
    from app import app

    assert not [path for path in app.routes if "session" in path or "password" in path]


def test_stage_model_lists_each_transition_with_its_roles(api: Api) -> None:
    model = api.call("GET", "/stages", role="interviewer")
    assert model.status_code == 200
    pairs = {(t["from_stage"], t["to_stage"]): t["roles"] for t in model.data["transitions"]}
    assert pairs[("shortlisted", "second_interview")] == ["hr"]
    assert pairs[("offer", "offer_signed")] == ["system"]
    assert set(model.data["terminal"]) == {"hired", "rejected", "withdrawn"}
    assert api.call("GET", "/stages", role=None).status_code == 401


def test_vocabulary_is_public_and_lists_every_term_in_order_with_both_labels(api: Api) -> None:
    # Given no token (the console reads the vocabulary before anyone signs in)
    # When it asks for the vocabulary
    got = api.call("GET", "/vocabulary", role=None)
    # Then every enum comes in its canonical order, each term with its Chinese and English label
    assert got.status_code == 200, got.data
    assert [t["key"] for t in got.data["dimensions"]] == [d.value for d in Dimension]
    assert [t["key"] for t in got.data["stages"]] == [s.value for s in Stage]
    assert [t["key"] for t in got.data["roles"]] == ["hr", "manager", "interviewer", "it"]
    assert [t["key"] for t in got.data["families"]] == [*(f.value for f in RoleFamily), "general"]
    assert [t["key"] for t in got.data["recommendations"]] == ["strong_hire", "hire", "no_hire", "strong_no_hire"]
    # And the labels are the ones the mails and documents use (the source document's 语言表达)
    assert {"key": "expression", "zh": "语言表达", "en": "Expression"} in got.data["dimensions"]
    assert {"key": "shortlisted", "zh": "入围复试", "en": "Shortlisted"} in got.data["stages"]


def test_funnel_counts_each_stage_and_folds_them_into_steps(api: Api, req_id: str) -> None:
    # Given four scored applications, one unscored, and one rejected
    apps = scored_apps(api, req_id, 4)
    new_app(api, req_id, 200)
    api.call("POST", f"/applications/{apps[0]['id']}/transitions", body={"to": "rejected", "reason": "不合适"})
    # And HR shortlisted two of them
    proposal = api.call("POST", f"/requisitions/{req_id}/shortlist").data
    chosen = [apps[3]["id"], apps[2]["id"]]
    confirmed = api.call(
        "POST",
        f"/requisitions/{req_id}/shortlist/confirm",
        body={"proposal_id": proposal["proposal_id"], "application_ids": chosen, "interview": INTERVIEW},
    )
    assert confirmed.status_code == 200, confirmed.data
    # When HR reads the funnel
    funnel = api.call("GET", f"/requisitions/{req_id}/funnel")
    # Then every stage is counted and the steps are cumulative over the active ones
    assert funnel.status_code == 200
    assert funnel.data["stages"]["shortlisted"] == 2
    assert funnel.data["stages"]["ai_interviewed"] == 1
    assert funnel.data["stages"]["rejected"] == 1
    steps = {s["step"]: s["count"] for s in funnel.data["steps"]}
    assert [s["step"] for s in funnel.data["steps"]] == list(STEPS)
    assert steps == {"applied": 5, "screened": 4, "interviewed": 3, "shortlisted": 2, "offer": 0, "hired": 0}
    # And the retail manager may read it; the risk manager, interviewers and IT may not
    assert api.call("GET", f"/requisitions/{req_id}/funnel", role="manager").status_code == 200
    for role in ("manager2", "interviewer", "it"):
        assert api.call("GET", f"/requisitions/{req_id}/funnel", role=role).status_code == 403
    assert api.call("GET", "/requisitions/nope/funnel").status_code == 404


def test_fold_counts_later_stages_in_earlier_steps() -> None:
    counts = {s: 0 for s in Stage} | {Stage.applied: 1, Stage.background_check: 2, Stage.hired: 1, Stage.withdrawn: 3}
    assert fold(counts) == [
        ("applied", 7),
        ("screened", 3),
        ("interviewed", 3),
        ("shortlisted", 3),
        ("offer", 1),
        ("hired", 1),
    ]


def test_applicants_by_weighted_score_highest_first_across_pages(api: Api, req_id: str) -> None:
    # Given four scored applications (scores rise with their order) and one without a result
    apps = scored_apps(api, req_id, 4)
    new_app(api, req_id, 200)
    # When HR lists by score, two per page
    first = api.call("GET", f"/requisitions/{req_id}/applications?order=score&limit=2")
    second = api.call(
        "GET", f"/requisitions/{req_id}/applications?order=score&limit=2&next_token={first.data['next_token']}"
    )
    # Then the scored ones come highest first with their weighted score; the unscored one is not listed
    listed = first.data["items"] + second.data["items"]
    assert [i["id"] for i in listed] == [a["id"] for a in reversed(apps)]
    scores = [i["weighted_score"] for i in listed]
    assert scores == sorted(scores, reverse=True) and None not in scores
    # And the default listing carries the score too (null before a result)
    plain = api.call("GET", f"/requisitions/{req_id}/applications").data["items"]
    assert sum(1 for i in plain if i["weighted_score"] is None) == 1
    # An unknown order: 400 naming the field
    unknown = api.call("GET", f"/requisitions/{req_id}/applications?order=salary")
    assert unknown.status_code == 400 and unknown.data["error"]["details"][0]["field"] == "order"


def test_audit_trail_is_for_hr_only(api: Api, req_id: str) -> None:
    # Given an application that HR moved
    app = new_app(api, req_id)
    api.call("POST", f"/applications/{app['id']}/transitions", body={"to": "ai_interviewed", "reason": "AI 面试完成"})
    # When HR reads its audit trail
    trail = api.call("GET", f"/audit?subject=application:{app['id']}&limit=1")
    # Then the newest record comes first, paginated
    assert trail.status_code == 200
    assert trail.data["items"][0]["action"] == "stage.transition"
    assert trail.data["items"][0]["actor"] == "hr.demo"
    assert trail.data["next_token"]
    more = api.call("GET", f"/audit?subject=application:{app['id']}&next_token={trail.data['next_token']}")
    assert more.status_code == 200 and more.data["items"]
    # And nobody else may read it; a missing subject is 400
    for role in ("manager", "interviewer", "it"):
        assert api.call("GET", f"/audit?subject=application:{app['id']}", role=role).status_code == 403
    missing = api.call("GET", "/audit")
    assert missing.status_code == 400 and missing.data["error"]["details"][0]["field"] == "subject"
