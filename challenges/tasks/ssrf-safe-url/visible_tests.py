"""Sample tests for check_outbound_url (informative; the hidden probes go further)."""

from __future__ import annotations

import socket

import pytest

from solution import UnsafeURL, check_outbound_url

TABLE = {"example.com": ["93.184.216.34"], "intranet.example.com": ["10.1.2.3"]}


def resolve(host: str) -> list[str]:
    """A tiny fake DNS."""
    if host in TABLE:
        return list(TABLE[host])
    raise socket.gaierror("Name or service not known")


def test_public_url_is_normalised_and_pinned() -> None:
    """A public URL comes back normalised with the address to connect to."""
    result = check_outbound_url("HTTPS://Example.COM:443/a?b=1#top", resolve)
    assert result == ("https://example.com/a?b=1", "93.184.216.34")


def test_private_answer_rejected() -> None:
    """A name that resolves to a private address is refused."""
    with pytest.raises(UnsafeURL):
        check_outbound_url("http://intranet.example.com/", resolve)


def test_metadata_literal_rejected() -> None:
    """The cloud metadata address is refused."""
    with pytest.raises(UnsafeURL):
        check_outbound_url("http://169.254.169.254/latest/meta-data/", resolve)


def test_unsafe_url_is_a_value_error() -> None:
    """UnsafeURL is a ValueError, and non-http schemes are refused."""
    assert issubclass(UnsafeURL, ValueError)
    with pytest.raises(ValueError):
        check_outbound_url("file:///etc/passwd", resolve)
