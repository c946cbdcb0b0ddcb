"""The scoring engine.

Every scored item (a quiz answer, a coding task's probes, later an interview rubric line)
carries competency weights, a grade level and a score in 0..1. A competency's score at a
grade is the weighted share earned over the items *at that grade or harder*: passing a
Middle question is evidence for Junior too, never the other way round. A grade is met when
every *required* competency reaches that grade's threshold with enough evidence; desirable
and advantage competencies add a visible bonus and never gate. The recommended grade is the
highest grade met. Interview rubric scores join with a visible weight.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

BONUS_PER_CLASS = {"required": 0.0, "desirable": 0.05, "advantage": 0.03}
DEFAULT_INTERVIEW_WEIGHT = 0.4


@dataclass(frozen=True)
class CompetencyInfo:
    """A competency as the engine needs it."""

    code: str
    weight_class: str  # required | desirable | advantage
    name: str = ""


@dataclass(frozen=True)
class GradeInfo:
    """A grade: its rank (junior 1 ...), the bar and how much evidence it needs."""

    code: str
    rank: int
    threshold: float
    min_evidence: int = 2


@dataclass(frozen=True)
class ScoredItem:
    """One scored piece of evidence: ``score`` in 0..1 with competency ``weights``."""

    key: str
    kind: str  # question | task
    grade_rank: int
    score: float
    weights: Mapping[str, float]

    def __post_init__(self) -> None:
        """Refuse scores and weights outside their ranges."""
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"{self.key}: score {self.score} outside 0..1")
        if any(w < 0 for w in self.weights.values()):
            raise ValueError(f"{self.key}: negative competency weight")


@dataclass(frozen=True)
class RubricEvidence:
    """One interviewer's 1..4 score for one competency."""

    competency: str
    interviewer: str
    score: int

    def __post_init__(self) -> None:
        """Refuse a score outside 1..4."""
        if self.score not in (1, 2, 3, 4):
            raise ValueError(f"rubric score {self.score} outside 1..4")


@dataclass(frozen=True)
class CompetencyScore:
    """A competency's result: automated, interview and combined, with the evidence."""

    code: str
    weight_class: str
    earned: float
    possible: float
    evidence: int
    automated: float | None
    interview: float | None
    interview_scores: tuple[int, ...]
    combined: float | None
    sufficient: bool
    by_grade: Mapping[str, float | None]

    @property
    def interview_spread(self) -> int | None:
        """The difference between the highest and lowest interviewer score."""
        if not self.interview_scores:
            return None
        return max(self.interview_scores) - min(self.interview_scores)


@dataclass(frozen=True)
class GradeFit:
    """Whether a grade is met, and what is missing when it is not."""

    grade: str
    met: bool
    gaps: tuple[str, ...]  # required competencies below the bar, or without enough evidence


@dataclass(frozen=True)
class Scorecard:
    """Everything a recruiter sees, every number traceable to the items behind it."""

    competencies: tuple[CompetencyScore, ...]
    grades: tuple[GradeFit, ...]
    recommended_grade: str | None
    overall: float | None
    bonus: float
    interview_weight: float
    items: tuple[str, ...] = field(default=())

    def competency(self, code: str) -> CompetencyScore:
        """The score of one competency."""
        for score in self.competencies:
            if score.code == code:
                return score
        raise KeyError(code)

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready form, stored on the attempt and served by the API."""
        return {
            "recommended_grade": self.recommended_grade,
            "overall": _round(self.overall),
            "bonus": round(self.bonus, 4),
            "interview_weight": self.interview_weight,
            "items": list(self.items),
            "grades": [{"grade": g.grade, "met": g.met, "gaps": list(g.gaps)} for g in self.grades],
            "competencies": [
                {
                    "code": c.code,
                    "weight_class": c.weight_class,
                    "earned": round(c.earned, 4),
                    "possible": round(c.possible, 4),
                    "evidence": c.evidence,
                    "automated": _round(c.automated),
                    "interview": _round(c.interview),
                    "interview_scores": list(c.interview_scores),
                    "combined": _round(c.combined),
                    "sufficient": c.sufficient,
                    "by_grade": {k: _round(v) for k, v in c.by_grade.items()},
                }
                for c in self.competencies
            ],
        }


def _round(value: float | None) -> float | None:
    """Round for display and storage; keep None."""
    return None if value is None else round(value, 4)


def _ratio(earned: float, possible: float) -> float | None:
    """earned/possible, or None without evidence."""
    return earned / possible if possible > 0 else None


def _interview_ratio(scores: Sequence[int]) -> float | None:
    """The mean rubric score mapped from 1..4 onto 0..1."""
    if not scores:
        return None
    return (sum(scores) / len(scores) - 1) / 3


def _combine(automated: float | None, interview: float | None, weight: float) -> float | None:
    """Blend automated and interview results; either alone stands for itself."""
    if automated is None:
        return interview
    if interview is None:
        return automated
    return (1 - weight) * automated + weight * interview


def build_scorecard(
    items: Iterable[ScoredItem],
    competencies: Sequence[CompetencyInfo],
    grades: Sequence[GradeInfo],
    rubric: Iterable[RubricEvidence] = (),
    interview_weight: float = DEFAULT_INTERVIEW_WEIGHT,
) -> Scorecard:
    """Score ``items`` (and interview ``rubric``) against ``competencies`` and ``grades``."""
    if not 0.0 <= interview_weight <= 1.0:
        raise ValueError("interview weight outside 0..1")
    item_list = sorted(
        items, key=lambda i: (i.key, i.grade_rank, i.score, sorted(i.weights.items()))
    )
    rubric_list = list(rubric)
    ordered_grades = sorted(grades, key=lambda g: g.rank)
    scores = tuple(
        _competency_score(info, item_list, rubric_list, ordered_grades, interview_weight)
        for info in competencies
    )
    fits = tuple(_grade_fit(grade, scores, interview_weight) for grade in ordered_grades)
    met = [fit.grade for fit in fits if fit.met]
    bonus = sum(
        BONUS_PER_CLASS.get(score.weight_class, 0.0) * (score.combined or 0.0)
        for score in scores
        if score.weight_class != "required"
    )
    required = [
        s.combined for s in scores if s.weight_class == "required" and s.combined is not None
    ]
    overall = sum(required) / len(required) if required else None
    return Scorecard(
        competencies=scores,
        grades=fits,
        recommended_grade=met[-1] if met else None,
        overall=overall,
        bonus=bonus,
        interview_weight=interview_weight,
        items=tuple(item.key for item in item_list),
    )


def _competency_score(
    info: CompetencyInfo,
    items: Sequence[ScoredItem],
    rubric: Sequence[RubricEvidence],
    grades: Sequence[GradeInfo],
    interview_weight: float,
) -> CompetencyScore:
    """Sum one competency's evidence, overall and per grade."""
    relevant = [item for item in items if item.weights.get(info.code, 0.0) > 0]
    earned = sum(item.score * item.weights[info.code] for item in relevant)
    possible = sum(item.weights[info.code] for item in relevant)
    by_grade: dict[str, float | None] = {}
    for grade in grades:
        at_or_above = [item for item in relevant if item.grade_rank >= grade.rank]
        if len(at_or_above) < grade.min_evidence:
            by_grade[grade.code] = None
            continue
        by_grade[grade.code] = _ratio(
            sum(item.score * item.weights[info.code] for item in at_or_above),
            sum(item.weights[info.code] for item in at_or_above),
        )
    interview_scores = tuple(r.score for r in rubric if r.competency == info.code)
    automated = _ratio(earned, possible)
    interview = _interview_ratio(interview_scores)
    lowest = grades[0].min_evidence if grades else 1
    return CompetencyScore(
        code=info.code,
        weight_class=info.weight_class,
        earned=earned,
        possible=possible,
        evidence=len(relevant),
        automated=automated,
        interview=interview,
        interview_scores=interview_scores,
        combined=_combine(automated, interview, interview_weight),
        sufficient=len(relevant) >= lowest or bool(interview_scores),
        by_grade=by_grade,
    )


def _grade_fit(
    grade: GradeInfo, scores: Sequence[CompetencyScore], interview_weight: float
) -> GradeFit:
    """A grade is met when every required competency reaches its bar with enough evidence."""
    gaps = []
    for score in scores:
        if score.weight_class != "required":
            continue
        automated = score.by_grade.get(grade.code)
        value = _combine(automated, score.interview, interview_weight)
        if value is None or value < grade.threshold:
            gaps.append(score.code)
    return GradeFit(grade=grade.code, met=not gaps, gaps=tuple(gaps))
