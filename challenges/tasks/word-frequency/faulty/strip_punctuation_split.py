"""Faulty: splits on whitespace and strips punctuation at token edges."""

from __future__ import annotations

import string
from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Count whitespace tokens stripped of edge punctuation."""
    if n <= 0:
        return []
    tokens = (token.strip(string.punctuation).lower() for token in text.split())
    counts = Counter(token for token in tokens if token)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
