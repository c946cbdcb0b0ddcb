"""Syntax highlighting of candidate code for reviewers, inert by construction.

Candidate code is hostile: every character reaches the page through ``Markup.format``,
which escapes it, so ``<script>`` or ``{{ ... }}`` in a submission is shown, never run.
Python's own tokenizer classifies the text; code that does not tokenise keeps the colours
found so far and the rest is shown plain.
"""

from __future__ import annotations

import builtins
import io
import keyword
import tokenize
from collections.abc import Iterator

from markupsafe import Markup

MAX_HIGHLIGHT_CHARS = 200_000
BUILTINS = frozenset(name for name in dir(builtins) if not name.startswith("_"))
_SPAN = Markup('<span class="{}">{}</span>')


def _token_class(tok: tokenize.TokenInfo) -> str | None:
    """The CSS class of one token, or None for plain text."""
    if tok.type == tokenize.NAME:
        if keyword.iskeyword(tok.string) or keyword.issoftkeyword(tok.string):
            return "tok-kw"
        return "tok-bi" if tok.string in BUILTINS else None
    if tok.type == tokenize.STRING:
        return "tok-str"
    if tok.type == tokenize.NUMBER:
        return "tok-num"
    if tok.type == tokenize.COMMENT:
        return "tok-com"
    return None


def _segments(code: str) -> Iterator[tuple[str, str | None]]:
    """Cover ``code`` with (text, class) pieces in order, gaps as plain text."""
    starts = [0]
    for line in code.split("\n"):  # readline splits on \n only, unlike str.splitlines
        starts.append(starts[-1] + len(line) + 1)
    position = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(code).readline):
            css = _token_class(tok)
            if css is None:
                continue
            begin = starts[tok.start[0] - 1] + tok.start[1]
            end = starts[tok.end[0] - 1] + tok.end[1]
            if begin < position:
                continue
            if begin > position:
                yield code[position:begin], None
            yield code[begin:end], css
            position = end
    except (tokenize.TokenError, IndentationError, SyntaxError, IndexError):
        pass
    if position < len(code):
        yield code[position:], None


def highlight_lines(code: str) -> list[Markup]:
    """``code`` as escaped, highlighted HTML, one Markup per source line."""
    if len(code) > MAX_HIGHLIGHT_CHARS:
        return [Markup.escape(line) for line in code.split("\n")]
    lines: list[list[Markup]] = [[]]
    for text, css in _segments(code.replace("\r\n", "\n").replace("\r", "\n")):
        for index, part in enumerate(text.split("\n")):
            if index:
                lines.append([])
            if part:
                lines[-1].append(_SPAN.format(css, part) if css else Markup.escape(part))
    if len(lines) > 1 and not lines[-1]:
        lines.pop()
    return [Markup("").join(parts) for parts in lines]
