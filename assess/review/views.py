"""Views of the interviewer's desk. Each parses input, calls a service, renders or redirects."""

from __future__ import annotations

from typing import Any

from flask import (
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from assess.bank import texts
from assess.candidate.render import render_markdown
from assess.errors import Conflict, Forbidden, NotFound, ValidationFailed
from assess.extensions import db
from assess.grading.dispatch import dispatcher
from assess.i18n import select_locale
from assess.live import service as live_service
from assess.models import Attempt, CodingTask, InterviewQuestion, Recommendation, Role
from assess.policy import roles_required
from assess.recruiting.forms import GRADE_LABELS
from assess.review import bp, evidence, interviews
from assess.review.forms import RECOMMENDATION_LABELS, ActionForm, AssignForm, InterviewForm
from assess.security import client_ip
from assess.services import review

interviewer_required = roles_required(Role.INTERVIEWER, Role.ADMIN)
recruiter_required = roles_required(Role.RECRUITER, Role.ADMIN)


@bp.app_template_global("kit_text")
def kit_text(question: InterviewQuestion) -> texts.KitText:
    """An interview question in the reader's language (the review desk and the live room)."""
    return texts.kit_question(question, select_locale())


@bp.app_template_filter("bank_markdown")
def bank_markdown(text: str) -> Markup:
    """Render bank Markdown (interview questions, anchors) safely in a template."""
    return render_markdown(text)


def _reviewable(attempt_id: int) -> Attempt:
    """The attempt for the desk, or 404 when the signed-in person may not review it."""
    try:
        return review.reviewable_attempt(db.session, current_user, attempt_id)
    except NotFound:
        abort(404)


@bp.route("")
@interviewer_required
def queue() -> str:
    """Finished attempts assigned to the signed-in interviewer."""
    rows = review.desk_queue(db.session, current_user)
    return render_template("review/queue.html", rows=rows, grade_labels=GRADE_LABELS)


@bp.route("/attempts/<int:attempt_id>")
@interviewer_required
def attempt(attempt_id: int) -> str:
    """One attempt's evidence: answers, submissions with their runs, integrity signals."""
    target = _reviewable(attempt_id)
    submissions = evidence.submissions(db.session, target)
    return render_template(
        "review/attempt.html",
        attempt=target,
        answers=evidence.answers(db.session, target, select_locale()),
        submissions=submissions,
        recordings=evidence.recordings(db.session, target, submissions),
        signals=evidence.signals(db.session, target),
        assigned=review.is_assigned(db.session, target, current_user),
        action_form=ActionForm(),
        grade_labels=GRADE_LABELS,
        live_interviews=live_service.interviews_of_attempt(db.session, target),
        may_open_live=live_service.may_open(db.session, current_user, target),
    )


def _task_of(attempt: Attempt, task_id: int) -> CodingTask:
    """A coding task of the attempt, or 404."""
    if task_id not in {i.task_id for i in attempt.items if i.task_id is not None}:
        abort(404)
    task = db.session.get(CodingTask, task_id)
    if task is None:
        abort(404)
    return task


@bp.route("/attempts/<int:attempt_id>/tasks/<int:task_id>/replay")
@interviewer_required
def replay(attempt_id: int, task_id: int) -> str:
    """Replay how the candidate wrote a task's solution, with runs on the same timeline."""
    target = _reviewable(attempt_id)
    return render_template("review/replay.html", attempt=target, task=_task_of(target, task_id))


@bp.route("/attempts/<int:attempt_id>/tasks/<int:task_id>/replay.json")
@interviewer_required
def replay_json(attempt_id: int, task_id: int) -> Response:
    """The recording behind the replay: each editor session's changes, the runs, the signals."""
    target = _reviewable(attempt_id)
    task = _task_of(target, task_id)
    return jsonify(evidence.replay(db.session, target, task))


@bp.route("/attempts/<int:attempt_id>/submissions/<int:submission_id>/regrade", methods=["POST"])
@interviewer_required
def regrade(attempt_id: int, submission_id: int) -> Response:
    """Grade the counted submission again (after a bank fix); the history shows the change."""
    target = _reviewable(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        submission = review.regrade(db.session, target, submission_id, current_user, ip=client_ip())
    except NotFound:
        abort(404)
    except Conflict as exc:
        db.session.rollback()
        flash(_("This submission cannot be re-graded now: %(reason)s", reason=str(exc)), "error")
    else:
        db.session.commit()
        dispatcher(current_app).enqueue(submission.id)
        flash(_("The submission is queued for grading again."), "success")
    return redirect(url_for("review.attempt", attempt_id=target.id) + "#submissions")


@bp.route("/attempts/<int:attempt_id>/interview", methods=["GET", "POST"])
@interviewer_required
def interview(attempt_id: int) -> Any:
    """The interview kit for the attempt's grade; record scores and a recommendation."""
    target = _reviewable(attempt_id)
    if not review.is_assigned(db.session, target, current_user):
        abort(403)
    kit = interviews.interview_kit(db.session, target)
    codes = [section.competency.code for section in kit]
    mine = interviews.my_scorecard(db.session, target, current_user)
    form = InterviewForm(obj=None)
    entries = {
        r.competency_code: interviews.RubricEntry(r.score, r.notes)
        for r in (mine.rubric_scores if mine else [])
    }
    errors: dict[str, str] = {}
    status = 200
    if request.method == "GET" and mine is not None:
        form.recommendation.data = mine.recommendation.value if mine.recommendation else ""
        form.reason.data = mine.reason
    if form.validate_on_submit():
        entries, errors = interviews.parse_entries(request.form, codes)
        raw = form.recommendation.data or ""
        recommendation = Recommendation(raw) if raw else None
        if not errors:
            try:
                interviews.save_interview(
                    db.session,
                    target,
                    current_user,
                    entries,
                    recommendation,
                    form.reason.data or "",
                    ip=client_ip(),
                )
            except (ValidationFailed, Forbidden) as exc:
                db.session.rollback()
                form.form_errors.append(str(exc))
                errors = getattr(exc, "fields", {})
            else:
                db.session.commit()
                flash(_("Interview saved."), "success")
                return redirect(url_for("review.interview", attempt_id=target.id))
        status = 422
    elif form.is_submitted():
        status = 422
    return render_template(
        "review/interview.html",
        attempt=target,
        kit=kit,
        form=form,
        entries=entries,
        errors=errors,
        panel=interviews.panel(db.session, target)
        if interviews.sees_others(db.session, target, current_user)
        else None,
        recommendation_labels=RECOMMENDATION_LABELS,
        grade_labels=GRADE_LABELS,
    ), status


def _visible_to_recruiter(attempt_id: int) -> Attempt:
    """An attempt of the signed-in recruiter's (or admin's) organisation, or 404."""
    try:
        return review.visible_attempt(db.session, current_user, attempt_id)
    except NotFound:
        abort(404)


@bp.route("/attempts/<int:attempt_id>/assign", methods=["GET", "POST"])
@recruiter_required
def assign(attempt_id: int) -> Any:
    """Assign interviewers to an attempt; see who is assigned."""
    target = _visible_to_recruiter(attempt_id)
    form = AssignForm()
    people = review.interviewers(db.session, target.invitation.position.organization_id)
    form.interviewer.choices = [
        (u.id, f"{u.name} <{u.email}>" if u.name else u.email) for u in people
    ]
    status = 200
    if form.validate_on_submit():
        try:
            review.assign(
                db.session, target, int(form.interviewer.data), current_user, ip=client_ip()
            )
        except (ValidationFailed, Conflict) as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            status = 422
        else:
            db.session.commit()
            flash(_("Interviewer assigned."), "success")
            return redirect(url_for("review.assign", attempt_id=target.id))
    elif form.is_submitted():
        status = 422
    return render_template(
        "review/assign.html",
        attempt=target,
        form=form,
        action_form=ActionForm(),
        assignees=review.assignees(db.session, target),
        grade_labels=GRADE_LABELS,
    ), status


@bp.route("/attempts/<int:attempt_id>/assign/<int:interviewer_id>/withdraw", methods=["POST"])
@recruiter_required
def unassign(attempt_id: int, interviewer_id: int) -> Response:
    """Withdraw an interviewer's assignment."""
    target = _visible_to_recruiter(attempt_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        review.unassign(db.session, target, interviewer_id, current_user, ip=client_ip())
    except NotFound:
        abort(404)
    db.session.commit()
    flash(_("Assignment withdrawn."), "success")
    return redirect(url_for("review.assign", attempt_id=target.id))
