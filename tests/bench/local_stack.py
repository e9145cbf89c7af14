"""The running local stack for a bench: ``python -m infra.local`` on free loopback ports (as the
end-to-end tests start it, ``tests/support/running.py``), stopped with SIGINT afterwards."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.support.running import local_stack


@contextmanager
def running_stack() -> Iterator[tuple[str, Callable[[str], str]]]:
    """Yields the API's URL and ``token(role)``."""
    with tempfile.TemporaryDirectory(prefix="bench-stack-") as state, local_stack(Path(state)) as stack:
        yield stack.api_url, stack.token
