"""Give the implementations of a write-tests job a fresh form for every graded run.

The candidate can see the correct implementation (the sample runs import it), so
a test file could recognise it by its bytes and fail everything else without
testing any behaviour. Graded runs therefore import every implementation
reformatted (comments and layout gone) under a random header: a digest or a
text comparison of the file no longer matches what the candidate saw. What
survives (comparing syntax trees, reading code objects) needs ``inspect``,
``ast``, ``__code__`` or ``__file__``, which the suspicion flags show reviewers.
"""

from __future__ import annotations

import ast
import random
import string

from sandbox.source import parse_module


def disguise(source: str, rng: random.Random | None = None) -> str:
    """The same module in another form: reformatted under a random comment header."""
    try:
        body = ast.unparse(parse_module(source))
    except (SyntaxError, ValueError, RecursionError):
        body = source
    rng = rng or random.SystemRandom()
    salt = "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(24))
    return f"# {salt}" + "\n" * rng.randint(1, 12) + body + "\n"
