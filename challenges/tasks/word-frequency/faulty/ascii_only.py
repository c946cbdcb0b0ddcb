"""Faulty: only ASCII letters and digits are word characters."""

from __future__ import annotations

import re
from collections import Counter

WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z0-9]+)*")


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Count ASCII words."""
    if n <= 0:
        return []
    counts = Counter(word.lower() for word in WORD.findall(text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
