"""Highlighted candidate code is escaped, keeps every line, and survives broken code."""

from __future__ import annotations

import html as htmllib
import re

from hypothesis import given
from hypothesis import strategies as st

from assess.review.highlight import highlight_lines


def strip(markup: str) -> str:
    """The text of highlighted HTML: tags removed, entities decoded."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", markup))


def test_keywords_strings_and_comments_get_classes() -> None:
    """Python's tokenizer classifies the text."""
    lines = highlight_lines('def f(x):\n    return len("a")  # hi\n')
    assert lines[0].startswith('<span class="tok-kw">def</span> f(x):')
    assert '<span class="tok-bi">len</span>' in lines[1]
    assert '<span class="tok-str">&#34;a&#34;</span>' in lines[1]
    assert '<span class="tok-com"># hi</span>' in lines[1]


def test_hostile_text_is_escaped() -> None:
    """HTML and template syntax in code, strings and comments arrive as text."""
    code = '# </pre><script>alert(1)</script>\nx = "<img onerror=alert(1)>"  {{ 7*7 }}\n'
    html = "\n".join(highlight_lines(code))
    assert "<script>" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert "{{ 7*7 }}" in strip(html)


def test_multiline_strings_keep_their_lines() -> None:
    """A triple-quoted string over three lines gives three highlighted lines."""
    lines = highlight_lines('x = """a\nb\nc"""\ny = 1\n')
    assert len(lines) == 4
    assert all('class="tok-str"' in line for line in lines[:3])


def test_untokenisable_code_is_shown_whole() -> None:
    """After a tokenizer error the rest is plain (escaped) text, nothing is lost."""
    lines = highlight_lines('def f(:\n  """open\n<b>')
    assert [strip(line) for line in lines] == ["def f(:", '  """open', "<b>"]
    assert "<b>" not in lines[2]


def test_form_feeds_and_unicode_line_separators_keep_offsets() -> None:
    """Characters that ``str.splitlines`` treats as line ends do not shift the colours."""
    code = 'x = 1\x0c\ny = "a\u2028b"  # c\nz = 2\n'
    assert [strip(line) for line in highlight_lines(code)] == [
        "x = 1\x0c",
        'y = "a\u2028b"  # c',
        "z = 2",
    ]


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_text_round_trips(code: str) -> None:
    """Stripping the markup gives back exactly the source lines."""
    normal = code.replace("\r\n", "\n").replace("\r", "\n")
    expected = normal.split("\n")
    if len(expected) > 1 and expected[-1] == "":
        expected.pop()
    assert [strip(line) for line in highlight_lines(code)] == expected
