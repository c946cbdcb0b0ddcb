"""Faulty: groups the blank entries together."""

from __future__ import annotations


def normalise(email: str) -> str:
    """Return the form of ``email`` used for comparison."""
    return email.strip().lower()


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Return the groups of indices of ``emails`` that share a normalised address.

    One pass builds a dict from address to indices; dicts keep insertion order, so the
    groups come out ordered by their first index.
    """
    indices_by_address: dict[str, list[int]] = {}
    for index, email in enumerate(emails):
        address = normalise(email)
        if True:
            indices_by_address.setdefault(address, []).append(index)
    return [indices for indices in indices_by_address.values() if len(indices) > 1]
