"""Winnowing similarity of submissions: renaming does not hide a copy, unrelated code and
the starter code do not count."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assess.services import similarity

ORIGINAL = """
def top_words(text, n):
    counts = {}
    for word in text.lower().split():
        counts[word] = counts.get(word, 0) + 1
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:n]
"""

RENAMED = """
# my own work, honestly
def top_words(body, limit):
    tally = {}
    for token in body.lower().split():
        tally[token] = tally.get(token, 0) + 1   # count it
    result = sorted(tally.items(), key=lambda pair: (-pair[1], pair[0]))
    return result[:limit]
"""

UNRELATED = """
import heapq
from collections import Counter

def top_words(text, n):
    return heapq.nsmallest(n, Counter(text.lower().split()).items(),
                           key=lambda item: (-item[1], item[0]))
"""


def test_renamed_copy_is_identical_after_normalisation() -> None:
    """Identifiers, comments and literals do not change the fingerprint."""
    a, b = similarity.fingerprint(ORIGINAL), similarity.fingerprint(RENAMED)
    match = similarity.compare(a, b)
    assert match.score == 1.0
    assert match.containment == 1.0
    assert match.lines_a >= {3, 4, 5, 6}
    assert match.lines_b >= {4, 5, 6, 7}


def test_unrelated_solution_shares_little() -> None:
    """A different approach scores far lower than a copy (the signature is shared)."""
    match = similarity.compare(similarity.fingerprint(ORIGINAL), similarity.fingerprint(UNRELATED))
    assert match.score < 0.4


def test_starter_code_is_not_evidence() -> None:
    """Two candidates who only kept the starter share nothing once it is removed."""
    starter = (
        'def top_words(text: str, n: int) -> list[tuple[str, int]]:\n    """Doc."""\n'
        "    raise NotImplementedError\n"
    )
    a = similarity.fingerprint(starter + "\n# mine\n", starter)
    b = similarity.fingerprint(starter, starter)
    assert len(a) == 0
    assert len(b) == 0
    assert similarity.compare(a, b).shared == 0


def test_most_similar_picks_the_copy_and_breaks_ties_by_key() -> None:
    """The copy wins; equal scores go to the lowest key; nothing shared gives None."""
    target = similarity.fingerprint(ORIGINAL)
    others = [
        (7, similarity.fingerprint(UNRELATED)),
        (5, similarity.fingerprint(RENAMED)),
        (3, similarity.fingerprint(RENAMED)),
    ]
    best = similarity.most_similar(target, others)
    assert best is not None
    assert best[0] == 3
    assert similarity.most_similar(target, [(1, similarity.fingerprint("x = 1"))]) is None


def test_broken_code_still_fingerprints() -> None:
    """Code that does not tokenise keeps the tokens read before the error."""
    assert len(similarity.fingerprint(ORIGINAL + '\n"""unterminated')) > 0
    assert len(similarity.fingerprint("")) == 0
    assert len(similarity.fingerprint("a = (")) >= 0


@given(st.text(max_size=300))
def test_fingerprint_never_fails_and_matches_itself(code: str) -> None:
    """Any text fingerprints; a non-empty fingerprint matches itself completely."""
    fp = similarity.fingerprint(code)
    if len(fp):
        assert similarity.compare(fp, fp).score == 1.0
