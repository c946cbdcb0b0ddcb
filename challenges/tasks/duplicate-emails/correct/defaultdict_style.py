"""Duplicate e-mail groups, written as one pass that files indices in a defaultdict."""

from __future__ import annotations

from collections import defaultdict


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Return the groups of indices of ``emails`` that share a normalised address."""
    positions: defaultdict[str, list[int]] = defaultdict(list)
    for index, email in enumerate(emails):
        address = email.strip().lower()
        if address:
            positions[address].append(index)
    # dicts keep insertion order, so groups come out ordered by their first index
    return [group for group in positions.values() if len(group) > 1]
