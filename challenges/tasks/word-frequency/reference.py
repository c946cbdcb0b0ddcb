"""Word frequency: list the most frequent words of a text."""

from __future__ import annotations

from collections import Counter

APOSTROPHE = "'"


def split_words(text: str) -> list[str]:
    """Return the words of ``text`` in order, as they appear (not lower-cased).

    A word is a maximal run of ``str.isalnum()`` characters; an ASCII apostrophe joins
    two such characters into one word.
    """
    words: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        if char.isalnum():
            current.append(char)
            continue
        next_is_alnum = index + 1 < len(text) and text[index + 1].isalnum()
        if char == APOSTROPHE and current and next_is_alnum:
            current.append(char)
            continue
        if current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Return the ``n`` most frequent lower-cased words of ``text`` with their counts.

    Ordered by count descending, then by word ascending.
    """
    if n <= 0:
        return []
    counts = Counter(word.lower() for word in split_words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]
