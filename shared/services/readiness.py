"""Offer readiness over the application's partition: ONE Query, then the shared rule
(``shared.domain.readiness.offer_blockers``). The offers feature calls ``offer_blockers_for``."""

from __future__ import annotations

from typing import Any

from shared.domain.readiness import Blocker, offer_blockers
from shared.store.repository import Repository


def partition(repo: Repository, application_id: str) -> list[dict[str, Any]]:
    """Every item of ``APP#<application_id>`` (one Query; it pages only for an enormous archive)."""
    items: list[dict[str, Any]] = []
    token = None
    while True:
        page = repo.query(f"APP#{application_id}", limit=1000, token=token)
        items += page.items
        token = page.next_token
        if not token:
            return items


def offer_blockers_for(repo: Repository, application_id: str) -> list[Blocker]:
    """Why an offer may not be made to this application yet (empty: it may)."""
    return offer_blockers(partition(repo, application_id))
