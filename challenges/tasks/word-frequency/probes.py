"""Hidden probes for word-frequency: each returns what top_words gave for one input."""

from __future__ import annotations

from typing import Any

from probekit import probe


@probe("basic-counts", weight=3)
def _basic(solution: Any) -> Any:
    return solution.top_words("the cat and the hat and the bat", 3)


@probe("punctuation-separates-words", weight=2)
def _punctuation(solution: Any) -> Any:
    return solution.top_words("Hello, world! Hello...world? (HELLO)", 5)


@probe("case-insensitive-merge", weight=2)
def _case(solution: Any) -> Any:
    return solution.top_words("Apple apple APPLE banana Banana cherry", 3)


@probe("ties-by-word-ascending", weight=3)
def _ties(solution: Any) -> Any:
    return solution.top_words("pear fig apple fig pear apple kiwi", 4)


@probe("ties-not-in-first-seen-order", weight=2)
def _ties_first_seen(solution: Any) -> Any:
    return solution.top_words("c b a c b a", 3)


@probe("ties-compare-lowercased-words", weight=2)
def _ties_lower(solution: Any) -> Any:
    return solution.top_words("Banana apple Cherry", 3)


@probe("cut-after-sorting", weight=2)
def _cut(solution: Any) -> Any:
    return solution.top_words("d c b a", 2)


@probe("apostrophe-joins-inside-word", weight=3)
def _apostrophe_inside(solution: Any) -> Any:
    return solution.top_words("Don't stop, don't! Rock'n'roll is rock'n'roll.", 5)


@probe("apostrophe-at-edges-dropped", weight=2)
def _apostrophe_edges(solution: Any) -> Any:
    return solution.top_words("'quoted' dogs' 'tis ' '' dogs", 5)


@probe("double-apostrophe-splits", weight=1)
def _double_apostrophe(solution: Any) -> Any:
    return solution.top_words("a''b it''s b", 5)


@probe("typographic-apostrophe-splits", weight=1)
def _curly(solution: Any) -> Any:
    return solution.top_words("don\u2019t won\u2019t don't", 5)


@probe("apostrophe-next-to-digits-and-accents", weight=1)
def _apostrophe_unicode(solution: Any) -> Any:
    return solution.top_words("rock'79 l'été 7'é", 5)


@probe("underscore-is-not-a-word-char", weight=2)
def _underscore(solution: Any) -> Any:
    return solution.top_words("snake_case __init__ a_b _ snake", 10)


@probe("unicode-letters-are-words", weight=2)
def _unicode_letters(solution: Any) -> Any:
    return solution.top_words("café Café naïve ĐURO đuro", 5)


@probe("unicode-digits-are-words", weight=1)
def _unicode_digits(solution: Any) -> Any:
    return solution.top_words("٣ ٣ x² ² 7", 5)


@probe("digits-are-words", weight=1)
def _digits(solution: Any) -> Any:
    return solution.top_words("route 66, route 66 and 7up", 3)


@probe("lower-not-casefold", weight=1)
def _casefold(solution: Any) -> Any:
    return solution.top_words("Straße STRASSE strasse", 5)


@probe("lower-each-word-not-the-text", weight=1)
def _lower_each(solution: Any) -> Any:
    return solution.top_words("\u0130stanbul", 5)


@probe("whitespace-variety", weight=1)
def _whitespace(solution: Any) -> Any:
    return solution.top_words("a\tb\nc\r\nd\u00a0e  a", 10)


@probe("n-zero", weight=2)
def _n_zero(solution: Any) -> Any:
    return solution.top_words("a b a", 0)


@probe("n-negative", weight=2)
def _n_negative(solution: Any) -> Any:
    return [solution.top_words("a b a c", -1), solution.top_words("a b", -5)]


@probe("n-larger-than-distinct-words", weight=2)
def _n_large(solution: Any) -> Any:
    return solution.top_words("a b a", 10)


@probe("no-words", weight=2)
def _no_words(solution: Any) -> Any:
    return [solution.top_words("", 3), solution.top_words("... !!! '' -- _", 3)]


@probe("calls-are-independent", weight=2)
def _independent(solution: Any) -> Any:
    first = solution.top_words("x y x", 5)
    second = solution.top_words("z", 5)
    third = solution.top_words("x y x", 5)
    return [first, second, third]


@probe("many-words", weight=1)
def _many(solution: Any) -> Any:
    vocabulary = ["alpha", "Beta", "gamma", "don't", "x_y", "café", "'q'"]
    parts = [vocabulary[(i * i + 3 * i) % len(vocabulary)] for i in range(5000)]
    return solution.top_words(" ".join(parts), 6)


@probe("returned-list-not-reused", weight=1)
def _not_reused(solution: Any) -> Any:
    first = solution.top_words("p q p", 5)
    first.append(("zzz", 99))
    first[0] = ("changed", 0)
    return solution.top_words("p q p", 5)
