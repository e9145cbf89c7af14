"""The Lambda build: dependencies for the target runtime, bytecode, and the checks on what ships.

The target runtime is declared here (``RUNTIME``), never taken from the interpreter that builds:

* **python3.13 on x86_64.** Amazon Linux 2023 like python3.12, but supported a year longer (Lambda
  deprecates python3.12 on 2028-10-31, python3.13 on 2029-06-30), and every runtime dependency,
  OpenCC included, publishes cp313 manylinux wheels. x86_64 so that the package imports and is
  timed on the build machines.
* **Dependencies installed for that runtime only**: ``pip install --target --platform
  manylinux_2_34..2_17 / manylinux2014 (x86_64) --python-version 3.13 --implementation cp
  --only-binary=:all:``. Chalice gets no requirements at all (its own packager builds for the
  interpreter running it and accepts wheels built on the host, ``linux_x86_64``, which is how a Pillow
  that needed the host's libjpeg reached the zip): the installed tree goes into ``vendor/``, which
  Chalice copies to the zip root as it is.
* **The SDK is the runtime's.** boto3 / botocore are provided by the Lambda runtime and are not in
  ``requirements.txt`` (nothing in the package needs a botocore of its own since the X-Ray tracer
  left); the build refuses a package that would carry them.
* **Large libraries used on a few paths only** (numpy for analytics, reportlab + Pillow for the
  offer-letter PDF) go into a Lambda layer (``LAYER_PROJECTS``, ``dist/libraries-layer.zip``) that
  every function gets; the function zip stays small and both stay far from the upload limits.
* **Bytecode for the target version**, compiled by that interpreter (pyenv's 3.13 here) into
  ``__pycache__/*.cpython-313.pyc`` beside every source, as *unchecked-hash* pycs: Lambda's code
  directory is read-only, so without them every cold start compiles all the source it imports; and
  unchecked pycs do not depend on file times surviving the zip (zip times are local, 2-second
  grained). Each pyc is compiled from the very source the zip carries, in the build that writes it.
* **Checks on what is installed** (and, in the package tests, on the finished zips): every
  ``*.dist-info/WHEEL`` carries a tag this runtime accepts (never a plain ``linux_x86_64``), every
  shared object needs no newer GLIBC / GLIBCXX / CXXABI symbol versions than Amazon Linux 2023 has,
  and links only libraries the runtime has or the package itself carries.

The third-party part (installed and compiled) is cached in ``.chalice/deployments/`` under a key of
everything that decides it; the application part is compiled on every build.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packaging.requirements import Requirement
from packaging.tags import Tag, compatible_tags, cpython_tags, parse_tag
from packaging.utils import canonicalize_name

# --------------------------------------------------------------------------- the target runtime

RUNTIME = "python3.13"
PYTHON_VERSION = (3, 13)
PYTHON = f"{PYTHON_VERSION[0]}.{PYTHON_VERSION[1]}"
ABI = f"cp{PYTHON_VERSION[0]}{PYTHON_VERSION[1]}"
ARCHITECTURE = "x86_64"
# Amazon Linux 2023 (the python3.12 and python3.13 runtimes): glibc 2.34, GCC 11's libstdc++
# (GLIBCXX_3.4.29, CXXABI_1.3.13), the ceilings of the manylinux_2_34 policy.
RUNTIME_SYMBOL_VERSIONS: dict[str, tuple[int, ...]] = {"GLIBC": (2, 34), "GLIBCXX": (3, 4, 29), "CXXABI": (1, 3, 13)}
# Libraries a manylinux wheel may link without carrying them (from the manylinux policies' list) that
# the Lambda image has; libz too (numpy's and Pillow's wheels link it; the runtime's zlib module uses it).
RUNTIME_LIBRARIES = frozenset(
    {
        "ld-linux-x86-64.so.2",
        "libc.so.6",
        "libm.so.6",
        "libdl.so.2",
        "librt.so.1",
        "libpthread.so.0",
        "libutil.so.1",
        "libresolv.so.2",
        "libgcc_s.so.1",
        "libstdc++.so.6",
        "libz.so.1",
    }
)
# The SDK the Lambda Python runtime provides besides the standard library (never shipped by us) ...
RUNTIME_PROVIDED = frozenset({"boto3", "botocore", "s3transfer"})
# ... and the modules it puts on sys.path with it (what a stand-in for the runtime holds).
RUNTIME_MODULES = ("boto3", "botocore", "s3transfer", "jmespath", "dateutil", "six", "urllib3")
# Runtime requirements that go into the layer instead of the function zip, with what only they need.
LAYER_PROJECTS = frozenset({"numpy", "reportlab", "pillow"})

TASK_ROOT = "/var/task"  # where Lambda unpacks the function zip
LAYER_ROOT = "/opt"  # where it unpacks layers; a layer's python/ is on sys.path
LAYER_ZIP = "libraries-layer.zip"
LAYER_RESOURCE = "LibrariesLayer"
CACHE_DIR = Path(".chalice") / "deployments"  # git-ignored; Chalice's own cache lives here too

_ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed, so that the same tree gives the same zip


class BuildError(RuntimeError):
    pass


def pip_platforms() -> list[str]:
    """Every manylinux tag the runtime's glibc accepts, newest first (pip takes ``--platform`` literally)."""
    major, minor = RUNTIME_SYMBOL_VERSIONS["GLIBC"]
    return [f"manylinux_{major}_{m}_{ARCHITECTURE}" for m in range(minor, 16, -1)] + [f"manylinux2014_{ARCHITECTURE}"]


def runtime_tags() -> frozenset[Tag]:
    """The wheel tags the target runtime accepts: cp313 / abi3 / none on manylinux up to glibc 2.34, or any."""
    platforms = [*pip_platforms(), f"manylinux2010_{ARCHITECTURE}", f"manylinux1_{ARCHITECTURE}"]
    return frozenset(
        [
            *cpython_tags(PYTHON_VERSION, abis=[ABI], platforms=platforms),
            *compatible_tags(PYTHON_VERSION, ABI, platforms),
        ]
    )


# --------------------------------------------------------------------------- the target interpreter


def _version_of(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run(
            [python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
    except OSError:
        return None
    if done.returncode != 0:
        return None
    major, minor = done.stdout.strip().split(".")
    return int(major), int(minor)


def _pyenv_candidates() -> Iterator[str]:
    root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    prefix = f"{PYTHON}."
    found = [p for p in root.glob(prefix + "*") if re.fullmatch(r"\d+", p.name[len(prefix) :])]
    for version in sorted(found, key=lambda p: int(p.name[len(prefix) :]), reverse=True):
        yield str(version / "bin" / f"python{PYTHON}")


def target_python() -> str:
    """A CPython of the runtime's version: ``$LAMBDA_PYTHON``, ``python3.13`` on PATH, or pyenv's newest 3.13."""
    override = os.environ.get("LAMBDA_PYTHON")
    candidates = [override] if override else []
    on_path = shutil.which(f"python{PYTHON}")
    candidates += ([on_path] if on_path else []) + list(_pyenv_candidates())
    for candidate in candidates:
        if _version_of(candidate) == PYTHON_VERSION:
            return candidate
    raise BuildError(
        f"the Lambda package needs CPython {PYTHON} (the {RUNTIME} runtime) to compile its bytecode and to "
        f"be tested: install it (pyenv install {PYTHON}) or point LAMBDA_PYTHON at one; tried {candidates}"
    )


# --------------------------------------------------------------------------- dependencies


@dataclass(frozen=True)
class Requirements:
    function: list[str]
    layer: list[str]


def split_requirements(path: Path) -> Requirements:
    """``requirements.txt`` lines for the function zip and for the layer (``LAYER_PROJECTS``)."""
    function: list[str] = []
    layer: list[str] = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-"):
            raise BuildError(f"{path}: options such as {line!r} are not supported in the runtime requirements")
        name = canonicalize_name(Requirement(line).name)
        if name in RUNTIME_PROVIDED:
            raise BuildError(f"{path}: {name} is provided by the Lambda runtime; pin it in requirements-dev.txt")
        (layer if name in LAYER_PROJECTS else function).append(line)
    missing = LAYER_PROJECTS - {canonicalize_name(Requirement(r).name) for r in layer}
    if missing:
        raise BuildError(f"{path}: the layer's projects {sorted(missing)} are not runtime requirements")
    return Requirements(function, layer)


def _pip(target: Path, requirements: list[str], constraints: Path | None = None) -> None:
    listed = Path(tempfile.mkdtemp(prefix="requirements-")) / "requirements.txt"
    listed.write_text("\n".join(requirements) + "\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "--no-compile"]
    cmd += ["--target", str(target), "--only-binary=:all:", "--implementation", "cp"]
    cmd += ["--python-version", PYTHON, "--abi", ABI, "--abi", "abi3", "--abi", "none"]
    for platform in pip_platforms():
        cmd += ["--platform", platform]
    cmd += ["-r", str(listed)]
    if constraints is not None:
        cmd += ["-c", str(constraints)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    finally:
        shutil.rmtree(listed.parent, ignore_errors=True)
    if done.returncode != 0:
        raise BuildError(
            f"pip could not install {requirements} for {RUNTIME} ({ARCHITECTURE}, manylinux up to glibc "
            f"{'.'.join(map(str, RUNTIME_SYMBOL_VERSIONS['GLIBC']))}) from wheels:\n{done.stderr[-4000:]}"
        )
    shutil.rmtree(target / "bin", ignore_errors=True)  # console scripts: nothing runs them in Lambda


def distributions(root: Path) -> dict[str, tuple[str, Path]]:
    """Canonical project name -> (version, ``*.dist-info`` folder) of everything installed in ``root``."""
    found: dict[str, tuple[str, Path]] = {}
    for info in sorted(root.glob("*.dist-info")):
        headers: dict[str, str] = {}
        for line in (info / "METADATA").read_text(encoding="utf-8", errors="replace").splitlines():
            if not line.strip():
                break
            key, _, value = line.partition(":")
            headers.setdefault(key.strip(), value.strip())
        found[canonicalize_name(headers["Name"])] = (headers["Version"], info)
    return found


def _remove_distribution(root: Path, info: Path) -> None:
    """Delete an installed distribution by its RECORD (the files pip wrote for it)."""
    with (info / "RECORD").open(encoding="utf-8", newline="") as record:
        listed = [row[0] for row in csv.reader(record) if row]
    for relative in listed:
        path = (root / relative).resolve()
        if path.is_relative_to(root.resolve()) and path.is_file():
            path.unlink()
    shutil.rmtree(info, ignore_errors=True)
    for folder in sorted((p for p in root.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()


def _install(requirements: Requirements, function_dir: Path, layer_dir: Path, python: str) -> None:
    """Function part first; the layer part constrained to the versions the function part got, without them."""
    function_dir.mkdir(parents=True)
    _pip(function_dir, requirements.function)
    installed = distributions(function_dir)
    constraints = function_dir.parent / "function-constraints.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, (version, _) in installed.items()), "utf-8")
    site = layer_dir / "python"
    site.mkdir(parents=True)
    _pip(site, requirements.layer, constraints)
    for name, (_, info) in distributions(site).items():
        if name in installed:
            if name in LAYER_PROJECTS:
                raise BuildError(f"{name} is both a layer project and a dependency of the function zip")
            _remove_distribution(site, info)
    shipped_sdk = RUNTIME_PROVIDED & (installed.keys() | distributions(site).keys())
    if shipped_sdk:
        raise BuildError(f"a runtime requirement pulls in {sorted(shipped_sdk)}, which the Lambda runtime provides")
    compile_tree(function_dir, TASK_ROOT, python)
    compile_tree(site, f"{LAYER_ROOT}/python", python)


def _cache_key(requirements_file: Path) -> str:
    digest = hashlib.sha256()
    digest.update(requirements_file.read_bytes())
    digest.update(Path(__file__).read_bytes())  # every constant above decides the tree
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Dependencies:
    function: Path  # third-party packages of the function zip (linked into vendor/)
    layer_zip: Path  # the layer: python/... compiled, zipped


def install_dependencies(project_dir: Path, python: str | None = None) -> Dependencies:
    """The runtime requirements installed, compiled and checked for the target runtime, cached by their inputs."""
    requirements_file = project_dir / "requirements.txt"
    cache = project_dir / CACHE_DIR
    cache.mkdir(parents=True, exist_ok=True)
    built = cache / f"lambda-deps-{_cache_key(requirements_file)}"
    if not (built / "complete").exists():
        python = python or target_python()
        scratch = Path(tempfile.mkdtemp(prefix="partial-deps-", dir=cache))
        try:
            _install(split_requirements(requirements_file), scratch / "function", scratch / "layer", python)
            check_tree(scratch / "function")
            check_tree(scratch / "layer")
            write_zip(scratch / "layer", scratch / LAYER_ZIP)
            shutil.rmtree(scratch / "layer")
            (scratch / "complete").touch()
            shutil.rmtree(built, ignore_errors=True)
            scratch.rename(built)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        for stale in cache.glob("lambda-deps-*"):
            if stale != built:
                shutil.rmtree(stale, ignore_errors=True)
    return Dependencies(built / "function", built / LAYER_ZIP)


def add_to_vendor(vendor: Path, dependencies: Dependencies) -> None:
    """The function part's packages next to ours in ``vendor/`` (Chalice puts vendor/ at the zip root,
    following links)."""
    for entry in sorted(dependencies.function.iterdir()):
        destination = vendor / entry.name
        if destination.exists():
            raise BuildError(f"vendor/{entry.name} is both ours and a dependency's")
        destination.symlink_to(entry.resolve(), target_is_directory=entry.is_dir())


@contextmanager
def chalice_project(project_dir: Path) -> Iterator[Path]:
    """What ``chalice package`` reads, without ``requirements.txt``: ``app.py``, ``.chalice/`` and ``vendor/``
    (our packages and the runtime's wheels, already installed), so that Chalice builds no dependency itself."""
    with tempfile.TemporaryDirectory(prefix="chalice-project-") as scratch:
        staged = Path(scratch)
        shutil.copy2(project_dir / "app.py", staged / "app.py")
        shutil.copytree(project_dir / ".chalice", staged / ".chalice", ignore=shutil.ignore_patterns("deploy*"))
        (staged / "vendor").symlink_to(project_dir / "vendor", target_is_directory=True)  # may be built later
        yield staged


# --------------------------------------------------------------------------- bytecode

_COMPILE = r"""
import concurrent.futures, importlib.util, os, py_compile, sys
root, runtime_root = sys.argv[1], sys.argv[2]
todo = []
for folder, dirs, files in os.walk(root):
    dirs[:] = sorted(d for d in dirs if d != "__pycache__")
    for name in sorted(files):
        source = os.path.join(folder, name)
        if name.endswith(".py") and not os.path.exists(importlib.util.cache_from_source(source)):
            todo.append(source)

def compile_one(source):
    relative = os.path.relpath(source, root)
    try:
        py_compile.compile(
            source, dfile=runtime_root + "/" + relative, doraise=True,
            invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
        )
    except py_compile.PyCompileError as error:
        return f"{relative}: {error.msg}"
    return None

with concurrent.futures.ProcessPoolExecutor() as pool:
    errors = [e for e in pool.map(compile_one, todo, chunksize=32) if e]
print("\n".join(errors))
sys.exit(1 if errors else 0)
"""


def compile_tree(root: Path, runtime_root: str, python: str) -> None:
    """Every ``.py`` under ``root`` without bytecode yet, compiled by the target interpreter into
    ``__pycache__/*.cpython-313.pyc`` (unchecked-hash).

    ``runtime_root`` is where ``root`` will be in Lambda; tracebacks name the real file anyway (the
    import system rewrites a code object's file name to the source it loaded)."""
    command = [python, "-c", _COMPILE, str(root), runtime_root]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BuildError(f"compiling {root} for {RUNTIME} failed:\n{done.stdout[-4000:]}{done.stderr[-4000:]}")


# --------------------------------------------------------------------------- checks


@dataclass
class TreeReport:
    problems: list[str] = field(default_factory=list)
    shared_objects: int = 0
    wheels: int = 0
    highest: dict[str, tuple[int, ...]] = field(default_factory=dict)  # highest symbol version needed, per kind


def _wheel_problem(relative: str, text: str, accepted: frozenset[Tag]) -> str | None:
    tags = [value.strip() for key, _, value in (line.partition(":") for line in text.splitlines()) if key == "Tag"]
    if not tags:
        return f"{relative}: no Tag line"
    parsed = {tag for value in tags for tag in parse_tag(value)}
    plain = sorted(str(t) for t in parsed if t.platform == f"linux_{ARCHITECTURE}")
    if plain:
        return f"{relative}: built for this host only ({', '.join(plain)}), not a manylinux wheel"
    if not parsed & accepted:
        return f"{relative}: tags {', '.join(tags)} do not fit {RUNTIME} on {ARCHITECTURE} (glibc 2.34)"
    return None


def _version(text: str) -> tuple[int, ...] | None:
    return tuple(int(part) for part in text.split(".")) if re.fullmatch(r"\d+(\.\d+)*", text) else None


def elf_requirements(path: Path) -> tuple[list[str], dict[str, list[tuple[int, ...]]]]:
    """An ELF file's DT_NEEDED libraries and the symbol versions it needs (``GLIBC`` -> [(2, 17), ...])."""
    from elftools.elf.dynamic import DynamicSection
    from elftools.elf.elffile import ELFFile
    from elftools.elf.gnuversions import GNUVerNeedSection

    needed: list[str] = []
    versions: dict[str, list[tuple[int, ...]]] = {}
    with path.open("rb") as handle:
        elf = ELFFile(handle)
        for section in elf.iter_sections():
            if isinstance(section, DynamicSection):
                tags = [tag for tag in section.iter_tags() if tag.entry.d_tag == "DT_NEEDED"]
                needed += [tag.needed for tag in tags]  # type: ignore[attr-defined]  # set on DT_NEEDED tags
            elif isinstance(section, GNUVerNeedSection):
                for _, auxiliaries in section.iter_versions():
                    for aux in auxiliaries:
                        kind, _, number = aux.name.partition("_")
                        version = _version(number)
                        if version is not None:
                            versions.setdefault(kind, []).append(version)
    return needed, versions


def _is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == b"\x7fELF"


def inspect_tree(root: Path) -> TreeReport:
    """Wheel tags and shared objects of an unpacked package against the target runtime, each problem
    naming its file: a WHEEL without a tag the runtime accepts (or with a plain ``linux_x86_64`` one),
    a shared object needing newer symbol versions than the runtime's, or linking a library that is
    neither in the runtime nor in the package."""
    report = TreeReport()
    accepted = runtime_tags()
    files = sorted(p for p in root.rglob("*") if p.is_file())
    carried = {p.name for p in files}
    for path in files:
        relative = path.relative_to(root).as_posix()
        if path.name == "WHEEL" and path.parent.name.endswith(".dist-info"):
            report.wheels += 1
            problem = _wheel_problem(relative, path.read_text(encoding="utf-8"), accepted)
            if problem:
                report.problems.append(problem)
        elif (".so" in path.suffixes or path.suffix == ".so") and _is_elf(path):
            report.shared_objects += 1
            needed, versions = elf_requirements(path)
            for kind, ceiling in RUNTIME_SYMBOL_VERSIONS.items():
                if not versions.get(kind):
                    continue
                highest = max(versions[kind])
                report.highest[kind] = max(report.highest.get(kind, ()), highest)
                if highest > ceiling:
                    report.problems.append(
                        f"{relative}: needs {kind}_{'.'.join(map(str, highest))}, the runtime has "
                        f"{kind}_{'.'.join(map(str, ceiling))}"
                    )
            missing = sorted(lib for lib in needed if lib not in RUNTIME_LIBRARIES and lib not in carried)
            if missing:
                names = ", ".join(missing)
                report.problems.append(f"{relative}: links {names}, which neither the runtime nor the package has")
    return report


def check_tree(root: Path) -> TreeReport:
    """``inspect_tree``, raising on any problem."""
    report = inspect_tree(root)
    if report.problems:
        raise BuildError(f"not fit for {RUNTIME} ({ARCHITECTURE}):\n  " + "\n  ".join(report.problems))
    return report


# --------------------------------------------------------------------------- the zips


def write_zip(root: Path, destination: Path) -> None:
    """A reproducible zip of ``root``: sorted entries, one fixed time, modes 0644 / 0755."""
    partial = destination.with_suffix(".partial")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            info = zipfile.ZipInfo(path.relative_to(root).as_posix(), _ZIP_TIME)
            executable = path.stat().st_mode & (stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, path.read_bytes())
    partial.replace(destination)


def _pyc_name(source: str) -> str:
    folder, _, name = source.rpartition("/")
    cached = f"__pycache__/{name[:-3]}.cpython-{PYTHON_VERSION[0]}{PYTHON_VERSION[1]}.pyc"
    return f"{folder}/{cached}" if folder else cached


def shipped_projects(names: Iterable[str]) -> set[str]:
    """Canonical project names of the ``*.dist-info`` folders among a zip's entry names."""
    tops = {name.split("/")[0] for name in names if "/" in name}
    return {canonicalize_name(t.removesuffix(".dist-info").rsplit("-", 1)[0]) for t in tops if t.endswith(".dist-info")}


def finish_function_zip(zip_path: Path, python: str | None = None) -> int:
    """Bytecode for the sources of Chalice's zip that have none yet (ours, ``app.py``, Chalice's runtime
    module; the dependencies came compiled), appended to it. Returns how many were compiled."""
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        shipped_sdk = RUNTIME_PROVIDED & shipped_projects(names)
        if shipped_sdk:
            raise BuildError(f"{zip_path.name} carries {sorted(shipped_sdk)}, which the Lambda runtime provides")
        sources = sorted(n for n in names if n.endswith(".py") and _pyc_name(n) not in names)
        with tempfile.TemporaryDirectory(prefix="lambda-zip-") as scratch:
            root = Path(scratch)
            for name in sources:
                archive.extract(name, root)
            compile_tree(root, TASK_ROOT, python or target_python())
            with zipfile.ZipFile(zip_path, "a", compression=zipfile.ZIP_DEFLATED) as appended:
                for name in sources:
                    appended.write(root / _pyc_name(name), _pyc_name(name))
    return len(sources)


def write_layer_zip(dependencies: Dependencies, out: Path) -> Path:
    destination = out / LAYER_ZIP
    shutil.copyfile(dependencies.layer_zip, destination)
    return destination


@dataclass(frozen=True)
class Unpacked:
    """The package as a function sees it: the zip (``/var/task``), the layer (``/opt/python``) and a
    stand-in for the runtime's own packages (copies of the SDK this environment pins)."""

    task: Path
    layer: Path
    runtime: Path

    @property
    def sys_path(self) -> list[str]:
        return [str(self.task), str(self.layer), str(self.runtime)]


def unpack(out: Path, into: Path, python: str | None = None) -> Unpacked:
    """``out``'s function zip and layer zip unpacked under ``into``, beside the runtime stand-in, whose
    bytecode is compiled by the target interpreter when ``python`` is given (as the runtime ships it)."""
    unpacked = Unpacked(into / "task", into / "opt" / "python", into / "runtime")
    with zipfile.ZipFile(out / "deployment.zip") as archive:
        archive.extractall(unpacked.task)
    with zipfile.ZipFile(out / LAYER_ZIP) as archive:
        archive.extractall(unpacked.layer.parent)
    unpacked.runtime.mkdir(parents=True)
    for name in RUNTIME_MODULES:
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            raise BuildError(f"{name} is not installed here: it stands in for the Lambda runtime's (make venv)")
        if spec.submodule_search_locations:
            source = Path(next(iter(spec.submodule_search_locations)))
            shutil.copytree(source, unpacked.runtime / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(spec.origin, unpacked.runtime / Path(spec.origin).name)
    if python is not None:
        compile_tree(unpacked.runtime, f"/var/lang/lib/python{PYTHON}/site-packages", python)
    return unpacked


# --------------------------------------------------------------------------- the template


def function_properties(function_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Per function: the declared runtime and architecture (Chalice writes the builder's own version)."""
    return {f: {"Runtime": RUNTIME, "Architectures": [ARCHITECTURE]} for f in function_ids}


def layer_resources() -> dict[str, Any]:
    """The layer the large libraries travel in (``dist/libraries-layer.zip``)."""
    return {
        LAYER_RESOURCE: {
            "Type": "AWS::Serverless::LayerVersion",
            "Properties": {
                "Description": "numpy (analytics), reportlab and Pillow (offer-letter PDFs), built for "
                f"{RUNTIME} {ARCHITECTURE}",
                "ContentUri": f"./{LAYER_ZIP}",
                "CompatibleRuntimes": [RUNTIME],
                "CompatibleArchitectures": [ARCHITECTURE],
                "RetentionPolicy": "Delete",
            },
        }
    }


def function_globals() -> dict[str, Any]:
    """``Globals.Function`` additions: every function gets the layer."""
    return {"Layers": [{"Ref": LAYER_RESOURCE}]}


def summary(zip_path: Path) -> Mapping[str, float]:
    """Zipped MiB, unzipped MiB and file count of one zip (for the build's last line and the benchmark)."""
    with zipfile.ZipFile(zip_path) as archive:
        infos = archive.infolist()
    return {
        "zipped_mib": zip_path.stat().st_size / 2**20,
        "unzipped_mib": sum(i.file_size for i in infos) / 2**20,
        "files": len(infos),
    }


def describe(zip_path: Path) -> str:
    figures = summary(zip_path)
    return (
        f"{zip_path.name}: {figures['zipped_mib']:.1f} MiB zipped, {figures['unzipped_mib']:.1f} MiB unzipped, "
        f"{figures['files']:,} files"
    )


if __name__ == "__main__":  # python -m infra.build: which interpreter and tags the build would use
    print(json.dumps({"runtime": RUNTIME, "python": target_python(), "platforms": pip_platforms()}, indent=2))
