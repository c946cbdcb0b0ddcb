"""Suspicion flags point reviewers at tampering, without failing anyone."""

from __future__ import annotations

import ast

from sandbox.flags import suspicion_flags


def flags(source: str) -> tuple[str, ...]:
    """Flags of a source text."""
    return suspicion_flags(ast.parse(source))


def test_clean_code_has_no_flags() -> None:
    """Ordinary code is not flagged."""
    assert flags("import re\nfrom collections import Counter\nx = sorted([1])\n") == ()


def test_tampering_is_flagged_with_lines() -> None:
    """Frames, gc, ctypes, os._exit, builtins, pytest internals and sys.modules are flagged."""
    source = "\n".join(
        [
            "import ctypes",
            "import gc, _pytest.runner",
            "from os import _exit",
            "import sys",
            "sys._getframe(1).f_back",
            "sys.modules['x'] = None",
            "__builtins__['len'] = None",
            "import os; os._exit(0)",
            "exec('1')",
            "class A:",
            "    def __eq__(self, other): return True",
            "from . import sibling",
        ]
    )
    found = flags(source)
    text = "\n".join(found)
    for expected in (
        "line 1: loads native code (ctypes)",
        "line 2: inspects live objects (gc)",
        "line 2: imports pytest internals (_pytest)",
        "line 3: calls os._exit",
        "line 5: walks interpreter frames",
        "line 6: reads or patches sys.modules",
        "line 7: patches builtins",
        "line 8: calls os._exit",
        "line 9: calls exec",
        "line 11: defines __eq__",
    ):
        assert expected in text
    assert list(found) == sorted(found, key=lambda f: int(f.split(":")[0].split()[1]))


def test_flags_are_capped() -> None:
    """A file full of tricks gives a bounded list."""
    source = "\n".join(f"exec('{i}')\nimport ctypes as c{i}" for i in range(100))
    assert len(suspicion_flags(ast.parse(source), limit=5)) == 5


def test_recognising_an_implementation_instead_of_testing_it_is_flagged() -> None:
    """A test file that reads the module's file, source or bytecode, or its pid, is flagged."""
    source = "\n".join(
        [
            "import solution, os, dis",
            "open(solution.__file__).read()",
            "solution.clamp.__code__.co_code",
            "os.getpid()",
            "from pathlib import Path",
            "Path(__file__).parent",
            "open('solution.py').read()",
        ]
    )
    text = "\n".join(flags(source))
    assert "line 1: disassembles code (dis)" in text
    assert "line 2: reads a module's file" in text
    assert "line 3: reads bytecode" in text
    assert "line 4: reads its process id" in text
    assert "line 6" not in text
    assert "line 7: names a Python file ('solution.py')" in text
