"""The persistence kernel over moto: the versioned write with its audit record, the first-write-wins
transaction, reading every page, counting, and expired items treated as absent."""

from __future__ import annotations

import time
from typing import Any

import pytest

from shared.errors import Conflict
from shared.store.audit import AuditEntry
from shared.store.table import Table


def audit(action: str) -> AuditEntry:
    return AuditEntry(subject="thing:t1", actor="test", action=action, details={})


def audit_actions(table: Table) -> list[str]:
    return [str(i["action"]) for i in table.query_all("AUDIT#thing:t1")]


def test_a_versioned_write_wins_once_and_writes_its_audit_record_with_it(stack: Any) -> None:
    # Given a new item written at version 1
    table = Table()
    table.write_versioned([({"pk": "THING#t1", "sk": "META", "version": 1}, None)], audit("create"), "taken")
    # When two writers both read version 1 and write version 2
    table.write_versioned([({"pk": "THING#t1", "sk": "META", "version": 2}, 1)], audit("first"), "changed")
    with pytest.raises(Conflict) as lost:
        table.write_versioned([({"pk": "THING#t1", "sk": "META", "version": 2, "x": 1}, 1)], audit("second"), "changed")
    # Then the second is a Conflict naming the version, and its audit record was not written either
    assert lost.value.message == "changed"
    assert lost.value.details == [{"field": "version", "message": "changed by someone else; reload"}]
    assert table.get_item("THING#t1", "META") == {"pk": "THING#t1", "sk": "META", "version": 2}
    assert sorted(audit_actions(table)) == ["create", "first"]
    # And creating it again is a Conflict too (a new item must not exist)
    with pytest.raises(Conflict):
        table.write_versioned([({"pk": "THING#t1", "sk": "META", "version": 1}, None)], audit("again"), "taken")


def test_put_new_writes_nothing_when_the_first_item_exists(stack: Any) -> None:
    # Given a marker written once with a second item in the same transaction
    table = Table()
    first = table.put_new([table.new_op({"pk": "MARK#m", "sk": "M"}), table.put_op({"pk": "SIDE#m", "sk": "1"})])
    # When the same marker comes again with another side item
    again = table.put_new([table.new_op({"pk": "MARK#m", "sk": "M"}), table.put_op({"pk": "SIDE#m", "sk": "2"})])
    # Then the first wrote both, the second nothing
    assert (first, again) == (True, False)
    assert [i["sk"] for i in table.query_all("SIDE#m")] == ["1"]


def test_query_all_reads_every_page_and_count_counts_without_reading_items(stack: Any) -> None:
    # Given 25 items in a partition and 3 in another
    table = Table()
    table.put_all([{"pk": "P#a", "sk": f"ROW#{n:03d}", "n": n} for n in range(25)])
    table.put_all([{"pk": "P#b", "sk": f"ROW#{n:03d}"} for n in range(3)])
    # When they are read 10 a page, by prefix and below a bound, and counted
    rows = table.query_all("P#a", sk_prefix="ROW#", page_size=10)
    below = table.query_all("P#a", sk_below="ROW#005", page_size=2)
    # Then every item comes back in order, and the counts match
    assert [r["n"] for r in rows] == list(range(25))
    assert [r["n"] for r in below] == [0, 1, 2, 3, 4]
    assert table.count("P#a", sk_prefix="ROW#") == 25 and table.count("P#b") == 3


def test_an_item_past_its_expiry_is_absent_for_reads_but_counted_as_stored(stack: Any) -> None:
    # Given an item whose expiry passed (TTL deletes lazily) beside a live one
    table = Table()
    table.put_all([{"pk": "P#e", "sk": "old", "expires_at": int(time.time()) - 60}, {"pk": "P#e", "sk": "new"}])
    # Then reads treat it as absent, a COUNT (keys only) still sees it
    assert table.get_item("P#e", "old") is None
    assert [i["sk"] for i in table.query_all("P#e")] == ["new"]
    assert [i["sk"] for i in table.query("P#e").items] == ["new"]
    assert table.count("P#e") == 2
