"""Faulty: fast, but orders the groups by address instead of by first index."""

from __future__ import annotations


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Group indices by normalised address, sorted by address."""
    indices_by_address: dict[str, list[int]] = {}
    for index, email in enumerate(emails):
        address = email.strip().lower()
        if address:
            indices_by_address.setdefault(address, []).append(index)
    return [
        indices_by_address[address]
        for address in sorted(indices_by_address)
        if len(indices_by_address[address]) > 1
    ]
