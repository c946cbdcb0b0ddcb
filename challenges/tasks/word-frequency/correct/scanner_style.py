"""Word frequency, written as a character scanner with a plain dict of counts."""

from __future__ import annotations


def _words(text: str) -> list[str]:
    """Split ``text`` into words: runs of alphanumerics joined by single inner apostrophes."""
    words: list[str] = []
    current: list[str] = []
    for index, char in enumerate(text):
        if char.isalnum():
            current.append(char)
            continue
        joins = (
            char == "'"
            and current
            and current[-1] != "'"
            and index + 1 < len(text)
            and text[index + 1].isalnum()
        )
        if joins:
            current.append(char)
            continue
        if current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Return the ``n`` most frequent words of ``text`` with their counts."""
    if n <= 0:
        return []
    counts: dict[str, int] = {}
    for word in _words(text):
        key = word.lower()
        counts[key] = counts.get(key, 0) + 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ranked[:n]
