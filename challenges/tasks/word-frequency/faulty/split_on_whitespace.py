"""Faulty: splits on whitespace only, punctuation stays in words."""

from __future__ import annotations

from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Count whitespace-separated tokens."""
    if n <= 0:
        return []
    counts = Counter(word.lower() for word in text.split())
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
