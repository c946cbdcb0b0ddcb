"""Graded write-tests runs import implementations in a fresh form each time."""

from __future__ import annotations

import ast
import random

from sandbox.disguise import disguise

SOURCE = '''"""Doc."""
from __future__ import annotations


def clamp(x, lo, hi):  # a comment
    if lo > hi:
        raise ValueError("lo > hi")
    return max(lo, min(x, hi))
'''


def test_the_disguise_keeps_the_meaning_and_changes_the_bytes() -> None:
    """Same syntax tree, different text, different text every time."""
    first, second = disguise(SOURCE), disguise(SOURCE)
    assert first != SOURCE and first != second
    assert ast.dump(ast.parse(first)) == ast.dump(ast.parse(SOURCE))
    assert "a comment" not in first
    space: dict[str, object] = {}
    exec(compile(first, "solution.py", "exec"), space)  # noqa: S102 - our own fixture
    assert space["clamp"](11, 0, 10) == 10  # type: ignore[operator]


def test_the_disguise_is_seedable_and_tolerates_bad_source() -> None:
    """A seeded generator gives the same form; unparsable text is only given a header."""
    assert disguise(SOURCE, random.Random(1)) == disguise(SOURCE, random.Random(1))
    assert disguise("def broken(:\n").rstrip().endswith("def broken(:")
