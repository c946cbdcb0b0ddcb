"""Sign-in and sign-out views."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from assess.auth import bp
from assess.auth.forms import LoginForm
from assess.errors import RateLimited
from assess.extensions import db
from assess.policy import public
from assess.security import client_ip
from assess.services import audit
from assess.services.accounts import LoginPolicy, authenticate
from assess.views_util import safe_redirect_target


def login_policy() -> LoginPolicy:
    """The sign-in throttle from the configuration."""
    config = current_app.config
    return LoginPolicy(
        per_account=config["LOGIN_FAILURES_PER_ACCOUNT"],
        per_ip=config["LOGIN_FAILURES_PER_IP"],
        window_seconds=config["LOGIN_FAILURE_WINDOW_SECONDS"],
        fast_hash=config["PASSWORD_HASH_FAST"],
    )


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
            message = _(
                "Too many failed sign-ins. Try again in %(minutes)d minutes.",
                minutes=max(1, exc.retry_after // 60),
            )
            form.form_errors.append(message)
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
        session.clear()
        login_user(user)
        audit.record(db.session, "login.succeeded", actor_id=user.id, ip=ip)
        db.session.commit()
        return redirect(safe_redirect_target(form.next.data) or url_for("main.dashboard"))
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
@public
def logout() -> Response:
    """Sign out and drop the whole session."""
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("auth.login"))
