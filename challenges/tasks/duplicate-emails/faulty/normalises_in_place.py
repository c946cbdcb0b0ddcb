"""Faulty: fast, but writes the normalised addresses back into the caller's list."""

from __future__ import annotations


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Normalise the list in place, then group."""
    for index, email in enumerate(emails):
        emails[index] = email.strip().lower()
    indices_by_address: dict[str, list[int]] = {}
    for index, address in enumerate(emails):
        if address:
            indices_by_address.setdefault(address, []).append(index)
    return [indices for indices in indices_by_address.values() if len(indices) > 1]
