"""A conditional put of a versioned item with its audit record, in one transaction.

``expected`` is the version the caller read: the put succeeds only if the stored item is still at
that version (or, with ``expected=None``, only if there is no stored item yet). Anything else is a
``Conflict`` — of two concurrent writers exactly one wins.
"""

from __future__ import annotations

from typing import Any

from shared.store.repository import AuditEntry, Repository


def put_versioned(
    repo: Repository, item: dict[str, Any], expected: int | None, audit: AuditEntry, conflict: str
) -> None:
    repo.write_versioned([(item, expected)], audit, conflict)
