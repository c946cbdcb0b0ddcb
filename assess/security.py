"""Sessions, security headers and the client address, wired into the app."""

from __future__ import annotations

import secrets

from flask import Flask, Response, g, request, session
from werkzeug.middleware.proxy_fix import ProxyFix

from assess.extensions import db, login_manager
from assess.models import User
from assess.services import staff_sessions

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'{style_nonce}",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


STAFF_SESSION_KEY = "_staff_session"


def load_user(session_id: str) -> User | None:
    """The user of a session id ``"<id>:<version>"`` whose server-side session (the key in
    the signed cookie) is still live; a stale version, an ended session or a deactivated
    account signs out."""
    user_id, _, version = session_id.partition(":")
    key = session.get(STAFF_SESSION_KEY)
    if not user_id.isdigit() or not version.isdigit() or not isinstance(key, str):
        return None
    user = staff_sessions.live_user(db.session, int(user_id), key)
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def style_nonce() -> str:
    """A per-response nonce that lets the code editor add its own generated stylesheet.

    Only styles carry a nonce; scripts stay 'self' only. Pages call this from templates.
    """
    if "style_nonce" not in g:
        g.style_nonce = secrets.token_urlsafe(16)
    return str(g.style_nonce)


def add_security_headers(response: Response) -> Response:
    """Set the security headers on every response; no caching of signed-in pages."""
    nonce = g.get("style_nonce")
    policy = CONTENT_SECURITY_POLICY.format(style_nonce=f" 'nonce-{nonce}'" if nonce else "")
    response.headers.setdefault("Content-Security-Policy", policy)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def client_ip() -> str:
    """The client address (behind ``ASSESS_TRUSTED_PROXIES`` proxies, their forwarded one)."""
    return request.remote_addr or "unknown"


def init_app(app: Flask) -> None:
    """Register the user loader, headers and, when configured, the proxy fix."""
    login_manager.user_loader(load_user)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"
    app.after_request(add_security_headers)
    app.jinja_env.globals["style_nonce"] = style_nonce
    proxies = int(app.config.get("TRUSTED_PROXIES", 0))
    if proxies > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
