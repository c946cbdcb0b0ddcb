"""Who may read /metrics, from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from assess.observability.access import access_from, in_networks, parse_networks


def test_default_is_loopback_only() -> None:
    """Without settings only loopback may read."""
    access = access_from({})
    assert access.allows("127.0.0.1", None)
    assert access.allows("::1", None)
    assert access.allows("::ffff:127.0.0.1", None)
    assert not access.allows("10.1.1.1", None)
    assert not access.allows(None, None)
    assert not access.allows("not-an-ip", None)


def test_token_and_empty_allow_list() -> None:
    """With an empty allow-list only the token opens it, whatever the address."""
    access = access_from({"ASSESS_METRICS_TOKEN": "tok", "ASSESS_METRICS_ALLOW": ""})
    assert not access.allows("127.0.0.1", None)
    assert access.allows("10.1.1.1", "Bearer tok")
    assert not access.allows("10.1.1.1", "Basic tok")
    assert not access.allows("10.1.1.1", "Bearer tok2")


def test_networks() -> None:
    """CIDR lists parse; a bad entry is named."""
    nets = parse_networks(" 172.16.0.0/12 , fd00::/8,")
    assert in_networks("172.20.0.5", nets)
    assert in_networks("fd00::1", nets)
    assert not in_networks("8.8.8.8", nets)
    with pytest.raises(ValueError, match="nonsense"):
        parse_networks("nonsense")


def test_token_file(tmp_path: Path) -> None:
    """The token may be read from a file (a Docker secret); a missing file is an error."""
    secret = tmp_path / "token"
    secret.write_text("from-file\n")
    access = access_from({"ASSESS_METRICS_TOKEN_FILE": str(secret)})
    assert access.allows("10.0.0.1", "Bearer from-file")
    with pytest.raises(ValueError, match="cannot read"):
        access_from({"ASSESS_METRICS_TOKEN_FILE": str(tmp_path / "missing")})
