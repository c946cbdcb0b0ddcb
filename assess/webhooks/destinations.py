"""Where a webhook may be sent: public unicast addresses only, unless an operator allows more.

A URL's host is resolved once; every address it resolves to must be public (not loopback,
private, link-local, multicast, reserved, CGNAT, documentation, unspecified..., in IPv4 and
IPv6, and not an IPv6 form that embeds such an IPv4 address: mapped, compatible, 6to4,
NAT64). The caller then connects to one of those very addresses (never resolving again), so
a name cannot pass the check with one answer and be called with another (DNS rebinding).

``ASSESS_WEBHOOK_ALLOW_PRIVATE`` (off by default) lists networks (``127.0.0.0/8``,
``fd00::/8``) and host names (``receiver.internal``) that are allowed anyway, for a local
receiver in development or an internal one on premises.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from assess.errors import ConfigurationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[IPAddress]]

SETTING = "ASSESS_WEBHOOK_ALLOW_PRIVATE"

# IANA's IPv4 special-purpose registry, multicast and the reserved 240/4 (broadcast too).
SPECIAL_IPV4: tuple[tuple[ipaddress.IPv4Network, str], ...] = tuple(
    (ipaddress.IPv4Network(network), reason)
    for network, reason in (
        ("0.0.0.0/8", "the unspecified address (this network)"),
        ("10.0.0.0/8", "a private address"),
        ("100.64.0.0/10", "a carrier-grade NAT address"),
        ("127.0.0.0/8", "a loopback address"),
        ("169.254.0.0/16", "a link-local address"),
        ("172.16.0.0/12", "a private address"),
        ("192.0.0.0/24", "a reserved address (IETF protocol assignments)"),
        ("192.0.2.0/24", "a documentation address"),
        ("192.31.196.0/24", "a reserved address (AS112)"),
        ("192.52.193.0/24", "a reserved address (AMT)"),
        ("192.88.99.0/24", "a reserved address (6to4 relay anycast)"),
        ("192.168.0.0/16", "a private address"),
        ("192.175.48.0/24", "a reserved address (AS112)"),
        ("198.18.0.0/15", "a reserved address (benchmarking)"),
        ("198.51.100.0/24", "a documentation address"),
        ("203.0.113.0/24", "a documentation address"),
        ("224.0.0.0/4", "a multicast address"),
        ("240.0.0.0/4", "a reserved address (or the broadcast address)"),
    )
)

# IPv6: only global unicast (2000::/3) may be called, less these special parts of it; the
# forms that embed an IPv4 address are judged by that address.
GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")
SPECIAL_IPV6: tuple[tuple[ipaddress.IPv6Network, str], ...] = tuple(
    (ipaddress.IPv6Network(network), reason)
    for network, reason in (
        ("::/128", "the unspecified address"),
        ("::1/128", "a loopback address"),
        ("::/96", "an IPv4-compatible address (deprecated)"),
        ("64:ff9b:1::/48", "a local-use NAT64 address"),
        ("100::/64", "a discard-only address"),
        ("2001::/23", "a reserved address (IETF protocol assignments, Teredo)"),
        ("2001:db8::/32", "a documentation address"),
        ("2002::/16", "a 6to4 address (deprecated)"),
        ("3fff::/20", "a documentation address"),
        ("5f00::/16", "a reserved address (SRv6)"),
        ("fc00::/7", "a private (unique local) address"),
        ("fe80::/10", "a link-local address"),
        ("fec0::/10", "a site-local address (deprecated)"),
        ("ff00::/8", "a multicast address"),
    )
)
IPV4_MAPPED = ipaddress.IPv6Network("::ffff:0:0/96")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
SIXTOFOUR = ipaddress.IPv6Network("2002::/16")

_HOST_NAME = re.compile(r"^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?)+$")


class DestinationRefusedError(Exception):
    """The destination may not be called; the message says why (shown to the person)."""


def embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (IPv4-mapped, NAT64, 6to4), if any."""
    if address in IPV4_MAPPED:
        return address.ipv4_mapped
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address in SIXTOFOUR:
        return address.sixtofour
    return None


def special_reason(address: IPAddress) -> str | None:
    """Why ``address`` may not be called (loopback, private...), or None when it is public."""
    if isinstance(address, ipaddress.IPv4Address):
        for network, reason in SPECIAL_IPV4:
            if address in network:
                return reason
        return None if address.is_global else "a reserved address"
    address = ipaddress.IPv6Address(int(address))  # without any %zone
    inner = embedded_ipv4(address)
    if inner is not None:
        inner_reason = special_reason(inner)
        if inner_reason is not None:
            return f"{inner_reason} (as {inner}, embedded in an IPv6 address)"
        if address not in SIXTOFOUR:
            return None  # IPv4-mapped or NAT64 of a public IPv4 address
    for network6, reason6 in SPECIAL_IPV6:
        if address in network6:
            return reason6
    if address not in GLOBAL_UNICAST_V6:
        return "a reserved address (not global unicast)"
    return None


@dataclass(frozen=True)
class AllowList:
    """Networks and host names allowed although not public (empty: nothing is)."""

    networks: tuple[IPNetwork, ...] = ()
    hosts: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def parse(cls, text: object) -> AllowList:
        """Read the setting: entries separated by commas or spaces; ConfigurationError
        naming a bad entry."""
        if text is None or text is False:
            return cls()
        if not isinstance(text, str):
            raise ConfigurationError(
                f"{SETTING} lists networks and host names (e.g. 127.0.0.0/8,localhost), "
                f"got {text!r}"
            )
        networks: list[IPNetwork] = []
        hosts: set[str] = set()
        for entry in re.split(r"[\s,]+", text.strip()):
            if not entry:
                continue
            try:
                networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            name = entry.lower().rstrip(".")
            if not _HOST_NAME.match(name) or name.replace(".", "").isdigit():
                raise ConfigurationError(
                    f"{SETTING}: {entry!r} is neither a network (CIDR) nor a host name"
                )
            hosts.add(name)
        return cls(tuple(networks), frozenset(hosts))

    def allows_host(self, host: str) -> bool:
        """Whether the URL's host name is listed (any address it resolves to is allowed)."""
        return host.lower().rstrip(".") in self.hosts

    def allows(self, address: IPAddress) -> bool:
        """Whether ``address`` lies in a listed network."""
        if isinstance(address, ipaddress.IPv6Address):
            address = ipaddress.IPv6Address(int(address))
        return any(address.version == n.version and address in n for n in self.networks)


def system_resolver(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (in the resolver's order, duplicates dropped)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


@dataclass(frozen=True)
class Destination:
    """A checked URL and the addresses it may be called at (connect to these only)."""

    url: str
    scheme: str
    host: str
    port: int
    target: str
    addresses: tuple[IPAddress, ...]


def _parts(url: str) -> tuple[str, str, int, str]:
    """Scheme, host, port and request target of an http(s) URL, or DestinationRefusedError."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise DestinationRefusedError("not a valid URL") from exc
    if parts.scheme not in ("http", "https"):
        raise DestinationRefusedError("only http and https URLs are called")
    if not parts.hostname:
        raise DestinationRefusedError("the URL has no host")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), target


def _literal(host: str) -> IPAddress | None:
    """The address a host written as a plain IP address names, else None."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check(
    url: str, allow: AllowList, resolve: Resolver = system_resolver, *, strict: bool = True
) -> Destination:
    """Resolve the URL's host once and check every address; DestinationRefusedError says why.

    With ``strict=False`` a host that does not resolve (yet) is accepted with no addresses
    (when a webhook is saved); delivery is always strict.
    """
    scheme, host, port, target = _parts(url)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError, ValueError) as exc:
        if not strict:
            return Destination(url, scheme, host, port, target, ())
        raise DestinationRefusedError(f"{host} does not resolve") from exc
    if not addresses:
        raise DestinationRefusedError(f"{host} does not resolve")
    if not allow.allows_host(host):
        for address in addresses:
            reason = special_reason(address)
            if reason is not None and not allow.allows(address):
                subject = (
                    host if _literal(host) == address else f"{host} resolves to {address}, which"
                )
                raise DestinationRefusedError(
                    f"{subject} is {reason}; webhooks are sent to public addresses only"
                )
    return Destination(url, scheme, host, port, target, tuple(addresses))


def allow_list(config: Mapping[str, Any]) -> AllowList:
    """The allow-list of an app's configuration (``WEBHOOK_ALLOW_PRIVATE``)."""
    return AllowList.parse(config.get("WEBHOOK_ALLOW_PRIVATE"))
