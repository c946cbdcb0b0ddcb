"""Parse ``competencies.yaml``, ``grades.yaml`` and ``blueprints.yaml``."""

from __future__ import annotations

import itertools

from assess.bank import fields
from assess.bank.source import SourceFile, SourceMap
from assess.bank.spec import (
    COMPETENCY_CODES,
    GRADES,
    TASK_KINDS,
    WEIGHT_CLASSES,
    BlueprintSpec,
    CompetencySpec,
    GradeSpec,
)


def _entries(f: SourceFile, key: str) -> list[tuple[int, SourceMap]]:
    """The mappings listed under the file's single top-level ``key``, with their lines."""
    if not f.path.is_file():
        return []
    doc = f.read()
    if doc is None:
        return []
    if not fields.is_map(doc):
        f.error(1, f"the file must be a mapping with {key!r}")
        return []
    fields.check_keys(f, doc, "file", (key,), (key,))
    items = doc.get(key)
    if not fields.is_list(items) or not items:
        f.error(doc.line_of(key) if key in doc else doc.line, f"{key} must be a non-empty list")
        return []
    found = []
    for index, item in enumerate(items):
        if fields.is_map(item):
            found.append((items.line_of(index), item))
        else:
            f.error(items.line_of(index), f"{key}[{index}] must be a mapping")
    return found


def parse_competencies(f: SourceFile) -> list[CompetencySpec]:
    """The 15 competencies, exactly the codes of the job, in display order."""
    result: list[CompetencySpec] = []
    for _line, m in _entries(f, "competencies"):
        code = m.get("code")
        ctx = f"competency {code}"
        fields.check_keys(
            f, m, ctx, ("code", "name", "weight", "description"), ("code", "name", "weight")
        )
        if code not in COMPETENCY_CODES:
            f.error(m.line_of("code"), f"unknown competency code {code!r}")
            continue
        if any(c.code == code for c in result):
            f.error(m.line_of("code"), f"duplicate competency {code}")
            continue
        name = fields.text(f, m, "name", ctx, required=False, max_len=200)
        weight = fields.choice(f, m, "weight", ctx, WEIGHT_CLASSES, required=False)
        description = fields.text(f, m, "description", ctx, required=False)
        if name is None or weight is None or ("description" in m and description is None):
            continue
        spec = CompetencySpec(str(code), name, weight, (description or "").strip(), len(result))
        result.append(spec)
    missing = [code for code in COMPETENCY_CODES if code not in {c.code for c in result}]
    if missing and not f.issues:
        f.error(1, f"competencies missing: {', '.join(missing)}")
    return result


def parse_grades(f: SourceFile) -> list[GradeSpec]:
    """Junior, middle and senior with ranks, thresholds and minimum evidence."""
    result: list[GradeSpec] = []
    keys = ("code", "rank", "name", "experience", "description", "threshold", "min_evidence")
    for _line, m in _entries(f, "grades"):
        code = m.get("code")
        ctx = f"grade {code}"
        fields.check_keys(f, m, ctx, keys, keys)
        if code not in GRADES:
            f.error(m.line_of("code"), f"unknown grade {code!r}; use {', '.join(GRADES)}")
            continue
        rank = fields.integer(f, m, "rank", ctx, 1, 10, required=False)
        name = fields.text(f, m, "name", ctx, required=False, max_len=64)
        experience = fields.text(f, m, "experience", ctx, required=False, max_len=64)
        description = fields.text(f, m, "description", ctx, required=False)
        threshold = fields.number(f, m, "threshold", ctx, 0.0, 1.0, required=False)
        min_evidence = fields.integer(f, m, "min_evidence", ctx, 1, 100, required=False)
        if None in (rank, name, experience, description, threshold, min_evidence):
            continue
        if any(g.code == code or g.rank == rank for g in result):
            f.error(m.line, f"{ctx}: duplicate grade or rank")
            continue
        assert rank
        assert name
        assert experience
        assert description
        assert threshold is not None
        assert min_evidence is not None
        spec = GradeSpec(
            str(code), rank, name, experience, description.strip(), threshold, min_evidence
        )
        result.append(spec)
    ordered = sorted(result, key=lambda g: g.rank)
    if [g.code for g in ordered] != list(GRADES) and not f.issues:
        f.error(1, f"grades must be exactly {', '.join(GRADES)} in ascending rank")
    for low, high in itertools.pairwise(ordered):
        if high.threshold < low.threshold:
            f.error(1, f"grade {high.code} threshold is below {low.code}'s")
    return ordered


def parse_blueprints(f: SourceFile) -> list[BlueprintSpec]:
    """One default assessment per grade."""
    result: list[BlueprintSpec] = []
    required = ("grade", "time_limit_minutes", "questions_per_competency", "task_kinds")
    keys = (*required, "task_count")
    for _line, m in _entries(f, "blueprints"):
        grade = m.get("grade")
        ctx = f"blueprint {grade}"
        fields.check_keys(f, m, ctx, keys, required)
        if grade not in GRADES or any(b.grade == grade for b in result):
            f.error(m.line_of("grade"), f"{ctx}: grade must be one of {', '.join(GRADES)}, once")
            continue
        minutes = fields.integer(f, m, "time_limit_minutes", ctx, 5, 600, required=False)
        counts = m.get("questions_per_competency")
        per_code: dict[str, int] = {}
        if not fields.is_map(counts):
            f.error(m.line_of("questions_per_competency"), f"{ctx}: must map codes to counts")
            continue
        for code, count in counts.items():
            if code not in COMPETENCY_CODES:
                f.error(counts.line_of(code), f"{ctx}: unknown competency code {code!r}")
            elif type(count) is not int or not 0 <= count <= 20:
                f.error(counts.line_of(code), f"{ctx}: {code} count must be an integer 0..20")
            else:
                per_code[str(code)] = count
        kinds = m.get("task_kinds")
        if not fields.is_list(kinds) or any(kind not in TASK_KINDS for kind in kinds):
            line = m.line_of("task_kinds")
            f.error(line, f"{ctx}: task_kinds must list kinds from {', '.join(TASK_KINDS)}")
            continue
        if len(set(kinds)) != len(kinds):
            f.error(m.line_of("task_kinds"), f"{ctx}: task_kinds lists a kind twice")
            continue
        task_count = None
        if "task_count" in m:
            task_count = fields.integer(f, m, "task_count", ctx, 0, len(kinds), required=False)
            if task_count is None:
                continue
        if minutes is None or len(per_code) != len(counts):
            continue
        result.append(
            BlueprintSpec(str(grade), minutes, per_code, [str(k) for k in kinds], task_count)
        )
    return result
