"""Faulty: indexes n items, so n larger than the vocabulary raises IndexError."""

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
    """Pick the first n ranked items by index."""
    counts = Counter(word.lower() for word in split_words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [ranked[index] for index in range(n)]
