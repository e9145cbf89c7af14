"""The running local stack for end-to-end tests: ``python -m infra.local`` as a subprocess on free
ports, one per test module, stopped with SIGINT afterwards (``tests/support/running.py``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.running import RunningStack, StackDidNotStart, local_stack


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Iterator[RunningStack]:
    """A module that sets ``DEMO_DATA = True`` gets the demo history (``infra/local/demo.py``)."""
    demo = [] if getattr(request.module, "DEMO_DATA", False) else ["--no-demo-data"]
    try:
        with local_stack(tmp_path_factory.mktemp("local-stack"), options=demo) as running:
            yield running
    except StackDidNotStart as exc:
        pytest.fail(str(exc))
