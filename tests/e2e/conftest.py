"""The running local stack for end-to-end tests: ``python -m infra.local`` as a subprocess on free
ports, one per test module, stopped with SIGINT afterwards (``tests/support/running.py``); and the
console's browser (``tests/support/browser.py``): ``browser`` per module, ``signed_in(role)`` per test."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.browser import chromium, sign_in_pages
from tests.support.running import RunningStack, StackDidNotStart, local_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[RunningStack]:
    """A module that sets ``DEMO_DATA = True`` gets the demo history (``infra/local/demo.py``); one that
    sets ``STACK_OPTIONS`` gets those options of ``python -m infra.local`` too."""
    demo = [] if getattr(request.module, "DEMO_DATA", False) else ["--no-demo-data"]
    options = demo + list(getattr(request.module, "STACK_OPTIONS", []))
    try:
        with local_stack(tmp_path_factory.mktemp("local-stack"), options=options) as running:
            yield running
    except StackDidNotStart as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    try:
        with chromium(sync_api) as instance:
            yield instance
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture
def signed_in(browser: Any, stack: RunningStack) -> Iterator[Any]:
    """``signed_in(role, viewport=DESKTOP, password=…, bypass_csp=False)`` → a signed-in page."""
    with sign_in_pages(browser, stack) as sign_in:
        yield sign_in
