"""Highlighted candidate code is escaped, keeps every line, and survives broken code."""

from __future__ import annotations

import html as htmllib
import re

from hypothesis import given
from hypothesis import strategies as st
from jinja2 import Environment

from assess.review.highlight import MAX_HIGHLIGHT_CHARS, highlight_lines

# The only markup highlighting may produce: the app's token spans, closed on their line.
OUR_TAGS = re.compile(r'<span class="tok-(?:kw|bi|str|num|com)">|</span>')


def strip(markup: str) -> str:
    """The text of highlighted HTML: tags removed, entities decoded."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", markup))


def balanced(line: str) -> bool:
    """Every tag in ``line`` is one of ours and every span opened on it is closed on it."""
    depth = 0
    for tag in re.findall(r"<[^>]*>", line):
        if not OUR_TAGS.fullmatch(tag):
            return False
        depth += -1 if tag == "</span>" else 1
        if depth < 0:
            return False
    return depth == 0


def test_keywords_strings_and_comments_get_classes() -> None:
    """Pygments' lexer classifies the text into the stylesheet's classes."""
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


def test_hostile_text_cannot_produce_markup() -> None:
    """Tags, quotes, entities and template syntax in every kind of token arrive escaped:
    the only tags in the output are the highlighter's own spans."""
    hostile = [
        "</pre><script>alert(1)</script>",
        '"><img src=x onerror=alert(1)>',
        "{{ config }}{% raw %}",
        "&lt;b&gt; &amp;",
        "</span></code></pre><style>*{}</style>",
        "<!-- -->",
    ]
    code = "\n".join(
        line
        for h in hostile
        for line in (
            f"# {h}",
            f"x = {h!r}",
            f'y = """{h}\n{h}"""',
            f'z = f"{{a}}{h}"',
            h,
            f"def {h}(:",
        )
    )
    lines = highlight_lines(code)
    html = "".join(lines)
    for h in hostile:
        assert h in strip(html)
        if "<" in h or "&" in h or '"' in h:
            assert h not in html
    page = Environment(autoescape=True).from_string(
        "{% for line in lines %}<span>{{ line }}</span>{% endfor %}"
    )
    assert "{{ config }}{% raw %}" in page.render(lines=lines, config="SECRET")
    assert all(balanced(line) for line in lines)
    assert "style=" not in html
    assert [strip(line) for line in lines] == code.split("\n")


def test_over_the_cap_is_plain_escaped_text() -> None:
    """Over ``MAX_HIGHLIGHT_CHARS`` the code is shown as escaped text, line by line."""
    line = 'x = "<script>"  # </pre>'
    code = "\n".join([line] * (MAX_HIGHLIGHT_CHARS // len(line) + 1)) + "\n"
    assert len(code) > MAX_HIGHLIGHT_CHARS
    lines = highlight_lines(code)
    assert len(lines) == code.count("\n")
    assert all(str(text) == "x = &#34;&lt;script&gt;&#34;  # &lt;/pre&gt;" for text in lines)
    below = highlight_lines(line)
    assert below == [
        'x = <span class="tok-str">&#34;&lt;script&gt;&#34;</span>  '
        '<span class="tok-com"># &lt;/pre&gt;</span>'
    ]


def test_multiline_strings_keep_their_lines() -> None:
    """A triple-quoted string over three lines gives three highlighted lines."""
    lines = highlight_lines('x = """a\nb\nc"""\ny = 1\n')
    assert len(lines) == 4
    assert all('class="tok-str"' in line for line in lines[:3])
    assert lines[1] == '<span class="tok-str">b</span>'
    assert lines[3] == 'y = <span class="tok-num">1</span>'
    assert all(balanced(line) for line in lines)


def test_a_string_over_several_lines_keeps_the_diff_lines() -> None:
    """A docstring with blank lines and markup inside gives one closed span per line."""
    code = 'def f():\n    """<b>\n\n    </pre>\n    """\n    return 1\n'
    lines = highlight_lines(code)
    assert [strip(line) for line in lines] == code.split("\n")[:-1]
    assert lines[1] == '    <span class="tok-str">&#34;&#34;&#34;&lt;b&gt;</span>'
    assert lines[2] == ""
    assert lines[3] == '<span class="tok-str">    &lt;/pre&gt;</span>'
    assert lines[5] == '    <span class="tok-kw">return</span> <span class="tok-num">1</span>'
    assert all(balanced(line) for line in lines)


def test_untokenisable_code_is_shown_whole() -> None:
    """After a tokenizer error the rest is plain (escaped) text, nothing is lost."""
    lines = highlight_lines('def f(:\n  """open\n<b>')
    assert [strip(line) for line in lines] == ["def f(:", '  """open', "<b>"]
    assert "<b>" not in lines[2]
    assert all(balanced(line) for line in lines)


def test_invalid_code_still_renders() -> None:
    """Code that is not Python (or is broken) is shown whole, coloured where it can be."""
    code = "if x ==:\n\tprint($x?)\n`echo` <?php ?>\n  return 'unclosed\n\x00\ufeff}"
    lines = highlight_lines(code)
    assert [strip(line) for line in lines] == code.split("\n")
    assert lines[0].startswith('<span class="tok-kw">if</span>')
    assert '<span class="tok-bi">print</span>' in lines[1]
    assert "&lt;?php ?&gt;" in lines[2]
    assert all(balanced(line) for line in lines)


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
    lines = highlight_lines(code)
    assert [strip(line) for line in lines] == expected
    assert all(balanced(line) for line in lines)
