"""docs/architecture.md is the map a newcomer finds things with: it names every handler module,
every consumer, every rule module and every part of the local stack; and every file and every
in-document link that README.md and docs/ give leads somewhere."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support import documented

MAP = documented.ROOT / "docs" / "architecture.md"
FILE = re.compile(r"(?<![\w./-])((?:app|functions|shared|infra|tests|console|events|docs)(?:/[\w.-]+)+)(\*)?")
LINK = re.compile(r"\]\(([^)\s#]*\.md)?#([^)\s]+)\)")


def exists(reference: str, glob: bool) -> bool:
    """A path, a glob (``test_faults*.py``) or a module's attribute (``shared/security/webhooks.verify``)."""
    root = documented.ROOT
    if glob:
        return any(root.glob(reference + "*"))
    if (root / reference).exists():
        return True
    module, _, _attribute = reference.rpartition(".")
    return bool(module) and (root / f"{module}.py").exists()


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {slug(h) for h in re.findall(r"^#{1,6} (.+)$", text, re.MULTILINE)}


def test_every_file_the_docs_name_exists() -> None:
    # Given every repository path README.md and docs/ name
    named = [
        (f"{path.relative_to(documented.ROOT)}:{n}", m.group(1).rstrip("."), bool(m.group(2)))
        for path in documented.documents()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        for m in FILE.finditer(line)
        if "<" not in m.group(1)
    ]
    assert len(named) > 100
    # Then each exists
    assert [(where, ref) for where, ref, glob in named if not exists(ref, glob)] == []


def test_every_link_to_a_section_finds_it() -> None:
    # Given every link to a section (#anchor) in README.md and docs/
    missing = []
    for path in documented.documents():
        for target, anchor in LINK.findall(path.read_text(encoding="utf-8")):
            linked = (path.parent / target) if target else path
            # Then the linked document has a heading with that anchor
            if not linked.is_file() or anchor not in anchors(linked):
                missing.append((str(path.relative_to(documented.ROOT)), target, anchor))
    assert missing == []


def test_the_map_names_every_handler_module_consumer_and_rule() -> None:
    from app import app

    text = MAP.read_text(encoding="utf-8")
    # Given the modules that handle routes, the functions that are not routes, the rule modules
    # and the parts of the local stack
    handlers = {
        entry.view_function.__module__.replace(".", "/") + ".py"
        for methods in app.routes.values()
        for entry in methods.values()
    }
    consumers = {source.name for source in app.event_sources}
    root = documented.ROOT
    rules = {p.name for p in (root / "shared" / "domain").glob("*.py") if p.name != "__init__.py"}
    local = {p.name for p in (root / "infra" / "local").glob("*.py") if p.name != "__init__.py"}
    assert len(handlers) > 20 and len(consumers) > 10
    # Then the map names each of them
    assert sorted(h for h in handlers if f"`{h}`" not in text) == []
    assert sorted(c for c in consumers if f"`{c}`" not in text) == []
    assert sorted(r for r in rules if r not in text) == []
    assert sorted(m for m in local if m not in text) == []


def test_the_checks_tell_a_missing_file_and_a_broken_anchor() -> None:
    # Given references that resolve and ones that do not
    assert exists("shared/security/webhooks.verify", glob=False)
    assert exists("tests/integration/test_faults", glob=True)
    assert not exists("shared/store/nowhere.py", glob=False)
    # Then headings get GitHub's anchors
    assert slug("The console (`/console/`)") == "the-console-console"
    assert slug("Supplementary assessments and offer readiness") == "supplementary-assessments-and-offer-readiness"
