"""No log line carries a token: gunicorn's access log, its error log and the app's own
lines, read from a real server's output in both log formats."""

from __future__ import annotations

import re
import secrets
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from flask import Flask

from assess.observability.redaction import TOKEN_ROUTE_VARIABLES, redact_text
from tests.conftest import require
from tests.integration.ops.servers import Gunicorn
from tests.integration.ops.test_gunicorn import create_schema


def get(url: str, headers: dict[str, str] | None = None) -> int:
    """GET ``url``; the status, whatever it is."""
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - loopback
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


@pytest.mark.parametrize("log_format", ["text", "json"])
def test_real_log_output_has_no_tokens(tmp_path: Path, log_format: str) -> None:
    """Invitation and live-interview links, ``token=`` queries, API tokens and bearer
    credentials are redacted in every line the server writes (text: gunicorn's access log
    is on; JSON: the app's request lines)."""
    require(None if (Path(sys.executable).parent / "gunicorn").exists() else "no gunicorn",
            "gunicorn")  # fmt: skip
    url = "sqlite:///" + str(tmp_path / "web.sqlite3")
    create_schema(url)
    invitation, live = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    query, api = secrets.token_hex(16), "ast_" + secrets.token_urlsafe(24)
    log = tmp_path / "server.log"
    server = Gunicorn({
        "ASSESS_ENV": "development", "SECRET_KEY": secrets.token_urlsafe(48),
        "DATABASE_URL": url, "ASSESS_SANDBOX": "0", "ASSESS_LOG_FORMAT": log_format,
    }, log, workers=1).start()  # fmt: skip
    try:
        assert get(f"{server.url}/i/{invitation}") == 404
        get(f"{server.url}/live/j/{live}")
        get(f"{server.url}/healthz?token={query}&x=1")
        get(f"{server.url}/api/v1/positions", {"Authorization": f"Bearer {api}"})
        get(f"{server.url}/healthz", {"Referer": f"{server.url}/i/{invitation}"})
    finally:
        assert server.stop() == 0
    output = log.read_text()
    for secret in (invitation, live, query, api, api.removeprefix("ast_")):
        assert secret not in output
    if log_format == "text":  # gunicorn's own access line is there, with the path redacted
        assert re.search(r'"GET /i/\[redacted\] HTTP/1\.1" 404', output), output[-3000:]
        assert "/live/j/[redacted] HTTP/1.1" in output
        assert "token=[redacted]&x=1" in output
        assert '"http://127.0.0.1:' in output and '/i/[redacted]" "Python-urllib' in output


def test_every_route_with_a_token_in_its_path_is_redacted(app: Flask) -> None:
    """Walking the URL map: a route whose path carries a credential (``<token>``) has its
    value redacted, so a new such route cannot leak into the logs unnoticed."""
    secret = secrets.token_urlsafe(24)
    checked = []
    for rule in app.url_map.iter_rules():
        if not set(rule.arguments) & TOKEN_ROUTE_VARIABLES:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: secret if m.group(1) in TOKEN_ROUTE_VARIABLES
                      else "1", rule.rule)  # fmt: skip
        line = f'127.0.0.1 - - "GET {path}?page=2 HTTP/1.1" 200'
        assert secret not in redact_text(line), rule.rule
        checked.append(rule.rule)
    assert "/i/<token>" in checked
