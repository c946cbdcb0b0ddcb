"""Scoring: pure functions from scored items to a scorecard. No request, no queries."""

from __future__ import annotations

from assess.scoring.engine import (
    CompetencyInfo,
    CompetencyScore,
    GradeFit,
    GradeInfo,
    RubricEvidence,
    Scorecard,
    ScoredItem,
    build_scorecard,
)

__all__ = [
    "CompetencyInfo",
    "CompetencyScore",
    "GradeFit",
    "GradeInfo",
    "RubricEvidence",
    "Scorecard",
    "ScoredItem",
    "build_scorecard",
]
