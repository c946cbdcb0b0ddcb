"""Hidden checks: each probe builds its own repository in a temporary folder with git
(fixed names, e-mails and dates, no global or system configuration), calls
``backports.missing`` on it and reports the returned commits by the probe's own labels."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from probekit import probe

GIT = "/usr/bin/git"
START = 1767261600  # 2026-01-01 10:00 UTC; every commit is one minute after the previous

CALC = [
    '"""Money helpers."""',
    "",
    "",
    "def round_money(value):",
    "    return int(value * 100) / 100",
    "",
    "",
    "def clamp(value, low, high):",
    "    return max(low, value)",
    "",
    "",
    "def parse_amount(text):",
    "    return float(text)",
    "",
    "",
    "def total(items):",
    "    amounts = [item.price for item in items]",
    "    return sum(amounts)",
    "",
    "",
    "def describe(value):",
    '    return f"{value} EUR"',
]

FIXES = {
    "round_money": ("    return int(value * 100) / 100", "    return round(value, 2)"),
    "clamp": ("    return max(low, value)", "    return max(low, min(high, value))"),
    "parse_amount": ("    return float(text)", '    return float(text.replace(",", "."))'),
    "describe": ('    return f"{value} EUR"', '    return f"{value:.2f} EUR"'),
}


class Repo:
    """A repository under construction; ``labels`` maps every commit's hash to its label."""

    def __init__(self) -> None:
        home = Path(tempfile.mkdtemp(prefix="backports-probe-"))
        self.home = home
        self.path = home / "shop"
        self.path.mkdir()
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
            "GIT_AUTHOR_NAME": "Dev One",
            "GIT_AUTHOR_EMAIL": "dev.one@example.com",
            "GIT_COMMITTER_NAME": "Dev One",
            "GIT_COMMITTER_EMAIL": "dev.one@example.com",
        }
        self.tick = 0
        self.labels: dict[str, str] = {}
        self.git("init", "-q", "-b", "main")

    def __enter__(self) -> "Repo":
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.home, ignore_errors=True)

    def git(self, *args: str) -> str:
        """Run git in the repository with the probe's environment; its stdout."""
        self.tick += 1
        stamp = f"{START + 60 * self.tick} +0000"
        env = {**self.env, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
        done = subprocess.run(
            [GIT, *args], cwd=self.path, env=env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def write(self, name: str, lines: list[str]) -> None:
        """Replace the file ``name`` in the working tree with ``lines``."""
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def read(self, name: str) -> list[str]:
        """The lines of the file ``name`` in the working tree."""
        return (self.path / name).read_text(encoding="utf-8").splitlines()

    def replace(self, name: str, old: str, new: str) -> None:
        """Replace the one line ``old`` of the file ``name`` with ``new``."""
        lines = self.read(name)
        lines[lines.index(old)] = new
        self.write(name, lines)

    def head(self, label: str) -> str:
        """Label the commit HEAD points at; its hash."""
        sha = self.git("rev-parse", "HEAD").strip()
        self.labels[sha] = label
        return sha

    def commit(self, label: str, message: str, *options: str) -> str:
        """Commit every change in the working tree."""
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message, *options)
        return self.head(label)

    def fix(self, label: str, function: str, message: str) -> str:
        """Commit the fix of ``function`` in calc.py."""
        old, new = FIXES[function]
        self.replace("calc.py", old, new)
        return self.commit(label, message)

    def pick(self, label: str, sha: str, *options: str) -> str:
        """Cherry-pick ``sha`` onto the current branch."""
        self.git("cherry-pick", *options, sha)
        return self.head(label)

    def switch(self, branch: str, *options: str) -> None:
        """Switch to ``branch`` (``-c`` creates it at HEAD)."""
        self.git("switch", "-q", *options, branch)

    def seed(self) -> None:
        """The history both branches share: two commits on main."""
        self.write("README.md", ["# shop", "", "Money helpers for the shop."])
        self.write("calc.py", CALC)
        self.commit("initial", "Initial import")
        self.write("docs/usage.md", ["# Usage", "", "Call round_money on every price."])
        self.replace("calc.py", "def describe(value):", "def describe(value):  # for receipts")
        self.commit("setup", "Document usage")

    def named(self, result: object) -> object:
        """The returned commits by label ("unknown" for anything that is not one of them)."""
        if type(result) is not list:
            return f"not a list: {type(result).__name__}"
        return [
            self.labels.get(sha, "unknown") if type(sha) is str else "unknown" for sha in result
        ]


def call(backports, repo: Repo, release: str, main: str = "main") -> object:
    """``backports.missing`` on ``repo`` by label."""
    return repo.named(backports.missing(str(repo.path), release, main))


@probe("backports-found-by-patch", weight=3)
def _(backports):
    """Cherry-picks with -x, without it and with a reworded message are all backports."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        repo.write("VERSION", ["2.1.0"])
        repo.commit("version-2.1", "Start the 2.1 series")
        repo.switch("main")
        rounding = repo.fix("fix-rounding", "round_money", "Round money half to even")
        repo.write("export.py", ["import csv", "", "", "def export(rows, out):", "    pass"])
        repo.commit("feature-export", "Add a CSV export")
        repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.replace("docs/usage.md", "# Usage", "# Using the helpers")
        docs = repo.commit("docs-title", "Rename the usage page")
        parse = repo.fix("fix-parse", "parse_amount", "Accept a decimal comma")
        repo.switch("release/2.1")
        repo.pick("pick-rounding", rounding, "-x")
        repo.git("cherry-pick", "-n", parse)
        repo.commit("pick-parse", "Backport: decimal comma in amounts (2.1)")
        repo.pick("pick-docs", docs)
        repo.switch("main")
        return call(backports, repo, "release/2.1")


@probe("hunk-at-other-lines")
def _(backports):
    """A backport whose hunk sits at other line numbers on release is still a backport."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        header = [
            "# Copyright the shop authors.",
            "# Licensed under the MIT licence.",
            "#",
            "#",
            "",
        ]
        repo.write("calc.py", header + repo.read("calc.py"))
        repo.commit("licence-header", "Add the licence header")
        repo.switch("main")
        clamp = repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.fix("fix-describe", "describe", "Two decimals on receipts")
        repo.switch("release/2.1")
        repo.pick("pick-clamp", clamp, "-x")
        return call(backports, repo, "release/2.1")


@probe("resolved-conflict-is-missing")
def _(backports):
    """A backport whose conflict was resolved by hand has another patch: still missing."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        repo.switch("main")
        rounding = repo.fix("fix-rounding", "round_money", "Round money half to even")
        repo.replace(
            "calc.py",
            "    amounts = [item.price for item in items]",
            "    amounts = [item.price * item.quantity for item in items]",
        )
        repo.commit("feature-quantity", "Count quantities in totals")
        repo.replace("calc.py", "    return sum(amounts)", "    return round(sum(amounts), 2)")
        total = repo.commit("fix-total", "Round the total")
        repo.switch("release/2.1")
        repo.pick("pick-rounding", rounding, "-x")
        # Picking fix-total conflicts with the missing feature-quantity; resolved by hand
        # as a different change to the same lines.
        repo.replace(
            "calc.py",
            "    amounts = [item.price for item in items]",
            "    amounts = [round(item.price, 2) for item in items]",
        )
        repo.commit("pick-total", f"Round the total\n\n(cherry picked from commit {total})")
        repo.switch("main")
        return call(backports, repo, "release/2.1")


@probe("merge-commits-skipped")
def _(backports):
    """A merge on main is never listed; the merged branch's own commits are."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        repo.switch("main")
        repo.fix("fix-rounding", "round_money", "Round money half to even")
        repo.switch("topic/parsing", "-c")
        parse = repo.fix("topic-fix-parse", "parse_amount", "Accept a decimal comma")
        repo.write("export.py", ["import csv", "", "", "def export(rows, out):", "    pass"])
        repo.commit("topic-export", "Add a CSV export")
        repo.switch("main")
        repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'topic/parsing'", "topic/parsing")
        repo.head("merge-topic")
        repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.switch("release/2.1")
        repo.pick("pick-parse", parse, "-x")
        return call(backports, repo, "release/2.1")


@probe("empty-commits-skipped")
def _(backports):
    """A commit that changes nothing is never listed."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        repo.switch("main")
        clamp = repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.commit("ci-trigger", "Trigger CI", "--allow-empty")
        repo.fix("fix-describe", "describe", "Two decimals on receipts")
        repo.switch("release/2.1")
        repo.pick("pick-clamp", clamp, "-x")
        repo.switch("main")
        return call(backports, repo, "release/2.1")


@probe("all-or-nothing-backported")
def _(backports):
    """Every commit backported gives []; a release branch without commits gives all."""
    with Repo() as repo:
        repo.seed()
        repo.git("branch", "release/2.0")
        repo.switch("release/2.1", "-c")
        repo.switch("main")
        rounding = repo.fix("fix-rounding", "round_money", "Round money half to even")
        clamp = repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.switch("release/2.1")
        repo.pick("pick-clamp", clamp, "-x")
        repo.pick("pick-rounding", rounding, "-x")
        return [call(backports, repo, "release/2.1"), call(backports, repo, "release/2.0")]


@probe("unknown-branch-valueerror")
def _(backports):
    """An unknown release or main branch raises ValueError."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.switch("main")
        seen = []
        for release, main in (("release/9.9", "main"), ("release/2.1", "trunk")):
            try:
                backports.missing(str(repo.path), release, main)
            except ValueError:
                seen.append("ValueError")
            except Exception as exc:  # noqa: BLE001 - the wrong exception is the observation
                seen.append(f"other: {type(exc).__name__}")
            else:
                seen.append("returned")
        return seen


@probe("repository-untouched")
def _(backports):
    """No ref, HEAD, index or working tree change, uncommitted work included."""
    with Repo() as repo:
        repo.seed()
        repo.switch("release/2.1", "-c")
        repo.write("VERSION", ["2.1.0"])
        repo.commit("version-2.1", "Start the 2.1 series")
        repo.switch("main")
        repo.fix("fix-clamp", "clamp", "Clamp to the upper bound too")
        repo.fix("fix-describe", "describe", "Two decimals on receipts")
        repo.switch("work/notes", "-c")
        repo.write("notes.txt", ["remember the release notes"])
        repo.replace("README.md", "# shop", "# shop (draft)")

        def state() -> dict[str, str]:
            return {
                "refs": repo.git("for-each-ref"),
                "head": repo.git("symbolic-ref", "HEAD"),
                "status": repo.git("status", "--porcelain"),
            }

        before = state()
        backports.missing(str(repo.path), "release/2.1", "main")
        after = state()
        return {key: before[key] == after[key] for key in before}
