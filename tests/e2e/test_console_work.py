"""Each role does its job in the console, from a fresh local stack and without curl: HR creates a
requisition in the form, imports a spreadsheet (progress and per-row results), decides screening in
bulk after a confirmation naming the count.

``SCREENSHOTS_DIR=docs/screenshots`` (``make screenshots``) keeps the pages as PNG files.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.browser import chromium, shot, sign_in_pages
from tests.support.ids import person
from tests.support.running import RunningStack, call
from tests.support.spreadsheets import csv_bytes, rows_for

pytestmark = pytest.mark.e2e

sync_api = pytest.importorskip("playwright.sync_api")
IMPORTED = 6  # valid rows of the spreadsheet; one more row has a wrong check digit


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        with chromium(sync_api) as instance:
            yield instance
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def signed_in(browser: Any, stack: RunningStack) -> Iterator[Any]:
    with sign_in_pages(browser, stack) as sign_in:
        yield sign_in


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


def test_hr_creates_a_requisition_imports_applicants_and_decides_in_bulk(
    signed_in: Any, stack: RunningStack, tmp_path: Path
) -> None:
    # Given HR on the requisitions page
    page = signed_in("hr")
    page.click("[data-testid=new-requisition]")
    # When HR fills the form with weights that do not sum to 1
    page.fill("[data-testid=req-title]", "零售客户经理（社会招聘）")
    page.fill("[data-testid=req-department]", "零售金融部")
    page.select_option("[data-testid=req-family]", "customer_manager")
    page.fill("[data-testid=req-headcount]", "5")
    page.fill("[data-testid=req-salary-min]", "150000")
    page.fill("[data-testid=req-salary-max]", "260000")
    page.fill("input[data-weight=logic]", "0.9")
    page.fill("input[data-bar=customer_orientation]", "75")
    page.fill("[data-testid=req-required]", "本科：学士，硕士")
    page.fill("[data-testid=req-preferred]", "CFA：特许金融分析师\n客户营销：市场营销、客户拓展")
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
