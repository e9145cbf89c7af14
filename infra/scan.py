"""The IaC scan of what ``make deploy`` deploys: checkov over the packaged template translated to plain
CloudFormation (``infra.translate``), every finding fixed or explained.

``python -m infra.scan [--dist dist]``. The explanations live in one place, ``infra/checkov-accepted.json``:
each names a check, the resources it covers (``Type.LogicalId`` patterns, ``*`` wildcards) and why
the finding is accepted. The scan fails on a finding no entry explains, and on an entry that no
longer matches any finding (so the list never keeps a stale excuse). checkov runs offline from its
own environment (``.venv/checkov``, ``requirements-checkov.txt``: it pins a boto3 of its own).
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from infra.translate import translate

PROJECT_DIR = Path(__file__).resolve().parents[1]
ACCEPTED = PROJECT_DIR / "infra" / "checkov-accepted.json"
CHECKOV = PROJECT_DIR / ".venv" / "checkov" / "bin" / "checkov"


def findings(template: Mapping[str, Any], checkov: Path = CHECKOV) -> list[tuple[str, str, str]]:
    """``(check id, "Type.LogicalId", check name)`` of every failed checkov check on ``template``."""
    with tempfile.TemporaryDirectory(prefix="scan-") as scratch:
        path = Path(scratch) / "template.json"
        path.write_text(json.dumps(template, indent=1), encoding="utf-8")
        env = dict(os.environ, BC_SKIP_MAPPING="TRUE", CHECKOV_RUN_SCA_PACKAGE_SCAN_V2="false")
        completed = subprocess.run(
            [str(checkov), "-f", str(path), "--framework", "cloudformation", "--output", "json", "--skip-download"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
            timeout=600,
        )
    if completed.returncode not in (0, 1) or not completed.stdout.strip():
        raise RuntimeError(f"checkov failed ({completed.returncode}):\n{completed.stderr[-3000:]}")
    report = json.loads(completed.stdout)
    failed = report["results"]["failed_checks"] if isinstance(report, dict) else []
    return sorted({(f["check_id"], f["resource"], f["check_name"]) for f in failed})


def load_accepted(path: Path = ACCEPTED) -> list[dict[str, Any]]:
    accepted: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["accepted"]
    for entry in accepted:
        if not entry.get("reason", "").strip() or not entry.get("resources"):
            raise ValueError(f"{path}: {entry.get('check')} needs resources and a reason")
    return accepted


def unexplained(
    found: Iterable[tuple[str, str, str]], accepted: list[dict[str, Any]]
) -> tuple[list[tuple[str, str, str]], list[dict[str, Any]]]:
    """Findings no entry explains, and entries that explain no finding."""
    used: set[int] = set()
    left: list[tuple[str, str, str]] = []
    for check, resource, name in found:
        hits = [
            i
            for i, e in enumerate(accepted)
            if e["check"] == check and any(fnmatch.fnmatchcase(resource, p) for p in e["resources"])
        ]
        used.update(hits)
        if not hits:
            left.append((check, resource, name))
    return left, [e for i, e in enumerate(accepted) if i not in used]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m infra.scan", description=__doc__.splitlines()[0])
    parser.add_argument("--dist", default="dist", type=Path, help="output of make package (default: dist)")
    args = parser.parse_args(argv)
    sam = json.loads((args.dist / "sam.json").read_text(encoding="utf-8"))
    template = translate(
        sam, "s3://deploy-bucket/deployment.zip", "us-east-1", layer_uri="s3://deploy-bucket/layer.zip"
    )
    found = findings(template)
    left, stale = unexplained(found, load_accepted())
    print(
        f"checkov: {len(found)} findings on {len(template['Resources'])} resources, {len(found) - len(left)} explained"
    )
    for check, resource, name in left:
        print(f"UNEXPLAINED {check} {resource}: {name}", file=sys.stderr)
    for entry in stale:
        print(f"STALE {entry['check']} {entry['resources']}: no such finding any more; remove it", file=sys.stderr)
    return 1 if left or stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
