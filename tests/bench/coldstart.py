"""Cold start of the Lambda package, measured as the runtime would load it: ``python -m tests.bench.coldstart``.

Builds the package (``python -m infra.package --out dist``, as ``make package``), unpacks the function
zip and the layer beside a stand-in for the runtime's own SDK, and times, in fresh interpreters of the
target version (``infra.build.target_python``, isolated: ``-I -S``, only those three folders on
``sys.path``), ``import app`` against the four libraries every function needs
(``import boto3, pydantic, chalice, aws_lambda_powertools``), interleaved so that machine noise hits
both alike; then what first requests add (``import app`` registers routes from a table and imports a
handler module with its route's first request): the application routes' module, and every module.
Prints the zip figures too. Measurements, not pass/fail.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from infra import build

ROOT = Path(__file__).resolve().parents[2]
CORE = "import boto3, pydantic, chalice, aws_lambda_powertools"
APP = "import app"
# What the first requests add: a handler module is imported with its route's first request (the
# route table, functions/routing.py). The busiest route's module, and every module (all routes called).
FIRST_REQUEST = "import app, functions.applications"
EVERY_ROUTE = "import app; from functions.routing import import_handlers; import_handlers()"
GOAL_RATIO = 1.5
GOAL_ZIP_MIB = 25.0
HEAVY = ("numpy", "reportlab", "PIL", "openpyxl", "pypdf", "aws_xray_sdk")

_TIMED = r"""
import json, sys, time
sys.path[:0] = json.loads(sys.argv[1])
started = time.perf_counter()
exec(sys.argv[2])
elapsed = time.perf_counter() - started
print(json.dumps({"seconds": elapsed, "heavy": sorted(m for m in json.loads(sys.argv[3]) if m in sys.modules)}))
"""


def lambda_environment(task: Path) -> dict[str, str]:
    """What a function's process has that importing could read: region, task root, the app's settings."""
    config = json.loads((ROOT / ".chalice" / "config.json").read_text(encoding="utf-8"))
    return {
        "PATH": "/usr/bin:/bin",
        "AWS_REGION": "us-east-1",
        "AWS_DEFAULT_REGION": "us-east-1",
        "LAMBDA_TASK_ROOT": str(task),
        **config.get("environment_variables", {}),
    }


def time_import(python: str, unpacked: build.Unpacked, statement: str) -> dict[str, Any]:
    done = subprocess.run(
        [python, "-I", "-S", "-c", _TIMED, json.dumps(unpacked.sys_path), statement, json.dumps(HEAVY)],
        cwd=unpacked.task,
        env=lambda_environment(unpacked.task),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{statement} failed in the unpacked package:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def build_package(out: Path) -> None:
    subprocess.run([sys.executable, "-m", "infra.package", "--out", str(out)], cwd=ROOT, check=True)


def bench_cold_start(runs: int, out: Path = ROOT / "dist") -> None:
    build_package(out)
    python = build.target_python()
    version = subprocess.run([python, "-V"], capture_output=True, text=True, check=True).stdout.strip()
    function_zip = build.summary(out / "deployment.zip")
    layer_zip = build.summary(out / build.LAYER_ZIP)
    print(
        f"package ({build.RUNTIME}, {build.ARCHITECTURE}): deployment.zip {function_zip['zipped_mib']:.1f} MiB zipped "
        f"(goal <= {GOAL_ZIP_MIB:.0f}), {function_zip['unzipped_mib']:.1f} MiB unzipped, "
        f"{function_zip['files']:,} files; {build.LAYER_ZIP} {layer_zip['zipped_mib']:.1f} MiB zipped, "
        f"{layer_zip['unzipped_mib']:.1f} MiB unzipped, {layer_zip['files']:,} files"
    )
    with tempfile.TemporaryDirectory(prefix="coldstart-") as scratch:
        unpacked = build.unpack(out, Path(scratch), python)
        core: list[float] = []
        app: list[float] = []
        first: list[float] = []
        every: list[float] = []
        heavy: set[str] = set()
        time_import(python, unpacked, EVERY_ROUTE)  # warm the file cache once; not counted
        for _ in range(runs):  # interleaved, each in a fresh interpreter
            core.append(time_import(python, unpacked, CORE)["seconds"])
            measured = time_import(python, unpacked, APP)
            app.append(measured["seconds"])
            heavy |= set(measured["heavy"])
            first.append(time_import(python, unpacked, FIRST_REQUEST)["seconds"])
            every.append(time_import(python, unpacked, EVERY_ROUTE)["seconds"])
    c, a = statistics.median(core), statistics.median(app)
    f, e = statistics.median(first), statistics.median(every)
    print(
        f"cold start ({version} from the unpacked package, median of {runs} fresh interpreters, interleaved): "
        f"core libraries {c * 1000:.0f} ms, import app {a * 1000:.0f} ms, ratio {a / c:.2f}x (goal <= {GOAL_RATIO}x); "
        f"heavy libraries loaded by import app: {', '.join(sorted(heavy)) or 'none'}"
    )
    print(
        f"  then on first requests: import app + the applications routes' module {f * 1000:.0f} ms ({f / c:.2f}x), "
        f"import app + every handler module {e * 1000:.0f} ms ({e / c:.2f}x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=15, help="fresh interpreters per side")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="where the package is built (default: dist)")
    args = parser.parse_args()
    bench_cold_start(args.runs, args.out)


if __name__ == "__main__":
    main()
