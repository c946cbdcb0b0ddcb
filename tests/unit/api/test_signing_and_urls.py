"""Webhook signatures, back-off and URL checks: pure functions."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest

from assess.errors import ValidationFailed
from assess.webhooks import delivery, destinations, registry, signing


def test_signature_is_hmac_sha256_over_timestamp_and_body() -> None:
    """The header is sha256=<hex> of HMAC(secret, "<timestamp>.<body>")."""
    expected = hmac.new(b"whsec_k", b"1700000000.{}", hashlib.sha256).hexdigest()
    assert signing.signature("whsec_k", 1700000000, b"{}") == "sha256=" + expected


def test_verify_refuses_tampering_and_stale_timestamps() -> None:
    """A changed body, a wrong secret or an old timestamp fails verification."""
    header = signing.signature("s", 100, b"body")
    assert signing.verify("s", 100, b"body", header, now=100)
    assert not signing.verify("s", 100, b"bodY", header, now=100)
    assert not signing.verify("t", 100, b"body", header, now=100)
    assert not signing.verify("s", 100, b"body", header, now=100 + 301)


def test_back_off_doubles_and_is_capped() -> None:
    """30 s, 60 s, 120 s... never more than six hours."""
    assert [delivery.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert delivery.backoff(40) == timedelta(hours=6)


def test_secrets_are_random_and_marked() -> None:
    """Each secret is new, long, and recognisable."""
    first, second = registry.new_secret(), registry.new_secret()
    assert first != second
    assert first.startswith("whsec_")
    assert len(first) > 40


@pytest.mark.parametrize("url", ["https://hooks.example.com/a?b=1", "http://10.0.0.5:8080/x"])
def test_http_urls_are_accepted(url: str) -> None:
    """Absolute http(s) URLs with a host pass (private ones are refused at delivery)."""
    assert registry.check_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "url", ["ftp://h/x", "file:///etc/passwd", "data:,x", "//h/x", "https://u:p@h/", "x" * 2001]
)
def test_other_urls_are_refused(url: str) -> None:
    """Other schemes, relative URLs, credentials and overlong URLs are refused."""
    with pytest.raises(ValidationFailed):
        registry.check_url(url)


def test_loopback_destinations_are_refused() -> None:
    """127.0.0.1 and localhost are not public addresses."""
    for url in ("http://127.0.0.1/x", "http://localhost/x", "http://[::1]/x"):
        with pytest.raises(destinations.DestinationRefusedError):
            destinations.check(url, destinations.AllowList())


def test_the_poster_refuses_other_schemes() -> None:
    """The default poster never opens file: or other URLs."""
    target = destinations.Destination("file:///etc/passwd", "file", "", 0, "/etc/passwd", ())
    with pytest.raises(destinations.DestinationRefusedError):
        delivery.pinned_post(target, b"", {}, 1.0)
