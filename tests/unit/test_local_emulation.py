"""The local emulation adapter (``infra/local/emulator``): every fix of moto and chalice local applied
and reverted together, only on the releases they were verified with; and ``infra/local`` free of
import cycles."""

from __future__ import annotations

import re

import pytest

from infra.local import emulator
from tests.support.import_graph import ROOT, cycles, graph


def pinned(name: str) -> str:
    for line in (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(rf"{re.escape(name)}(\[[^\]]*\])?==(\S+)", line.strip())
        if match:
            return match.group(2)
    raise AssertionError(f"{name} is not pinned in requirements-dev.txt")


def test_the_fixes_are_verified_with_the_pinned_releases() -> None:
    # Given the pins of requirements-dev.txt and the releases the fixes were verified with
    # Then they are the same releases, and they are the ones installed
    assert {name: pinned(name) for name in emulator.VERIFIED_WITH} == emulator.VERIFIED_WITH
    emulator.check_versions()


def test_apply_all_refuses_a_release_the_fixes_were_not_verified_with(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given an installed moto newer than the one the fixes replace internals of
    newer = dict(emulator.VERIFIED_WITH, moto="9.9.9")
    monkeypatch.setattr(emulator, "installed_versions", lambda: newer)
    from moto.sqs.models import Queue

    delete = Queue.delete_message
    # When the fixes are applied
    with pytest.raises(emulator.UnverifiedVersion) as refused:
        emulator.apply_all()
    # Then it says which library and which releases, and patches nothing
    assert "moto 9.9.9 (verified: 5.2.5)" in str(refused.value) and "chalice" not in str(refused.value)
    assert Queue.delete_message is delete


def test_apply_all_applies_every_fix_and_revert_all_undoes_them() -> None:
    from chalice.local import LocalGateway
    from moto.cognitoidp.models import CognitoIdpBackend
    from moto.dynamodb.models import DynamoDBBackend
    from moto.sqs.models import Queue
    from moto.stepfunctions.models import StateMachine

    # Given one method each fix replaces, as moto and chalice define it
    def originals() -> list[object]:
        return [
            DynamoDBBackend.transact_write_items,
            Queue.delete_message,
            vars(StateMachine)["create_from_cloudformation_json"],
            LocalGateway.handle_request,
            CognitoIdpBackend.update_user_attributes,
        ]

    before = originals()
    # When every fix is applied, then reverted
    emulator.apply_all()
    try:
        applied = originals()
    finally:
        emulator.revert_all()
    # Then each was replaced while applied, and is moto's or chalice's own again afterwards
    assert [a is b for a, b in zip(applied, before, strict=True)] == [False] * len(before)
    assert [a is b for a, b in zip(originals(), before, strict=True)] == [True] * len(before)


def test_infra_local_has_no_import_cycle() -> None:
    # Given every import between the modules of infra/local, lazy ones included
    edges = graph("infra.local")
    assert {"infra.local.stack", "infra.local.simulator", "infra.local.emulator"} <= set(edges)
    # Then no module depends on itself through others
    assert cycles(edges) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    # Given vendors -> simulator -> stack -> vendors, and a module outside the loop
    edges = {"vendors": {"simulator"}, "simulator": {"stack"}, "stack": {"vendors", "cognito"}, "cognito": set()}
    # Then the loop is reported, once
    assert cycles(edges) == [["simulator", "stack", "vendors"]]
