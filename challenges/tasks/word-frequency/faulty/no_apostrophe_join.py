"""Faulty: apostrophes never join words."""

from __future__ import annotations

from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Words are plain alnum runs."""
    if n <= 0:
        return []
    words: list[str] = []
    current = ""
    for char in text + " ":
        if char.isalnum():
            current += char
        elif current:
            words.append(current)
            current = ""
    counts = Counter(word.lower() for word in words)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
