"""Parse and validate ``challenges/questions/<CODE>.yaml`` (see challenges/README.md)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assess.bank import fields
from assess.bank.russian import parse_question_ru
from assess.bank.scoring import parse_number
from assess.bank.source import SourceFile, SourceMap
from assess.bank.spec import (
    COMPETENCY_CODES,
    GRADE_LETTERS,
    GRADES,
    LANGUAGES,
    MATCH_MODES,
    QUESTION_TYPES,
    QuestionSpec,
)

COMMON_KEYS = (
    "id",
    "grade",
    "type",
    "evidences",
    "prompt",
    "code",
    "language",
    "explanation",
    "ru",
)


@dataclass
class TypeFields:
    """What a type-specific parser extracted from one question."""

    answer: Any
    options: list[str] | None = None
    items: list[str] | None = None
    match: str | None = None


Parser = Callable[[SourceFile, SourceMap, str], "TypeFields | None"]


def _missing_answer(f: SourceFile, q: SourceMap, ctx: str) -> bool:
    """Record a missing ``answer`` and say whether it was missing."""
    if "answer" not in q:
        f.error(q.line, f"{ctx}: missing required key 'answer'")
        return True
    return False


def _index(value: Any, count: int) -> bool:
    """True for a plain int that indexes ``count`` options."""
    return type(value) is int and 0 <= value < count


def parse_single(f: SourceFile, q: SourceMap, ctx: str) -> TypeFields | None:
    """``options`` 3..6 and ``answer`` the index of the correct one."""
    options = fields.text_list(f, q, "options", ctx, 3, 6)
    if _missing_answer(f, q, ctx) or options is None:
        return None
    answer = q["answer"]
    if type(answer) is not int:
        f.error(q.line_of("answer"), f"{ctx}: answer must be an option index, got {answer!r}")
        return None
    if not _index(answer, len(options)):
        f.error(
            q.line_of("answer"),
            f"{ctx}: answer index {answer} out of range ({len(options)} options)",
        )
        return None
    return TypeFields(answer=answer, options=options)


def parse_multiple(f: SourceFile, q: SourceMap, ctx: str) -> TypeFields | None:
    """``options`` 4..6 and ``answer`` a list of distinct indices, at least one, not all."""
    options = fields.text_list(f, q, "options", ctx, 4, 6)
    if _missing_answer(f, q, ctx) or options is None:
        return None
    answer, line = q["answer"], q.line_of("answer")
    if not fields.is_list(answer) or not answer:
        f.error(line, f"{ctx}: answer must be a non-empty list of option indices")
        return None
    for index, value in enumerate(answer):
        if not _index(value, len(options)):
            f.error(
                answer.line_of(index),
                f"{ctx}: answer index {value!r} out of range ({len(options)} options)",
            )
            return None
    if len(set(answer)) != len(answer):
        f.error(line, f"{ctx}: answer lists an option twice")
        return None
    if len(answer) == len(options):
        f.error(line, f"{ctx}: answer must not select every option")
        return None
    return TypeFields(answer=sorted(answer), options=options)


def parse_exact(f: SourceFile, q: SourceMap, ctx: str) -> TypeFields | None:
    """``answer`` a string or a list of accepted strings; optional ``match`` mode."""
    match = fields.choice(f, q, "match", ctx, MATCH_MODES, required=False)
    if "match" in q and match is None:
        return None
    if _missing_answer(f, q, ctx):
        return None
    raw, line = q["answer"], q.line_of("answer")
    values = list(raw) if fields.is_list(raw) else [raw]
    accepted: list[str] = []
    for value in values:
        if type(value) in (int, float):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            f.error(line, f"{ctx}: answer must be a non-empty string or a list of them")
            return None
        accepted.append(value.strip())
    if not accepted:
        f.error(line, f"{ctx}: answer must list at least one accepted string")
        return None
    if match == "number":
        for value in accepted:
            if parse_number(value) is None:
                f.error(line, f"{ctx}: answer {value!r} is not a number (match: number)")
                return None
    return TypeFields(answer=accepted, match=match or "text")


def parse_ordering(f: SourceFile, q: SourceMap, ctx: str) -> TypeFields | None:
    """``items`` 3..7 in the correct order; no ``answer`` key."""
    if "answer" in q:
        f.error(q.line_of("answer"), f"{ctx}: ordering has no answer key; list items in order")
        return None
    items = fields.text_list(f, q, "items", ctx, 3, 7)
    if items is None:
        return None
    return TypeFields(answer=list(items), items=items)


def parse_code_output(f: SourceFile, q: SourceMap, ctx: str) -> TypeFields | None:
    """``code`` (python) and ``answer`` the exact printed text."""
    if "code" not in q:
        f.error(q.line, f"{ctx}: code-output needs code")
        return None
    if q.get("language", "python") != "python":
        f.error(q.line_of("language"), f"{ctx}: code-output code must be python")
        return None
    if _missing_answer(f, q, ctx):
        return None
    answer = q["answer"]
    if type(answer) is int:
        answer = str(answer)
    if not isinstance(answer, str) or answer == "":
        f.error(q.line_of("answer"), f"{ctx}: answer must be the printed text (a string)")
        return None
    return TypeFields(answer=answer)


def parse_bug_line(f: SourceFile, q: SourceMap, ctx: str) -> TypeFields | None:
    """``code`` and ``answer`` a 1-based line number of it, or a list of them."""
    code = q.get("code")
    if not isinstance(code, str):
        f.error(q.line, f"{ctx}: bug-line needs code")
        return None
    if _missing_answer(f, q, ctx):
        return None
    lines = len(code.rstrip("\n").split("\n"))
    raw, line = q["answer"], q.line_of("answer")
    values = list(raw) if fields.is_list(raw) else [raw]
    if not values:
        f.error(line, f"{ctx}: answer must be a line number or a list of them")
        return None
    for value in values:
        if type(value) is not int or not 1 <= value <= lines:
            f.error(line, f"{ctx}: answer line {value!r} out of range (code has {lines} lines)")
            return None
    return TypeFields(answer=sorted(set(values)))


TYPE_PARSERS: dict[str, tuple[tuple[str, ...], Parser]] = {
    "single": (("options", "answer"), parse_single),
    "multiple": (("options", "answer"), parse_multiple),
    "exact": (("answer", "match"), parse_exact),
    "ordering": (("items",), parse_ordering),
    "code-output": (("answer",), parse_code_output),
    "bug-line": (("answer",), parse_bug_line),
}
assert set(TYPE_PARSERS) == set(QUESTION_TYPES)


def parse_question(f: SourceFile, q: Any, line: int, index: int, code: str) -> QuestionSpec | None:
    """Validate one question mapping of a file whose competency is ``code``."""
    if not fields.is_map(q):
        f.error(line, f"question #{index + 1}: must be a mapping")
        return None
    qid = q.get("id")
    ctx = f"question {qid}" if isinstance(qid, str) else f"question #{index + 1}"
    qtype = fields.choice(f, q, "type", ctx, QUESTION_TYPES)
    # With an unknown type, only keys that no type knows are reported as unknown.
    extra = (
        TYPE_PARSERS[qtype][0] if qtype else tuple(k for e, _ in TYPE_PARSERS.values() for k in e)
    )
    fields.check_keys(f, q, ctx, COMMON_KEYS + extra, ())
    ok = qtype is not None
    if "id" not in q:
        f.error(q.line, f"{ctx}: missing required key 'id'")
        ok = False
    elif not isinstance(qid, str):
        f.error(q.line_of("id"), f"{ctx}: id must look like {code.lower()}-<j|m|s>-<3 digits>")
        ok = False
    grade = fields.choice(f, q, "grade", ctx, GRADES)
    ok = ok and grade is not None
    if isinstance(qid, str):
        pattern = rf"{re.escape(code.lower())}-([jms])-\d{{3}}"
        found = re.fullmatch(pattern, qid)
        if found is None:
            f.error(q.line_of("id"), f"{ctx}: id must look like {code.lower()}-<j|m|s>-<3 digits>")
            ok = False
        elif grade is not None and GRADE_LETTERS[found.group(1)] != grade:
            f.error(q.line_of("id"), f"{ctx}: id letter {found.group(1)!r} does not match {grade}")
            ok = False
    prompt = fields.text(f, q, "prompt", ctx)
    explanation = fields.text(f, q, "explanation", ctx)
    snippet = fields.text(f, q, "code", ctx, required=False)
    language = fields.choice(f, q, "language", ctx, LANGUAGES, required=False)
    if "language" in q and "code" not in q:
        f.error(q.line_of("language"), f"{ctx}: language given without code")
    weights = (
        fields.weights(f, q, "evidences", ctx, COMPETENCY_CODES, code)
        if "evidences" in q
        else {code: 1.0}
    )
    typed = TYPE_PARSERS[qtype][1](f, q, ctx) if qtype else None
    ru = parse_question_ru(f, q, ctx, qtype, typed.match if typed else None)
    if not ok or None in (prompt, explanation, weights, typed):
        return None
    if "ru" in q and ru is None:
        return None
    if ("code" in q and snippet is None) or ("language" in q and language is None):
        return None
    assert typed is not None
    assert prompt
    assert explanation
    assert weights
    assert grade
    assert qtype
    return QuestionSpec(
        id=str(qid),
        competency=code,
        grade=grade,
        type=qtype,
        weights=weights,
        prompt=prompt,
        explanation=explanation,
        answer=_with_russian_answers(typed.answer, ru),
        code=snippet,
        language=language or "python",
        options=typed.options,
        items=typed.items,
        match=typed.match,
        source=f"{f.display}:{q.line}",
        ru=ru,
    )


def _with_russian_answers(answer: Any, ru: dict[str, Any] | None) -> Any:
    """An exact question accepts its Russian answers too, whatever the page's language."""
    if ru is None or "answer" not in ru:
        return answer
    return [*answer, *(value for value in ru["answer"] if value not in answer)]


def parse_question_file(f: SourceFile, stem: str) -> list[QuestionSpec]:
    """Every valid question of one file; issues go to ``f``."""
    found = fields.competency_file(f, stem)
    if found is None:
        return []
    code, items = found
    parsed = (parse_question(f, q, items.line_of(i), i, code) for i, q in enumerate(items))
    return [q for q in parsed if q is not None]
