"""Small checks shared by the bank's parsers; each records a located issue and returns a value.

Every check takes the file being read, the mapping, the key and a context label such as
``question sql-j-004``, and returns the value when it is usable or ``None`` after recording
an issue at the key's line.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeGuard

from assess.bank.source import SourceFile, SourceList, SourceMap
from assess.bank.spec import COMPETENCY_CODES


def check_keys(
    f: SourceFile, m: SourceMap, ctx: str, allowed: Iterable[str], required: Iterable[str]
) -> None:
    """Report unknown keys (at their line) and missing required keys (at the mapping)."""
    allowed_set = set(allowed)
    for key in m:
        if key not in allowed_set:
            f.error(m.line_of(key), f"{ctx}: unknown key {key!r}")
    for key in required:
        if key not in m:
            f.error(m.line, f"{ctx}: missing required key {key!r}")


def is_map(value: Any) -> TypeGuard[SourceMap]:
    """True for a mapping read from YAML."""
    return isinstance(value, SourceMap)


def is_list(value: Any) -> TypeGuard[SourceList]:
    """True for a sequence read from YAML."""
    return isinstance(value, SourceList)


def text(
    f: SourceFile,
    m: SourceMap,
    key: str,
    ctx: str,
    required: bool = True,
    max_len: int | None = None,
) -> str | None:
    """A non-blank string at ``key`` (at most ``max_len`` characters when given)."""
    if key not in m:
        if required:
            f.error(m.line, f"{ctx}: missing required key {key!r}")
        return None
    value = m[key]
    if not isinstance(value, str) or not value.strip():
        f.error(m.line_of(key), f"{ctx}: {key} must be a non-empty string")
        return None
    if max_len is not None and len(value) > max_len:
        f.error(m.line_of(key), f"{ctx}: {key} is longer than {max_len} characters")
        return None
    return value


def integer(
    f: SourceFile, m: SourceMap, key: str, ctx: str, low: int, high: int, required: bool = True
) -> int | None:
    """An integer (never a bool) in ``low..high`` at ``key``."""
    if key not in m:
        if required:
            f.error(m.line, f"{ctx}: missing required key {key!r}")
        return None
    value = m[key]
    if type(value) is not int or not low <= value <= high:
        f.error(m.line_of(key), f"{ctx}: {key} must be an integer in {low}..{high}, got {value!r}")
        return None
    return value


def number(
    f: SourceFile, m: SourceMap, key: str, ctx: str, low: float, high: float, required: bool = True
) -> float | None:
    """A number (never a bool) in ``low..high`` at ``key``."""
    if key not in m:
        if required:
            f.error(m.line, f"{ctx}: missing required key {key!r}")
        return None
    value = m[key]
    if type(value) not in (int, float) or not low <= value <= high:
        f.error(m.line_of(key), f"{ctx}: {key} must be a number in {low}..{high}, got {value!r}")
        return None
    return float(value)


def choice(
    f: SourceFile,
    m: SourceMap,
    key: str,
    ctx: str,
    choices: Iterable[str],
    required: bool = True,
) -> str | None:
    """One of ``choices`` at ``key``."""
    options = tuple(choices)
    if key not in m:
        if required:
            f.error(m.line, f"{ctx}: missing required key {key!r}")
        return None
    value = m[key]
    if value not in options:
        f.error(m.line_of(key), f"{ctx}: {key} must be one of {', '.join(options)}, got {value!r}")
        return None
    return str(value)


def text_list(
    f: SourceFile,
    m: SourceMap,
    key: str,
    ctx: str,
    low: int,
    high: int,
    distinct: bool = True,
    required: bool = True,
) -> list[str] | None:
    """A list of ``low..high`` non-blank strings at ``key`` (distinct unless told)."""
    if key not in m:
        if required:
            f.error(m.line, f"{ctx}: missing required key {key!r}")
        return None
    value = m[key]
    if not is_list(value):
        f.error(m.line_of(key), f"{ctx}: {key} must be a list")
        return None
    ok = True
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            hint = " (it reads as a mapping: quote text that contains ': ')" if is_map(item) else ""
            f.error(value.line_of(index), f"{ctx}: {key}[{index}] must be a non-empty string{hint}")
            ok = False
    if not low <= len(value) <= high:
        f.error(m.line_of(key), f"{ctx}: {key} must have {low}..{high} entries, got {len(value)}")
        ok = False
    if ok and distinct:
        seen: dict[str, int] = {}
        for index, item in enumerate(value):
            norm = " ".join(item.split())
            if norm in seen:
                f.error(
                    value.line_of(index),
                    f"{ctx}: {key}[{index}] repeats {key}[{seen[norm]}]",
                )
                ok = False
            seen.setdefault(norm, index)
    return [str(item) for item in value] if ok else None


def weights(
    f: SourceFile, m: SourceMap, key: str, ctx: str, codes: Iterable[str], primary: str | None
) -> dict[str, float] | None:
    """Competency weights: known codes, positive numbers summing to 1 (with ``primary``)."""
    known = set(codes)
    value = m[key]
    line = m.line_of(key)
    if not is_map(value) or not value:
        f.error(line, f"{ctx}: {key} must be a mapping of competency code to weight")
        return None
    result: dict[str, float] = {}
    for code, weight in value.items():
        if code not in known:
            f.error(value.line_of(code), f"{ctx}: unknown competency code {code!r} in {key}")
            return None
        if type(weight) not in (int, float) or not 0 < weight <= 1:
            f.error(value.line_of(code), f"{ctx}: {key}[{code}] must be a number in (0, 1]")
            return None
        result[str(code)] = float(weight)
    if abs(sum(result.values()) - 1.0) > 1e-6:
        f.error(line, f"{ctx}: {key} weights must sum to 1.0, got {sum(result.values()):g}")
        return None
    if primary is not None and primary not in result:
        f.error(line, f"{ctx}: {key} must include the file's competency {primary}")
        return None
    return result


def competency_file(f: SourceFile, stem: str) -> tuple[str, SourceList] | None:
    """The competency code and the ``questions`` list of a per-competency file.

    Shared by quiz files and interview kits: the file is a mapping with ``competency`` (one
    of the codes, equal to the file name) and a non-empty ``questions`` list. Issues go to
    ``f``; None when the file cannot be read further.
    """
    doc = f.read()
    if doc is None:
        return None
    if not is_map(doc):
        f.error(1, "the file must be a mapping with 'competency' and 'questions'")
        return None
    check_keys(f, doc, "file", ("competency", "questions"), ("competency", "questions"))
    code = doc.get("competency")
    if code not in COMPETENCY_CODES:
        f.error(doc.line_of("competency"), f"unknown competency code {code!r}")
        return None
    if code != stem:
        f.error(doc.line_of("competency"), f"competency {code} does not match file name {stem}")
        return None
    items = doc.get("questions")
    if not is_list(items) or not items:
        f.error(doc.line_of("questions"), "questions must be a non-empty list")
        return None
    return str(code), items
