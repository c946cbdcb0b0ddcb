"""The Russian text of quiz and interview questions: their ``ru:`` mappings.

A translation mirrors its English item exactly: the same number of options and items in the
same order (answers are indices into both), the same follow-ups and anchors. Code and
code-output answers are language-neutral and never translated. A missing translation is
not an error when reading (test banks have none); ``flask bank check`` reports it through
:func:`missing_russian`.
"""

from __future__ import annotations

from typing import Any

from assess.bank import fields
from assess.bank.source import BankIssue, SourceFile, SourceMap
from assess.bank.spec import CHOICE_TYPES, Bank, InterviewSpec, QuestionSpec

QUESTION_KEYS = ("prompt", "explanation", "options", "items", "answer")
INTERVIEW_KEYS = ("question", "follow_ups", "anchors")
ANCHORS = ("1", "2", "3", "4")
MISSING = "no Russian text (ru:)"


def _same_count(
    f: SourceFile, ru: SourceMap, key: str, ctx: str, values: list[str] | None, english: int
) -> bool:
    """Report a translated list whose length differs from the English one."""
    if values is not None and len(values) != english:
        f.error(
            ru.line_of(key),
            f"{ctx}: ru.{key} must have the same {english} entries as {key}, "
            f"in the same order (got {len(values)})",
        )
        return False
    return values is not None


def parse_question_ru(
    f: SourceFile, q: SourceMap, ctx: str, qtype: str | None, match: str | None
) -> dict[str, Any] | None:
    """The ``ru`` mapping of a quiz question, checked against the English one.

    Returns ``{"prompt", "explanation"[, "options"][, "items"][, "answer"]}`` or None (absent
    or invalid; an invalid one has its issues recorded).
    """
    raw = q.get("ru")
    if raw is None and "ru" not in q:
        return None
    if not fields.is_map(raw):
        f.error(q.line_of("ru"), f"{ctx}: ru must be a mapping (prompt, explanation, ...)")
        return None
    rctx = f"{ctx} ru"
    fields.check_keys(f, raw, rctx, QUESTION_KEYS, ("prompt", "explanation"))
    ok = set(raw) <= set(QUESTION_KEYS)
    result: dict[str, Any] = {}
    for key in ("prompt", "explanation"):
        value = fields.text(f, raw, key, rctx, required=False)
        ok = ok and value is not None
        result[key] = value
    ok = _list(f, q, raw, "options", rctx, qtype in CHOICE_TYPES, result) and ok
    ok = _list(f, q, raw, "items", rctx, qtype == "ordering", result) and ok
    if "answer" in raw:
        answer = _answer(f, raw, rctx, qtype, match)
        ok = ok and answer is not None
        result["answer"] = answer
    return result if ok else None


def _list(
    f: SourceFile,
    q: SourceMap,
    raw: SourceMap,
    key: str,
    ctx: str,
    wanted: bool,
    result: dict[str, Any],
) -> bool:
    """``ru.options`` / ``ru.items``: required iff the type has them, same count as English."""
    if not wanted:
        if key in raw:
            f.error(raw.line_of(key), f"{ctx}: {key} is not translated for this type")
            return False
        return True
    if key not in raw:
        f.error(raw.line, f"{ctx}: missing required key {key!r}")
        return False
    values = fields.text_list(f, raw, key, ctx, 1, 20)
    english = q.get(key)
    count = len(english) if fields.is_list(english) else 0
    if not _same_count(f, raw, key, ctx, values, count):
        return False
    result[key] = values
    return True


def _answer(
    f: SourceFile, raw: SourceMap, ctx: str, qtype: str | None, match: str | None
) -> list[str] | None:
    """``ru.answer``: accepted Russian words of an ``exact`` question (not ``match: number``)."""
    line = raw.line_of("answer")
    if qtype != "exact" or match == "number":
        f.error(
            line, f"{ctx}: answer is translated only for exact questions whose answers are words"
        )
        return None
    value = raw["answer"]
    values = list(value) if fields.is_list(value) else [value]
    accepted = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if not values or len(accepted) != len(values):
        f.error(line, f"{ctx}: answer must be a non-empty string or a list of them")
        return None
    return accepted


def parse_interview_ru(
    f: SourceFile, q: SourceMap, ctx: str, follow_ups: int
) -> dict[str, Any] | None:
    """The ``ru`` mapping of an interview question: question, follow-ups, anchors 1-4."""
    raw = q.get("ru")
    if raw is None and "ru" not in q:
        return None
    if not fields.is_map(raw):
        f.error(q.line_of("ru"), f"{ctx}: ru must be a mapping (question, follow_ups, anchors)")
        return None
    rctx = f"{ctx} ru"
    fields.check_keys(f, raw, rctx, INTERVIEW_KEYS, ("question",))
    ok = set(raw) <= set(INTERVIEW_KEYS)
    question = fields.text(f, raw, "question", rctx, required=False)
    ok = ok and question is not None
    ups: list[str] | None = []
    if follow_ups or "follow_ups" in raw:
        if "follow_ups" not in raw:
            f.error(raw.line, f"{rctx}: missing required key 'follow_ups'")
            ok = False
        else:
            ups = fields.text_list(f, raw, "follow_ups", rctx, 0, 10)
            ok = _same_count(f, raw, "follow_ups", rctx, ups, follow_ups) and ok
    anchors = _anchors(f, raw, rctx)
    ok = ok and anchors is not None
    if not ok:
        return None
    return {"question": question, "follow_ups": ups or [], "anchors": anchors}


def _anchors(f: SourceFile, raw: SourceMap, ctx: str) -> dict[str, str] | None:
    """Translated anchors: exactly the keys 1-4, each a text."""
    if "anchors" not in raw:
        f.error(raw.line, f"{ctx}: missing required key 'anchors'")
        return None
    value = raw["anchors"]
    if not fields.is_map(value):
        f.error(raw.line_of("anchors"), f"{ctx}: anchors must be a mapping of 1..4 to text")
        return None
    anchors: dict[str, str] = {}
    for key, text in value.items():
        name = str(key)
        if name not in ANCHORS or type(key) not in (int, str):
            f.error(value.line_of(key), f"{ctx}: anchor {key!r} is not a score 1..4")
            return None
        if not isinstance(text, str) or not text.strip():
            f.error(value.line_of(key), f"{ctx}: anchor {name} must be a non-empty text")
            return None
        anchors[name] = text
    missing = [name for name in ANCHORS if name not in anchors]
    if missing:
        f.error(raw.line_of("anchors"), f"{ctx}: anchors missing for score {', '.join(missing)}")
        return None
    return dict(sorted(anchors.items()))


def missing_russian(bank: Bank) -> list[BankIssue]:
    """One issue per question, interview question and task that has no Russian text."""
    issues: list[BankIssue] = []
    items: list[QuestionSpec | InterviewSpec] = [*bank.questions, *bank.interview]
    for item in items:
        if item.ru is None:
            file, _, line = item.source.rpartition(":")
            kind = "question" if isinstance(item, QuestionSpec) else "interview question"
            issues.append(BankIssue(file, int(line or 1), f"{kind} {item.id}: {MISSING}"))
    for task in bank.tasks:
        if not task.statement_ru_md:
            issues.append(
                BankIssue(task.source, 1, f"task {task.slug}: no Russian text (statement.ru.md)")
            )
    return issues
