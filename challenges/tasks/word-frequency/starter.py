"""Word frequency: list the most frequent words of a text."""

from __future__ import annotations


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Return the ``n`` most frequent words of ``text`` with their counts."""
    raise NotImplementedError
