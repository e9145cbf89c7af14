"""The one clock: every read of "now" goes through shared/clock.py; the local stack can move it
forward (never back); in AWS Lambda the offset is never read."""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from infra.local import clock as local_clock
from infra.local.admin import AdminServer
from shared import clock
from tests.support.clock import moved_clock

ROOT = Path(__file__).resolve().parents[2]
RAW_TIME = re.compile(r"\bdatetime\.(?:now|utcnow|today)\b|\bdate\.today\b|\btime\.time\b|\bfrom time import time\b")


def product_sources() -> list[Path]:
    return [ROOT / "app.py", *(p for d in ("functions", "shared", "infra") for p in sorted((ROOT / d).rglob("*.py")))]


def test_no_read_of_the_time_outside_the_clock() -> None:
    # Given every source file of the product
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in product_sources()
        if path != ROOT / "shared" / "clock.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if RAW_TIME.search(line)
    ]
    # Then none reads the time itself
    assert found == []


def test_the_scan_finds_a_raw_read() -> None:
    # Given lines that read the time themselves, and lines that do not
    # Then the scan of the test above tells them apart
    assert [bool(RAW_TIME.search(s)) for s in ("datetime.now(UTC)", "int(time.time())", "date.today()")] == [True] * 3
    assert [bool(RAW_TIME.search(s)) for s in ("clock.now()", "time.monotonic()", "runtime.time_left")] == [False] * 3


def test_without_a_clock_file_business_time_is_real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given no local clock file
    monkeypatch.delenv(clock.CLOCK_FILE_ENV, raising=False)
    # Then business time is the wall clock
    assert clock.offset_seconds() == 0
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 5


def test_moving_forward_moves_now_and_today(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the local clock at real time
    moved = moved_clock(tmp_path, monkeypatch)
    before = clock.today()
    # When it is moved 31 days forward, then to a later day
    status = moved.forward(31)
    # Then now and today moved with it, and the status says so
    assert clock.today() == before + timedelta(days=31)
    assert status["today"] == (before + timedelta(days=31)).isoformat() and status["offset_days"] == 31
    assert abs(clock.timestamp() - clock.wall() - 31 * 86_400) < 5
    moved.to(before + timedelta(days=40))
    assert clock.today() == before + timedelta(days=40)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"days": 0}, "days"),
        ({"days": -3}, "days"),
        ({"days": "7"}, "days"),
        ({"days": 5000}, "days"),
        ({"to": "2001-01-01"}, "to"),
        ({"to": "next week"}, "to"),
        ({"days": 1, "to": "2099-01-01"}, "body"),
        ({"hours": 3}, "body"),
    ],
)
def test_the_clock_never_moves_back_and_refuses_bad_moves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, body: dict[str, Any], field: str
) -> None:
    # Given the local clock moved 2 days forward
    moved_clock(tmp_path, monkeypatch).forward(2)
    kept = clock.offset_seconds()
    # When a move backwards, of nothing or of the wrong shape is asked
    with pytest.raises(local_clock.ClockRefused) as refused:
        local_clock.move(body)
    # Then it is refused naming the field, and the clock stays where it was
    assert refused.value.field == field
    assert clock.offset_seconds() == kept


def test_in_aws_lambda_the_offset_is_never_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a clock file that says 10 days ahead, inside a Lambda function
    moved_clock(tmp_path, monkeypatch).forward(10)
    monkeypatch.setenv("AWS_LAMBDA_FUNCTION_NAME", "talent-lifecycle-dev-api")
    # Then business time is real time
    assert clock.offset_seconds() == 0


def test_nothing_deployed_names_the_local_clock() -> None:
    # Given what reaches AWS: the template and the app's configuration
    deployed = [ROOT / "infra" / "template.json", *sorted((ROOT / ".chalice").glob("*.json"))]
    # Then none sets the local clock's file
    assert [p.name for p in deployed if clock.CLOCK_FILE_ENV in p.read_text(encoding="utf-8")] == []


def _call(url: str, body: dict[str, Any] | None = None) -> tuple[int, dict[str, Any]]:
    data = None if body is None else json.dumps(body).encode()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, method="POST" if data else "GET")) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_the_admin_port_shows_and_moves_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the admin endpoint over a local clock at real time
    moved_clock(tmp_path, monkeypatch)
    admin = AdminServer(None, "127.0.0.1", 0)  # type: ignore[arg-type]  # (the clock needs no pump)
    admin.start()
    try:
        today = clock.today()
        # When the clock is read, moved a month, then asked to go back
        read = _call(admin.url + "/clock")
        moved = _call(admin.url + "/clock", {"days": 31})
        back = _call(admin.url + "/clock", {"to": today.isoformat()})
    finally:
        admin.stop()
    # Then it moved forward once, and the move back was refused naming the field
    assert read == (200, read[1]) and read[1]["today"] == today.isoformat()
    assert moved[0] == 200 and moved[1]["today"] == (today + timedelta(days=31)).isoformat()
    assert back[0] == 400 and back[1]["error"]["details"] == [{"field": "to"}]
    assert clock.today() == today + timedelta(days=31)
