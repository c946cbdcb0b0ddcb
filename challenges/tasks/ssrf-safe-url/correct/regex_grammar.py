"""Validate a user-supplied URL before the server fetches it (SSRF guard).

Style: the URL is matched against small explicit regular-expression grammars
(one for the overall shape, one per host form) instead of ``urllib.parse``.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence


class UnsafeURL(ValueError):
    """The URL must not be fetched by the server."""


MAX_URL_LENGTH = 2048
ALLOWED_PORTS = frozenset({80, 443, 8080, 8443})
DEFAULT_PORTS = {"http": 80, "https": 443}
INTERNAL_SUFFIXES = ("localhost", "local", "internal", "lan", "home.arpa")

# scheme ":" "//" authority path [ "?" query ] [ "#" fragment ]
_URL = re.compile(
    r"""
    \A
    (?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*) :
    // (?P<authority>[^/?\#]*)
    (?P<path>[^?\#]*)
    (?: \? (?P<query>[^\#]*) )?
    (?: \# .* )?
    \Z
    """,
    re.VERBOSE | re.DOTALL,
)
# authority = ( "[" ipv6 "]" | reg-name ) [ ":" port ]
_AUTHORITY = re.compile(r"\A(?:\[(?P<ipv6>[^\[\]]*)\]|(?P<name>[^:\[\]]*))(?::(?P<port>[0-9]*))?\Z")
_OCTET = r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])"
_DOTTED_QUAD = re.compile(rf"\A{_OCTET}(?:\.{_OCTET}){{3}}\Z")
_LABEL = re.compile(r"\A[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\Z")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _check_input(url: object) -> str:
    if not isinstance(url, str):
        raise UnsafeURL("the URL must be a string")
    if not url or len(url) > MAX_URL_LENGTH:
        raise UnsafeURL("the URL is empty or too long")
    if not url.isascii():
        raise UnsafeURL("the URL must be ASCII")
    if any(ord(ch) <= 32 or ord(ch) == 127 or ch == "\\" for ch in url):
        raise UnsafeURL("whitespace, control characters and backslashes are not allowed")
    return url


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _is_public(address: Address) -> bool:
    candidates: list[Address] = [address]
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            candidates.append(inner)
    return all(a.is_global and not a.is_multicast for a in candidates)


def _require_public(address: Address) -> None:
    if not _is_public(address):
        raise UnsafeURL(f"{address} is not a public unicast address")


def _check_host_name(name: str) -> None:
    if len(name) > 253:
        raise UnsafeURL("the host name is too long")
    labels = name.split(".")
    if len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise UnsafeURL("invalid host name")
    for suffix in INTERNAL_SUFFIXES:
        if name == suffix or name.endswith("." + suffix):
            raise UnsafeURL("internal host names are not allowed")


def _resolve_once(name: str, resolve: Callable[[str], Sequence[str]]) -> list[Address]:
    try:
        answer = resolve(name)
    except Exception as exc:  # any resolver failure rejects the URL
        raise UnsafeURL(f"cannot resolve {name}") from exc
    if isinstance(answer, (str, bytes, bytearray)):
        raise UnsafeURL("the resolver answer is not a list of addresses")
    try:
        items = list(answer)
    except Exception as exc:
        raise UnsafeURL("the resolver answer is not a list of addresses") from exc
    if not items:
        raise UnsafeURL(f"{name} has no addresses")
    addresses: list[Address] = []
    for item in items:
        if not isinstance(item, str):
            raise UnsafeURL("the resolver answer holds a non-string")
        try:
            addresses.append(ipaddress.ip_address(item))
        except ValueError as exc:
            raise UnsafeURL(f"{item!r} is not an IP address") from exc
    return addresses


def check_outbound_url(url: str, resolve: Callable[[str], Sequence[str]]) -> tuple[str, str]:
    """Return ``(normalised_url, ip_to_connect_to)`` or raise UnsafeURL."""
    url = _check_input(url)

    shape = _URL.match(url)
    if shape is None:
        raise UnsafeURL("not an absolute http(s) URL with an authority")
    scheme = shape["scheme"].lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeURL("only http and https URLs may be fetched")

    authority = shape["authority"]
    if "@" in authority:
        raise UnsafeURL("credentials are not allowed in the URL")
    parts = _AUTHORITY.match(authority)
    if parts is None:
        raise UnsafeURL("invalid authority")

    port: int | None = None
    if parts["port"]:  # "host:" with an empty port means no port (RFC 3986)
        port = int(parts["port"])
        if port not in ALLOWED_PORTS:
            raise UnsafeURL("this port may not be used")

    addresses: list[Address]
    if parts["ipv6"] is not None:
        literal = parts["ipv6"]
        if "%" in literal:
            raise UnsafeURL("IPv6 zone identifiers are not allowed")
        try:
            v6 = ipaddress.IPv6Address(literal)
        except ValueError as exc:
            raise UnsafeURL("invalid IPv6 literal") from exc
        host = f"[{v6.compressed}]"
        addresses = [v6]
    else:
        name = parts["name"].lower()
        if name.endswith("."):
            name = name[:-1]
        if not name:
            raise UnsafeURL("a host is required")
        if _DOTTED_QUAD.match(name):
            addresses = [ipaddress.IPv4Address(name)]
        else:
            last_label = name.rsplit(".", 1)[-1]
            if last_label.isdigit() or last_label.startswith("0x"):
                raise UnsafeURL("non-canonical numeric host")
            _check_host_name(name)
            addresses = _resolve_once(name, resolve)
        host = name

    for address in addresses:
        _require_public(address)

    netloc = host if port is None or port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = shape["path"] or "/"
    query = shape["query"]
    normalised = f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")
    return normalised, addresses[0].compressed
