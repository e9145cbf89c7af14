"""The console in headless Chromium (Debian's ``chromium``, driven by Playwright, no browser download):
the browser, a signed-in page per demo role (at a chosen viewport) and screenshots for the docs."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from infra.local.cognito import DEMO_PASSWORD
from tests.support.running import RunningStack

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
USERS = {
    "hr": "hr.demo",
    "manager": "manager.demo",
    "manager2": "manager2.demo",
    "interviewer": "interviewer.demo",
    "it": "it.demo",
}
TIMEOUT_MS = 45_000  # a ceiling for waits on conditions: a loaded 2-core CI machine is slow
DESKTOP = {"width": 1360, "height": 900}


@contextmanager
def chromium(sync_api: Any) -> Iterator[Any]:
    if not CHROMIUM.exists():
        raise RuntimeError("Debian chromium is missing: run `make deps` (apt-get install chromium)")
    with sync_api.sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield instance
        instance.close()


@contextmanager
def sign_in_pages(browser: Any, stack: RunningStack) -> Iterator[Callable[..., Any]]:
    """``sign_in(role, viewport=DESKTOP)`` → a page of a fresh context, signed in as a person does:
    the console's sign-in button, the hosted sign-in page (the local stack's, authorization code +
    PKCE), back to the console (``bypass_csp``: a test may inject its own script, e.g. axe-core)."""
    contexts = []

    def sign_in(
        role: str, viewport: dict[str, int] = DESKTOP, password: str = DEMO_PASSWORD, bypass_csp: bool = False
    ) -> Any:
        context = browser.new_context(locale="zh-CN", viewport=viewport, bypass_csp=bypass_csp)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(f"{stack.api_url}/console/")
        page.click("[data-testid=signin] button[type=submit]")
        page.wait_for_url(f"{stack.url('sign-in pages')}/oauth2/authorize?*")
        page.fill("input[name=username]", USERS[role])
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        return page

    yield sign_in
    for context in contexts:
        context.close()


def shot(page: Any, name: str) -> None:
    """``SCREENSHOTS_DIR=docs/screenshots`` (``make screenshots``) keeps the page as a PNG file."""
    target = os.environ.get("SCREENSHOTS_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)


PHONE = {"width": 390, "height": 844}
RAW_ENUM = r"\b[a-z]+(?:_[a-z0-9]+)+\b"  # snake_case: an enum value or key shown as it is


def horizontal_overflow(page: Any) -> int:
    """How many CSS pixels the page is wider than its viewport (0: no sideways scroll)."""
    return int(page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def raw_enums(page: Any) -> list[str]:
    """The snake_case words on the page's main area: values that missed their label."""
    return list(page.evaluate(f"[...new Set(document.querySelector('main').innerText.match(/{RAW_ENUM}/g) || [])]"))


AXE = Path(__file__).resolve().parents[2] / "console" / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("critical", "serious")


def accessibility_violations(page: Any) -> list[str]:
    """axe-core's critical and serious violations on the page (axe from the console's npm packages,
    injected into a context that bypasses the page's CSP): "<rule>: <how many elements>"."""
    page.add_script_tag(path=str(AXE))
    return list(
        page.evaluate(
            """async (severe) => (await axe.run(document, { resultTypes: ['violations'] })).violations
                 .filter((v) => severe.includes(v.impact))
                 .map((v) => `${v.id}: ${v.nodes.length} (${
                   v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`)""",
            list(SEVERE),
        )
    )
