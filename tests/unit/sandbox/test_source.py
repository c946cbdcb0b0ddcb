"""Submission bytes are checked before anything runs."""

from __future__ import annotations

import codecs
import threading

import pytest

from sandbox import source
from sandbox.source import SourceRejectedError, check_source

LIMIT = 256 * 1024


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b" \n\t", "is empty"),
        (b"x = 1\0", "NUL byte at offset 5"),
        (b"x = '\xc3'\n", "not valid UTF-8 (byte offset 5"),
        (codecs.BOM_UTF16_BE + "x".encode("utf-16-be"), "UTF-16"),
        (codecs.BOM_UTF32_LE + "x".encode("utf-32-le"), "UTF-32"),
        (b"def f(:\n", "syntax error at line 1"),
        (b"x" * (LIMIT + 1), "over the limit of 256 KB"),
        (b"x = " + b"[" * 5000 + b"]" * 5000, "solution.py"),
    ],
)
def test_bad_bytes_are_rejected_with_a_reason(data: bytes, message: str) -> None:
    """Each kind of bad input has its own clear reason naming the file."""
    with pytest.raises(SourceRejectedError, match=r"solution\.py") as info:
        check_source(data, LIMIT)
    assert message in str(info.value)


def test_utf8_bom_is_removed_and_noted() -> None:
    """Python accepts a UTF-8 BOM; the sandbox strips it and says so."""
    checked = check_source(codecs.BOM_UTF8 + b"x = 1\n", LIMIT)
    assert checked.text == "x = 1\n"
    assert checked.notes


def test_good_source_parses() -> None:
    """A normal file decodes and parses, without notes."""
    checked = check_source("s = 'héllo'\n".encode(), LIMIT, "test_solution.py")
    assert checked.text.startswith("s = ")
    assert checked.notes == ()
    assert checked.tree.body


def test_parses_from_several_threads_take_turns() -> None:
    """CPython 3.11 counts syntax-tree conversion depth per interpreter, not per
    thread, so parallel parses (the bank proof grades tasks in threads) can fail a
    correct file with "AST constructor recursion depth mismatch": while one parse
    runs, another waits for it instead of interleaving."""
    started = threading.Event()
    finished = threading.Event()

    def parse() -> None:
        started.set()
        source.parse_module("x = [[1], [2]]\n")
        finished.set()

    with source._PARSE_LOCK:
        worker = threading.Thread(target=parse)
        worker.start()
        assert started.wait(5)
        assert not finished.wait(0.2), "a parse ran while another held the parser"
    worker.join(5)
    assert finished.is_set()
    assert check_source(b"x = 1\n", LIMIT).tree.body
