"""Faulty: uses Counter.most_common, so ties stay in first-seen order."""

from __future__ import annotations

from collections import Counter


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


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Delegate ordering to Counter.most_common."""
    if n <= 0:
        return []
    return Counter(word.lower() for word in split_words(text)).most_common(n)
