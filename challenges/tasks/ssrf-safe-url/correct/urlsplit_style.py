"""SSRF-safe URL check built on ``urllib.parse.urlsplit`` and the ``ipaddress`` module."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

MAX_URL_LENGTH = 2048
ALLOWED_PORTS = frozenset({80, 443, 8080, 8443})
DEFAULT_PORTS = {"http": 80, "https": 443}
BLOCKED_SUFFIXES = (("localhost",), ("local",), ("internal",), ("lan",), ("home", "arpa"))
LABEL_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-")
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


class UnsafeURL(ValueError):
    """The URL must not be fetched by the server."""


def _check_input(url: object) -> str:
    """Return ``url`` when it is a short printable ASCII string, else raise."""
    if not isinstance(url, str) or not url:
        raise UnsafeURL("the URL must be a non-empty string")
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeURL("the URL is too long")
    if not url.isascii():
        raise UnsafeURL("the URL must be ASCII")
    if any(ord(char) <= 32 or ord(char) == 127 or char == "\\" for char in url):
        raise UnsafeURL("whitespace, control characters and backslashes are not allowed")
    return url


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """Return the IPv4 address an IPv6 address carries (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_public(address: IPAddress) -> bool:
    """Whether ``address`` (and any IPv4 address inside it) is globally routable unicast."""
    if not address.is_global or address.is_multicast:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return _is_public(inner)
    return True


def _parse_answer(item: object) -> IPAddress:
    """Parse one resolver answer, which must be an IP address string."""
    if not isinstance(item, str):
        raise UnsafeURL("the resolver returned something that is not an address")
    try:
        address = ipaddress.ip_address(item)
    except ValueError:
        raise UnsafeURL("the resolver returned something that is not an address") from None
    if isinstance(address, ipaddress.IPv6Address) and address.scope_id is not None:
        raise UnsafeURL("scoped IPv6 addresses are not allowed")
    return address


def _split_host_port(netloc: str) -> tuple[str, bool, str | None]:
    """Split an authority into ``(host, is_bracketed, port text or None)``."""
    if "@" in netloc:
        raise UnsafeURL("credentials in the URL are not allowed")
    if netloc.startswith("["):
        host, bracket, rest = netloc[1:].partition("]")
        if not bracket:
            raise UnsafeURL("unterminated IPv6 literal")
        if rest and not rest.startswith(":"):
            raise UnsafeURL("junk after the IPv6 literal")
        return host, True, rest[1:] if rest else None
    if "[" in netloc or "]" in netloc:
        raise UnsafeURL("brackets only around an IPv6 literal")
    host, colon, port = netloc.partition(":")
    return host, False, port if colon else None


def _check_port(port_text: str | None) -> int | None:
    """Return the port number, or None when no port is given."""
    if not port_text:
        return None
    if not port_text.isdigit():
        raise UnsafeURL("invalid port")
    port = int(port_text)
    if port not in ALLOWED_PORTS:
        raise UnsafeURL("port not allowed")
    return port


def _ipv4_literal(host: str) -> ipaddress.IPv4Address | None:
    """Return the address when ``host`` is a canonical dotted quad."""
    try:
        return ipaddress.IPv4Address(host)
    except ValueError:
        return None


def _check_host_name(host: str) -> None:
    """Apply the numeric-form and host-name rules to a lower-cased name."""
    labels = host.split(".")
    last = labels[-1]
    if last.isdigit() or last.startswith("0x"):
        raise UnsafeURL("numeric host names are not allowed")
    if len(host) > 253 or len(labels) < 2:
        raise UnsafeURL("invalid host name")
    for label in labels:
        valid = 1 <= len(label) <= 63 and set(label) <= LABEL_CHARS
        if not valid or label.startswith("-") or label.endswith("-"):
            raise UnsafeURL("invalid host name")
    for suffix in BLOCKED_SUFFIXES:
        if tuple(labels[-len(suffix) :]) == suffix:
            raise UnsafeURL("internal host names are not allowed")


def _resolve_once(host: str, resolve: Callable[[str], Sequence[str]]) -> list[IPAddress]:
    """Resolve ``host`` a single time and parse every address of the answer."""
    try:
        answer = resolve(host)
    except Exception as error:
        raise UnsafeURL(f"could not resolve {host}") from error
    if not isinstance(answer, (list, tuple)) or not answer:
        raise UnsafeURL(f"no address for {host}")
    return [_parse_answer(item) for item in answer]


def check_outbound_url(url: str, resolve: Callable[[str], Sequence[str]]) -> tuple[str, str]:
    """Return ``(normalised_url, ip_to_connect_to)`` or raise UnsafeURL."""
    parts = urlsplit(_check_input(url))
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeURL("only http and https URLs may be fetched")
    host, bracketed, port_text = _split_host_port(parts.netloc)
    if not host:
        raise UnsafeURL("a host is required")
    port = _check_port(port_text)

    addresses: list[IPAddress]
    if bracketed:
        try:
            literal = ipaddress.IPv6Address(host)
        except ValueError:
            raise UnsafeURL("invalid IPv6 literal") from None
        if literal.scope_id is not None:
            raise UnsafeURL("scoped IPv6 addresses are not allowed")
        addresses = [literal]
        host_text = f"[{literal.compressed}]"
    else:
        host = host.lower()
        if host.endswith("."):
            host = host[:-1]
        ipv4 = _ipv4_literal(host)
        if ipv4 is not None:
            addresses = [ipv4]
            host_text = ipv4.compressed
        else:
            _check_host_name(host)
            addresses = _resolve_once(host, resolve)
            host_text = host

    if not all(_is_public(address) for address in addresses):
        raise UnsafeURL("the address is not public")

    port_part = f":{port}" if port is not None and port != DEFAULT_PORTS[scheme] else ""
    query_part = f"?{parts.query}" if parts.query else ""
    normalised = f"{scheme}://{host_text}{port_part}{parts.path or '/'}{query_part}"
    return normalised, addresses[0].compressed
