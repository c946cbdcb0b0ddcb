"""Find customer records that share an e-mail address."""

from __future__ import annotations


def normalise(email: str) -> str:
    """Return the form of ``email`` used for comparison."""
    return email.strip().lower()


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Return the groups of indices of ``emails`` that share a normalised address."""
    groups: list[list[int]] = []
    grouped: list[int] = []
    for i in range(len(emails)):
        if i in grouped:
            continue
        address = normalise(emails[i])
        if not address:
            continue
        group = [i]
        for j in range(i + 1, len(emails)):
            if normalise(emails[j]) == address:
                group.append(j)
        if len(group) > 1:
            groups.append(group)
            grouped.extend(group)
    return groups
