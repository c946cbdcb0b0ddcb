"""Who may read ``/metrics``: a bearer token, or a client inside an allow-listed network.

Default: loopback only. ``ASSESS_METRICS_TOKEN`` (or ``ASSESS_METRICS_TOKEN_FILE``) lets a
Prometheus elsewhere scrape with ``Authorization: Bearer <token>``; ``ASSESS_METRICS_ALLOW``
lists networks (CIDR, comma separated) that need no token, and may be empty to require the
token from everyone.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ALLOW = "127.0.0.0/8,::1/128"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class MetricsAccess:
    """The token and networks that may read the metrics."""

    token: str | None
    networks: tuple[Network, ...]

    def allows(self, remote_addr: str | None, authorization: str | None) -> bool:
        """Whether a request from ``remote_addr`` with this ``Authorization`` header may read."""
        if self.token and authorization:
            scheme, _, presented = authorization.partition(" ")
            if scheme.lower() == "bearer" and hmac.compare_digest(
                presented.strip().encode(), self.token.encode()
            ):
                return True
        return in_networks(remote_addr, self.networks)


def in_networks(remote_addr: str | None, networks: Iterable[Network]) -> bool:
    """Whether ``remote_addr`` is an address inside one of ``networks``."""
    if not remote_addr:
        return False
    try:
        address = ipaddress.ip_address(remote_addr)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return any(address.version == net.version and address in net for net in networks)


def parse_networks(raw: str) -> tuple[Network, ...]:
    """Parse a comma-separated list of networks; raises ValueError naming a bad entry."""
    networks: list[Network] = []
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"ASSESS_METRICS_ALLOW: {part!r} is not a network") from exc
    return tuple(networks)


def access_from(environ: Mapping[str, str]) -> MetricsAccess:
    """The metrics access rule the environment describes (the token may come from a file,
    ``ASSESS_METRICS_TOKEN_FILE``, as with Docker secrets)."""
    token = (environ.get("ASSESS_METRICS_TOKEN") or "").strip() or None
    token_file = (environ.get("ASSESS_METRICS_TOKEN_FILE") or "").strip()
    if token is None and token_file:
        try:
            token = Path(token_file).read_text(encoding="utf-8").strip() or None
        except OSError as exc:
            raise ValueError(f"ASSESS_METRICS_TOKEN_FILE: cannot read {token_file}") from exc
    allow = environ.get("ASSESS_METRICS_ALLOW")
    return MetricsAccess(token, parse_networks(DEFAULT_ALLOW if allow is None else allow))
