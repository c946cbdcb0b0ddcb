"""Accessibility checks in a real browser with axe-core (vendored in tests/e2e/vendor/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on ``page`` (WCAG 2.1 A/AA rules) and return its violations.

    The script is evaluated through the debugging protocol, so the app's CSP (which rightly
    refuses inline scripts) stays on for the page under test."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, "
        "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    """One line per offending node: rule id, impact, CSS target, and the rule's help."""
    lines = []
    for violation in violations:
        for node in violation["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            lines.append(f"{violation['id']} [{violation['impact']}] {target}: {violation['help']}")
    return "\n".join(lines)


def assert_accessible(page: Any, what: str) -> None:
    """Fail listing every WCAG 2.1 A/AA violation axe-core finds on ``page``."""
    violations = axe_violations(page)
    assert not violations, f"axe-core found violations on {what}:\n{describe(violations)}"
