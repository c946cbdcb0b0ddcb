"""Small helpers that several blueprints' views share."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def safe_redirect_target(target: str | None) -> str | None:
    """``target`` as a local path if it points at this site, else None (no open redirects)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        if parts.netloc != request.host or parts.scheme not in {"http", "https"}:
            return None
        target = parts.path + (f"?{parts.query}" if parts.query else "")
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    return target
