"""Which addresses a webhook may be sent to: every special IPv4 and IPv6 range is refused,
IPv6 forms that embed an IPv4 address are judged by it, and the allow-list is explicit."""

from __future__ import annotations

import ipaddress

import pytest

from assess.errors import ConfigurationError
from assess.webhooks.destinations import (
    AllowList,
    DestinationRefusedError,
    IPAddress,
    check,
    special_reason,
)

REFUSED = [
    ("0.0.0.0", "unspecified"),
    ("0.1.2.3", "unspecified"),
    ("10.0.0.5", "private"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("100.127.255.254", "carrier-grade NAT"),
    ("127.0.0.1", "loopback"),
    ("127.255.255.254", "loopback"),
    ("169.254.169.254", "link-local"),
    ("172.16.0.1", "private"),
    ("172.31.255.255", "private"),
    ("192.0.0.8", "reserved"),
    ("192.0.2.10", "documentation"),
    ("192.88.99.1", "6to4 relay"),
    ("192.168.1.1", "private"),
    ("198.18.0.1", "benchmarking"),
    ("198.51.100.7", "documentation"),
    ("203.0.113.9", "documentation"),
    ("224.0.0.251", "multicast"),
    ("239.255.255.250", "multicast"),
    ("240.0.0.1", "reserved"),
    ("255.255.255.255", "broadcast"),
    ("::", "unspecified"),
    ("::1", "loopback"),
    ("::127.0.0.1", "IPv4-compatible"),
    ("::8.8.8.8", "IPv4-compatible"),
    ("::ffff:127.0.0.1", "loopback"),
    ("::ffff:10.1.1.1", "private"),
    ("::ffff:169.254.169.254", "link-local"),
    ("::ffff:0.0.0.0", "unspecified"),
    ("64:ff9b::7f00:1", "loopback"),
    ("64:ff9b::a9fe:a9fe", "link-local"),
    ("64:ff9b:1::8.8.8.8", "NAT64"),
    ("2002:7f00:1::1", "loopback"),
    ("2002:c0a8:101::", "private"),
    ("2002:808:808::1", "6to4"),
    ("2001::1", "Teredo"),
    ("2001:db8::1", "documentation"),
    ("3fff::1", "documentation"),
    ("100::1", "discard"),
    ("fc00::1", "unique local"),
    ("fd12:3456::1", "unique local"),
    ("fe80::1", "link-local"),
    ("fec0::1", "site-local"),
    ("ff02::1", "multicast"),
    ("4000::1", "not global unicast"),
]
PUBLIC = ["8.8.8.8", "93.184.216.34", "1.1.1.1", "2606:4700::1111", "::ffff:8.8.8.8"]


@pytest.mark.parametrize(("address", "reason"), REFUSED)
def test_special_addresses_are_refused_with_a_reason(address: str, reason: str) -> None:
    """Each special range is named in the refusal."""
    found = special_reason(ipaddress.ip_address(address))
    assert found is not None
    assert reason.lower() in found.lower()


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    """Ordinary public unicast addresses (IPv4, IPv6, IPv4-mapped public) are accepted."""
    assert special_reason(ipaddress.ip_address(address)) is None


def fixed(*answers: str) -> tuple[list[str], object]:
    """A resolver answering ``answers`` and recording the names it was asked."""
    asked: list[str] = []

    def resolve(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        return [ipaddress.ip_address(a) for a in answers]

    return asked, resolve


def test_every_resolved_address_is_checked() -> None:
    """A name with one public and one private answer is refused (either could be called)."""
    _, resolve = fixed("8.8.8.8", "10.0.0.1")
    with pytest.raises(DestinationRefusedError, match=r"hooks\.test resolves to 10\.0\.0\.1"):
        check("https://hooks.test/x", AllowList(), resolve)  # type: ignore[arg-type]
    _, public = fixed("8.8.8.8", "2606:4700::1111")
    target = check("https://hooks.test:8443/x?y=1", AllowList(), public)  # type: ignore[arg-type]
    assert [str(a) for a in target.addresses] == ["8.8.8.8", "2606:4700::1111"]
    assert (target.host, target.port, target.target) == ("hooks.test", 8443, "/x?y=1")


def test_a_name_that_does_not_resolve_is_refused_at_delivery_only() -> None:
    """Strict (delivery): refused; lenient (saving): accepted with no address to call."""

    def fail(host: str, port: int) -> list[IPAddress]:
        raise OSError("no such name")

    with pytest.raises(DestinationRefusedError, match="does not resolve"):
        check("https://nowhere.test/", AllowList(), fail)
    assert check("https://nowhere.test/", AllowList(), fail, strict=False).addresses == ()


def test_the_allow_list_names_networks_and_hosts() -> None:
    """Listed networks and hosts pass; nothing else does; IPv6 zones are ignored."""
    allow = AllowList.parse(" 127.0.0.0/8,fd00::/8  receiver.internal ")
    _, loopback = fixed("127.0.0.1")
    _, private = fixed("10.0.0.1")
    assert check("http://a.test/", allow, loopback).addresses  # type: ignore[arg-type]
    assert check("http://Receiver.Internal/", allow, private).addresses  # type: ignore[arg-type]
    with pytest.raises(DestinationRefusedError):
        check("http://a.test/", allow, private)  # type: ignore[arg-type]
    assert allow.allows(ipaddress.ip_address("fd00::5"))
    assert AllowList.parse("") == AllowList() == AllowList.parse(None)


@pytest.mark.parametrize("text", ["127.0.0.0/33", "not a host!", "300.1.1.1", "*"])
def test_a_malformed_allow_list_names_the_entry(text: str) -> None:
    """A bad entry is a configuration error naming the setting and the entry."""
    with pytest.raises(ConfigurationError, match="ASSESS_WEBHOOK_ALLOW_PRIVATE"):
        AllowList.parse(text)


def test_a_boolean_allow_list_is_refused() -> None:
    """The old yes/no switch is refused: networks must be named."""
    with pytest.raises(ConfigurationError, match="lists networks"):
        AllowList.parse(True)
