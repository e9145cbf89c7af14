"""The console in headless Chromium (Debian's ``chromium``, driven by Playwright) over the running
local stack: each demo role signs in through the Cognito pool and sees its pages (and not the
others'), the candidate page draws the radar chart, and HR confirms a shortlist by clicking. With
the stack's demo history: HR sees the validity chart drawn, the high potentials and targets with
their explanation, and approves re-weighting and a pool member by clicking; a manager enters results
and probation progress; interviewers and IT see none of it, and the API refuses them.

``SCREENSHOTS_DIR=docs/screenshots`` (``make screenshots``) keeps the main pages as PNG files.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from infra.local import demo
from infra.local.cognito import DEMO_PASSWORD
from infra.local.simulator import Plan, Simulator, send_all
from tests.support.browser import shot
from tests.support.ids import person
from tests.support.running import PROJECT_DIR, RunningStack, call, wait_until

pytestmark = pytest.mark.e2e

sync_api = pytest.importorskip("playwright.sync_api")
DEMO_DATA = True  # the stack starts with its demo history: performance cycles, analytics, talent pools
APPLICANTS = 6


@dataclass
class HiringEvent:
    requisition_id: str
    application_ids: list[str]
    assigned_id: str


def scored_requisition(
    stack: RunningStack, hr: str, refs: tuple[str, ...], first_person: int, seed: int, **changes: Any
) -> tuple[dict[str, Any], list[str]]:
    """The sample requisition (with ``changes``) and one application per reference, each scored by
    the vendor simulator and applied: (the requisition, the application ids)."""
    import json

    requisition = json.loads((PROJECT_DIR / "events" / "requisition-customer-manager.json").read_text("utf-8"))
    status, req = call(stack, "POST", "/requisitions", hr, requisition | changes)
    assert status == 201, req
    ids = []
    for n, ref in enumerate(refs, start=first_person):
        status, app = call(
            stack, "POST", f"/requisitions/{req['id']}/applications", hr, person(n) | {"external_ref": ref}
        )
        assert status == 201, app
        ids.append(app["id"])
    plan = Plan(
        requisition_id=req["id"], refs=refs, dimensions=tuple(req["dimension_weights"]), vendor="aivendor", seed=seed
    )
    report = send_all(stack.api_url, Simulator(plan).deliveries())
    assert report.by_status() == {200: len(refs)}, report.by_status()
    wait_until("the results applied", lambda: all(call(stack, "GET", f"/applications/{i}", hr)[1]["ai"] for i in ids))
    return req, ids


@pytest.fixture(scope="module")
def event(stack: RunningStack) -> HiringEvent:
    """A requisition of 零售金融部 with six applicants scored by the vendor simulator; one is
    assigned to interviewer.demo."""
    hr = stack.token("hr")
    refs = tuple(f"CON-{n:04d}" for n in range(1, APPLICANTS + 1))
    req, ids = scored_requisition(stack, hr, refs, first_person=501, seed=7)
    status, body = call(stack, "PUT", f"/applications/{ids[0]}/interviewers", hr, {"usernames": ["interviewer.demo"]})
    assert status == 200, body
    return HiringEvent(req["id"], ids, ids[0])


def nav(page: Any) -> list[str]:
    return sorted(page.locator("#nav a").evaluate_all("links => links.map(a => a.dataset.nav)"))


def test_a_wrong_password_is_refused_at_the_hosted_page(signed_in: Any, stack: RunningStack) -> None:
    # When someone signs in with a wrong password
    page = signed_in("hr", password="not-the-password")
    # Then the hosted sign-in page says so in Chinese, and the browser stays there: no code for the console
    page.get_by_role("alert").filter(has_text="用户名或密码错误").wait_for()
    assert page.url.startswith(stack.url("sign-in pages")) and "code=" not in page.url


def test_sign_in_walks_the_code_flow_with_pkce_and_no_password_reaches_the_api(
    browser: Any, stack: RunningStack
) -> None:
    # Given a browser recording every request it sends
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    sent: list[Any] = []
    page.on("request", lambda request: sent.append(request))
    # When HR presses the console's sign-in button, signs in on the hosted page and comes back
    page.goto(f"{stack.api_url}/console/")
    page.click("[data-testid=signin] button[type=submit]")
    page.wait_for_url(f"{stack.url('sign-in pages')}/oauth2/authorize?*")
    page.fill("input[name=username]", "hr.demo")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.locator("[data-testid=requisitions]").wait_for()
    # Then the console asked for a code with an S256 challenge and its state, for its own address
    authorize = next(r for r in sent if "/oauth2/authorize?" in r.url and r.method == "GET")
    query = parse_qs(urlsplit(authorize.url).query)
    assert query["response_type"] == ["code"] and query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) == 43 and query["state"][0]
    assert query["redirect_uri"] == [f"{stack.api_url}/console/"]
    # And exchanged the code with its verifier at the token endpoint (the verifier never went to the authorize page)
    (token,) = [r for r in sent if r.url == f"{stack.url('sign-in pages')}/oauth2/token"]
    exchanged = parse_qs(token.post_data or "")
    assert exchanged["grant_type"] == ["authorization_code"] and exchanged["code_verifier"][0]
    assert exchanged["code_verifier"][0] not in authorize.url
    # And the password went to the hosted page only, never to the API; the address bar no longer shows the code
    assert not [r for r in sent if r.url.startswith(stack.api_url) and DEMO_PASSWORD in (r.post_data or "")]
    assert "code=" not in page.url
    # When HR signs out: back on the console's sign-in card, the token gone
    page.click("#signout")
    page.locator("[data-testid=signin]").wait_for()
    assert page.evaluate("sessionStorage.getItem('console.id_token')") is None
    context.close()


def test_each_role_sees_its_pages_and_not_the_others(signed_in: Any, event: HiringEvent, stack: RunningStack) -> None:
    # When HR signs in
    hr = signed_in("hr")
    hr.locator(f"[data-testid=requisitions] a[href='#/requisitions/{event.requisition_id}']").wait_for()
    # Then HR has every page of today's console, and the page is Chinese first
    assert nav(hr) == [
        "analytics",
        "attrition",
        "audit",
        "employees",
        "onboarding",
        "performance",
        "question-bank",
        "requisitions",
        "security",
        "talent-pools",
        "todo",
    ]
    assert hr.evaluate("document.documentElement.lang") == "zh-CN"
    assert hr.locator("#nav a[data-nav=requisitions]").inner_text() == "招聘需求"
    # And switching to English changes the words
    hr.click("#lang")
    hr.locator("#nav a[data-nav=requisitions]", has_text="Requisitions").wait_for()
    hr.click("#lang")

    # When the retail manager signs in: requisitions of their department only, read-only
    manager = signed_in("manager")
    manager.locator(f"a[href='#/requisitions/{event.requisition_id}']").wait_for()
    assert nav(manager) == [
        "attrition",
        "employees",
        "performance",
        "requisitions",
        "security",
        "talent-pools",
        "todo",
    ]
    manager.goto(f"{stack.api_url}/console/#/applications/{event.application_ids[1]}")
    manager.locator("[data-testid=profile]").wait_for()
    assert manager.locator("[data-testid=actions]").count() == 0
    manager.goto(f"{stack.api_url}/console/#/audit")
    manager.locator("[data-testid=forbidden]").wait_for()

    # When the risk manager signs in: another department's requisition is not listed
    manager2 = signed_in("manager2")
    manager2.locator("[data-testid=requisitions]").wait_for()
    assert manager2.locator(f"a[href='#/requisitions/{event.requisition_id}']").count() == 0
    # and opening it directly is refused by the API
    manager2.goto(f"{stack.api_url}/console/#/requisitions/{event.requisition_id}")
    manager2.locator("[data-testid=page-error]").wait_for()

    # When the interviewer signs in: the assigned application's kit, nothing else
    interviewer = signed_in("interviewer")
    interviewer.locator(f"[data-testid=assignments] a[data-application='{event.assigned_id}']").wait_for()
    assert nav(interviewer) == ["assigned", "security", "todo"]
    interviewer.fill("[data-testid=application-id]", event.assigned_id)
    interviewer.click("button[type=submit]")
    kit = interviewer.frame_locator("[data-testid=kit]")
    kit.locator("body").filter(has_text="复试").wait_for()
    interviewer.goto(f"{stack.api_url}/console/#/applications/{event.application_ids[2]}")
    interviewer.locator("[data-testid=page-error]").wait_for()  # not assigned: 403 from the API
    interviewer.goto(f"{stack.api_url}/console/#/requisitions")
    interviewer.locator("[data-testid=forbidden]").wait_for()

    # When IT signs in: its onboarding board with a notice, nothing else
    it = signed_in("it")
    it.locator("[data-testid=board][data-team=it]").wait_for()
    it.locator("[data-testid=it-notice]").wait_for()
    assert nav(it) == ["onboarding", "security", "todo"]
    assert it.locator("[data-testid=team-picker]").count() == 0
    it.goto(f"{stack.api_url}/console/#/onboarding?team=hr")  # another team's board: still IT's own
    it.locator("[data-testid=board][data-team=it]").wait_for()
    it.goto(f"{stack.api_url}/console/#/applications/{event.application_ids[0]}")
    it.locator("[data-testid=forbidden]").wait_for()
    it.goto(f"{stack.api_url}/console/#/employees")
    it.locator("[data-testid=forbidden]").wait_for()


def test_the_candidate_page_draws_the_radar_chart(signed_in: Any, event: HiringEvent, stack: RunningStack) -> None:
    # Given HR signed in
    page = signed_in("hr")
    page.locator("[data-testid=requisitions]").wait_for()
    # When HR opens a scored candidate
    page.goto(f"{stack.api_url}/console/#/applications/{event.application_ids[0]}")
    canvas = page.locator("[data-testid=radar] canvas")
    canvas.first.wait_for()
    # Then the radar chart is drawn (the canvas has painted pixels), with strengths / weak dimensions
    painted = canvas.first.evaluate(
        """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""
    )
    assert painted > 1000
    assert page.locator("[data-testid=strengths]").inner_text().startswith("优势维度")
    assert page.locator("[data-testid=weak]").count() == 1
    page.wait_for_load_state("networkidle")  # the video panel's requests are done before the picture
    shot(page, "candidate")


def test_hr_confirms_a_shortlist_by_clicking(signed_in: Any, event: HiringEvent, stack: RunningStack) -> None:
    # Given HR on the requisition page: the funnel shows six applicants interviewed
    page = signed_in("hr")
    page.locator("[data-testid=requisitions]").wait_for()
    shot(page, "requisitions")
    page.click(f"a[href='#/requisitions/{event.requisition_id}']")
    page.locator("[data-testid=funnel-chart] canvas").first.wait_for()
    assert page.locator("[data-testid=funnel] tr[data-step=interviewed] td.num").inner_text() == str(APPLICANTS)
    # When HR proposes the shortlist and confirms it by clicking
    page.click("[data-testid=propose]")
    page.locator("[data-testid=proposal] tbody tr").first.wait_for()
    proposed = page.locator("[data-testid=proposal] input[type=checkbox]:checked").evaluate_all(
        "boxes => boxes.map(b => b.dataset.application)"
    )
    assert proposed
    page.click("[data-testid=confirm]")
    # Then HR is asked first, with the count and the effect
    message = page.locator("[data-testid=confirm-message]").inner_text()
    assert f"将向 {len(proposed)} 人发送复试邀请" in message
    page.click("[data-testid=confirm-ok]")
    page.locator("[data-testid=shortlist-result]").filter(has_text=f"{len(proposed)} 人").wait_for()
    # Then the applicants' stage changed, on the page and in the API
    page.locator("[data-testid=funnel] tr[data-step=shortlisted] td.num", has_text=str(len(proposed))).wait_for()
    hr = stack.token("hr")
    for application_id in proposed:
        status, archive = call(stack, "GET", f"/applications/{application_id}", hr)
        assert status == 200 and archive["stage"] == "shortlisted"
    page.select_option("[data-testid=stage-filter]", "shortlisted")
    page.locator("[data-testid=applicants] tbody tr").nth(len(proposed) - 1).wait_for()
    shot(page, "requisition")

    # When HR moves a shortlisted applicant on by clicking an allowed transition
    page.goto(f"{stack.api_url}/console/#/applications/{proposed[0]}")
    buttons = page.locator("[data-testid=actions] button[data-to]")
    buttons.first.wait_for()
    # Then only the transitions HR may do from "shortlisted" are offered
    assert sorted(buttons.evaluate_all("bs => bs.map(b => b.dataset.to)")) == [
        "rejected",
        "second_interview",
        "withdrawn",
    ]
    page.click("[data-testid=actions] button[data-to=second_interview]")
    page.locator("[data-testid=stage][data-stage=second_interview]").wait_for()
    # And the audit trail shows the moves
    page.goto(f"{stack.api_url}/console/#/audit?subject=application:{proposed[0]}")
    page.locator("[data-testid=audit] tbody tr").nth(1).wait_for()
    shot(page, "audit")
    page.goto(f"{stack.api_url}/console/#/kit/{proposed[0]}")
    page.frame_locator("[data-testid=kit]").locator("body").filter(has_text="复试").wait_for()
    shot(page, "interview-kit")


@pytest.fixture(scope="module")
def flow_event(stack: RunningStack) -> HiringEvent:
    """A second requisition of 零售金融部 with three scored applicants, all assigned to interviewer.demo."""
    hr = stack.token("hr")
    refs = ("FLOW-0001", "FLOW-0002", "FLOW-0003")
    req, ids = scored_requisition(stack, hr, refs, first_person=601, seed=11, title="对公客户经理（流程）")
    for application_id in ids:
        status, body = call(
            stack, "PUT", f"/applications/{application_id}/interviewers", hr, {"usernames": ["interviewer.demo"]}
        )
        assert status == 200, body
    return HiringEvent(req["id"], ids, ids[0])


def test_hr_takes_a_candidate_from_shortlist_to_a_signed_offer_by_clicking(
    signed_in: Any, flow_event: HiringEvent, stack: RunningStack
) -> None:
    hr_token = stack.token("hr")

    def stage_of(application_id: str) -> str:
        status, archive = call(stack, "GET", f"/applications/{application_id}", hr_token)
        assert status == 200, archive
        return str(archive["stage"])

    # Given HR confirms the shortlist of the requisition by clicking
    hr = signed_in("hr")
    hr.locator("[data-testid=requisitions]").wait_for()
    hr.goto(f"{stack.api_url}/console/#/requisitions/{flow_event.requisition_id}")
    hr.click("[data-testid=propose]")
    hr.locator("[data-testid=proposal] tbody tr").first.wait_for()
    chosen = hr.locator("[data-testid=proposal] input[type=checkbox]:checked").first.get_attribute("data-application")
    hr.click("[data-testid=confirm]")
    hr.click("[data-testid=confirm-ok]")
    hr.locator("[data-testid=shortlist-result]").filter(has_text="人").wait_for()
    assert stage_of(chosen) == "shortlisted"
    # And moves the candidate to the second interview
    hr.goto(f"{stack.api_url}/console/#/applications/{chosen}")
    hr.click("[data-testid=actions] button[data-to=second_interview]")
    hr.locator("[data-testid=stage][data-stage=second_interview]").wait_for()

    # When the interviewer opens the candidate from their list and submits an evaluation in the form
    interviewer = signed_in("interviewer")
    interviewer.click(f"[data-testid=assignments] a[data-application='{chosen}']")
    form = interviewer.locator("[data-testid=evaluation-form]")
    form.wait_for()
    inputs = form.locator("input[data-dimension]")
    for n in range(inputs.count()):
        inputs.nth(n).fill(str(78 + n % 3))
    interviewer.fill("[data-testid=evaluation-comment]", "逻辑清晰，客户意识强")
    interviewer.select_option("[data-testid=evaluation-recommendation]", "hire")
    shot(interviewer, "evaluation-form")
    interviewer.click("[data-testid=evaluation-submit]")
    interviewer.locator("[data-testid=evaluation]").filter(has_text="interviewer.demo").wait_for()

    # Then HR sees the evaluation beside the AI, moves the candidate to "evaluated" and orders a check
    hr.reload()
    hr.locator("[data-testid=evaluation]").filter(has_text="interviewer.demo").wait_for()
    hr.click("[data-testid=actions] button[data-to=evaluated]")
    hr.locator("[data-testid=stage][data-stage=evaluated]").wait_for()
    hr.click("[data-testid=order-check-button]")
    hr.locator("[data-testid=stage][data-stage=background_check]").wait_for()
    # And the simulated vendor answers (bounded poll on the API), the page shows the result
    wait_until(
        "the background check result",
        lambda: (
            call(stack, "GET", f"/applications/{chosen}/background-checks", hr_token)[1]["items"][0]["status"]
            in ("completed", "failed")
        ),
    )
    hr.reload()
    check = hr.locator("[data-testid=background-check]").first
    check.wait_for()
    assert check.get_attribute("data-status") == "completed"
    if check.get_attribute("data-outcome") == "consider":  # some simulated facts need HR's review
        hr.fill("[data-testid=review-reason]", "候选人已补充证明材料")
        hr.click("[data-review=clear]")
        hr.locator("[data-testid=background-check][data-outcome=clear]").wait_for()
    hr.locator("[data-testid=confidence] tbody tr").first.wait_for()
    assert "%" in hr.locator("[data-testid=overall-confidence]").inner_text()
    shot(hr, "candidate-background")

    # When HR makes the offer with the proposed salary
    hr.locator("[data-testid=salary-proposal]").wait_for()
    hr.fill("[data-testid=offer-grade]", "P5")
    hr.click("[data-testid=make-offer]")
    hr.locator("[data-testid=offer][data-status=pending_approval]").wait_for()
    assert hr.locator("[data-testid=offer-approval]").count() == 0  # HR does not approve for the manager
    assert hr.locator("[data-testid=offer-pdf]").get_attribute("href")

    # And the department manager approves it by clicking
    manager = signed_in("manager")
    manager.locator("[data-testid=requisitions]").wait_for()
    manager.goto(f"{stack.api_url}/console/#/applications/{chosen}")
    manager.locator("[data-testid=offer-approval]").wait_for()
    assert manager.locator("[data-testid=make-offer]").count() == 0
    manager.fill("[data-testid=approval-comment]", "同意录用")
    manager.click("[data-decision=approve]")
    assert "电子签约" in manager.locator("[data-testid=confirm-message]").inner_text()
    manager.click("[data-testid=confirm-ok]")
    manager.locator("[data-testid=offer]:not([data-status=pending_approval])").wait_for()

    # Then the simulated e-signature vendor signs, and HR sees offer_signed
    wait_until("the signed offer", lambda: stage_of(chosen) == "offer_signed")
    hr.reload()
    hr.locator("[data-testid=stage][data-stage=offer_signed]").wait_for()
    hr.locator("[data-testid=offer][data-status=signed]").wait_for()
    shot(hr, "candidate-offer")

    # And the hire appears on IT's board, where IT moves a task by clicking
    wait_until("the hire's tasks", lambda: call(stack, "GET", f"/employees/{chosen}/tasks", hr_token)[0] == 200)
    it = signed_in("it")
    card = it.locator(f"[data-testid=task][data-task='{chosen}.mailbox']")
    card.wait_for()
    card.locator("button[data-to=done]").click()
    it.locator(f"[data-testid=task][data-task='{chosen}.mailbox'][data-status=done]").wait_for()
    shot(it, "onboarding-it")
    # And HR sees every team's board, the employee's training plan and probation progress bars
    hr.goto(f"{stack.api_url}/console/#/onboarding?team=hr")
    hr.locator("[data-testid=board][data-team=hr]").wait_for()
    hr.locator(f"[data-testid=task][data-task='{chosen}.contract']").wait_for()
    hr.goto(f"{stack.api_url}/console/#/employees/{chosen}")
    hr.locator("[data-testid=goals] [data-testid=goal-progress]").first.wait_for()
    hr.locator("[data-testid=weighted-completion]").wait_for()
    hr.locator("[data-testid=confirm-goals]").wait_for()
    shot(hr, "employee")
    hr.goto(f"{stack.api_url}/console/#/attrition")
    hr.locator("[data-testid=attrition-chart] canvas").first.wait_for()
    shot(hr, "attrition")


# -- performance, analytics and talent pools (the local stack's demo history, infra/local/demo.py) ----

PAINTED = """c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                     let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }"""


def test_hr_sees_validity_high_potentials_and_approves_by_clicking(signed_in: Any, stack: RunningStack) -> None:
    # Given HR signed in: the performance and analytics pages are in the menu
    page = signed_in("hr")
    page.locator("[data-testid=requisitions]").wait_for()
    assert {"performance", "analytics", "talent-pools"} <= set(nav(page))

    # When HR opens analytics
    page.goto(f"{stack.api_url}/console/#/analytics")
    canvas = page.locator("[data-testid=validity-chart] canvas").first
    canvas.wait_for()
    # Then the validity chart is drawn, one row for the hiring score and one per interview dimension, with
    # the high potentials listed
    assert canvas.evaluate(PAINTED) > 1000
    assert page.locator("[data-testid=validity] tbody tr").count() == len(demo.DIMENSIONS) + 1
    assert page.locator("[data-testid=validity] tr[data-id=logic]").inner_text().count("✓") == 1
    page.locator("[data-testid=high-potential] tbody tr a").first.wait_for()
    # And each panel says in one Chinese sentence what its number means and how sure it is, on how many
    # people, with the jargon in a tooltip
    sentence = page.locator("[data-testid=validity-sentence]").inner_text()
    assert "相关系数 r = " in sentence and "95% 区间" in sentence and f"n = {demo.ACTIVE}" in sentence
    conditional = page.locator("[data-testid=conditional-sentence][data-enough=yes]")
    conditional.wait_for()
    assert (
        conditional.inner_text().startswith("逻辑思维得分 ≥ 80 的员工中，约 ")
        and "95% 区间" in conditional.inner_text()
    )
    assert "面试综合分前 20%" in page.locator("[data-testid=hp-sentence]").inner_text()
    assert "95% 区间" in page.locator("[data-testid=bands-sentence]").inner_text()
    assert "数据不足" in page.locator("[data-testid=risk-sentence]").inner_text()  # the demo's few leavers
    assert "Holm" in (page.locator("[data-testid=validity-panel] [data-testid=info]").get_attribute("title") or "")
    assert (
        f"基于全部 {demo.ACTIVE} 人"
        in page.locator("[data-testid=validity-panel] [data-testid=population]").inner_text()
    )
    # And the table downloads as CSV with the Bearer token
    with page.expect_download() as info:
        page.click("[data-testid=validity-chart] ~ .toolbar [data-download=csv]")
    assert info.value.suggested_filename == "validity.csv"
    shot(page, "analytics-validity")
    # And a threshold too few people reach is answered "not enough data" instead of a percentage
    page.fill("[data-testid=conditional-d]", "97")
    page.click("[data-testid=conditional-go]")
    page.locator("[data-testid=conditional-sentence][data-enough=no]", has_text="数据不足").wait_for()

    # When HR opens the re-weighting proposal for customer managers
    page.click("[data-testid=analytics-tabs] a[data-tab='analytics/reweighting']")
    page.locator("[data-testid=weights-chart] canvas").first.wait_for()
    # Then it shows old and new weights, n, the out-of-sample gain with its interval and the guards
    assert "交叉验证，95% 区间" in page.locator("[data-testid=gain-sentence]").inner_text()
    assert f"当前 {demo.RETAIL}" in page.locator("[data-testid=guards]").inner_text()
    assert page.locator("[data-testid=reweighting] tbody tr").count() == len(demo.DIMENSIONS)
    # And approval needs a reason: the button waits for one
    assert page.locator("[data-testid=approve-weights]").is_disabled()
    page.fill("[data-testid=approve-reason]", "上半年效度分析")
    page.click("[data-testid=approve-weights]")
    page.click("[data-testid=confirm-ok]")
    # Then it is approved
    page.locator("[data-testid=approve-result].notice").wait_for()
    shot(page, "analytics-reweighting")
    # And the risk managers' proposal (fewer rated hires than the minimum) cannot be approved
    page.select_option("[data-testid=analytics-family]", "risk_manager")
    blocked = page.locator("[data-testid=approval-blocked]")
    blocked.wait_for()
    assert "数据不足" in blocked.inner_text() and page.locator("[data-testid=approve-weights]").count() == 0

    # When HR accepts a proposed talent-pool member by clicking
    page.click("[data-testid=analytics-tabs] a[data-tab=talent-pools]")
    accept = page.locator("[data-testid=pool-members] button[data-decision=accept]").first
    accept.wait_for()
    employee_id = accept.get_attribute("data-employee")
    accept.click()
    # Then the member's status is "member"
    page.locator(f"[data-testid=pool-members] tr[data-id='{employee_id}'] [data-status=member]").wait_for()
    shot(page, "talent-pools")
    # And the attrition trend is in the same section
    page.click("[data-testid=analytics-tabs] a[data-tab=attrition]")
    page.locator("[data-testid=attrition-chart] canvas").first.wait_for()


def test_hr_reads_targets_with_their_explanation_and_overrides_one(signed_in: Any, stack: RunningStack) -> None:
    # Given HR on the performance cycles
    page = signed_in("hr")
    page.locator("[data-testid=requisitions]").wait_for()
    page.goto(f"{stack.api_url}/console/#/performance")
    page.click(f"[data-testid=cycles] a[data-cycle={demo.OPEN_CYCLE}]")
    # When HR opens an enrolled employee of the open quarter
    page.locator("[data-testid=cycle-people] a[data-employee='demo-001']").wait_for()
    shot(page, "performance-cycle")
    page.click("[data-testid=cycle-people] a[data-employee='demo-001']")
    # Then every target has its explanation
    reasons = page.locator("[data-testid=targets] [data-testid=target-reason]")
    reasons.first.wait_for()
    assert all(text.strip() for text in reasons.all_inner_texts())
    # When HR overrides the first target with a reason
    kpi = page.locator("[data-testid=override]").first.get_attribute("data-kpi")
    page.fill(f"[data-testid=override-target][data-kpi='{kpi}']", "123")
    page.fill(f"[data-testid=override-reason][data-kpi='{kpi}']", "网点客群调整")
    page.click(f"[data-testid=override][data-kpi='{kpi}']")
    # Then the target and its explanation change
    page.locator(f"[data-testid=target-value][data-kpi='{kpi}']", has_text="123").wait_for()
    row = page.locator(f"[data-testid=targets] tr[data-id='{kpi}']")
    assert "网点客群调整" in row.inner_text()

    # And a record with some results only is shown as partial, without an overall score
    page.goto(f"{stack.api_url}/console/#/performance/{demo.OPEN_CYCLE}/{demo.PARTIAL[0]}")
    page.locator("[data-testid=record][data-status=partial] [data-testid=partial-note]").wait_for()
    assert page.locator("[data-testid=overall-score]").count() == 0
    # When HR closes it with a reason
    page.fill("[data-testid=close-reason]", "系统迁移，其余指标本期无数据")
    page.click("[data-testid=close]")
    page.click("[data-testid=confirm-ok]")
    # Then it is scored on the KPIs with results, the others excluded, with the reason shown
    page.locator("[data-testid=record][data-status=scored] [data-testid=overall-score]").wait_for()
    assert "系统迁移" in page.locator("[data-testid=closure]").inner_text()
    assert page.locator("[data-testid=targets] [data-testid=excluded]").count() > 0

    # And the scored half year shows results, scores and the history chart
    page.goto(f"{stack.api_url}/console/#/performance/{demo.PAST_CYCLE}/demo-000")
    page.locator("[data-testid=record][data-status=scored]").wait_for()
    page.locator("[data-testid=history-chart] canvas").first.wait_for()
    assert page.locator("[data-testid=save-results]").count() == 0  # the cycle is closed
    shot(page, "performance-record")


def test_a_manager_enters_results_and_probation_progress(signed_in: Any, stack: RunningStack) -> None:
    # Given the retail manager on an enrolled hire's record in the open quarter
    page = signed_in("manager")
    page.locator("[data-testid=requisitions]").wait_for()
    assert "analytics" not in nav(page) and "performance" in nav(page)
    page.goto(f"{stack.api_url}/console/#/performance/{demo.OPEN_CYCLE}/demo-000")
    inputs = page.locator("[data-testid=targets] input[data-testid=actual]")
    inputs.first.wait_for()
    assert page.locator("[data-testid=override]").count() == 0  # HR's action is absent
    # When the manager types a result ten times off its target (a unit slip) and saves
    inputs.first.fill("0.001")
    page.click("[data-testid=save-results]")
    # Then the confirmation names it before anything is scored, and cancelling changes nothing
    assert "请核对单位" in page.locator("[data-testid=confirm-message]").inner_text()
    page.click("[data-testid=confirm-cancel]")
    assert inputs.first.get_attribute("aria-invalid") == "true"
    # When the manager enters every result and saves
    for n in range(inputs.count()):
        inputs.nth(n).fill("90")
    page.click("[data-testid=save-results]")
    page.click("[data-testid=confirm-ok]")
    # Then the record is scored, on the page and in the API
    page.locator("[data-testid=record][data-status=scored] [data-testid=overall-score]").wait_for()
    status, record = call(stack, "GET", f"/performance/cycles/{demo.OPEN_CYCLE}/employees/demo-000", stack.token("hr"))
    assert status == 200 and record["status"] == "scored" and record["overall_score"] is not None
    shot(page, "performance-results")

    # Given the demo hire's probation running (HR confirmed it, with long waits)
    durations = {"check_in": 3600, "mid_term": 3600, "end": 3600, "decision_timeout": 3600, "heartbeat": 3600}
    path = f"/employees/{demo.PROBATION_EMPLOYEE}/probation"
    status, started = call(stack, "POST", f"{path}/confirm", stack.token("hr"), {"durations": durations})
    assert status == 201, started
    # When the manager records progress on a goal by clicking
    page.goto(f"{stack.api_url}/console/#/employees/{demo.PROBATION_EMPLOYEE}")
    page.locator("[data-testid=progress-form]").wait_for()
    goal = page.locator("[data-testid=progress-goal] option").first.get_attribute("value")
    page.fill("[data-testid=progress-amount]", "2")
    page.fill("[data-testid=progress-note]", "拜访两家企业客户")
    page.click("[data-testid=record-progress]")
    # Then the goal's bar moves and the API has the progress
    page.locator("[data-testid=weighted-completion]:not([data-value='0'])").wait_for()
    _, view = call(stack, "GET", path, stack.token("manager"))
    assert next(g for g in view["goals"] if g["id"] == goal)["achieved"] == 2
    shot(page, "probation-progress")


def test_hr_assigns_an_interviewer_on_the_candidate_page(
    signed_in: Any, event: HiringEvent, stack: RunningStack
) -> None:
    # Given an application of 零售金融部 no interviewer is assigned to
    application_id = event.application_ids[3]
    # When HR assigns interviewer.demo on the candidate page
    page = signed_in("hr")
    page.locator("[data-testid=requisitions]").wait_for()
    page.goto(f"{stack.api_url}/console/#/applications/{application_id}")
    page.fill("[data-testid=interviewers-input]", "interviewer.demo")
    page.click("[data-testid=assign-interviewers]")
    # Then the page lists them and the interviewer's own list has the application
    page.locator("[data-testid=interviewers]", has_text="interviewer.demo").wait_for()
    _, mine = call(stack, "GET", "/me/assignments", stack.token("interviewer"))
    assert application_id in [i["application_id"] for i in mine["items"]]


@pytest.mark.parametrize("role", ["interviewer", "it"])
def test_interviewers_and_it_neither_see_nor_reach_these_pages(signed_in: Any, stack: RunningStack, role: str) -> None:
    # When an interviewer or IT signs in
    page = signed_in(role)
    page.locator("#nav a").first.wait_for()
    # Then no performance or analytics page is in the menu, and opening one is refused
    assert not {"performance", "analytics", "talent-pools"} & set(nav(page))
    for route in (
        "analytics",
        "analytics/reweighting",
        "talent-pools",
        "performance",
        f"performance/{demo.OPEN_CYCLE}",
    ):
        page.goto(f"{stack.api_url}/console/#/{route}")
        page.locator("[data-testid=forbidden]").wait_for()
    # And the API refuses them too
    token = stack.token(role)
    for path in (
        f"/analytics/validity?cycle_id={demo.PAST_CYCLE}",
        f"/analytics/high-potential?cycle_id={demo.PAST_CYCLE}",
        "/talent-pools",
        "/performance/cycles",
        f"/performance/cycles/{demo.OPEN_CYCLE}/employees/demo-000",
    ):
        assert call(stack, "GET", path, token)[0] == 403, path
