"""Duplicate e-mail groups, written functionally: normalise once, count, then collect."""

from __future__ import annotations

from collections import Counter


def normalise(email: str) -> str:
    """Return the form of ``email`` used for comparison."""
    return email.strip().lower()


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Return the groups of indices of ``emails`` that share a normalised address."""
    addresses = [normalise(email) for email in emails]
    counts = Counter(address for address in addresses if address)
    groups: dict[str, list[int]] = {}
    for index, address in enumerate(addresses):
        if counts.get(address, 0) > 1:
            groups.setdefault(address, []).append(index)
    return list(groups.values())
