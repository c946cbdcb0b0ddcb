"""One candidate's scorecard as a page and as chart data: per competency the automated,
interview and combined scores with the weights, the evidence, the requirement class, each
interviewer's score and their spread; the recommended grade, the gaps to the next; flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from assess.extensions import DbSession
from assess.insights import ranking
from assess.models import (
    Attempt,
    AttemptState,
    GradingRun,
    Submission,
    SubmissionKind,
)
from assess.review.interviews import Panel, PanelScore, panel
from assess.scoring import build_scorecard
from assess.services import integrity, measurement, scorecards

SPREAD_FLAG = 2  # interviewers disagreeing by two points or more is worth a conversation


@dataclass(frozen=True)
class CompetencyRow:
    """One line of the scorecard table."""

    code: str
    name: str
    weight_class: str
    automated: float | None
    interview: float | None
    combined: float | None
    evidence: int
    sufficient: bool
    level: str
    interviewers: tuple[PanelScore, ...]
    spread: int | None


@dataclass(frozen=True)
class Flag:
    """Something the reader should look at; ``kind`` picks the sentence, ``value`` fills it."""

    kind: str
    value: str
    count: int = 0


@dataclass(frozen=True)
class ScorecardPage:
    """Everything the scorecard page shows."""

    attempt: Attempt
    card: Mapping[str, Any] | None
    rows: tuple[CompetencyRow, ...]
    next_grade: str
    gaps: tuple[str, ...]
    flags: tuple[Flag, ...]
    panel: Panel
    blind: bool = False

    @property
    def measurement(self) -> Mapping[str, Any] | None:
        """The item response theory estimates of the quiz (None for a card scored before
        they existed)."""
        found = (self.card or {}).get("measurement")
        return found if isinstance(found, Mapping) else None

    @property
    def estimates(self) -> list[tuple[str, str, Mapping[str, Any]]]:
        """(code, name, estimate) per competency measured by the quiz, in table order."""
        measured = (self.measurement or {}).get("competencies") or {}
        names = {row.code: row.name for row in self.rows}
        return [(code, names.get(code, code), measured[code])
                for code in [*names, *sorted(set(measured) - set(names))]
                if code in measured]  # fmt: skip

    @property
    def interview_weight(self) -> float:
        """The weight interview scores carry in the combined score."""
        return float((self.card or {}).get("interview_weight") or 0.0)


def stored_card(session: DbSession, attempt: Attempt) -> Mapping[str, Any] | None:
    """The attempt's scorecard; a closed attempt never scored is scored now (and stored)."""
    if attempt.scorecard is None and attempt.state is not AttemptState.STARTED:
        scorecards.recompute(session, attempt)
        session.commit()
    return attempt.scorecard


def suspicion_flags(session: DbSession, attempt: Attempt) -> list[str]:
    """The suspicion flags of the latest run of each final submission (one query)."""
    latest = (
        sa.select(sa.func.max(GradingRun.id))
        .join(Submission, Submission.id == GradingRun.submission_id)
        .where(Submission.attempt_id == attempt.id, Submission.kind == SubmissionKind.FINAL)
        .group_by(GradingRun.submission_id)
    )
    found: list[str] = []
    for result in session.scalars(sa.select(GradingRun.result).where(GradingRun.id.in_(latest))):
        for flag in (result or {}).get("flags") or []:
            if str(flag) not in found:
                found.append(str(flag))
    return found[:20]


def automated_card(session: DbSession, attempt: Attempt) -> Mapping[str, Any] | None:
    """The scorecard from the automated evidence alone (no interview), computed, not stored."""
    if attempt.state is AttemptState.STARTED:
        return None
    competencies, grades = scorecards.catalogue(session)
    evidence = scorecards.attempt_evidence(session, attempt)
    card = build_scorecard(evidence, competencies, grades)
    shown = card.to_json()
    shown["measurement"] = measurement.estimate(session, attempt, card.recommended_grade)
    return shown


def build(session: DbSession, attempt: Attempt, *, blind: bool = False) -> ScorecardPage:
    """The scorecard page of ``attempt`` (a fixed handful of queries). ``blind``: for an
    interviewer who has not yet recorded their own recommendation, the interviews of others
    are left out entirely, so they cannot anchor the interviewer's judgement."""
    card = automated_card(session, attempt) if blind else stored_card(session, attempt)
    names = {code: name for code, name, _ in ranking.competency_codes(session)}
    thresholds = ranking.grade_thresholds(session)
    the_panel = Panel((), {}) if blind else panel(session, attempt)
    rows = []
    for entry in (card or {}).get("competencies", []):
        code = str(entry.get("code"))
        rows.append(
            CompetencyRow(
                code=code,
                name=names.get(code, code),
                weight_class=str(entry.get("weight_class")),
                automated=entry.get("automated"),
                interview=entry.get("interview"),
                combined=entry.get("combined"),
                evidence=int(entry.get("evidence") or 0),
                sufficient=bool(entry.get("sufficient")),
                level=ranking.level_of(entry.get("combined"), thresholds),
                interviewers=the_panel.scores.get(code, ()),
                spread=the_panel.spread(code),
            )
        )
    next_grade, gaps = ranking.next_grade_gaps(card or {}, ranking.grade_ranks(session))
    flags = _flags(rows, integrity.summary(session, attempt), suspicion_flags(session, attempt))
    return ScorecardPage(
        attempt, card, tuple(rows), next_grade, tuple(gaps), tuple(flags), the_panel, blind
    )


def _flags(
    rows: Sequence[CompetencyRow], signals: Mapping[str, int], suspicions: Sequence[str]
) -> list[Flag]:
    """The flags worth a reader's attention."""
    flags = [
        Flag("thin_evidence", r.code)
        for r in rows
        if r.weight_class == "required" and not r.sufficient
    ]
    flags += [
        Flag("spread", r.code, r.spread)
        for r in rows
        if r.spread is not None and r.spread >= SPREAD_FLAG
    ]
    if signals.get("paste"):
        flags.append(Flag("pastes", str(signals.get("largest_paste", 0)), signals["paste"]))
    if signals.get("blur"):
        flags.append(Flag("focus", "", signals["blur"]))
    flags += [Flag("suspicion", flag) for flag in suspicions]
    return flags


def _percent(value: float | None) -> float | None:
    """A 0..1 score as a percentage for a chart (None stays a gap)."""
    return None if value is None else round(value * 100, 1)


def chart(page: ScorecardPage, labels: Mapping[str, str]) -> dict[str, Any]:
    """Chart data of one scorecard: combined, automated and interview per competency."""
    return {
        "type": "radar",
        "labels": [r.code for r in page.rows],
        "max": 100,
        "datasets": [
            {"label": labels["combined"], "data": [_percent(r.combined) for r in page.rows]},
            {"label": labels["automated"], "data": [_percent(r.automated) for r in page.rows]},
            {"label": labels["interview"], "data": [_percent(r.interview) for r in page.rows]},
        ],
    }


def compare_chart(rows: Sequence[ranking.CandidateScores], codes: Sequence[str]) -> dict[str, Any]:
    """Chart data overlaying the combined scores of up to six candidates."""
    return {
        "type": "radar",
        "labels": list(codes),
        "max": 100,
        "datasets": [
            {"label": row.name, "data": [_percent(row.combined(code)) for code in codes]}
            for row in rows
        ],
    }
