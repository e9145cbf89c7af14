"""Erasure rules: which strings identify the person and how items are scrubbed."""

from __future__ import annotations

from pathlib import Path

from shared.domain.erasure import INVENTORY, needles, object_prefixes, redact, scrub_item


def test_needles_are_the_identifying_strings_longest_first() -> None:
    # Given an application's fields
    fields = {"name": "Li Wei", "email": "li.wei@example.com", "phone": "+86 138-0000-1234", "national_id": ""}
    # Then the full name, its parts, the e-mail and its local part, the phone and its digits identify them
    words = needles(fields)
    assert words[0] == "li.wei@example.com"
    assert {"Li Wei", "Li", "Wei", "li.wei", "+86 138-0000-1234", "8613800001234"} <= set(words)
    assert "" not in words


def test_redaction_reaches_nested_text_but_never_ids_or_keys() -> None:
    # Given an item whose id happens to contain a needle
    item = {"pk": "APP#wei1", "sk": "EVAL#x", "application_id": "wei1", "comment": "wei is calm", "n": [{"t": "WEI"}]}
    # When it is scrubbed for the needle "wei"
    out = scrub_item(item, ["wei"])
    # Then text is redacted (any case) and keys and ids are unchanged
    assert out == {**item, "comment": "[erased] is calm", "n": [{"t": "[erased]"}]}
    assert redact(42, ["4"]) == 42


def test_personal_items_are_deleted_or_emptied() -> None:
    # Given a video link and a score record with the vendor's payload and a transcript
    video = {"pk": "APP#a", "sk": "VIDEO#v", "key": "videos/a/v.mp4"}
    score = {"pk": "APP#a", "sk": "SCORE#t#w", "raw_payload": "{...}", "questions": [{"transcript_excerpt": "我"}]}
    # Then the link goes and the score record keeps no payload and no transcript
    assert scrub_item(video, []) is None
    scrubbed = scrub_item(score, [])
    assert scrubbed is not None
    assert scrubbed["raw_payload"] == "" and scrubbed["questions"] == [{"transcript_excerpt": ""}]


def test_the_inventory_names_every_place_erasure_covers_and_the_docs_list_it() -> None:
    # Given the inventory of where a candidate's data lives, and the prefixes erasure deletes
    places = " ".join(INVENTORY)
    security = (Path(__file__).resolve().parents[2] / "docs" / "security.md").read_text("utf-8")
    # Then every prefix erasure deletes is in the inventory
    for prefix in object_prefixes("<id>"):
        assert prefix in places, prefix
    # And every place of the inventory is in docs/security.md's inventory table
    for place in INVENTORY:
        first = place.split()[0].rstrip(",")
        assert first in security, first
