"""Faulty: fast sort-and-scan, but groups are ordered by address, not by first index."""

from __future__ import annotations


def duplicate_groups(emails: list[str]) -> list[list[int]]:
    """Sort (address, index) pairs and collect runs of equal addresses."""
    pairs = sorted((email.strip().lower(), index) for index, email in enumerate(emails))
    groups: list[list[int]] = []
    run: list[int] = []
    previous = None
    for address, index in pairs:
        if address and address == previous:
            run.append(index)
            continue
        if len(run) > 1:
            groups.append(run)
        run = [index]
        previous = address
    if len(run) > 1:
        groups.append(run)
    return groups
