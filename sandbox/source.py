"""Check a submission's bytes before anything runs: a clear reason for bad input."""

from __future__ import annotations

import ast
import codecs
import threading
from dataclasses import dataclass

# CPython before 3.12 keeps the depth counter of the C-to-Python syntax tree
# conversion in the interpreter, not the thread: two threads parsing at once
# (the bank proof grades tasks in parallel) can fail one of them with
# "SystemError: AST constructor recursion depth mismatch". One lock around
# every parse on the host keeps a correct submission from failing for that.
_PARSE_LOCK = threading.Lock()


def parse_module(text: str, filename: str = "<unknown>") -> ast.Module:
    """``ast.parse`` made safe to call from several threads at once."""
    with _PARSE_LOCK:
        return ast.parse(text, filename=filename)


class SourceRejectedError(Exception):
    """The submission cannot be run; the message is safe to show the candidate."""


@dataclass(frozen=True)
class CheckedSource:
    """A submission that decoded and parsed, with notes for reviewers."""

    text: str
    tree: ast.Module
    notes: tuple[str, ...] = ()


def check_source(data: bytes, limit: int, filename: str = "solution.py") -> CheckedSource:
    """Decode and parse ``data`` or raise :class:`SourceRejectedError` with a reason.

    A UTF-8 byte-order mark is removed (Python accepts it) and noted; UTF-16/32
    marks, invalid UTF-8, NUL bytes, empty files, oversized files and syntax
    errors are rejected.
    """
    if len(data) > limit:
        raise SourceRejectedError(
            f"{filename} is {len(data)} bytes, over the limit of {limit // 1024} KB"
        )
    notes: list[str] = []
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
        notes.append("the file started with a UTF-8 byte-order mark, which was removed")
    elif data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise SourceRejectedError(f"{filename} is UTF-32 (byte-order mark); save it as UTF-8")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise SourceRejectedError(f"{filename} is UTF-16 (byte-order mark); save it as UTF-8")
    if not data.strip():
        raise SourceRejectedError(f"{filename} is empty")
    if b"\0" in data:
        offset = data.index(b"\0")
        raise SourceRejectedError(f"{filename} contains a NUL byte at offset {offset}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceRejectedError(
            f"{filename} is not valid UTF-8 (byte offset {exc.start}: {exc.reason})"
        ) from exc
    try:
        tree = parse_module(text, filename)
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "unknown line"
        raise SourceRejectedError(f"{filename} has a syntax error at {where}: {exc.msg}") from exc
    except (RecursionError, MemoryError, ValueError) as exc:
        raise SourceRejectedError(f"{filename} is too deeply nested to parse") from exc
    return CheckedSource(text=text, tree=tree, notes=tuple(notes))
