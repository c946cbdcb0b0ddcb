"""Faulty: apostrophes are always word characters."""

from __future__ import annotations

from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Treat apostrophes like letters."""
    if n <= 0:
        return []
    words: list[str] = []
    current = ""
    for char in text + " ":
        if char.isalnum() or char == "'":
            current += char
        elif current:
            words.append(current)
            current = ""
    counts = Counter(word.lower() for word in words)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
