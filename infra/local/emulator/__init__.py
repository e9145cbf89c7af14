"""The local emulation adapter: every change this project makes to moto and chalice local, in one place.

The local stack (``infra.local.stack``) and the in-process test stack (``tests.support.stack``) both
call ``apply_all()`` before they create anything, and the tests ``revert_all()`` afterwards. Each
fix is its own module, with what it changes and why in its docstring:

* ``dynamodb``: transactions with an undo log and one write lock, Query from the partition, answers
  written with ``json.dumps``, update expressions parsed once, items measured once;
* ``sqs``: a receipt handle names its message, one clock read per listing, no counts on a send;
* ``stepfunctions``: CloudFormation creates state machines where moto's interpreter runs them, and
  a definition is parsed once;
* ``gateway``: chalice local answers the gateway's own refusals with the deployed error body;
* ``cognito``: a user writes only the attributes their app client's ``WriteAttributes`` names.

Every fix replaces private parts of a particular moto or chalice release. ``apply_all()`` refuses
to patch a release other than the one the fixes were verified with (``VERIFIED_WITH``, the pins of
``requirements-dev.txt``): after a version bump, re-run ``tests/unit/test_emulator_*.py`` (each
compares a fix's answers with the library's own) and update ``VERIFIED_WITH``.
"""

from __future__ import annotations

from importlib import metadata
from types import ModuleType
from typing import TYPE_CHECKING

from infra.local.emulator import cognito, dynamodb, gateway, sqs, stepfunctions

if TYPE_CHECKING:
    from moto.core.config import DefaultConfig

# the library releases whose internals the fixes replace (the pins of requirements-dev.txt)
VERIFIED_WITH = {"moto": "5.2.5", "chalice": "1.34.0"}
FIXES: tuple[ModuleType, ...] = (dynamodb, sqs, stepfunctions, gateway, cognito)
# moto's configuration under which the template's state machine runs (mock_aws(config=...) in tests)
MOTO_CONFIG: DefaultConfig = {"stepfunctions": {"execute_state_machine": True}}


class UnverifiedVersion(RuntimeError):
    """An installed moto or chalice the fixes were not verified with."""


def installed_versions() -> dict[str, str]:
    return {name: metadata.version(name) for name in VERIFIED_WITH}


def check_versions(installed: dict[str, str] | None = None) -> None:
    """Raise ``UnverifiedVersion`` naming each library whose installed release is not the verified one."""
    found = installed if installed is not None else installed_versions()
    wrong = [f"{name} {found.get(name)} (verified: {v})" for name, v in VERIFIED_WITH.items() if found.get(name) != v]
    if wrong:
        raise UnverifiedVersion(
            "the local emulator fixes (infra/local/emulator) replace internals of particular releases; installed: "
            + ", ".join(wrong)
            + ". Re-run tests/unit/test_emulator_*.py against the new release and update VERIFIED_WITH."
        )


def apply_all() -> None:
    """Check the library versions, then apply every fix (idempotent)."""
    check_versions()
    for fix in FIXES:
        fix.apply()


def revert_all() -> None:
    """Undo every fix (tests that share the process with other moto users)."""
    for fix in reversed(FIXES):
        fix.revert()


def enable_execution() -> None:
    """Run state machines in this process's moto server (``mock_aws(config=MOTO_CONFIG)`` does the same
    for an in-process mock)."""
    from moto.core.config import default_user_config

    default_user_config.setdefault("stepfunctions", {}).update(MOTO_CONFIG["stepfunctions"])
