"""Hidden probes for webhook-signature-verify: they observe, the host compares."""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

from probekit import probe


def builtin_name(exc: BaseException) -> str:
    """The name of the nearest built-in class of an exception."""
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return "Exception"


SECRET = b"whsec_5f0c1d2e3a4b"
OTHER = b"whsec_attacker_guess"
NOW = 1_700_000_000
BODY = b'{"event": "payment.succeeded", "amount": 1999, "currency": "EUR"}'


def mac(secret: bytes, stamp: str, body: bytes) -> str:
    """The expected hex signature (computed by the probe, never compared here)."""
    return hmac.new(secret, stamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def outcome(solution: Any, header: str, body: bytes = BODY, **kwargs: Any) -> Any:
    """What verify_webhook does with one request."""
    kwargs.setdefault("now", NOW)
    try:
        return ["accepted", solution.verify_webhook(SECRET, header, body, **kwargs)]
    except solution.SignatureError:
        return "rejected"
    except Exception as exc:  # noqa: BLE001 - any other exception is an observation
        return "crashed:" + builtin_name(exc)


@probe("genuine-requests-accepted", weight=3)
def _(solution: Any) -> Any:
    good = f"t={NOW},v1={mac(SECRET, str(NOW), BODY)}"
    empty = f"t={NOW},v1={mac(SECRET, str(NOW), b'')}"
    binary = bytes(range(256))
    raw = f"t={NOW - 5},v1={mac(SECRET, str(NOW - 5), binary)}"
    return [outcome(solution, good), outcome(solution, empty, b""), outcome(solution, raw, binary)]


@probe("sign-and-verify-round-trip", weight=1)
def _(solution: Any) -> Any:
    header = solution.sign(SECRET, NOW, BODY)
    return [header, outcome(solution, header)]


@probe("signature-error-is-a-value-error", weight=1)
def _(solution: Any) -> Any:
    return issubclass(solution.SignatureError, ValueError)


@probe("spaces-around-pairs-allowed", weight=1)
def _(solution: Any) -> Any:
    return outcome(solution, f" t={NOW} , v1={mac(SECRET, str(NOW), BODY)} ")


@probe("tampered-body-rejected", weight=3)
def _(solution: Any) -> Any:
    header = f"t={NOW},v1={mac(SECRET, str(NOW), BODY)}"
    return [
        outcome(solution, header, BODY.replace(b"1999", b"9999")),
        outcome(solution, header, BODY + b" "),
        outcome(solution, header, b""),
    ]


@probe("tampered-timestamp-rejected", weight=3)
def _(solution: Any) -> Any:
    sig = mac(SECRET, str(NOW - 3600), BODY)
    return [outcome(solution, f"t={NOW},v1={sig}"), outcome(solution, f"t={NOW - 3600},v1={sig}")]


@probe("wrong-secret-rejected", weight=2)
def _(solution: Any) -> Any:
    return outcome(solution, f"t={NOW},v1={mac(OTHER, str(NOW), BODY)}")


@probe("empty-and-truncated-signatures-rejected", weight=4)
def _(solution: Any) -> Any:
    good = mac(SECRET, str(NOW), BODY)
    return [
        outcome(solution, f"t={NOW},v1="),
        outcome(solution, f"t={NOW},v1={good[:1]}"),
        outcome(solution, f"t={NOW},v1={good[:32]}"),
        outcome(solution, f"t={NOW},v1={good[:-1]}"),
        outcome(solution, f"t={NOW},v1={good}00"),
    ]


@probe("other-schemes-never-accepted", weight=3)
def _(solution: Any) -> Any:
    good = mac(SECRET, str(NOW), BODY)
    legacy = hashlib.sha1(SECRET + BODY).hexdigest()
    return [
        outcome(solution, f"t={NOW},v0={good}"),
        outcome(solution, f"t={NOW},v0={legacy}"),
        outcome(solution, f"t={NOW},v0=deadbeef,v1={good}"),
        outcome(solution, f"t={NOW},V1={good}"),
    ]


@probe("any-v1-may-match-during-rotation", weight=3)
def _(solution: Any) -> Any:
    good = mac(SECRET, str(NOW), BODY)
    old = mac(OTHER, str(NOW), BODY)
    return [
        outcome(solution, f"t={NOW},v1={good},v1={old}"),
        outcome(solution, f"t={NOW},v1={old},v1={good}"),
        outcome(solution, f"t={NOW},v1={old},v1={old[::-1]}"),
    ]


@probe("timestamp-window-both-directions", weight=4)
def _(solution: Any) -> Any:
    out = []
    for skew in (-301, -300, 0, 300, 301, 86_400 * 365):
        stamp = str(NOW + skew)
        out.append([skew, outcome(solution, f"t={stamp},v1={mac(SECRET, stamp, BODY)}")])
    return out


@probe("custom-tolerance", weight=1)
def _(solution: Any) -> Any:
    stamp = str(NOW - 30)
    header = f"t={stamp},v1={mac(SECRET, stamp, BODY)}"
    return [outcome(solution, header, tolerance=30), outcome(solution, header, tolerance=29)]


@probe("replay-rejected-with-seen", weight=4)
def _(solution: Any) -> Any:
    seen: set[str] = set()
    header = f"t={NOW},v1={mac(SECRET, str(NOW), BODY)}"
    out = [outcome(solution, header, seen=seen), outcome(solution, header, now=NOW + 1, seen=seen)]
    other = f"t={NOW + 1},v1={mac(SECRET, str(NOW + 1), BODY)}"
    out.append(outcome(solution, other, now=NOW + 2, seen=seen))
    return out + [sorted(seen)]


@probe("rejected-requests-leave-seen-unchanged", weight=3)
def _(solution: Any) -> Any:
    seen: set[str] = {"0" * 64}
    stale = str(NOW - 1000)
    out = [
        outcome(solution, f"t={NOW},v1={mac(OTHER, str(NOW), BODY)}", seen=seen),
        outcome(solution, f"t={stale},v1={mac(SECRET, stale, BODY)}", seen=seen),
        outcome(solution, f"t={NOW},v1={mac(SECRET, str(NOW), BODY)}", BODY + b"!", seen=seen),
    ]
    return out + [sorted(seen)]


@probe("no-replay-check-without-seen", weight=1)
def _(solution: Any) -> Any:
    header = f"t={NOW},v1={mac(SECRET, str(NOW), BODY)}"
    return [outcome(solution, header), outcome(solution, header)]


@probe("malformed-headers-rejected-cleanly", weight=4)
def _(solution: Any) -> Any:
    good = mac(SECRET, str(NOW), BODY)
    headers = [
        "",
        "garbage",
        f"v1={good}",
        f"t={NOW}",
        f"t={NOW},v1",
        f"t={NOW},{good}",
        f"t=,v1={good}",
        f"t=abc,v1={good}",
        f"t={NOW},t={NOW},v1={good}",
        f"t={NOW},v1=caf\u00e9{good[5:]}",
        f"t={NOW},v1=\ud800",
        "t=" + "9" * 5000 + f",v1={good}",
    ]
    return [outcome(solution, h) for h in headers]


@probe("timestamp-must-be-plain-ascii-digits", weight=3)
def _(solution: Any) -> Any:
    out = []
    for stamp in (
        f"+{NOW}",
        f" {NOW}",
        "1_700_000_000",
        "\u0661\u0667\u0660\u0660\u0660\u0660\u0660\u0660\u0660\u0660",
        f"{NOW}.0",
        f"-{NOW}",
    ):
        try:
            sig = mac(SECRET, stamp, BODY)
        except UnicodeEncodeError:
            sig = mac(SECRET, str(NOW), BODY)
        out.append(outcome(solution, f"t={stamp},v1={sig}"))
    return out


@probe("conflicting-timestamps-rejected", weight=2)
def _(solution: Any) -> Any:
    old = str(NOW - 7200)
    sig = mac(SECRET, str(NOW), BODY)
    return [
        outcome(solution, f"t={old},t={NOW},v1={sig}"),
        outcome(solution, f"t={NOW},t={old},v1={sig}"),
        outcome(solution, f"t={NOW},t={NOW},v1={sig}"),
    ]


@probe("empty-secret-is-a-configuration-error", weight=2)
def _(solution: Any) -> Any:
    header = f"t={NOW},v1={mac(b'', str(NOW), BODY)}"
    try:
        solution.verify_webhook(b"", header, BODY, now=NOW)
    except ValueError:
        return "ValueError"
    except Exception as exc:  # noqa: BLE001
        return "crashed:" + builtin_name(exc)
    return "accepted"
