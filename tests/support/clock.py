"""The business clock moved forward in a test, through the same file the local stack uses
(``infra/local/clock.py`` writes it, ``shared/clock.py`` reads it)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from infra.local import clock as local_clock
from shared import clock


class MovedClock:
    def __init__(self, path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(clock.CLOCK_FILE_ENV, str(path))
        local_clock.use(path, keep=False)

    def forward(self, days: float) -> dict[str, Any]:
        return local_clock.move({"days": days})

    def to(self, day: date) -> dict[str, Any]:
        return local_clock.move({"to": day.isoformat()})


def moved_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MovedClock:
    return MovedClock(tmp_path / local_clock.FILE_NAME, monkeypatch)
