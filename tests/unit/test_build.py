"""The package build's own rules (infra/build.py): which wheels and shared objects fit the Lambda runtime."""

from __future__ import annotations

import shutil
import sysconfig
from pathlib import Path

import pytest
from packaging.tags import Tag

from infra import build

SITE = Path(sysconfig.get_paths()["platlib"])
HOST_LIBRARIES = (Path("/usr/lib/x86_64-linux-gnu"), Path("/lib/x86_64-linux-gnu"), Path("/usr/lib64"))


def _pillow_as_built_on_this_host(root: Path) -> None:
    """Pillow as Chalice's packager produced it from the sdist: extension modules tagged for this host
    (``linux_x86_64``) and linking the host's libjpeg / libfreetype, which the wheel does not carry."""
    shutil.copytree(SITE / "PIL", root / "PIL", ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.pyi"))
    info = next(SITE.glob("pillow-*.dist-info"))
    shutil.copytree(info, root / info.name)
    (root / info.name / "WHEEL").write_text(
        "Wheel-Version: 1.0\nGenerator: setuptools\nRoot-Is-Purelib: false\nTag: cp311-cp311-linux_x86_64\n",
        encoding="utf-8",
    )


def test_a_wheel_built_for_the_host_is_refused_naming_its_files(tmp_path: Path) -> None:
    # Given Pillow as the old build put it into the zip (host tag, libraries it links not bundled)
    _pillow_as_built_on_this_host(tmp_path)

    # When the tree is inspected
    report = build.inspect_tree(tmp_path)

    # Then the WHEEL is refused as host-only and the extension for the libraries it cannot find
    info = next(tmp_path.glob("pillow-*.dist-info")).name
    host_only = f"{info}/WHEEL: built for this host only (cp311-cp311-linux_x86_64), not a manylinux wheel"
    assert host_only in report.problems
    imaging = [p for p in report.problems if p.startswith("PIL/_imaging.") and " links " in p]
    assert imaging and "libjpeg" in imaging[0], report.problems
    with pytest.raises(build.BuildError, match="_imaging"):
        build.check_tree(tmp_path)


def test_a_manylinux_wheel_for_another_python_is_refused(tmp_path: Path) -> None:
    # Given this environment's own Pillow (a manylinux wheel, but for CPython 3.11) with its bundled libraries
    for name in ("PIL", "pillow.libs"):
        shutil.copytree(SITE / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    info = next(SITE.glob("pillow-*.dist-info"))
    shutil.copytree(info, tmp_path / info.name)

    # When it is inspected / Then only its tags are wrong: every library it links is carried or the runtime's
    report = build.inspect_tree(tmp_path)
    assert len(report.problems) == 1, report.problems
    assert report.problems[0].startswith(f"{info.name}/WHEEL: tags cp311-cp311-manylinux")
    assert f"do not fit {build.RUNTIME}" in report.problems[0]
    assert report.shared_objects > 1 and report.highest["GLIBC"] <= build.RUNTIME_SYMBOL_VERSIONS["GLIBC"]


def test_an_extension_linking_libraries_of_the_host_is_refused(tmp_path: Path) -> None:
    # Given an extension module compiled on this host (the interpreter's own _ssl, linking the host's OpenSSL)
    import _ssl

    extension = Path(_ssl.__file__)
    shutil.copy2(extension, tmp_path / extension.name)

    # When inspected / Then the problem names the file and the libraries
    report = build.inspect_tree(tmp_path)
    assert report.problems == [
        f"{extension.name}: links libcrypto.so.3, libssl.so.3, which neither the runtime nor the package has"
    ]


def test_a_shared_object_needing_a_newer_glibc_than_the_runtime_has_is_refused(tmp_path: Path) -> None:
    # Given a library of this host that needs a newer GLIBC symbol version than Amazon Linux 2023's 2.34
    ceiling = build.RUNTIME_SYMBOL_VERSIONS["GLIBC"]
    candidates = sorted(p for folder in HOST_LIBRARIES if folder.is_dir() for p in folder.glob("lib*.so.*"))
    newer = next(
        (p for p in candidates if p.is_file() and max(build.elf_requirements(p)[1].get("GLIBC", [()])) > ceiling),
        None,
    )
    if newer is None:
        pytest.skip("this host has no library needing a GLIBC newer than the runtime's")
    shutil.copy2(newer, tmp_path / newer.name)

    # When inspected / Then the problem names the file, the version it needs and the runtime's
    needed = max(build.elf_requirements(newer)[1]["GLIBC"])
    problems = build.inspect_tree(tmp_path).problems
    assert f"{newer.name}: needs GLIBC_{'.'.join(map(str, needed))}, the runtime has GLIBC_2.34" in problems


def test_the_runtime_accepts_its_own_tags_only() -> None:
    # Given the tags the declared runtime accepts
    accepted = build.runtime_tags()
    # Then CPython 3.13 / abi3 / pure wheels on manylinux up to glibc 2.34 fit, others do not
    assert Tag("cp313", "cp313", "manylinux_2_28_x86_64") in accepted
    assert Tag("cp313", "cp313", "manylinux2014_x86_64") in accepted
    assert Tag("cp311", "abi3", "manylinux_2_34_x86_64") in accepted
    assert Tag("py3", "none", "any") in accepted
    assert Tag("cp313", "cp313", "manylinux_2_35_x86_64") not in accepted
    assert Tag("cp311", "cp311", "manylinux_2_28_x86_64") not in accepted
    assert Tag("cp313", "cp313", "linux_x86_64") not in accepted
    assert Tag("cp313", "cp313", "manylinux_2_28_aarch64") not in accepted
    # and pip is asked for every manylinux level up to the runtime's glibc, newest first
    platforms = build.pip_platforms()
    assert platforms[0] == "manylinux_2_34_x86_64" and "manylinux_2_17_x86_64" in platforms
    assert platforms[-1] == "manylinux2014_x86_64"


def test_runtime_requirements_are_split_between_the_function_zip_and_the_layer(tmp_path: Path) -> None:
    # Given the project's runtime requirements
    requirements = build.split_requirements(Path(__file__).resolve().parents[2] / "requirements.txt")
    # Then the layer gets exactly its projects, the function zip the rest, and the SDK is in neither
    names = {line.split("==")[0].split("[")[0].lower() for line in requirements.layer}
    assert names == build.LAYER_PROJECTS
    assert not any(line.lower().startswith(("boto3", "botocore")) for line in requirements.function)

    # And a requirements file that ships the SDK is refused, naming it
    shipping_sdk = tmp_path / "requirements.txt"
    shipping_sdk.write_text("pydantic==2.14.4\nboto3==1.44.8\nnumpy==2.2.6\nreportlab==5.1.0\npillow==13.0.0\n")
    with pytest.raises(build.BuildError, match="boto3 is provided by the Lambda runtime"):
        build.split_requirements(shipping_sdk)
