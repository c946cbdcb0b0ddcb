"""Word frequency: list the most frequent words of a text.

Style: blank out every character that is neither a word character nor an ASCII
apostrophe, split on the blanks, then split each chunk on apostrophes and glue back the
pieces that sit between two non-empty pieces (a single apostrophe between word chars).
"""

from __future__ import annotations

from collections import Counter


def _words(text: str) -> list[str]:
    cleaned = "".join(ch if (ch.isalnum() or ch == "'") else " " for ch in text)
    words: list[str] = []
    for chunk in cleaned.split(" "):
        if not chunk:
            continue
        current: list[str] = []
        for piece in chunk.split("'"):
            if piece:
                current.append(piece)
            else:
                # an empty piece means an apostrophe at an edge or two in a row
                if current:
                    words.append("'".join(current))
                    current = []
        if current:
            words.append("'".join(current))
    return words


def top_words(text: str, n: int) -> list[tuple[str, int]]:
    """Return the ``n`` most frequent words of ``text`` with their counts."""
    if n <= 0:
        return []
    counts = Counter(word.lower() for word in _words(text))
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [(word, count) for word, count in ranked[:n]]
