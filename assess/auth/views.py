"""Sign-in, sign-out and changing one's own password."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from assess.auth import bp
from assess.auth.forms import ChangePasswordForm, LoginForm
from assess.errors import RateLimited, ValidationFailed
from assess.extensions import db
from assess.models import User
from assess.policy import public, staff_required
from assess.security import STAFF_SESSION_KEY, client_ip
from assess.services import audit, staff_sessions
from assess.services.accounts import LoginPolicy, authenticate, change_password
from assess.views_util import safe_redirect_target


def login_policy() -> LoginPolicy:
    """The sign-in throttle from the configuration."""
    config = current_app.config
    return LoginPolicy(
        per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
        per_ip=config["LOGIN_FAILURES_PER_IP"],
        window_seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"],
        fast_hash=config["PASSWORD_HASH_FAST"],
        account_spacing_seconds=config["LOGIN_ACCOUNT_SPACING_SECONDS"],
        backoff_base_seconds=config["LOGIN_BACKOFF_BASE_SECONDS"],
        backoff_max_seconds=config["LOGIN_BACKOFF_MAX_SECONDS"],
    )


def wait_message(seconds: int) -> str:
    """How long to wait before the next sign-in attempt, in words."""
    if seconds < 120:
        text = _("Too many sign-in attempts. Try again in %(seconds)d seconds.", seconds=seconds)
    else:
        text = _(
            "Too many failed sign-ins. Try again in %(minutes)d minutes.", minutes=seconds // 60
        )
    return str(text)


def open_session(user: User) -> None:
    """Start a fresh signed session for ``user`` (nothing from before survives)."""
    session.clear()
    key = staff_sessions.start(
        db.session, user, int(current_app.permanent_session_lifetime.total_seconds())
    )
    session[STAFF_SESSION_KEY] = key
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> str | Response | tuple[str, int, dict[str, str]]:
    """Show the sign-in form and sign a staff member in."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    form = LoginForm()
    if request.method == "GET":
        form.next.data = safe_redirect_target(request.args.get("next")) or ""
    if form.validate_on_submit():
        ip = client_ip()
        try:
            user = authenticate(
                db.session, form.email.data or "", form.password.data or "", ip, login_policy()
            )
        except RateLimited as exc:
            db.session.commit()
            form.form_errors.append(wait_message(exc.retry_after))
            return (
                render_template("auth/login.html", form=form),
                429,
                {"Retry-After": str(exc.retry_after)},
            )
        if user is None:
            audit.record(db.session, "login.failed", ip=ip)
            db.session.commit()
            form.form_errors.append(_("Wrong email or password."))
            return render_template("auth/login.html", form=form), 200, {}
        open_session(user)
        audit.record(db.session, "login.succeeded", actor_id=user.id, ip=ip)
        db.session.commit()
        return redirect(safe_redirect_target(form.next.data) or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    """Sign out: end this session on the server (a copy of the cookie dies too)."""
    key = session.get(STAFF_SESSION_KEY)
    if isinstance(key, str):
        staff_sessions.end(db.session, key)
        db.session.commit()
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@staff_required
def password() -> str | Response | tuple[str, int]:
    """Change one's own password; every other session of the account ends."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user: User = current_user._get_current_object()  # type: ignore[attr-defined]
        try:
            change_password(
                db.session,
                user,
                form.current_password.data or "",
                form.password.data or "",
                login_policy(),
            )
        except RateLimited as exc:
            db.session.commit()
            form.form_errors.append(wait_message(exc.retry_after))
            return render_template("auth/password.html", form=form), 429
        except ValidationFailed as exc:
            db.session.commit()  # keeps the count of a wrong current password, changes nothing
            for name, message in exc.fields.items():
                getattr(form, name).errors.append(message)
            return render_template("auth/password.html", form=form), 422
        open_session(user)
        audit.record(db.session, "password.changed", actor_id=user.id, ip=client_ip())
        db.session.commit()
        flash(_("Password changed. Other sessions are signed out."), "success")
        return redirect(url_for("main.dashboard"))
    status = 422 if form.is_submitted() else 200
    return render_template("auth/password.html", form=form), status
