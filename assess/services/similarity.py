"""How alike two coding submissions are: winnowed fingerprints of normalised tokens.

Names, strings and numbers are normalised (renaming variables or changing a literal does
not hide a copy), comments and layout are dropped, and the k-grams of the token stream are
hashed. Winnowing keeps the smallest hash of every window of ``w`` consecutive k-grams, so
any shared run of at least ``w + k - 1`` tokens is guaranteed to be detected, with a small
fingerprint. Fingerprints of the task's starter code are removed first: what every candidate
was given is not evidence of copying. Pure Python; a signal for reviewers, never a verdict.

Kept home-made: the maintained winnowing package (copydetect) is built around directories
of files and HTML reports; here two submissions held in memory are compared, with names and
literals normalised and the starter discounted, in little code.
"""

from __future__ import annotations

import io
import keyword
import token
import tokenize
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

K_GRAM = 5
WINDOW = 4
_SKIPPED = {
    tokenize.COMMENT,
    tokenize.NL,
    tokenize.ENCODING,
    tokenize.ENDMARKER,
    token.TYPE_COMMENT,
}


@dataclass(frozen=True)
class Token:
    """A normalised token and the source line it starts on."""

    text: str
    line: int


@dataclass(frozen=True)
class Fingerprint:
    """The selected k-gram hashes of one piece of code, each with the lines it covers."""

    hashes: dict[int, frozenset[int]]

    def __len__(self) -> int:
        """How many distinct hashes were kept."""
        return len(self.hashes)

    def without(self, other: Fingerprint) -> Fingerprint:
        """This fingerprint minus every hash found in ``other`` (e.g. the starter code)."""
        return Fingerprint({h: lines for h, lines in self.hashes.items() if h not in other.hashes})


@dataclass(frozen=True)
class Match:
    """How much of two fingerprints is shared, and which lines of each take part."""

    score: float  # Jaccard similarity of the two fingerprints, 0..1
    containment: float  # the shared share of the smaller fingerprint, 0..1
    shared: int
    lines_a: frozenset[int]
    lines_b: frozenset[int]


def normalise(code: str) -> list[Token]:
    """The code's tokens with identifiers, strings and numbers normalised.

    Code that does not tokenise (a syntax error part-way) keeps the tokens read so far.
    """
    tokens: list[Token] = []
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            if tok.type in _SKIPPED:
                continue
            text = _normal_text(tok)
            if text:
                tokens.append(Token(text, tok.start[0]))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    return tokens


def _normal_text(tok: tokenize.TokenInfo) -> str:
    """The normalised form of one token."""
    if tok.type == tokenize.NAME:
        return tok.string if keyword.iskeyword(tok.string) else "V"
    if tok.type == tokenize.STRING or tok.type in _fstring_types():
        return "S"
    if tok.type == tokenize.NUMBER:
        return "N"
    if tok.type == tokenize.NEWLINE:
        return ";"
    if tok.type == tokenize.INDENT:
        return "{"
    if tok.type == tokenize.DEDENT:
        return "}"
    return tok.string


def _fstring_types() -> frozenset[int]:
    """The f-string token types of Python 3.12+ (none on 3.11)."""
    names = ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
    return frozenset(getattr(tokenize, name) for name in names if hasattr(tokenize, name))


def _hash(texts: Sequence[str]) -> int:
    """A stable 32-bit hash of a k-gram (the same in every process, unlike ``hash``)."""
    return zlib.crc32("\x1f".join(texts).encode("utf-8"))


def winnow(tokens: Sequence[Token], k: int = K_GRAM, window: int = WINDOW) -> Fingerprint:
    """Winnow the k-gram hashes of ``tokens``: the rightmost minimum of every window."""
    if len(tokens) < k:
        if not tokens:
            return Fingerprint({})
        lines = frozenset(t.line for t in tokens)
        return Fingerprint({_hash([t.text for t in tokens]): lines})
    grams = [
        (
            _hash([t.text for t in tokens[i : i + k]]),
            frozenset(range(tokens[i].line, tokens[i + k - 1].line + 1)),
        )
        for i in range(len(tokens) - k + 1)
    ]
    selected: dict[int, set[int]] = {}
    last = -1
    for start in range(max(1, len(grams) - window + 1)):
        chunk = grams[start : start + window]
        smallest = min(h for h, _ in chunk)
        index = start + max(i for i, (h, _) in enumerate(chunk) if h == smallest)
        if index != last:
            value, lines = grams[index]
            selected.setdefault(value, set()).update(lines)
            last = index
    return Fingerprint({h: frozenset(lines) for h, lines in selected.items()})


def fingerprint(code: str, starter: str = "") -> Fingerprint:
    """The fingerprint of ``code`` with whatever the ``starter`` code already contained."""
    own = winnow(normalise(code))
    return own.without(winnow(normalise(starter))) if starter else own


def compare(a: Fingerprint, b: Fingerprint) -> Match:
    """How much ``a`` and ``b`` share."""
    shared = a.hashes.keys() & b.hashes.keys()
    union = len(a.hashes.keys() | b.hashes.keys())
    smaller = min(len(a), len(b))
    lines_a = frozenset().union(*(a.hashes[h] for h in shared)) if shared else frozenset()
    lines_b = frozenset().union(*(b.hashes[h] for h in shared)) if shared else frozenset()
    return Match(
        score=len(shared) / union if union else 0.0,
        containment=len(shared) / smaller if smaller else 0.0,
        shared=len(shared),
        lines_a=lines_a,
        lines_b=lines_b,
    )


def most_similar(
    target: Fingerprint, others: Iterable[tuple[int, Fingerprint]]
) -> tuple[int, Match] | None:
    """The key of the other fingerprint most similar to ``target`` and the match, if any
    shares anything (ties go to the lowest key, so the answer is reproducible)."""
    best: tuple[int, Match] | None = None
    for key, other in others:
        match = compare(target, other)
        if match.shared == 0:
            continue
        if best is None or (match.score, -key) > (best[1].score, -best[0]):
            best = (key, match)
    return best
