"""Hidden probes for check_outbound_url: legitimate URLs and SSRF payloads."""

from __future__ import annotations

import socket
from typing import Any

from probekit import probe

DNS: dict[str, list[str]] = {
    "example.com": ["93.184.216.34"],
    "a-b.example.com": ["93.184.216.40"],
    "xn--bcher-kva.example": ["93.184.216.41"],
    "cdn.example.net": ["2606:4700::1111", "93.184.216.35"],
    "internal-app.example.com": ["10.0.0.7"],
    "mixed.example.com": ["93.184.216.34", "192.168.1.20"],
    "metadata.example.org": ["169.254.169.254"],
    "v6loop.example.org": ["::1"],
    "mapped.example.org": ["::ffff:10.0.0.1"],
    "nat64.example.org": ["64:ff9b::a00:1"],
    "sixtofour.example.org": ["2002:c0a8:101::1"],
    "multicast.example.org": ["224.0.0.251"],
    "cgnat.example.org": ["100.64.3.4"],
    "zero.example.org": ["0.0.0.0"],
    "empty.example.org": [],
    "garbage.example.org": ["not-an-ip"],
    "localhost": ["93.184.216.50"],
    "api.localhost": ["93.184.216.51"],
    "printer.local": ["93.184.216.52"],
    "metadata.google.internal": ["93.184.216.53"],
    "nas.lan": ["93.184.216.54"],
    "router.home.arpa": ["93.184.216.55"],
    "intranet": ["93.184.216.56"],
    "news.global": ["93.184.216.57"],
    "cat.atlan": ["93.184.216.58"],
}


class Resolver:
    """A fake system resolver that records every lookup."""

    def __init__(self, rebind: dict[str, list[str]] | None = None) -> None:
        """``rebind`` gives the answers of a host from its second lookup on."""
        self.calls: list[str] = []
        self.rebind = rebind or {}

    def __call__(self, host: str) -> list[str]:
        """Answer like getaddrinfo would, numeric forms included."""
        self.calls.append(host)
        if host in self.rebind and self.calls.count(host) > 1:
            return list(self.rebind[host])
        if host in DNS:
            return list(DNS[host])
        try:
            return [socket.inet_ntoa(socket.inet_aton(host))]
        except (OSError, UnicodeError, ValueError, TypeError):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known") from None


def check(solution: Any, url: Any, resolver: Resolver | None = None) -> Any:
    """Run one check; describe a rejection as data."""
    resolver = resolver or Resolver()
    try:
        return solution.check_outbound_url(url, resolver)
    except ValueError:
        return "rejected"
    except Exception:  # noqa: BLE001 - any other failure is a different behaviour
        return "crashed"


def catalogue(solution: Any, urls: list[Any]) -> Any:
    """Check each URL with a fresh resolver; return [outcome, hosts resolved] per URL."""
    out = []
    for url in urls:
        resolver = Resolver()
        out.append([check(solution, url, resolver), resolver.calls])
    return out


@probe("public-host-normalised", weight=3)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "https://Example.COM/a/b?x=1&y=2#frag",
            "http://example.com",
            "HTTP://example.com:80/x",
            "https://example.com:443",
            "http://example.com:8080/p?q",
            "https://example.com:80/",
            "http://example.com./trail",
            "http://a-b.example.com/",
            "https://xn--bcher-kva.example/",
        ],
    )


@probe("pinned-address-is-first-answer", weight=2)
def _(solution: Any) -> Any:
    return catalogue(solution, ["https://cdn.example.net/lib.js"])


@probe("private-answers-rejected", weight=3)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://internal-app.example.com/",
            "http://metadata.example.org/latest/meta-data/",
            "http://v6loop.example.org/",
            "http://zero.example.org/",
            "http://cgnat.example.org/",
            "http://multicast.example.org/",
        ],
    )


@probe("every-answer-must-be-public", weight=3)
def _(solution: Any) -> Any:
    return catalogue(solution, ["http://mixed.example.com/"])


@probe("embedded-ipv4-in-ipv6-judged", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://mapped.example.org/",
            "http://nat64.example.org/",
            "http://sixtofour.example.org/",
            "http://[::ffff:127.0.0.1]/",
            "http://[64:ff9b::7f00:1]/",
            "http://[2002:7f00:1::1]/",
            "http://[::ffff:a9fe:a9fe]/",
        ],
    )


@probe("public-ip-literals-not-resolved", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        ["http://93.184.216.34/x", "https://[2606:4700:0:0::1111]:8443/", "http://8.8.8.8"],
    )


@probe("private-ip-literals-rejected", weight=3)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://127.0.0.1/",
            "http://10.0.0.1:8080/",
            "http://169.254.169.254/latest/meta-data/",
            "http://192.168.0.1/",
            "http://0.0.0.0/",
            "http://255.255.255.255/",
            "http://[::1]/",
            "http://[fe80::1]/",
            "http://[fc00::1]/",
            "http://[::]/",
        ],
    )


@probe("alternative-ipv4-encodings-rejected", weight=3)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://2130706433/",
            "http://0x7f.1/",
            "http://017700000001/",
            "http://127.1/",
            "http://0177.0.0.1/",
            "http://0x7f000001/",
            "http://1572395042/",
            "http://8.8.8.08/",
            "http://93.184.216.034/",
        ],
    )


@probe("only-http-and-https", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "file:///etc/passwd",
            "gopher://example.com/_SET%20x",
            "ftp://example.com/",
            "dict://example.com:11211/stat",
            "javascript:alert(1)",
            "//example.com/x",
            "example.com/x",
            "httpx://example.com/",
        ],
    )


@probe("credentials-in-authority-rejected", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://user:pass@example.com/",
            "http://example.com@127.0.0.1/",
            "http://@example.com/",
            "http://example.com:80@10.0.0.1/",
        ],
    )


@probe("parser-confusion-rejected", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://127.0.0.1\\@example.com/",
            "http://example.com\\@127.0.0.1/",
            "http://example.com /",
            "http://exa\tmple.com/",
            "http://example.com/\r\nHost: 127.0.0.1",
            "http://ex\u00e4mple.com/",
            " http://example.com/",
            "http://example.com/\x00",
        ],
    )


@probe("ports-restricted", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://example.com:22/",
            "http://example.com:6379/",
            "http://example.com:0/",
            "http://example.com:99999/",
            "http://example.com:abc/",
            "http://example.com:8443/",
        ],
    )


@probe("internal-names-not-resolved", weight=3)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://localhost/",
            "http://LOCALHOST./",
            "http://api.localhost/",
            "http://printer.local/",
            "http://metadata.google.internal/",
            "http://nas.lan/",
            "http://router.home.arpa/",
            "http://intranet/",
            "http://news.global/",
            "http://cat.atlan/",
        ],
    )


@probe("resolver-failures-rejected", weight=2)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://nowhere.example.org/",
            "http://empty.example.org/",
            "http://garbage.example.org/",
        ],
    )


@probe("dns-rebinding-resolved-once", weight=3)
def _(solution: Any) -> Any:
    resolver = Resolver(rebind={"example.com": ["127.0.0.1"]})
    first = check(solution, "http://example.com/hook", resolver)
    return [first, resolver.calls]


@probe("invalid-host-labels-rejected", weight=1)
def _(solution: Any) -> Any:
    return catalogue(
        solution,
        [
            "http://-bad.example.com/",
            "http://bad-.example.com/",
            "http://a_b.example.com/",
            "http://" + "a" * 64 + ".example.com/",
            "http://a..example.com/",
            "http://[not-an-ip]/",
            "http://[93.184.216.34]/",
        ],
    )


@probe("length-and-type-limits", weight=1)
def _(solution: Any) -> Any:
    base = "http://example.com/"
    exact = base + "a" * (2048 - len(base))
    results = catalogue(solution, [exact, exact + "a", "", None, b"http://example.com/"])
    return [[r[0] if r[0] in ("rejected", "crashed") else len(r[0][0]), r[1]] for r in results]
