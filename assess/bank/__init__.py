"""The challenge bank's machinery: read and validate ``challenges/``, score answers, show
questions to candidates, and load everything into the database (``assess.bank.loader``) or
check it from the command line (``assess.bank.cli``).

The modules imported here are pure: no database, no Flask, no Docker.
"""

from __future__ import annotations

from assess.bank.candidate import candidate_view, candidate_view_of
from assess.bank.reader import read_bank
from assess.bank.scoring import SCORERS, score_response
from assess.bank.source import BankIssue
from assess.bank.spec import (
    COMPETENCY_CODES,
    GRADES,
    QUESTION_TYPES,
    Bank,
    BlueprintSpec,
    CompetencySpec,
    GradeSpec,
    InterviewSpec,
    QuestionSpec,
    TaskEntry,
)

__all__ = [
    "COMPETENCY_CODES",
    "GRADES",
    "QUESTION_TYPES",
    "SCORERS",
    "Bank",
    "BankIssue",
    "BlueprintSpec",
    "CompetencySpec",
    "GradeSpec",
    "InterviewSpec",
    "QuestionSpec",
    "TaskEntry",
    "candidate_view",
    "candidate_view_of",
    "read_bank",
    "score_response",
]
