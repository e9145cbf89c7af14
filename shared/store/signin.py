"""Failed sign-in attempts, counted per fixed window in the talent table (the API's functions keep no
state between requests, so the count lives where every container sees it).

=====================  ===============================  ==================
item                   pk                               sk
=====================  ===============================  ==================
failed attempts        SIGNIN#<sha256 of the subject>   W#<window number>
=====================  ===============================  ==================

A subject is ``user:<user name, lower case>`` or ``address:<source IP>``; only its hash is stored.
An item holds ``failures`` and expires (TTL) when its window ends; reads treat it as absent after.
"""

from __future__ import annotations

import hashlib

from shared.store.table import Store


def _key(subject: str, window: int) -> dict[str, str]:
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()
    return {"pk": f"SIGNIN#{digest}", "sk": f"W#{window}"}


class SignInAttempts(Store):
    def failures(self, subjects: list[str], window: int) -> dict[str, int]:
        """Failed attempts of each subject in ``window`` (one BatchGetItem)."""
        keys = {_key(s, window)["pk"]: s for s in subjects}
        items = self.table.get_many([_key(s, window) for s in subjects])
        return {keys[str(i["pk"])]: int(i.get("failures", 0)) for i in items}

    def count_failure(self, subjects: list[str], window: int, expires_at: int) -> None:
        """One more failed attempt for each subject in ``window``."""
        for subject in subjects:
            self.table.write(
                self.table.update_op(
                    _key(subject, window),
                    "ADD failures :one SET expires_at = :exp",
                    values={":one": 1, ":exp": expires_at},
                )
            )

    def forget(self, subject: str, window: int) -> None:
        """A successful sign-in clears the user's count (the address keeps its own)."""
        self.table.delete_item(_key(subject, window))
