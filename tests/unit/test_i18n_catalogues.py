"""Every piece of UI text is marked for translation and translated into Russian."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "assess"
RU_CATALOGUE = PACKAGE / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
TEMPLATES = sorted(PACKAGE.glob("**/templates/**/*.html"))
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TAG = re.compile(r"<[^>]*>", re.S)
ENTITY = re.compile(r"&[a-zA-Z]+;|&#\d+;")
TEXT_ATTRIBUTE = re.compile(r'\b(?:aria-label|title|placeholder|alt)="([^"]*)"')
LETTER = re.compile(r"[^\W\d_]")


def extract_message_ids(tmp_path: Path) -> set[str]:
    """The message ids in the sources now, extracted as the Makefile does."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_russian_catalogue_is_complete_and_current(tmp_path: Path) -> None:
    """No message in the sources is missing, empty or fuzzy in the Russian catalogue."""
    with RU_CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="ru")
    translated = {}
    for message in catalogue:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        if "fuzzy" not in message.flags and all(strings):
            translated[key] = strings
    missing = sorted(extract_message_ids(tmp_path) - set(translated))
    assert missing == [], "run `make translations` and translate these"


def test_russian_keeps_every_placeholder() -> None:
    """A translation names the same %(placeholders)s as its source, so formatting works."""
    with RU_CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle, locale="ru")
    placeholder = re.compile(r"%\(\w+\)[sd]")
    for message in catalogue:
        if message.id and isinstance(message.id, str) and message.string:
            assert sorted(placeholder.findall(message.id)) == sorted(
                placeholder.findall(str(message.string))
            ), message.id


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_template_has_no_unmarked_text(template: Path) -> None:
    """Outside Jinja expressions there is no human text, in the body or in text attributes."""
    source = template.read_text(encoding="utf-8")
    for value in TEXT_ATTRIBUTE.findall(JINJA.sub("", source)):
        assert not LETTER.search(value), f"{template.name}: unmarked attribute text {value!r}"
    text = ENTITY.sub(" ", TAG.sub(" ", JINJA.sub(" ", source)))
    leftovers = [word for word in text.split() if LETTER.search(word)]
    assert leftovers == [], f"{template.name}: unmarked text {leftovers[:10]}"


def test_the_check_catches_unmarked_text(tmp_path: Path) -> None:
    """The template check itself finds plain text (so it can fail)."""
    bad = "<p>Hello {{ _('World') }}</p>"
    text = ENTITY.sub(" ", TAG.sub(" ", JINJA.sub(" ", bad)))
    assert [w for w in text.split() if LETTER.search(w)] == ["Hello"]
