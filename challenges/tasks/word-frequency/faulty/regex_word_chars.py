"""Faulty: a regex with \\w accepts underscores."""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"\w+(?:'\w+)*")


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Count words found by a \\w regex."""
    if n <= 0:
        return []
    counts = Counter(word.lower() for word in WORD.findall(text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
