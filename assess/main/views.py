"""Dashboard, language choice, liveness and readiness."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from functools import partial

from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_babel import format_decimal, format_timedelta
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from assess.extensions import db
from assess.i18n import SESSION_KEY
from assess.main import bp
from assess.main.forms import LanguageForm
from assess.models import utcnow
from assess.policy import public, staff_required
from assess.recruiting.forms import GRADE_LABELS
from assess.services import readiness, start_page
from assess.views_util import safe_redirect_target

SECOND = timedelta(seconds=1)


@bp.route("/")
@public
def index() -> Response:
    """Send staff to their dashboard and everyone else to sign in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.login"))


@bp.route("/dashboard")
@staff_required
def dashboard() -> str:
    """The signed-in person's start page: what needs them now, one part per role held."""
    now = utcnow()

    def waited(moment: datetime) -> str:
        """How long ago ``moment`` was, in words ("3 days")."""
        return str(format_timedelta(max(now - moment, timedelta(0)), threshold=1))

    def ago(moment: datetime) -> str:
        """When ``moment`` was, relative to now, in words ("3 days ago")."""
        return str(format_timedelta(min(moment - now, -SECOND), threshold=1, add_direction=True))

    def due(moment: datetime) -> str:
        """How long until ``moment``, in words ("in 5 hours")."""
        return str(format_timedelta(moment - now, threshold=1, add_direction=True))

    def size(count: int) -> str:
        """A number of bytes in gigabytes."""
        return str(_("%(size)s GB", size=format_decimal(count / 1e9, format="#,##0.0")))

    page = start_page.build(db.session, current_user, current_app.config, current_app.instance_path)
    return render_template(
        "main/dashboard.html",
        page=page,
        waited=waited,
        ago=ago,
        due=due,
        size=size,
        grade_labels=GRADE_LABELS,
    )


@bp.route("/language", methods=["POST"])
@public
def set_language() -> Response:
    """Remember the chosen language for this person (account or session)."""
    form = LanguageForm()
    if form.validate_on_submit():
        locale = form.locale.data
        session[SESSION_KEY] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_redirect_target(request.referrer) or url_for("main.index"))


@bp.route("/healthz")
@public
def healthz() -> Response:
    """Liveness: the process answers."""
    return jsonify(status="ok")


@bp.route("/readyz")
@public
def readyz() -> tuple[Response, int]:
    """Readiness: the database, and Docker and Redis where configured, answer."""
    config = current_app.config
    checks: dict[str, readiness.Check] = {
        "database": partial(readiness.database_problem, db.session)
    }
    if config.get("SANDBOX_ENABLED"):
        checks["docker"] = partial(readiness.docker_problem, os.environ)
    if config.get("REDIS_URL"):
        checks["redis"] = partial(readiness.redis_problem, config["REDIS_URL"])
    ready, report = readiness.run_checks(checks)
    return jsonify(status="ok" if ready else "unavailable", checks=report), 200 if ready else 503
