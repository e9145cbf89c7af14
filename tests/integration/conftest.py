from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from chalice.test import Client

from infra.local.hosted_ui import HostedSignIn
from tests.support.api import Api
from tests.support.clock import MovedClock, moved_clock
from tests.support.hiring import make
from tests.support.package import Package, built_package
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


@pytest.fixture(scope="session")
def package(tmp_path_factory: pytest.TempPathFactory) -> Package:
    """The AWS package, built once per test session; with pytest-xdist the workers share one build."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # this session's directory, shared by its workers
    return built_package(base)


@pytest.fixture
def business_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MovedClock:
    """The business clock at real time, to be moved forward by the test (``tests/support/clock.py``)."""
    return moved_clock(tmp_path, monkeypatch)


@pytest.fixture
def hosted_sign_in(stack: Stack) -> Iterator[HostedSignIn]:
    """The local stack's hosted sign-in pages on a free loopback port, over this test's moto pool,
    throttled as the local stack throttles them."""
    import boto3

    from shared.services.sign_in import SignIn

    pages = HostedSignIn(
        boto3.client("cognito-idp", region_name=stack.env.get("AWS_REGION", "us-east-1")),
        stack.pool_id,
        stack.client_id,
        throttle=SignIn().attempt,
    ).start()
    yield pages
    pages.stop()
