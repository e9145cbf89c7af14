from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from chalice.test import Client

from tests.support.api import Api
from tests.support.hiring import make
from tests.support.stack import Stack, moto_stack


@pytest.fixture
def stack() -> Iterator[Stack]:
    with moto_stack() as s:
        yield s


@pytest.fixture
def client(stack: Stack) -> Iterator[Client]:
    from app import app

    with Client(app, project_dir=str(Path(__file__).resolve().parents[2])) as c:
        yield c


@pytest.fixture
def api(client: Client, stack: Stack) -> Api:
    return Api(client, stack)


@pytest.fixture
def req_id(api: Api) -> str:
    """A requisition created by HR from the sample (``events/requisition-customer-manager.json``)."""
    return str(make(api).data["id"])
