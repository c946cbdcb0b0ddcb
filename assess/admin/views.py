"""Staff accounts, managed by administrators."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assess.admin import bp
from assess.admin.forms import (
    ROLE_LABELS,
    PrivacyNoticeForm,
    ToggleForm,
    UserForm,
    blueprint_form_class,
)
from assess.errors import ValidationFailed
from assess.extensions import db
from assess.models import AssessmentBlueprint, Competency, GradeCode, Organization, Role, User
from assess.policy import admin_required
from assess.security import client_ip
from assess.services import audit, blueprints, staff_sessions
from assess.services.accounts import create_user


def _organization_user(user_id: int) -> User:
    """A user of the admin's own organisation, or 404."""
    user = db.session.get(User, user_id)
    if user is None or user.organization_id != current_user.organization_id:
        abort(404)
    return user


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users() -> str | Response | tuple[str, int]:
    """List the organisation's staff and create new accounts."""
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_user(
                db.session,
                form.email.data or "",
                form.password.data or "",
                Role(form.role.data),
                name=form.name.data or "",
                organization=current_user.organization,
                fast_hash=current_app.config["PASSWORD_HASH_FAST"],
            )
        except ValidationFailed as exc:
            db.session.rollback()
            for field, message in exc.fields.items():
                getattr(form, field).errors.append(message)
            status = 422
        else:
            audit.record(
                db.session,
                "user.created",
                actor_id=current_user.id,
                object_type="user",
                object_id=user.id,
                ip=client_ip(),
                role=user.role.value,
            )
            db.session.commit()
            flash(_("Account %(email)s created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    elif form.is_submitted():
        status = 422
    people = db.session.scalars(
        sa.select(User)
        .where(User.organization_id == current_user.organization_id)
        .order_by(User.email)
    ).all()
    return render_template(
        "admin/users.html", form=form, people=people, toggle=ToggleForm(), role_labels=ROLE_LABELS
    ), status


@bp.route("/users/<int:user_id>/toggle", methods=["POST"])
@admin_required
def toggle_user(user_id: int) -> Response:
    """Deactivate or reactivate an account; an admin cannot deactivate themself."""
    user = _organization_user(user_id)
    if ToggleForm().validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "error")
        else:
            user.is_active_account = not user.is_active_account
            staff_sessions.end_all(db.session, user)
            audit.record(
                db.session,
                "user.toggled",
                actor_id=current_user.id,
                object_type="user",
                object_id=user.id,
                ip=client_ip(),
                active=user.is_active_account,
            )
            db.session.commit()
            flash(_("Account %(email)s updated.", email=user.email), "success")
    return redirect(url_for("admin.users"))


@bp.route("/blueprints", endpoint="blueprints")
@admin_required
def blueprints_page() -> str:
    """The assessment blueprint of each grade as the organisation's invitations use it."""
    rows = blueprints.effective_all(db.session, current_user.organization_id)
    return render_template("admin/blueprints.html", blueprints=rows, reset_form=ToggleForm())


def _grade(grade: str) -> GradeCode:
    """The grade named in the URL, or a 404."""
    try:
        return GradeCode(grade)
    except ValueError:
        abort(404)


def _audited(blueprint: AssessmentBlueprint) -> dict[str, Any]:
    """What an admin can change on a blueprint, as the audit entry records it."""
    return {
        "time_limit_minutes": blueprint.time_limit_minutes,
        "questions_per_competency": {k: int(v) for k, v in
                                     sorted(blueprint.questions_per_competency.items()) if v},
        "task_kinds": sorted(blueprint.task_kinds),
        "task_count": blueprint.task_count,
        "break_minutes": blueprint.break_minutes,
        "adaptive": bool(blueprint.adaptive),
        "se_target": float(blueprint.se_target),
    }  # fmt: skip


@bp.route("/blueprints/<grade>", methods=["GET", "POST"])
@admin_required
def edit_blueprint(grade: str) -> str | Response | tuple[str, int]:
    """Edit what a grade's assessment contains in this organisation (its own copy, made from
    the bank's default on the first save); attempts already started keep their items."""
    code = _grade(grade)
    organization_id = current_user.organization_id
    blueprint = blueprints.effective(db.session, organization_id, code)
    if blueprint is None:
        abort(404)
    competencies = db.session.scalars(sa.select(Competency).order_by(Competency.position)).all()
    form_class = blueprint_form_class([c.code for c in competencies])
    form = form_class(obj=None if request.method == "POST" else blueprint)
    if request.method == "GET":
        form.task_kinds.data = sorted(set(blueprint.task_kinds))
        form.task_count.data = blueprint.tasks_drawn
        for competency in competencies:
            getattr(form, f"count_{competency.code}").data = int(
                blueprint.questions_per_competency.get(competency.code, 0)
            )
    if form.validate_on_submit():
        before = _audited(blueprint)
        own = blueprints.own_copy(db.session, organization_id, code)
        own.time_limit_minutes = form.time_limit_minutes.data or own.time_limit_minutes
        own.task_kinds = sorted(set(form.task_kinds.data or []))
        own.task_count = int(form.task_count.data or 0)
        own.break_minutes = int(form.break_minutes.data or 0)
        own.adaptive = bool(form.adaptive.data)
        own.se_target = float(form.se_target.data or own.se_target)
        own.questions_per_competency = {
            c.code: int(getattr(form, f"count_{c.code}").data or 0) for c in competencies
        }
        own.updated_by_id = current_user.id
        db.session.flush()
        after = _audited(own)
        audit.record(
            db.session,
            "blueprint.updated",
            actor_id=current_user.id,
            object_type="blueprint",
            object_id=code.value,
            ip=client_ip(),
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        )
        db.session.commit()
        flash(_("Blueprint saved."), "success")
        return redirect(url_for("admin.blueprints"))
    status = 422 if form.is_submitted() else 200
    return render_template(
        "admin/blueprint_edit.html",
        form=form,
        blueprint=blueprint,
        competencies=competencies,
        reset_form=ToggleForm(),
    ), status


@bp.route("/blueprints/<grade>/reset", methods=["POST"])
@admin_required
def reset_blueprint(grade: str) -> Response:
    """Drop the organisation's copy of a grade: the bank's default applies again."""
    code = _grade(grade)
    form = ToggleForm()
    if not form.validate_on_submit():
        abort(400)
    if blueprints.reset(db.session, current_user.organization_id, code):
        audit.record(
            db.session,
            "blueprint.reset",
            actor_id=current_user.id,
            object_type="blueprint",
            object_id=code.value,
            ip=client_ip(),
        )
        db.session.commit()
        flash(_("The bank's default blueprint applies again."), "success")
    return redirect(url_for("admin.blueprints"))


@bp.route("/privacy", methods=["GET", "POST"])
@admin_required
def privacy() -> str | Response | tuple[str, int]:
    """The organisation's privacy notice for candidates (empty: the platform's default)."""
    organization = db.session.get(Organization, current_user.organization_id)
    if organization is None:
        abort(404)
    form = PrivacyNoticeForm()
    if request.method == "GET":
        form.notice.data = organization.privacy_notice or ""
    elif form.validate_on_submit():
        organization.privacy_notice = (form.notice.data or "").strip() or None
        audit.record(
            db.session,
            "organization.privacy_notice",
            actor_id=current_user.id,
            object_type="organization",
            object_id=organization.id,
            ip=client_ip(),
            length=len(organization.privacy_notice or ""),
        )
        db.session.commit()
        flash(_("The privacy notice was saved."), "success")
        return redirect(url_for("admin.privacy"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/privacy.html", form=form, organization=organization), status
