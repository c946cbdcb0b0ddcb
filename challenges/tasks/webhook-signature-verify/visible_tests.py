"""Sample tests for verify_webhook (informative; the hidden probes go further)."""

from __future__ import annotations

import pytest

from solution import SignatureError, sign, verify_webhook

SECRET = b"whsec_test"
NOW = 1_700_000_000


def test_genuine_request_is_accepted() -> None:
    """A correctly signed, fresh request returns its timestamp."""
    header = sign(SECRET, NOW, b'{"id": 1}')
    assert verify_webhook(SECRET, header, b'{"id": 1}', now=NOW + 10) == NOW


def test_tampered_body_is_rejected() -> None:
    """Changing one byte of the body breaks the signature."""
    header = sign(SECRET, NOW, b'{"amount": 100}')
    with pytest.raises(SignatureError):
        verify_webhook(SECRET, header, b'{"amount": 900}', now=NOW)


def test_stale_request_is_rejected() -> None:
    """A request older than the tolerance is rejected."""
    header = sign(SECRET, NOW, b"{}")
    with pytest.raises(SignatureError):
        verify_webhook(SECRET, header, b"{}", now=NOW + 301)


def test_replay_is_rejected() -> None:
    """The same request accepted once is rejected the second time."""
    seen: set[str] = set()
    header = sign(SECRET, NOW, b"{}")
    verify_webhook(SECRET, header, b"{}", now=NOW, seen=seen)
    with pytest.raises(SignatureError):
        verify_webhook(SECRET, header, b"{}", now=NOW, seen=seen)
