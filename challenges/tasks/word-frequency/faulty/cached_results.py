"""Faulty: caches results with lru_cache and hands out the cached list itself."""

from __future__ import annotations

from collections import Counter
from functools import lru_cache


def split_words(text: str) -> list[str]:
    """Split text into words with apostrophes joining alnum characters."""
    words: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        if char.isalnum():
            current.append(char)
            continue
        next_is_alnum = index + 1 < len(text) and text[index + 1].isalnum()
        if char == "'" and current and next_is_alnum:
            current.append(char)
            continue
        if current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


@lru_cache(maxsize=256)
def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Cache each answer."""
    if n <= 0:
        return []
    counts = Counter(word.lower() for word in split_words(text))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
