"""Word frequency, written with one regular expression, a Counter and a heap."""

from __future__ import annotations

import heapq
import re
from collections import Counter

# [^\W_] is exactly the set of characters for which str.isalnum() is true.
WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Return the ``n`` most frequent words of ``text`` with their counts."""
    if n <= 0:
        return []
    counts = Counter(match.group().lower() for match in WORD.finditer(text))
    best = heapq.nsmallest(n, counts.items(), key=lambda pair: (-pair[1], pair[0]))
    return [(word, count) for word, count in best]
