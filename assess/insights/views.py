"""Views of the insights area: pipelines, ranking and comparing candidates, CSV export,
scorecards (on screen, printable, as chart data), the bank's item statistics and review
(distractors, exposure, fitted parameters, reliability) and retiring questions from draws."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import (
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from assess.bank import texts
from assess.errors import AssessError, Conflict, NotFound
from assess.extensions import db
from assess.i18n import select_locale
from assess.insights import bp, pipelines, ranking, scorecard
from assess.insights.forms import RetireForm, ReturnForm, form_prefix
from assess.live import service as live_service
from assess.models import Attempt, ItemCalibration, Position, Question, Role
from assess.policy import admin_required, roles_required, staff_required
from assess.recruiting.forms import GRADE_LABELS
from assess.review import interviews
from assess.review.forms import RECOMMENDATION_LABELS
from assess.security import client_ip
from assess.services import audit, item_review, item_stats, review

recruiter_required = roles_required(Role.RECRUITER, Role.ADMIN)
PAGE_SIZE = 50


def _position(position_id: int) -> Position:
    """A position of the signed-in person's organisation, or 404."""
    position = db.session.get(Position, position_id) if review.valid_id(position_id) else None
    if position is None or position.organization_id != current_user.organization_id:
        abort(404)
    return position


def _attempt(attempt_id: int) -> Attempt:
    """An attempt the signed-in person may see, or 404."""
    try:
        return review.visible_attempt(db.session, current_user, attempt_id)
    except NotFound:
        abort(404)


def _chosen_ids() -> list[int]:
    """The attempt ids chosen for comparison (``?a=1&a=2``), bad values ignored."""
    values = request.args.getlist("a")
    ids = [int(v) for v in values if v.isascii() and v.isdigit() and len(v) <= 9]
    return ids[: ranking.MAX_COMPARED]


def _chosen(position: Position) -> list[ranking.CandidateScores]:
    """The scored candidates of ``position`` chosen for comparison, in the order asked."""
    ids = _chosen_ids()
    return ranking.pick(ranking.scored_candidates(db.session, position, ids), ids)


@bp.route("/pipelines")
@recruiter_required
def pipelines_overview() -> str:
    """Every position of the organisation with its funnel."""
    rows = db.session.scalars(
        sa.select(Position)
        .where(Position.organization_id == current_user.organization_id)
        .order_by(Position.created_at.desc(), Position.id.desc())
    ).all()
    counts = pipelines.funnel(db.session, [p.id for p in rows])
    return render_template(
        "insights/pipelines.html",
        positions=rows,
        counts=counts,
        stages=pipelines.FUNNEL,
        grade_labels=GRADE_LABELS,
    )


@bp.route("/positions/<int:position_id>")
@recruiter_required
def candidates(position_id: int) -> str:
    """A position's scored candidates: filter by grade, sort by grade or any competency,
    choose up to six to compare."""
    position = _position(position_id)
    codes = ranking.competency_codes(db.session)
    known_sorts = {ranking.SORT_OVERALL, ranking.SORT_GRADE} | {c for c, _, _ in codes}
    grade = request.args.get("grade") or None
    if grade not in {None, ranking.NO_GRADE, *(g.value for g in GRADE_LABELS)}:
        grade = None
    sort = request.args.get("sort", ranking.SORT_OVERALL)
    if sort not in known_sorts:
        sort = ranking.SORT_OVERALL
    descending = request.args.get("order", "desc") != "asc"
    page = max(1, request.args.get("page", 1, type=int) or 1)
    ranks = ranking.grade_ranks(db.session)
    rows = ranking.filter_and_sort(
        ranking.scored_candidates(db.session, position), ranks, grade, sort, descending
    )
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    shown = rows[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return render_template(
        "insights/candidates.html",
        position=position,
        rows=shown,
        total=len(rows),
        page=page,
        pages=pages,
        codes=codes,
        grade=grade or "",
        sort=sort,
        descending=descending,
        thresholds=ranking.grade_thresholds(db.session),
        level_of=ranking.level_of,
        counts=pipelines.funnel(db.session, [position.id])[position.id],
        stages=pipelines.FUNNEL,
        grade_labels=GRADE_LABELS,
        max_compared=ranking.MAX_COMPARED,
    )


@bp.route("/positions/<int:position_id>/compare")
@recruiter_required
def compare(position_id: int) -> str:
    """Up to six candidates side by side: a table coloured by level and an overlaid chart."""
    position = _position(position_id)
    chosen = _chosen(position)
    codes = ranking.competency_codes(db.session)
    return render_template(
        "insights/compare.html",
        position=position,
        chosen=chosen,
        codes=codes,
        thresholds=ranking.grade_thresholds(db.session),
        level_of=ranking.level_of,
        interviews=ranking.recommendations(db.session, position),
        recommendation_labels=RECOMMENDATION_LABELS,
        grade_labels=GRADE_LABELS,
        query=[("a", row.attempt_id) for row in chosen],
    )


@bp.route("/positions/<int:position_id>/compare.json")
@recruiter_required
def compare_data(position_id: int) -> Response:
    """The compare chart's data."""
    position = _position(position_id)
    chosen = _chosen(position)
    codes = [code for code, _, _ in ranking.competency_codes(db.session)]
    return jsonify(scorecard.compare_chart(chosen, codes))


@bp.route("/positions/<int:position_id>/scorecards.csv")
@recruiter_required
def export_csv(position_id: int) -> Response:
    """Every scored candidate of the position as CSV (streamed; audited)."""
    position = _position(position_id)
    rows = ranking.scored_candidates(db.session, position)
    codes = [code for code, _, _ in ranking.competency_codes(db.session)]
    ranks = ranking.grade_ranks(db.session)
    interviews = ranking.recommendations(db.session, position)
    audit.record(
        db.session,
        "scorecards.exported",
        actor_id=current_user.id,
        object_type="position",
        object_id=position.id,
        ip=client_ip(),
        rows=len(rows),
    )
    db.session.commit()
    body = stream_with_context(ranking.csv_lines(rows, codes, ranks, interviews))
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="position-{position.id}-scorecards.csv"'
    )
    return response


def _build(target: Attempt) -> scorecard.ScorecardPage:
    """The scorecard of ``target`` as the signed-in person may see it."""
    blind = not interviews.sees_others(db.session, target, current_user)
    return scorecard.build(db.session, target, blind=blind)


def _chart_labels() -> dict[str, str]:
    """The dataset names of a scorecard chart, in the reader's language."""
    return {"combined": _("Combined"), "automated": _("Automated"), "interview": _("Interview")}


@bp.route("/attempts/<int:attempt_id>/scorecard")
@staff_required
def scorecard_page(attempt_id: int) -> str:
    """One candidate's scorecard."""
    target = _attempt(attempt_id)
    page = _build(target)
    return render_template(
        "insights/scorecard.html",
        page=page,
        attempt=target,
        grade_labels=GRADE_LABELS,
        recommendation_labels=RECOMMENDATION_LABELS,
        live_interviews=live_service.interviews_of_attempt(db.session, target),
        may_open_live=live_service.may_open(db.session, current_user, target),
    )


@bp.route("/attempts/<int:attempt_id>/scorecard/print")
@staff_required
def scorecard_print(attempt_id: int) -> str:
    """The scorecard laid out for paper (and the browser's Save as PDF)."""
    target = _attempt(attempt_id)
    page = _build(target)
    return render_template(
        "insights/scorecard_print.html",
        page=page,
        attempt=target,
        grade_labels=GRADE_LABELS,
        recommendation_labels=RECOMMENDATION_LABELS,
    )


@bp.route("/attempts/<int:attempt_id>/scorecard.json")
@staff_required
def scorecard_data(attempt_id: int) -> Response:
    """The scorecard chart's data."""
    target = _attempt(attempt_id)
    return jsonify(scorecard.chart(_build(target), _chart_labels()))


def _retire_form(key: str, back: str, formdata: bool = False) -> RetireForm:
    """The retire form of question ``key`` (empty unless it reads the posted data)."""
    prefix = form_prefix("retire", key)
    if formdata:
        return RetireForm(prefix=prefix)
    return RetireForm(prefix=prefix, formdata=None, back=back)


def _return_form(key: str, back: str) -> ReturnForm:
    """The "return to draws" form of question ``key``."""
    return ReturnForm(prefix=form_prefix("return", key), formdata=None, back=back)


def _items_page(failed: RetireForm | None = None, failed_key: str = "", status: int = 200) -> Any:
    """The item statistics page: the review queue with its retire forms, every question's
    figures, the retired questions and each grade's reliability."""
    organization_id = current_user.organization_id
    data = item_stats.closed_data(db.session, organization_id)
    reviews = item_review.bank_review(db.session, organization_id, data=data)
    queue = item_review.review_queue(reviews)
    retire_forms = {r.question.key: _retire_form(r.question.key, "items") for r in queue}
    if failed is not None:
        retire_forms[failed_key] = failed
    retired = item_review.retirements(db.session, organization_id)
    return render_template(
        "insights/items.html",
        reviews=reviews,
        queue=queue,
        retire_forms=retire_forms,
        failed_key=failed_key if failed is not None else "",
        queued={r.question.key for r in queue},
        retired=retired,
        return_forms={key: _return_form(key, "items") for key in retired},
        reliability=item_review.grade_reliability(db.session, organization_id, data),
        min_responses=item_stats.MIN_RESPONSES,
        min_reliability=item_review.MIN_RELIABILITY_ATTEMPTS,
        exposure_cap=item_review.EXPOSURE_CAP,
        min_fitted_a=item_review.MIN_FITTED_A,
        grade_labels=GRADE_LABELS,
    ), status


@bp.route("/items")
@admin_required
def items() -> Any:
    """Item statistics of the question bank from the organisation's attempts, the questions
    to review first."""
    return _items_page()


def _versions(key: str) -> list[Question]:
    """Every version of the bank's question ``key``, or 404."""
    versions = item_review.question_versions(db.session, key)
    if not versions:
        abort(404)
    return versions


def _curve(question: Question, calibration: ItemCalibration | None) -> list[tuple[float, float]]:
    """The item information curve of ``question`` as (theta, information) pairs."""
    a, b = item_review.parameters_of(question, calibration)
    return list(zip(item_review.THETAS, item_review.information_curve(a, b), strict=True))


def _detail_page(key: str, failed: RetireForm | None = None, status: int = 200) -> Any:
    """One question's page: its figures per version, the distractor tables, its fitted
    parameters and information curve, its exposure and its retirement."""
    versions = _versions(key)
    organization_id = current_user.organization_id
    reviews = item_review.bank_review(db.session, organization_id, keys=[key])
    reviews.sort(key=lambda r: -r.question.version)
    calibration = item_review.calibrations(db.session, organization_id, [key]).get(key)
    current = versions[0]
    exposure = item_review.exposures(db.session, organization_id).get(
        (key, current.grade), item_review.Exposure(0, 0)
    )
    retirement = item_review.retirements(db.session, organization_id, [key]).get(key)
    return render_template(
        "insights/item.html",
        key=key,
        question=current,
        reviews=reviews,
        calibration=calibration,
        curve=_curve(current, calibration),
        exposure=exposure,
        retirement=retirement,
        retire_form=failed or _retire_form(key, "detail"),
        return_form=_return_form(key, "detail"),
        min_responses=item_stats.MIN_RESPONSES,
        exposure_cap=item_review.EXPOSURE_CAP,
        min_fitted_a=item_review.MIN_FITTED_A,
        grade_labels=GRADE_LABELS,
        option_texts=lambda version: texts.options(version, select_locale()),
    ), status


@bp.route("/items/<key>")
@admin_required
def item_detail(key: str) -> Any:
    """One question of the bank as the organisation's candidates met it."""
    return _detail_page(key)


@bp.route("/items/<key>/information.json")
@admin_required
def item_information(key: str) -> Response:
    """The item information curve's data (the fitted parameters, else its grade's prior)."""
    current = _versions(key)[0]
    calibration = item_review.calibrations(db.session, current_user.organization_id, [key]).get(key)
    curve = _curve(current, calibration)
    fitted = calibration is not None and calibration.calibrated
    label = _("Item information") if fitted else _("Item information (prior of its grade)")
    return jsonify(
        {
            "type": "line",
            "labels": [f"{theta:g}" for theta, _info in curve],
            "datasets": [
                {
                    "label": label,
                    "data": [round(info, 4) for _theta, info in curve],
                    "fill": True,
                    "tension": 0.3,
                }
            ],
            "scales": {
                "x": {"title": {"display": True, "text": "θ"}},
                "y": {"min": 0, "beginAtZero": True},
            },
            "fitted": fitted,
        }
    )


def _back(form: RetireForm | ReturnForm, key: str) -> Any:
    """Where a valid retire or return form leads: the page it was sent from."""
    if form.back.data == "items":
        return redirect(url_for("insights.items"))
    return redirect(url_for("insights.item_detail", key=key))


@bp.route("/items/<key>/retire", methods=["POST"])
@admin_required
def retire_item(key: str) -> Any:
    """Retire question ``key`` from the organisation's future draws, with a reason."""
    _versions(key)
    form = _retire_form(key, "detail", formdata=True)
    status = 422
    if form.validate_on_submit():
        try:
            item_review.retire(
                db.session,
                current_user.organization_id,
                key,
                form.reason.data or "",
                current_user,
                ip=client_ip(),
            )
        except AssessError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
            status = 409 if isinstance(exc, Conflict) else 422
        else:
            db.session.commit()
            flash(_("%(key)s is retired: future assessments will not draw it.", key=key), "success")
            return _back(form, key)
    if form.back.data == "items":
        return _items_page(form, key, status)
    return _detail_page(key, form, status)


@bp.route("/items/<key>/return", methods=["POST"])
@admin_required
def return_item(key: str) -> Any:
    """Let the organisation's draws pick the retired question ``key`` again."""
    form = ReturnForm(prefix=form_prefix("return", key))
    if not form.validate_on_submit():
        abort(400)
    try:
        item_review.return_to_draws(
            db.session, current_user.organization_id, key, current_user, ip=client_ip()
        )
    except NotFound:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("%(key)s is back in the draws.", key=key), "success")
    return _back(form, key)
