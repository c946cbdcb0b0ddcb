"""Faulty: relies on is_global alone, which lets multicast through."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_LENGTH = 2048
ALLOWED_PORTS = frozenset({80, 443, 8080, 8443})
DEFAULT_PORTS = {"http": 80, "https": 443}
BLOCKED_SUFFIXES = ("localhost", "local", "internal", "lan", "home.arpa")
NAT64 = ipaddress.ip_network("64:ff9b::/96")
LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
DOTTED_QUAD = re.compile(rf"{OCTET}(?:\.{OCTET}){{3}}")
NUMERIC_LABEL = re.compile(r"(?:0x.*|[0-9]+)")


class UnsafeURL(ValueError):
    """The URL must not be fetched by the server."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address stands for (mapped, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def _is_public(ip: IPAddress) -> bool:
    """True for a globally routable unicast address (embedded IPv4 judged too)."""
    if not ip.is_global:
        return False
    embedded = _embedded_ipv4(ip)
    return embedded is None or _is_public(embedded)


def _parse_ip(text: object) -> IPAddress:
    """Parse one resolver answer, rejecting anything that is not a plain address."""
    if not isinstance(text, str):
        raise UnsafeURL("resolver returned a non-address")
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        raise UnsafeURL(f"resolver returned {text!r}") from None


def _check_hostname(host: str) -> str:
    """Validate a DNS name (not an IP literal); return it without a trailing dot."""
    name = host[:-1] if host.endswith(".") else host
    labels = name.split(".")
    if NUMERIC_LABEL.fullmatch(labels[-1]):
        raise UnsafeURL("numeric host forms other than a dotted quad are not allowed")
    if len(labels) < 2 or len(name) > 253 or not all(LABEL.fullmatch(x) for x in labels):
        raise UnsafeURL("host is not a fully qualified DNS name")
    if any(name == suffix or name.endswith("." + suffix) for suffix in BLOCKED_SUFFIXES):
        raise UnsafeURL("internal host name")
    return name


def check_outbound_url(url: str, resolve: Callable[[str], Sequence[str]]) -> tuple[str, str]:
    """Return ``(normalised_url, ip_to_connect_to)`` or raise UnsafeURL."""
    if not isinstance(url, str) or not url or len(url) > MAX_LENGTH:
        raise UnsafeURL("URL missing or too long")
    if any(ord(ch) <= 32 or ord(ch) == 127 or ch == "\\" for ch in url) or not url.isascii():
        raise UnsafeURL("URL contains whitespace, control characters, backslashes or non-ASCII")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeURL("only http and https URLs may be fetched")
    if not parts.netloc or "@" in parts.netloc:
        raise UnsafeURL("URL needs a host and must not carry credentials")
    try:
        port = parts.port
    except ValueError:
        raise UnsafeURL("invalid port") from None
    if port is not None and port not in ALLOWED_PORTS:
        raise UnsafeURL("port not allowed")
    host = parts.hostname or ""
    if parts.netloc.startswith("["):
        try:
            literal: IPAddress = ipaddress.IPv6Address(host)
        except ValueError:
            raise UnsafeURL("invalid IPv6 literal") from None
        addresses = [literal]
        shown = f"[{literal.compressed}]"
    elif DOTTED_QUAD.fullmatch(host):
        addresses = [ipaddress.IPv4Address(host)]
        shown = host
    else:
        shown = _check_hostname(host)
        try:
            answers = resolve(shown)
        except Exception:  # noqa: BLE001 - any resolver failure means "do not fetch"
            raise UnsafeURL("host does not resolve") from None
        if not isinstance(answers, (list, tuple)) or not answers:
            raise UnsafeURL("host does not resolve")
        addresses = [_parse_ip(answer) for answer in answers]
    if not all(_is_public(ip) for ip in addresses):
        raise UnsafeURL("host resolves to a non-public address")
    netloc = shown if port is None or port == DEFAULT_PORTS[scheme] else f"{shown}:{port}"
    query = f"?{parts.query}" if parts.query else ""
    return f"{scheme}://{netloc}{parts.path or '/'}{query}", addresses[0].compressed
