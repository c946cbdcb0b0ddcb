"""The domain schema. Importing this package registers every model with the metadata."""

from __future__ import annotations

from assess.models._common import GradeCode, Role, WeightClass, utcnow
from assess.models.assessment import (
    Answer,
    AssessmentBlueprint,
    Attempt,
    AttemptItem,
    AttemptState,
    CandidateFeedback,
    CodeChange,
    CodeDraft,
    IntegrityEvent,
    Invitation,
    Position,
)
from assess.models.audit import AuditEvent, ThrottleEvent
from assess.models.bank import CodingTask, Competency, Grade, InterviewQuestion, Question
from assess.models.grading import GradingRun, Submission, SubmissionKind, SubmissionState
from assess.models.integrations import ApiToken, DeliveryStatus, Webhook, WebhookDelivery
from assess.models.interview import (
    InterviewAssignment,
    InterviewScorecard,
    Recommendation,
    RubricScore,
)
from assess.models.live import LiveInterview, LiveNote, LiveRun, LiveState, LiveUpdate
from assess.models.measurement import ItemCalibration, RetiredQuestion
from assess.models.people import Organization, StaffSession, User

__all__ = [
    "Answer",
    "ApiToken",
    "AssessmentBlueprint",
    "Attempt",
    "AttemptItem",
    "AttemptState",
    "AuditEvent",
    "CandidateFeedback",
    "CodeChange",
    "CodeDraft",
    "CodingTask",
    "Competency",
    "DeliveryStatus",
    "Grade",
    "GradeCode",
    "GradingRun",
    "IntegrityEvent",
    "InterviewAssignment",
    "InterviewQuestion",
    "InterviewScorecard",
    "Invitation",
    "ItemCalibration",
    "LiveInterview",
    "LiveNote",
    "LiveRun",
    "LiveState",
    "LiveUpdate",
    "Organization",
    "Position",
    "Question",
    "Recommendation",
    "RetiredQuestion",
    "Role",
    "RubricScore",
    "StaffSession",
    "Submission",
    "SubmissionKind",
    "SubmissionState",
    "ThrottleEvent",
    "User",
    "Webhook",
    "WebhookDelivery",
    "WeightClass",
    "utcnow",
]
