"""The suite's own layout: what tests share lives in ``tests/support`` (or the simulation and bench
packages), never in a test module, a conftest or a ``__main__`` that others import."""

from __future__ import annotations

from tests.support.import_graph import graph


def not_importable(module: str) -> bool:
    """A test module, a conftest (pytest loads it; its fixtures are not imports), or an entry point."""
    last = module.rsplit(".", 1)[-1]
    return last.startswith("test_") or last in ("conftest", "__main__")


def offending_imports(edges: dict[str, set[str]]) -> list[tuple[str, str]]:
    return sorted((module, target) for module, targets in edges.items() for target in targets if not_importable(target))


def test_no_module_of_the_suite_imports_a_test_module_a_conftest_or_an_entry_point() -> None:
    # Given every import between the suite's modules (lazy ones included)
    edges = graph("tests")
    assert "tests.support.hiring" in edges and "tests.integration.test_webhooks" in edges
    # Then none of them reaches into a test module, a conftest or a __main__
    assert offending_imports(edges) == []


def test_the_check_names_each_kind_of_offending_import() -> None:
    # Given a test module importing builders from another, a fixture module and an entry point
    edges = {
        "tests.integration.test_offers": {"tests.integration.test_webhooks", "tests.support.hiring"},
        "tests.integration.test_auth": {"tests.integration.conftest"},
        "tests.bench.flat": {"tests.bench.__main__"},
    }
    # Then each is named, and the import of tests/support is not
    assert offending_imports(edges) == [
        ("tests.bench.flat", "tests.bench.__main__"),
        ("tests.integration.test_auth", "tests.integration.conftest"),
        ("tests.integration.test_offers", "tests.integration.test_webhooks"),
    ]
