"""Validate a user-supplied URL before the server fetches it (SSRF guard)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    """The URL must not be fetched by the server."""


def check_outbound_url(url: str, resolve: Callable[[str], Sequence[str]]) -> tuple[str, str]:
    """Return ``(normalised_url, ip_to_connect_to)`` or raise UnsafeURL."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeURL("only http and https URLs may be fetched")
    host = parts.hostname or ""
    if host in ("localhost", "127.0.0.1"):
        raise UnsafeURL("local host")
    address = resolve(host)[0]
    return url, address
