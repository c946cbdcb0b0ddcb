"""Sample tests for duplicate_groups (informative only: the hidden checks go further)."""

import time

from solution import duplicate_groups


def test_example() -> None:
    """Addresses are compared after strip() and lower()."""
    emails = ["a@x.io", "b@x.io", " A@X.io", "c@x.io", "b@x.io", "a@x.io"]
    assert duplicate_groups(emails) == [[0, 2, 5], [1, 4]]


def test_no_duplicates() -> None:
    """Unique addresses give no groups."""
    assert duplicate_groups(["a@x.io", "b@x.io"]) == []


def test_blank_entries_are_ignored() -> None:
    """Empty addresses never form a group."""
    assert duplicate_groups(["", " ", "a@x.io"]) == []


def test_large_input_is_fast() -> None:
    """10,000 unique addresses take well under a second."""
    emails = [f"user{i}@example.com" for i in range(10_000)]
    started = time.perf_counter()
    assert duplicate_groups(emails) == []
    assert time.perf_counter() - started < 1.0
