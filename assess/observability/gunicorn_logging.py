"""gunicorn's logger with the redaction filter on its access and error logs.

gunicorn writes its access line (``"GET /i/<token> HTTP/1.1" 200 ...``) itself, outside
the app's logging; ``gunicorn.conf.py`` names this class as ``logger_class`` so those lines
lose tokens, passwords and credentials like every other line.
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from assess.observability.redaction import RedactingFilter


class RedactingLogger(Logger):
    """gunicorn's logger; every line it writes passes the redaction filter first."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        """Write the access line, unless nothing would receive it: with the JSON logs the
        app writes its own line per request and the access log has no handler, yet gunicorn
        (any logging configuration counts as "enabled") would still build every field of the
        line on every request."""
        if not self.access_log.handlers and not self.access_log.propagate:
            return
        super().access(resp, req, environ, request_time)

    def setup(self, cfg: Any) -> None:
        """Configure as usual, then filter the access and error logs."""
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(existing, RedactingFilter) for existing in log.filters):
                log.addFilter(RedactingFilter())
