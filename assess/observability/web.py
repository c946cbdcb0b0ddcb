"""The web side: a request id on every request and response, one structured log line and
one metrics observation per request, and the protected ``/metrics`` endpoint."""

from __future__ import annotations

import contextlib
import logging
import time

from flask import Blueprint, Flask, Response, abort, current_app, g, request

from assess.observability import metrics
from assess.observability.access import MetricsAccess
from assess.observability.context import REQUEST_ID_HEADER, accept_request_id, request_id_var
from assess.observability.grading import spare_containers
from assess.policy import public

log = logging.getLogger("assess.request")
bp = Blueprint("observability", __name__)
UNMATCHED = "<unmatched>"


def start_request() -> None:
    """Take or make the request id, and start the clock."""
    g.request_id = accept_request_id(request.headers.get(REQUEST_ID_HEADER))
    g.request_token = request_id_var.set(g.request_id)
    g.request_started = time.perf_counter()


def route_label() -> str:
    """The route template (``/i/<token>``), never the path: no tokens, bounded labels."""
    rule = request.url_rule
    return rule.rule if rule is not None else UNMATCHED


def finish_request(response: Response) -> Response:
    """Echo the request id, count the request and log one line about it."""
    request_id = g.get("request_id")
    if request_id:
        response.headers[REQUEST_ID_HEADER] = request_id
    started = g.get("request_started")
    if started is None:
        return response
    seconds = time.perf_counter() - started
    route = route_label()
    if route != "/metrics":
        metrics.observe_request(request.method, route, response.status_code, seconds)
    if current_app.config.get("LOG_REQUESTS", True):
        log.info(
            "%s %s %s", request.method, route, response.status_code,
            extra={"method": request.method, "route": route, "status": response.status_code,
                   "duration_ms": round(seconds * 1000, 1)},
        )  # fmt: skip
    return response


def reset_request_id(error: BaseException | None) -> None:
    """Forget the request id when the request context ends."""
    token = g.pop("request_token", None)
    if token is not None:
        with contextlib.suppress(ValueError):  # set in another (copied) context
            request_id_var.reset(token)


@bp.get("/metrics")
@public  # no staff role: guarded by its own token or network allow-list below
def metrics_view() -> Response:
    """The Prometheus exposition, for allowed networks or the bearer token only."""
    access: MetricsAccess = current_app.extensions["observability.metrics_access"]
    if not access.allows(request.remote_addr, request.headers.get("Authorization")):
        abort(403)
    body = metrics.render([
        metrics.DatabaseCollector(current_app._get_current_object()),  # type: ignore[attr-defined]
        metrics.SandboxCollector(spare_containers),
    ])  # fmt: skip
    return Response(
        body,
        mimetype=metrics.CONTENT_TYPE_LATEST.split(";")[0],
        headers={"Cache-Control": "no-store"},
    )


def init_web(app: Flask) -> None:
    """Register the hooks and the endpoint."""
    app.before_request(start_request)
    app.after_request(finish_request)
    app.teardown_request(reset_request_id)
    app.register_blueprint(bp)
