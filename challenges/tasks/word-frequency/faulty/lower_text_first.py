"""Faulty: lower-cases the whole text before splitting it into words."""

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
    """Lower-case first, then split."""
    if n <= 0:
        return []
    counts = Counter(split_words(text.lower()))
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
