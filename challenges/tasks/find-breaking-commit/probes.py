"""Hidden checks: every probe builds its own repository in a temporary folder with git, knows
which commit breaks its own ``is_good`` and reports whether the candidate's search found it,
how many times it asked, and whether the repository was left as it was."""

import math
import os
import subprocess
import tempfile
from pathlib import Path

from probekit import probe

EPOCH = 1767225600  # 2026-01-01 00:00 UTC: every commit gets the next minute


class Repo:
    """A repository in a fresh temporary folder, committed to with fixed names and dates."""

    def __init__(self):
        """An empty repository on branch ``main`` (HOME is the folder above it)."""
        home = Path(tempfile.mkdtemp(prefix="bisect-probe-"))
        self.path = str(home / "repo")
        self.env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(home),
            "GIT_CONFIG_NOSYSTEM": "1",
            "LC_ALL": "C",
            "GIT_AUTHOR_NAME": "Probe",
            "GIT_AUTHOR_EMAIL": "probe@example.com",
            "GIT_COMMITTER_NAME": "Probe",
            "GIT_COMMITTER_EMAIL": "probe@example.com",
        }
        self.minutes = 0
        subprocess.run(["git", "init", "-q", "-b", "main", self.path], env=self.env, check=True)
        self.git("config", "user.name", "Probe")
        self.git("config", "user.email", "probe@example.com")

    def git(self, *args, check=True):
        """Run git in the repository and return its stripped output."""
        self.minutes += 1
        date = f"{EPOCH + 60 * self.minutes} +0000"
        env = {**self.env, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
        done = subprocess.run(
            ["git", *args], cwd=self.path, env=env, check=check, capture_output=True, text=True
        )
        return done.stdout.strip()

    def commit(self, message, files):
        """Write ``files`` (path -> text), commit everything and return the new hash."""
        for name, text in files.items():
            target = Path(self.path) / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD")

    def state(self):
        """The checked-out branch (None when detached), the HEAD commit and the status."""
        branch = self.git("symbolic-ref", "-q", "HEAD", check=False) or None
        return branch, self.git("rev-parse", "HEAD"), self.git("status", "--porcelain")


def linear(count):
    """A repository on ``main`` whose commit number i (from 0) sets ``app/build.txt`` to i,
    written by one ``git fast-import`` (fast), then checked out; returns it and the hashes."""
    repo = Repo()
    stream = []

    def data(text):
        stream.append(f"data {len(text.encode())}\n{text}\n")

    for number in range(count):
        stamp = f"Probe <probe@example.com> {EPOCH + 60 * number} +0000"
        stream.append(f"commit refs/heads/main\nmark :{number + 1}\n")
        stream.append(f"author {stamp}\ncommitter {stamp}\n")
        data(f"build {number}")
        if number:
            stream.append(f"from :{number}\n")
        files = {"app/build.txt": f"{number}\n"}
        if number == 0:
            files["README.md"] = "# app\n"
        if number % 3 == 1:
            files[f"app/module_{number}.py"] = f"VALUE = {number}\n"
        for name, text in files.items():
            stream.append(f"M 100644 inline {name}\n")
            data(text)
    subprocess.run(
        ["git", "fast-import", "--quiet"],
        cwd=repo.path,
        env=repo.env,
        input="".join(stream),
        text=True,
        check=True,
    )
    repo.git("reset", "-q", "--hard", "main")
    return repo, repo.git("rev-list", "--reverse", "main").split()


class BrokenFrom:
    """An ``is_good`` that counts its calls: a tree is bad once the number in ``app/build.txt``
    reaches ``first``."""

    def __init__(self, first):
        """No call yet."""
        self.first = first
        self.calls = 0

    def __call__(self, path):
        """Whether the tree checked out in ``path`` is good."""
        self.calls += 1
        return int((Path(path) / "app" / "build.txt").read_text(encoding="utf-8")) < self.first


class MarkerBreaks:
    """An ``is_good`` that counts its calls: a tree is bad when ``app/feature.txt`` says
    ``broken``."""

    def __init__(self):
        """No call yet."""
        self.calls = 0

    def __call__(self, path):
        """Whether the tree checked out in ``path`` is good."""
        self.calls += 1
        marker = Path(path) / "app" / "feature.txt"
        return marker.read_text(encoding="utf-8").strip() != "broken"


class Stop(Exception):
    """What the failing ``is_good`` raises."""


class FailsOnSecondCall:
    """An ``is_good`` whose second call raises :class:`Stop`."""

    def __init__(self):
        """No call yet."""
        self.calls = 0
        self.raised = None

    def __call__(self, path):
        """Good the first time, raises the second time."""
        self.calls += 1
        (Path(path) / "app" / "build.txt").read_text(encoding="utf-8")
        if self.calls >= 2:
            self.raised = Stop("the check itself failed")
            raise self.raised
        return True


def bound(count):
    """The most ``is_good`` calls the statement allows for ``count`` candidate commits."""
    return math.ceil(math.log2(count)) + 1


def found(action, expected):
    """Whether ``action()`` returned the hash ``expected``, or the name of what it raised."""
    try:
        result = action()
    except Exception as exc:  # noqa: BLE001 - the exception is the observation
        return f"raised {type(exc).__name__}"
    return type(result) is str and result == expected


def raised(action):
    """The name of the exception ``action()`` raised, or ``returned``."""
    try:
        action()
    except Exception as exc:  # noqa: BLE001 - the exception is the observation
        return type(exc).__name__
    return "returned"


def unchanged(before, after):
    """Which parts of the repository's state (see :meth:`Repo.state`) stayed the same."""
    return {
        "branch": before[0] == after[0],
        "commit": before[1] == after[1],
        "status": before[2] == after[2] == "",
    }


@probe("finds-first-bad-commit", weight=3)
def _(bisector):
    repo, hashes = linear(34)
    cases = [(0, 33, 17), (0, 33, 1), (0, 33, 33), (5, 20, 6), (5, 20, 19), (10, 11, 11),
             (3, 10, 7), (12, 14, 13)]  # fmt: skip
    results = []
    for good, bad, first in cases:
        check = BrokenFrom(first)
        results.append(
            found(
                lambda: bisector.first_bad_commit(repo.path, hashes[good], hashes[bad], check),
                hashes[first],
            )
        )
    return results


@probe("calls-within-bound", weight=2)
def _(bisector):
    repo, hashes = linear(34)
    cases = [(20, 21, 21), (20, 22, 22), (4, 7, 5), (4, 9, 9), (0, 8, 1), (0, 16, 9),
             (0, 16, 16), (0, 17, 17), (0, 33, 1), (0, 33, 33)]  # fmt: skip
    results = []
    for good, bad, first in cases:
        check = BrokenFrom(first)
        try:
            bisector.first_bad_commit(repo.path, hashes[good], hashes[bad], check)
        except Exception as exc:  # noqa: BLE001 - the exception is the observation
            results.append(f"raised {type(exc).__name__}")
            continue
        results.append(check.calls <= bound(bad - good))
    return results


@probe("revisions-in-any-form")
def _(bisector):
    repo, hashes = linear(12)
    repo.git("tag", "v1.0", hashes[2])
    repo.git("tag", "-a", "v2.0", "-m", "release 2.0", hashes[9])
    cases = [("v1.0", "v2.0", 6), ("v1.0", "v2.0", 9), ("HEAD~9", "HEAD", 4),
             ("HEAD~10", "HEAD~3", 5), (hashes[2][:10], "main", 11), ("v2.0~6", "v2.0", 5)]  # fmt: skip
    results = []
    for good, bad, first in cases:
        check = BrokenFrom(first)
        results.append(
            found(lambda: bisector.first_bad_commit(repo.path, good, bad, check), hashes[first])
        )
    return results


@probe("first-parent-history", weight=2)
def _(bisector):
    repo = Repo()
    main = [repo.commit("start", {"app/build.txt": "0\n", "app/feature.txt": "off\n"})]
    main.append(repo.commit("core 1", {"app/build.txt": "1\n"}))
    repo.git("checkout", "-q", "-b", "feature")
    repo.commit("feature draft", {"app/feature.txt": "draft\n"})
    repo.git("checkout", "-q", "main")
    main.append(repo.commit("core 2", {"app/build.txt": "2\n"}))
    repo.git("checkout", "-q", "feature")
    repo.commit("feature broken", {"app/feature.txt": "broken\n"})
    repo.git("checkout", "-q", "main")
    main.append(repo.commit("core 3", {"app/build.txt": "3\n"}))
    repo.git("checkout", "-q", "feature")
    repo.commit("feature notes", {"app/notes.txt": "notes\n"})
    repo.git("checkout", "-q", "main")
    repo.git("merge", "-q", "--no-ff", "-m", "merge feature", "feature")
    main.append(repo.git("rev-parse", "HEAD"))
    main.append(repo.commit("core 4", {"app/build.txt": "4\n"}))
    main.append(repo.commit("core 5", {"app/build.txt": "5\n"}))
    merge = main[4]
    cases = [(0, 6, MarkerBreaks(), merge), (2, 6, MarkerBreaks(), merge),
             (0, 4, MarkerBreaks(), merge), (1, 6, BrokenFrom(4), main[5])]  # fmt: skip
    results = []
    for good, bad, check, expected in cases:
        results.append(
            found(
                lambda: bisector.first_bad_commit(repo.path, main[good], main[bad], check), expected
            )
        )
    return results


@probe("repository-left-as-it-was", weight=2)
def _(bisector):
    repo, hashes = linear(13)
    repo.git("branch", "release", hashes[7])
    results = []
    for setup, good, bad, first in [
        (None, 1, 9, 5),
        (("checkout", "-q", "release"), 0, 12, 10),
        (("checkout", "-q", "--detach", hashes[4]), 2, 11, 3),
    ]:
        if setup:
            repo.git(*setup)
        before = repo.state()
        outcome = raised(
            lambda: bisector.first_bad_commit(
                repo.path, hashes[good], hashes[bad], BrokenFrom(first)
            )
        )
        results.append({"outcome": outcome, **unchanged(before, repo.state())})
    return results


@probe("is-good-error-propagates")
def _(bisector):
    repo, hashes = linear(17)
    before = repo.state()
    check = FailsOnSecondCall()
    try:
        bisector.first_bad_commit(repo.path, hashes[0], hashes[16], check)
    except Exception as exc:  # noqa: BLE001 - the exception is the observation
        same = exc is check.raised
    else:
        same = "returned"
    return {"same_exception": same, **unchanged(before, repo.state())}


@probe("unknown-revision-value-error")
def _(bisector):
    repo, hashes = linear(6)
    repo.git("tag", "v1", hashes[1])
    before = repo.state()
    results = []
    for good, bad in [("no-such-tag", "main"), ("v1", "no-such-branch"), ("v1", "deadbeef" * 5),
                      ("v1", "main~10")]:  # fmt: skip
        check = BrokenFrom(3)
        error = raised(lambda: bisector.first_bad_commit(repo.path, good, bad, check))
        results.append([error, check.calls])
    results.append(unchanged(before, repo.state()))
    return results


@probe("invalid-range-value-error")
def _(bisector):
    repo, hashes = linear(8)
    repo.git("tag", "v1", hashes[1])
    repo.git("checkout", "-q", "-b", "side", hashes[3])
    repo.commit("side work", {"app/side.txt": "side\n"})
    repo.git("checkout", "-q", "main")
    before = repo.state()
    results = []
    for good, bad in [("v1", hashes[1]), ("main", "HEAD"), (hashes[5], hashes[5][:9]),
                      (hashes[6], hashes[2]), ("side", "main"), ("main", "side")]:  # fmt: skip
        check = BrokenFrom(3)
        error = raised(lambda: bisector.first_bad_commit(repo.path, good, bad, check))
        results.append([error, check.calls])
    results.append(unchanged(before, repo.state()))
    return results
