"""Parse and validate ``challenges/interview/<CODE>.yaml`` (interview kits with rubrics)."""

from __future__ import annotations

import re
from typing import Any

from assess.bank import fields
from assess.bank.russian import parse_interview_ru
from assess.bank.source import SourceFile, SourceMap
from assess.bank.spec import GRADE_LETTERS, GRADES, InterviewSpec

KEYS = ("id", "grade", "question", "follow_ups", "anchors", "ru")
REQUIRED = ("id", "grade", "question", "anchors")
ANCHORS = ("1", "2", "3", "4")


def parse_anchors(f: SourceFile, q: SourceMap, ctx: str) -> dict[str, str] | None:
    """Anchors for every score 1..4 (keys may be written as numbers or strings)."""
    raw = q.get("anchors")
    if not fields.is_map(raw):
        f.error(q.line_of("anchors"), f"{ctx}: anchors must be a mapping of 1..4 to text")
        return None
    anchors: dict[str, str] = {}
    ok = True
    for key, value in raw.items():
        name = str(key)
        if name not in ANCHORS or type(key) not in (int, str):
            f.error(raw.line_of(key), f"{ctx}: anchor {key!r} is not a score 1..4")
            ok = False
        elif not isinstance(value, str) or not value.strip():
            f.error(raw.line_of(key), f"{ctx}: anchor {name} must be a non-empty text")
            ok = False
        else:
            anchors[name] = value
    missing = [name for name in ANCHORS if name not in anchors and name not in map(str, raw)]
    if missing:
        f.error(q.line_of("anchors"), f"{ctx}: anchors missing for score {', '.join(missing)}")
        ok = False
    return dict(sorted(anchors.items())) if ok else None


def parse_interview_question(
    f: SourceFile, q: Any, line: int, index: int, code: str
) -> InterviewSpec | None:
    """Validate one interview question of a kit whose competency is ``code``."""
    if not fields.is_map(q):
        f.error(line, f"interview question #{index + 1}: must be a mapping")
        return None
    qid = q.get("id")
    ctx = f"interview question {qid}" if isinstance(qid, str) else f"interview #{index + 1}"
    fields.check_keys(f, q, ctx, KEYS, REQUIRED)
    grade = fields.choice(f, q, "grade", ctx, GRADES)
    ok = isinstance(qid, str) and grade is not None
    if isinstance(qid, str):
        found = re.fullmatch(rf"{re.escape(code.lower())}-iv-([jms])-\d{{2}}", qid)
        if found is None:
            f.error(
                q.line_of("id"), f"{ctx}: id must look like {code.lower()}-iv-<j|m|s>-<2 digits>"
            )
            ok = False
        elif grade is not None and GRADE_LETTERS[found.group(1)] != grade:
            f.error(q.line_of("id"), f"{ctx}: id letter {found.group(1)!r} does not match {grade}")
            ok = False
    question = fields.text(f, q, "question", ctx, required=False)
    follow_ups = fields.text_list(f, q, "follow_ups", ctx, 0, 10, required=False)
    anchors = parse_anchors(f, q, ctx) if "anchors" in q else None
    ru = parse_interview_ru(f, q, ctx, len(follow_ups or []))
    if not ok or question is None or anchors is None:
        return None
    if "ru" in q and ru is None:
        return None
    if "follow_ups" in q and follow_ups is None:
        return None
    assert grade is not None
    return InterviewSpec(
        id=str(qid),
        competency=code,
        grade=grade,
        question=question,
        follow_ups=follow_ups or [],
        anchors=anchors,
        source=f"{f.display}:{q.line}",
        ru=ru,
    )


def parse_interview_file(f: SourceFile, stem: str) -> list[InterviewSpec]:
    """Every valid interview question of one kit; issues go to ``f``."""
    found = fields.competency_file(f, stem)
    if found is None:
        return []
    code, items = found
    parsed = (
        parse_interview_question(f, q, items.line_of(i), i, code) for i, q in enumerate(items)
    )
    return [q for q in parsed if q is not None]
