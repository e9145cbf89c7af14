"""Each role does its job in the console, from a fresh local stack and without curl: HR creates a
requisition in the form, imports a spreadsheet (progress and per-row results), decides screening in
bulk after a confirmation naming the count, searches, filters and sorts on the server with the view
kept in the URL; then the walk of every role: HR confirms a shortlist (with the confirmation), orders
a check and makes an offer; the manager approves it from 我的待办; the interviewer evaluates blind on a
390 px phone; IT completes a task. No page shows a raw enum value.

``SCREENSHOTS_DIR=docs/screenshots`` (``make screenshots``) keeps the pages as PNG files.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from infra.local.simulator import Plan, Simulator, send_all
from tests.support.browser import (
    PHONE,
    accessibility_violations,
    horizontal_overflow,
    raw_enums,
    shot,
)
from tests.support.ids import person
from tests.support.running import RunningStack, call, wait_until
from tests.support.spreadsheets import FIELDS, HEADER_ZH, csv_bytes, rows_for

pytestmark = pytest.mark.e2e

sync_api = pytest.importorskip("playwright.sync_api")
IMPORTED = 6  # valid rows of the spreadsheet; one more row has a wrong check digit


def applicants_csv(tmp_path: Path) -> Path:
    """Six valid applicants and one whose national ID has a wrong check digit."""
    rows = rows_for([person(700 + n) for n in range(IMPORTED)])
    bad = person(799)
    wrong_digit = bad["national_id"][:-1] + "0"
    assert wrong_digit != bad["national_id"]
    rows.append([bad["name"], bad["email"], bad["phone"], wrong_digit, bad["education"], "营销", "99"])
    path = tmp_path / "applicants.csv"
    path.write_bytes(csv_bytes(rows))
    return path


def fill_requisition(page: Any, title: str) -> None:
    """HR's new-requisition form, filled for the retail department (weights left as spread)."""
    page.click("[data-testid=new-requisition]")
    page.fill("[data-testid=req-title]", title)
    page.fill("[data-testid=req-department]", "零售金融部")
    page.select_option("[data-testid=req-family]", "customer_manager")
    page.fill("[data-testid=req-headcount]", "5")
    page.fill("[data-testid=req-salary-min]", "150000")
    page.fill("[data-testid=req-salary-max]", "260000")
    page.fill("input[data-bar=customer_orientation]", "75")
    page.fill("[data-testid=req-required]", "本科：学士，硕士")
    page.fill("[data-testid=req-preferred]", "CFA：特许金融分析师\n客户营销：市场营销、客户拓展")


def test_hr_creates_a_requisition_imports_applicants_and_decides_in_bulk(
    signed_in: Any, stack: RunningStack, tmp_path: Path
) -> None:
    # Given HR on the requisitions page
    page = signed_in("hr")
    # When HR fills the form with weights that do not sum to 1
    fill_requisition(page, "零售客户经理（社会招聘）")
    page.fill("input[data-weight=logic]", "0.9")
    page.click("[data-testid=req-submit]")
    # Then the form refuses it in Chinese and nothing is created
    page.locator("[data-testid=req-result]", has_text="须等于 1").wait_for()
    hr = stack.token("hr")
    assert call(stack, "GET", "/requisitions", hr)[1]["items"] == []
    # When HR spreads the weights evenly and submits
    page.click("[data-testid=spread-weights]")
    assert page.locator("[data-testid=weight-sum]").inner_text() == "1"
    shot(page, "requisition-form")
    page.click("[data-testid=req-submit]")
    # Then the requisition page opens, and the API has the keywords with their aliases and the bar
    page.locator("[data-testid=import-panel]").wait_for()
    requisition_id = page.evaluate("location.hash").split("/")[-1]
    status, req = call(stack, "GET", f"/requisitions/{requisition_id}", hr)
    assert status == 200, req
    assert abs(sum(req["dimension_weights"].values()) - 1) < 1e-6
    assert req["competency_bar"] == {"customer_orientation": 75}
    assert {"term": "客户营销", "aliases": ["市场营销", "客户拓展"]} in req["preferred_keywords"]

    # When HR imports the spreadsheet
    page.set_input_files("[data-testid=import-file]", str(applicants_csv(tmp_path)))
    page.click("[data-testid=import-start]")
    # Then the progress ends "completed" with every row's result, the rejected row first
    page.locator("[data-testid=import-status][data-state=completed]").wait_for()
    results = page.locator("[data-testid=import-results] tbody tr")
    results.nth(IMPORTED).wait_for()
    assert results.count() == IMPORTED + 1
    assert results.first.locator("[data-outcome]").get_attribute("data-outcome") == "rejected"
    # And the applicant list shows the imported applicants
    page.locator("[data-testid=applicants] tbody tr").nth(IMPORTED - 1).wait_for()
    shot(page, "requisition-import")

    # When HR selects two applicants, chooses "reject" with a reason, and cancels the confirmation
    boxes = page.locator("[data-testid=applicants] input[data-select]")
    chosen = [boxes.nth(n).get_attribute("data-select") for n in range(2)]
    for n in range(2):
        boxes.nth(n).check()
    page.select_option("[data-testid=bulk-decision]", "reject")
    page.fill("[data-testid=bulk-reason]", "工作年限不足")
    page.click("[data-testid=bulk-apply]")
    assert "将拒绝 2 人" in page.locator("[data-testid=confirm-message]").inner_text()
    page.click("[data-testid=confirm-cancel]")
    # Then nothing changed
    assert all(call(stack, "GET", f"/applications/{i}", hr)[1]["stage"] != "rejected" for i in chosen)
    # When HR confirms
    page.click("[data-testid=bulk-apply]")
    page.click("[data-testid=confirm-ok]")
    # Then both are rejected, on the page and in the API
    page.locator("[data-testid=bulk-result]", has_text="已处理 2 人").wait_for()
    assert all(call(stack, "GET", f"/applications/{i}", hr)[1]["stage"] == "rejected" for i in chosen)

    # When HR filters the rejected stage and sorts by score (the two combine), with the total shown
    page.select_option("[data-testid=stage-filter]", "rejected")
    page.locator("[data-testid=total][data-total='2']").wait_for()
    page.select_option("[data-testid=order]", "score")
    page.locator("[data-testid=total][data-total='2']").wait_for()
    assert page.locator("[data-testid=stage-filter]").is_enabled()
    # And searches a name on the server
    page.select_option("[data-testid=stage-filter]", "")
    page.fill("[data-testid=search]", "张0703")
    page.click("[data-testid=search-go]")
    page.locator("[data-testid=total][data-total='1']").wait_for()
    assert "张0703" in page.locator("[data-testid=applicants] tbody tr").inner_text()
    # Then the URL is the view's state: opened again, it shows the same search and order
    assert "q=" in page.url and "order=score" in page.url
    page.reload()
    page.locator("[data-testid=total][data-total='1']").wait_for()
    assert page.locator("[data-testid=search]").input_value() == "张0703"
    assert page.locator("[data-testid=order]").input_value() == "score"


def test_each_role_does_its_job_from_a_fresh_stack(signed_in: Any, stack: RunningStack, tmp_path: Path) -> None:
    hr_token = stack.token("hr")
    # Given HR creates a requisition in the form and imports four applicants with their references
    hr = signed_in("hr")
    fill_requisition(hr, "对公客户经理（全流程）")
    hr.click("[data-testid=req-submit]")
    hr.locator("[data-testid=import-panel]").wait_for()
    requisition_id = hr.evaluate("location.hash").split("/")[-1]
    refs = tuple(f"WALK-{n:04d}" for n in range(1, 5))
    rows = [[p[f] for f in FIELDS] + [ref] for p, ref in zip([person(900 + n) for n in range(4)], refs, strict=True)]
    path = tmp_path / "walk.csv"
    path.write_bytes(csv_bytes(rows, header=[*HEADER_ZH[:-1], "候选人编号"]))
    hr.set_input_files("[data-testid=import-file]", str(path))
    hr.click("[data-testid=import-start]")
    hr.locator("[data-testid=import-status][data-state=completed]").wait_for()
    # And the AI-interview vendor delivers their results (the vendor simulator's signed webhooks)
    _, req = call(stack, "GET", f"/requisitions/{requisition_id}", hr_token)
    plan = Plan(
        requisition_id=requisition_id, refs=refs, dimensions=tuple(req["dimension_weights"]), vendor="aivendor", seed=5
    )
    assert send_all(stack.api_url, Simulator(plan).deliveries()).by_status() == {200: len(refs)}
    wait_until(
        "the results applied",
        lambda: call(stack, "GET", f"/requisitions/{requisition_id}", hr_token)[1]["scored_count"] == 4,
    )

    # When HR proposes the shortlist and confirms it
    hr.reload()
    hr.click("[data-testid=propose]")
    hr.locator("[data-testid=proposal] tbody tr").first.wait_for()
    chosen = hr.locator("[data-testid=proposal] input[type=checkbox]:checked").evaluate_all(
        "bs => bs.map(b => b.dataset.application)"
    )
    hr.click("[data-testid=confirm]")
    # Then the confirmation names the count and the effect before anything is sent
    assert f"将向 {len(chosen)} 人发送复试邀请" in hr.locator("[data-testid=confirm-message]").inner_text()
    hr.click("[data-testid=confirm-ok]")
    hr.locator("[data-testid=shortlist-result]").filter(has_text="人").wait_for()
    assert raw_enums(hr) == []
    # And HR assigns the interviewer to the first and moves it to the second interview
    candidate = chosen[0]
    hr.goto(f"{stack.api_url}/console/#/applications/{candidate}")
    version = hr.locator("[data-testid=stage]").get_attribute("data-version")
    hr.fill("[data-testid=interviewers-input]", "interviewer.demo")
    hr.click("[data-testid=assign-interviewers]")
    hr.locator(f"[data-testid=stage]:not([data-version='{version}'])").wait_for()  # redrawn at the new version
    hr.locator("[data-testid=interviewers]", has_text="interviewer.demo").wait_for()
    hr.click("[data-testid=actions] button[data-to=second_interview]")
    hr.locator("[data-testid=stage][data-stage=second_interview]").wait_for()

    # When the interviewer opens 我的待办 on a 390 px phone
    interviewer = signed_in("interviewer", viewport=PHONE)
    interviewer.locator("#nav a").first.wait_for()
    interviewer.goto(f"{stack.api_url}/console/#/todo")
    due = interviewer.locator(f"[data-testid=todo-items] a[data-todo=evaluation_due][data-subject='{candidate}']")
    due.wait_for()
    assert horizontal_overflow(interviewer) == 0
    due.click()
    # Then the evaluation is blind: no AI view, no recommendation chosen
    form = interviewer.locator("[data-testid=evaluation-form]")
    form.wait_for()
    interviewer.locator("[data-testid=ai-hidden]").wait_for()
    assert interviewer.locator("[data-testid=radar] canvas").count() == 0
    assert interviewer.locator("[data-testid=evaluation-recommendation]").input_value() == ""
    assert horizontal_overflow(interviewer) == 0
    shot(interviewer, "evaluation-blind-phone")
    # When the interviewer rates every dimension and submits without a recommendation: refused
    inputs = form.locator("input[data-dimension]")
    for n in range(inputs.count()):
        inputs.nth(n).fill(str(76 + n % 4))
    interviewer.fill("[data-testid=evaluation-comment]", "沟通顺畅，风险意识较强")
    interviewer.click("[data-testid=evaluation-submit]")
    interviewer.locator("[data-testid=action-error]", has_text="请先选择推荐意见").wait_for()
    # And with one, the evaluation is saved and the AI's view appears beside it
    interviewer.select_option("[data-testid=evaluation-recommendation]", "hire")
    interviewer.click("[data-testid=evaluation-submit]")
    interviewer.locator("[data-testid=radar] canvas").first.wait_for()
    interviewer.locator("[data-testid=evaluation]").filter(has_text="interviewer.demo").wait_for()
    assert raw_enums(interviewer) == []

    # When HR moves the candidate to evaluated and orders the background check
    hr.reload()
    hr.click("[data-testid=actions] button[data-to=evaluated]")
    hr.locator("[data-testid=stage][data-stage=evaluated]").wait_for()
    hr.click("[data-testid=order-check-button]")
    # Then the vendor's result appears on the page without a reload
    hr.locator("[data-testid=background-check][data-status=completed]").wait_for(timeout=120_000)
    if hr.locator("[data-testid=background-check]").first.get_attribute("data-outcome") == "consider":
        hr.fill("[data-testid=review-reason]", "候选人已补充证明材料")
        hr.click("[data-review=clear]")
        hr.locator("[data-testid=background-check][data-outcome=clear]").wait_for()
    assert raw_enums(hr) == []
    # When HR makes the offer
    hr.locator("[data-testid=salary-proposal]").wait_for()
    hr.click("[data-testid=make-offer]")
    hr.locator("[data-testid=offer][data-status=pending_approval]").wait_for()

    # Then the manager finds it in 我的待办 and approves it there, after the confirmation
    manager = signed_in("manager")
    manager.locator("[data-testid=requisitions]").wait_for()
    manager.click("#nav a[data-nav=todo]")
    item = manager.locator(f"a[data-todo=offer_approval][data-subject='{candidate}']")
    item.wait_for()
    shot(manager, "todo")
    item.click()
    manager.locator("[data-testid=offer-approval]").wait_for()
    manager.click("[data-decision=approve]")
    assert "电子签约" in manager.locator("[data-testid=confirm-message]").inner_text()
    manager.click("[data-testid=confirm-ok]")
    manager.locator("[data-testid=offer]:not([data-status=pending_approval])").wait_for()
    assert raw_enums(manager) == []

    # And HR finds the candidate's audit trail by name, not by id, and picks a department from a list
    hr.goto(f"{stack.api_url}/console/#/audit")
    hr.select_option("[data-testid=audit-requisition]", requisition_id)
    hr.fill("[data-testid=audit-name]", call(stack, "GET", f"/applications/{candidate}", hr_token)[1]["name"])
    hr.click("[data-testid=audit-find]")
    hr.click(f"[data-testid=audit-found] [data-subject='application:{candidate}']")
    hr.locator("[data-testid=audit] tbody tr").nth(1).wait_for()
    hr.goto(f"{stack.api_url}/console/#/employees")
    hr.locator("[data-testid=department]").wait_for()
    assert hr.locator("#employee-departments option[value='零售金融部']").count() == 1

    # And once the candidate signed (the e-signature simulator), IT completes a task on its board
    wait_until("the hire's tasks", lambda: call(stack, "GET", f"/employees/{candidate}/tasks", hr_token)[0] == 200)
    it = signed_in("it")
    it.locator("#nav a").first.wait_for()
    it.goto(f"{stack.api_url}/console/#/todo")
    it.locator("[data-testid=todo-items] a[data-todo=onboarding_tasks]").click()
    card = it.locator(f"[data-testid=task][data-task='{candidate}.mailbox']")
    card.locator("button[data-to=done]").click()
    it.locator(f"[data-testid=task][data-task='{candidate}.mailbox'][data-status=done]").wait_for()


def test_the_main_pages_have_no_critical_or_serious_accessibility_violation(
    signed_in: Any, stack: RunningStack
) -> None:
    # Given a requisition with an applicant
    hr_token = stack.token("hr")
    requisitions = call(stack, "GET", "/requisitions", hr_token)[1]["items"]
    assert requisitions, "the tests above create requisitions"
    requisition_id = requisitions[0]["id"]
    # When axe-core (bundled from npm) checks HR's main pages, the manager's and IT's
    hr = signed_in("hr", bypass_csp=True)
    hr.locator("[data-testid=requisitions]").wait_for()
    found = {"requisitions": accessibility_violations(hr)}
    for route, ready in (
        (f"requisitions/{requisition_id}", "[data-testid=applicants] tbody tr"),
        ("requisitions/new", "[data-testid=requisition-form]"),
        ("todo", "[data-testid=todo-refreshed]"),
        ("onboarding?team=hr", "[data-testid=board]"),
    ):
        hr.goto(f"{stack.api_url}/console/#/{route}")
        hr.locator(ready).first.wait_for()
        found[route] = accessibility_violations(hr)
    applicant = call(stack, "GET", f"/requisitions/{requisition_id}/applications?limit=1", hr_token)[1]["items"][0]
    hr.goto(f"{stack.api_url}/console/#/applications/{applicant['id']}")
    hr.locator("[data-testid=profile]").wait_for()
    found["candidate"] = accessibility_violations(hr)
    manager = signed_in("manager", viewport=PHONE, bypass_csp=True)
    manager.locator("[data-testid=requisitions]").wait_for()
    found["manager at 390 px"] = accessibility_violations(manager)
    # Then none is critical or serious
    assert {page: v for page, v in found.items() if v} == {}
