"""The functions' structured log lines, as CloudWatch Logs would receive them: each line powertools
writes, rendered by the logger's own JSON formatter and parsed back."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from functions.observability import SERVICE, logger


class _Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.setFormatter(logger.registered_formatter)
        self.lines: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(json.loads(self.format(record)))


@contextmanager
def structured_logs() -> Iterator[list[dict[str, Any]]]:
    """Every log line written inside the block, as a dict (the JSON powertools writes)."""
    handler = _Lines()
    target = logging.getLogger(SERVICE)
    target.addHandler(handler)
    try:
        yield handler.lines
    finally:
        target.removeHandler(handler)
