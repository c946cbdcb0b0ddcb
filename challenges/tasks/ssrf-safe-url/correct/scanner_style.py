"""SSRF-safe URL check with a hand-written regex scanner and a small policy class."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

URL_PATTERN = re.compile(
    r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*)://"
    r"(?P<authority>[^/?#]*)"
    r"(?P<path>[^?#]*)"
    r"(?:\?(?P<query>[^#]*))?"
    r"(?:#.*)?",
    re.DOTALL,
)
DOTTED_QUAD = re.compile(
    r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}"
)
LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
IPV6_TEXT = re.compile(r"[0-9A-Fa-f:.]+")
PORT_TEXT = re.compile(r"[0-9]+")
BLOCKED_NAMES = ("localhost", "local", "internal", "lan", "home.arpa")


class UnsafeURL(ValueError):
    """The URL must not be fetched by the server."""


@dataclass(frozen=True)
class Target:
    """The parts of an accepted URL that the normalised form is built from."""

    scheme: str
    host: str
    port: int | None
    path: str
    query: str | None

    def url(self) -> str:
        """Render ``scheme://host[:port]path[?query]``."""
        default = 80 if self.scheme == "http" else 443
        port = f":{self.port}" if self.port is not None and self.port != default else ""
        query = f"?{self.query}" if self.query is not None else ""
        return f"{self.scheme}://{self.host}{port}{self.path or '/'}{query}"


class OutboundPolicy:
    """The rules an outbound URL must satisfy before the worker may fetch it."""

    max_length = 2048
    schemes = ("http", "https")
    ports = (80, 443, 8080, 8443)

    def __init__(self, resolve: Callable[[str], Sequence[str]]) -> None:
        self._resolve = resolve

    def check(self, url: object) -> tuple[str, str]:
        """Return ``(normalised_url, ip)`` for a safe URL, else raise UnsafeURL."""
        text = self._checked_text(url)
        match = URL_PATTERN.fullmatch(text)
        if match is None:
            raise UnsafeURL("not an absolute http(s) URL with a host")
        scheme = match["scheme"].lower()
        if scheme not in self.schemes:
            raise UnsafeURL(f"scheme {scheme!r} is not allowed")
        host_text, port = self._authority(match["authority"])
        host, addresses = self._addresses(host_text)
        for address in addresses:
            if not self._public(address):
                raise UnsafeURL(f"{address} is not a public address")
        target = Target(scheme, host, port, match["path"], match["query"])
        return target.url(), addresses[0].compressed

    def _checked_text(self, url: object) -> str:
        if not isinstance(url, str) or not url or len(url) > self.max_length:
            raise UnsafeURL("the URL must be a string of 1 to 2048 characters")
        for char in url:
            code = ord(char)
            if code <= 32 or code >= 127 or char == "\\":
                raise UnsafeURL("the URL contains a forbidden character")
        return url

    def _authority(self, authority: str) -> tuple[str, int | None]:
        """Split the authority into the host text and the port."""
        if "@" in authority:
            raise UnsafeURL("credentials are not allowed")
        if authority.startswith("["):
            end = authority.find("]")
            if end < 0:
                raise UnsafeURL("unterminated IPv6 literal")
            host, rest = authority[: end + 1], authority[end + 1 :]
        else:
            colon = authority.find(":")
            host, rest = (authority, "") if colon < 0 else (authority[:colon], authority[colon:])
        if not host:
            raise UnsafeURL("a host is required")
        if not rest:
            return host, None
        if not rest.startswith(":") or PORT_TEXT.fullmatch(rest[1:]) is None:
            raise UnsafeURL("invalid port")
        port = int(rest[1:])
        if port not in self.ports:
            raise UnsafeURL(f"port {port} is not allowed")
        return host, port

    def _addresses(self, host: str) -> tuple[str, list[Address]]:
        """Return the normalised host and the addresses the worker may connect to."""
        if host.startswith("["):
            inner = host[1:-1]
            if IPV6_TEXT.fullmatch(inner) is None:
                raise UnsafeURL("invalid IPv6 literal")
            try:
                literal = ipaddress.IPv6Address(inner)
            except ValueError:
                raise UnsafeURL("invalid IPv6 literal") from None
            return f"[{literal.compressed}]", [literal]
        if DOTTED_QUAD.fullmatch(host):
            return host, [ipaddress.IPv4Address(host)]
        name = host.lower()
        if name.endswith("."):
            name = name[:-1]
        self._check_name(name)
        return name, self._lookup(name)

    @staticmethod
    def _check_name(name: str) -> None:
        labels = name.split(".")
        if labels[-1].isdigit() or labels[-1].startswith("0x"):
            raise UnsafeURL("numeric host forms are not allowed")
        if len(name) > 253 or len(labels) < 2:
            raise UnsafeURL("invalid host name")
        if not all(LABEL.fullmatch(label) for label in labels):
            raise UnsafeURL("invalid host name")
        for blocked in BLOCKED_NAMES:
            if name == blocked or name.endswith("." + blocked):
                raise UnsafeURL("internal names are not allowed")

    def _lookup(self, name: str) -> list[Address]:
        """Resolve ``name`` exactly once; every answer must be an address."""
        try:
            answer = self._resolve(name)
        except Exception as error:
            raise UnsafeURL(f"{name} does not resolve") from error
        if not isinstance(answer, (list, tuple)) or not answer:
            raise UnsafeURL(f"{name} has no address")
        addresses: list[Address] = []
        for item in answer:
            if not isinstance(item, str) or "%" in item:
                raise UnsafeURL("the resolver answer is not an address")
            try:
                addresses.append(ipaddress.ip_address(item))
            except ValueError:
                raise UnsafeURL("the resolver answer is not an address") from None
        return addresses

    @classmethod
    def _public(cls, address: Address) -> bool:
        if address.is_multicast or not address.is_global:
            return False
        if isinstance(address, ipaddress.IPv4Address):
            return True
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in ipaddress.IPv6Network("64:ff9b::/96"):
            embedded = ipaddress.IPv4Address(address.packed[-4:])
        return embedded is None or cls._public(embedded)


def check_outbound_url(url: str, resolve: Callable[[str], Sequence[str]]) -> tuple[str, str]:
    """Return ``(normalised_url, ip_to_connect_to)`` or raise UnsafeURL."""
    return OutboundPolicy(resolve).check(url)
