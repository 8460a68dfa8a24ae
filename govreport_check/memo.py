"""In-process memos for what is worked out once per rule, template or label and asked for in every report.

Keys name long-lived objects by id() (hashing a Rule or Template is costly or impossible); the objects are stored
beside the value so that their ids cannot be reused while the entry lives.
"""

from __future__ import annotations

from typing import Callable, TypeVar

T = TypeVar("T")
LIMIT = 1 << 16  # entries before a store starts afresh: labels come from reports, so a store must not grow for ever


def remembered(store: dict, key: tuple, keep: object, make: Callable[[], T]) -> T:
    """store[key], made on first use."""
    found = store.get(key)
    if found is None:
        if len(store) > LIMIT:
            store.clear()
        found = store[key] = (keep, make())
    return found[1]
