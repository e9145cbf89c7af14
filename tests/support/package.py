"""The AWS package (``python -m infra.package``) as the package tests read it, built once per test
session: with pytest-xdist the workers share one build (the ``package`` fixture of
``tests/integration/conftest.py``)."""

from __future__ import annotations

import fcntl
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Package:
    out: Path
    sam: dict[str, Any]

    @property
    def resources(self) -> dict[str, Any]:
        return self.sam["Resources"]

    def of_type(self, resource_type: str) -> dict[str, dict[str, Any]]:
        return {name: r for name, r in self.resources.items() if r["Type"] == resource_type}

    @property
    def swagger(self) -> dict[str, Any]:
        body: dict[str, Any] = self.resources["RestAPI"]["Properties"]["DefinitionBody"]
        return body


def built_package(base: Path) -> Package:
    """The package in ``base/package-dist``, built there unless another worker already did."""
    out = base / "package-dist"
    with (base / "package-dist.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (out / "sam.json").exists():
            result = subprocess.run(
                [sys.executable, "-m", "infra.package", "--out", str(out)],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                check=False,
                timeout=600,
            )
            assert result.returncode == 0, result.stdout + result.stderr
    return Package(out=out, sam=json.loads((out / "sam.json").read_text(encoding="utf-8")))
