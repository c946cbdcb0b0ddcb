"""Faulty: apostrophe runs kept inside, only stripped at the ends (a''b joins)."""

from __future__ import annotations

from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Collect alnum-or-apostrophe runs and strip apostrophes at the ends."""
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
    stripped = (word.strip("'").lower() for word in words)
    counts = Counter(word for word in stripped if word)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
