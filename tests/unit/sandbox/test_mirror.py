"""The debootstrap mirror comes from the host's apt sources, never from the project."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.image.mirror import (
    MirrorNotFoundError,
    find_mirror,
    host_codename,
    parse_deb822,
    parse_one_line,
    read_sources,
)

DEB822 = """\
Types: deb
# a comment
URIs: http://mirror.example/debian/
Suites: bookworm bookworm-updates
Components: main

Types: deb-src
URIs: http://src.example/debian
Suites: bookworm

Types: deb
Enabled: no
URIs: http://disabled.example/debian
Suites: bookworm

Types: deb
URIs: http://security.example/debian-security
Suites: bookworm-security
"""


def test_parse_deb822() -> None:
    """Enabled deb stanzas are read; deb-src and disabled ones are not."""
    sources = parse_deb822(DEB822)
    assert [s.uri for s in sources] == [
        "http://mirror.example/debian",
        "http://security.example/debian-security",
    ]
    assert sources[0].suites == ("bookworm", "bookworm-updates")


def test_parse_one_line() -> None:
    """One-line entries, with or without [options]."""
    text = (
        "# comment\n"
        "deb [arch=amd64 signed-by=/k.gpg] http://one.example/debian bookworm main\n"
        "deb-src http://src.example/debian bookworm main\n"
        "deb http://two.example/debian/ trixie main # trailing\n"
        "deb\n"
    )
    sources = parse_one_line(text)
    assert [(s.uri, s.suites) for s in sources] == [
        ("http://one.example/debian", ("bookworm",)),
        ("http://two.example/debian", ("trixie",)),
    ]


def apt_tree(tmp_path: Path) -> Path:
    """An /etc/apt look-alike."""
    apt = tmp_path / "apt"
    (apt / "sources.list.d").mkdir(parents=True)
    (apt / "sources.list").write_text("deb http://list.example/debian trixie main\n")
    (apt / "sources.list.d" / "debian.sources").write_text(DEB822)
    (apt / "sources.list.d" / "extra.list").write_text("deb http://extra.example/x sid main\n")
    (apt / "sources.list.d" / "off.list.disabled").write_text("deb http://off.example/x b main\n")
    return apt


def test_read_sources_in_apt_order(tmp_path: Path) -> None:
    """sources.list first, then sources.list.d/* (.list and .sources only)."""
    uris = [s.uri for s in read_sources(apt_tree(tmp_path))]
    assert uris == [
        "http://list.example/debian",
        "http://mirror.example/debian",
        "http://security.example/debian-security",
        "http://extra.example/x",
    ]


def test_find_mirror_for_a_suite(tmp_path: Path) -> None:
    """The first source carrying the plain suite wins; -updates/-security are skipped."""
    apt = apt_tree(tmp_path)
    assert find_mirror(apt, "bookworm") == ("http://mirror.example/debian", "bookworm")
    assert find_mirror(apt, "trixie") == ("http://list.example/debian", "trixie")
    with pytest.raises(MirrorNotFoundError, match="jessie"):
        find_mirror(apt, "jessie")


def test_find_mirror_without_a_codename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a known codename the first plain suite is used."""
    monkeypatch.setattr("sandbox.image.mirror.host_codename", lambda: None)
    assert find_mirror(apt_tree(tmp_path)) == ("http://list.example/debian", "trixie")


def test_host_codename(tmp_path: Path) -> None:
    """VERSION_CODENAME from os-release."""
    release = tmp_path / "os-release"
    release.write_text('NAME="Debian"\nVERSION_CODENAME="bookworm"\n')
    assert host_codename(release) == "bookworm"
    release.write_text("NAME=x\n")
    assert host_codename(release) is None
    assert host_codename(tmp_path / "missing") is None
