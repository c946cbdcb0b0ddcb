"""Faulty: digits are not word characters (isalpha instead of isalnum)."""

from __future__ import annotations

from collections import Counter


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Words are runs of letters joined by inner apostrophes."""
    if n <= 0:
        return []
    words: list[str] = []
    current = ""
    for index, char in enumerate(text):
        joins = char == "'" and current and text[index + 1 : index + 2].isalpha()
        if char.isalpha() or joins:
            current += char
        elif current:
            words.append(current)
            current = ""
    if current:
        words.append(current)
    counts = Counter(word.lower() for word in words)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]
