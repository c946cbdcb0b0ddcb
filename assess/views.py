"""Register every area's blueprint and the error pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app, jsonify, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter
from werkzeug.wrappers import Response

from assess import live
from assess.admin import bp as admin_bp
from assess.admin.forms import ROLE_LABELS
from assess.api import views as api_views
from assess.api.errors import carried_headers
from assess.auth import bp as auth_bp
from assess.bank import kinds
from assess.candidate import bp as candidate_bp
from assess.insights import bp as insights_bp
from assess.integrations import bp as integrations_bp
from assess.main import bp as main_bp
from assess.main.forms import LANGUAGE_NAMES
from assess.models import Role
from assess.recruiting import bp as recruiting_bp
from assess.review import bp as review_bp
from assess.services.readiness import grading_problem


@dataclass(frozen=True)
class NavItem:
    """A link in the navigation bar."""

    label: str
    url: str
    current: bool


# (endpoint, label, roles that see it); areas add their entries here.
NAVIGATION: list[tuple[str, Any, frozenset[Role]]] = [
    ("recruiting.positions", _l("Positions"), frozenset({Role.RECRUITER, Role.ADMIN})),
    ("insights.pipelines_overview", _l("Pipelines"), frozenset({Role.RECRUITER, Role.ADMIN})),
    ("review.queue", _l("Interviews"), frozenset({Role.INTERVIEWER, Role.ADMIN})),
    ("insights.items", _l("Item statistics"), frozenset({Role.ADMIN})),
    ("admin.users", _l("Staff accounts"), frozenset({Role.ADMIN})),
    ("admin.blueprints", _l("Blueprints"), frozenset({Role.ADMIN})),
    ("admin.privacy", _l("Privacy notice"), frozenset({Role.ADMIN})),
    ("integrations.webhooks", _l("Webhooks"), frozenset({Role.RECRUITER, Role.ADMIN})),
    ("integrations.api_tokens", _l("API tokens"), frozenset(Role)),
]


def navigation_for(role: Role | None) -> list[NavItem]:
    """The navigation entries a person with ``role`` may use."""
    if role is None:
        return []
    return [
        NavItem(str(label), url_for(endpoint), request.endpoint == endpoint)
        for endpoint, label, roles in NAVIGATION
        if role in roles
    ]


def template_globals() -> dict[str, Any]:
    """Values every template may use: navigation, role label, language names, grading state."""
    role = current_user.role if current_user.is_authenticated else None
    values: dict[str, Any] = {
        "nav_items": navigation_for(role),
        "language_names": LANGUAGE_NAMES,
        "role_label": ROLE_LABELS.get(role, "") if role else "",
    }
    if request.endpoint == "main.dashboard":
        problem = grading_problem(current_app.config)
        values["grading_available"] = problem is None
        values["grading_reason"] = problem or ""
    return values


def kind_label(name: str) -> str:
    """A task kind's name for staff, in the reader's language."""
    return str(kinds.view(name).label) if name in kinds.VIEWS else name


def wants_json() -> bool:
    """Whether the client asked for JSON (the API, fetch calls) rather than a page."""
    if request.path.startswith("/api/"):
        return True
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def handle_http_error(error: HTTPException) -> tuple[str | Response, int, list[tuple[str, str]]]:
    """Render an HTTP error as a page, or as the JSON error shape for API clients, keeping the
    headers the error carries (RFC 9110: a 405 says what is allowed)."""
    status = error.code or 500
    headers = carried_headers(error)
    if wants_json():
        body = {
            "error": {
                "status": status,
                "code": error.name.lower().replace(" ", "_"),
                "message": error.description,
                "fields": {},
            }
        }
        return jsonify(body), status, headers
    return render_template("error.html", error=error, status=status), status, headers


class BoundedIntConverter(IntegerConverter):
    """``<int:...>`` that fits a database integer: larger ids are 404, never a 500."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        """Cap at the largest 32-bit signed integer unless a route says otherwise."""
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Register blueprints and error handlers."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(candidate_bp)
    app.register_blueprint(recruiting_bp)
    app.register_blueprint(review_bp)
    app.register_blueprint(insights_bp)
    api_views.init_app(app)
    app.register_blueprint(integrations_bp)
    app.register_blueprint(live.bp)
    live.init_app(app)
    app.register_error_handler(HTTPException, handle_http_error)
    app.context_processor(template_globals)
    app.add_template_filter(kind_label, "kind_label")
