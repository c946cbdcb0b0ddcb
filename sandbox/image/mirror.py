"""Find the Debian mirror and suite to bootstrap from, in the host's apt sources.

The project never names a package host itself: the offline image build uses
whatever mirror the machine's apt is configured with.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

APT_DIR = Path("/etc/apt")


class MirrorNotFoundError(Exception):
    """No usable ``deb`` source was found in the apt configuration."""


@dataclass(frozen=True)
class AptSource:
    """One ``deb`` source: a base URI and its suites."""

    uri: str
    suites: tuple[str, ...]


def parse_deb822(text: str) -> list[AptSource]:
    """Parse deb822 ``.sources`` stanzas (``Types:``/``URIs:``/``Suites:``)."""
    sources: list[AptSource] = []
    for stanza in text.split("\n\n"):
        fields: dict[str, str] = {}
        for line in stanza.splitlines():
            if not line.strip() or line.lstrip().startswith("#") or line[0].isspace():
                continue
            key, _, value = line.partition(":")
            fields[key.strip().lower()] = value.strip()
        if "deb" not in fields.get("types", "").split():
            continue
        if fields.get("enabled", "yes").lower() == "no":
            continue
        suites = tuple(fields.get("suites", "").split())
        for uri in fields.get("uris", "").split():
            sources.append(AptSource(uri.rstrip("/"), suites))
    return sources


def parse_one_line(text: str) -> list[AptSource]:
    """Parse one-line ``deb [options] URI suite components`` entries."""
    sources: list[AptSource] = []
    for raw in text.splitlines():
        words = raw.split("#", 1)[0].split()
        if not words or words[0] != "deb":
            continue
        words = words[1:]
        if words and words[0].startswith("["):
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2:
            sources.append(AptSource(words[0].rstrip("/"), (words[1],)))
    return sources


def read_sources(apt_dir: Path = APT_DIR) -> list[AptSource]:
    """Every enabled ``deb`` source under ``apt_dir``, in apt's reading order."""
    sources: list[AptSource] = []
    main_list = apt_dir / "sources.list"
    if main_list.is_file():
        sources += parse_one_line(main_list.read_text(encoding="utf-8", errors="replace"))
    parts = apt_dir / "sources.list.d"
    if parts.is_dir():
        for path in sorted(parts.iterdir()):
            text = path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""
            if path.suffix == ".sources":
                sources += parse_deb822(text)
            elif path.suffix == ".list":
                sources += parse_one_line(text)
    return sources


def host_codename(os_release: Path = Path("/etc/os-release")) -> str | None:
    """The host's Debian codename (``VERSION_CODENAME``), if known."""
    if not os_release.is_file():
        return None
    for line in os_release.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("VERSION_CODENAME="):
            return line.split("=", 1)[1].strip().strip('"') or None
    return None


def find_mirror(apt_dir: Path = APT_DIR, suite: str | None = None) -> tuple[str, str]:
    """Return ``(mirror URI, suite)`` for debootstrap from the apt sources.

    Prefers a source that carries the plain release suite (no ``-updates`` or
    ``-security`` suffix), matching ``suite`` or the host's codename when given.
    """
    wanted = suite or host_codename()
    for source in read_sources(apt_dir):
        plain = [s for s in source.suites if "-" not in s and "/" not in s]
        if not plain:
            continue
        if wanted and wanted in plain:
            return source.uri, wanted
        if not wanted:
            return source.uri, plain[0]
    raise MirrorNotFoundError(f"no deb source for suite {wanted or '(any)'} under {apt_dir}")
