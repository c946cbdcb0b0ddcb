"""Find customer records that share an e-mail address."""

from __future__ import annotations

from itertools import groupby


def normalise(email: str) -> str:
    """Return the form of ``email`` used for comparison."""
    return email.strip().lower()


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Return the groups of indices of ``emails`` that share a normalised address."""
    keys = [normalise(email) for email in emails]
    # A stable sort of the positions by their key keeps equal keys in ascending index
    # order, so each run of equal keys is already a sorted group.
    order = sorted(range(len(keys)), key=keys.__getitem__)
    groups = []
    for key, run in groupby(order, key=keys.__getitem__):
        if not key:
            continue
        group = list(run)
        if len(group) > 1:
            groups.append(group)
    groups.sort(key=lambda group: group[0])
    return groups
