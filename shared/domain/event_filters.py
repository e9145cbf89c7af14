"""Lambda event filtering: does a record match an event source mapping's filter pattern?

The subset of the EventBridge pattern syntax our filters use (nested objects, lists of values,
``{"prefix": ...}``). One rule for everyone who applies a filter: the consumer's own check, the
local stack's event pump and the tests, so each sees exactly the records the deployed one would.
"""

from __future__ import annotations

from typing import Any


def matches(pattern: Any, value: Any) -> bool:
    """Does ``value`` (a stream record or part of one) match an event filter ``pattern``?"""
    if isinstance(pattern, dict):
        if not isinstance(value, dict):
            return False
        return all(key in value and matches(sub, value[key]) for key, sub in pattern.items())
    if isinstance(pattern, list):
        for option in pattern:
            if isinstance(option, dict) and "prefix" in option:
                if isinstance(value, str) and value.startswith(option["prefix"]):
                    return True
            elif option == value:
                return True
        return False
    raise ValueError(f"unsupported filter pattern element: {pattern!r}")
