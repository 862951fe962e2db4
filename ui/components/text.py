"""Untrusted text (file names, messages, names, anything from a scan result or a user) shown literally.

Streamlit renders Markdown in st.markdown, st.caption, st.error/warning/info/success, titles, metric
labels and values, widget labels, help and progress texts. A file name like `![x](http://host/b.png)`
would make the browser load a remote image there, and `[click](http://…)` would become a link. Every
value that is not a constant of ours goes through `literal` (or `code` for a path shown as code) before
it reaches one of those calls; tests/ui/test_untrusted_text.py checks that for the whole UI.

`literal` escapes what can start a Markdown or Streamlit construct (links, images, autolinks, HTML,
code, emphasis, math, directives, emoji, block markers) and leaves ordinary prose punctuation alone, so
a message reads the same in the page source as on the screen. Each escape is a CommonMark backslash
escape: the browser shows the character itself.
"""

from __future__ import annotations

import re

# always escaped: \ escapes; ` code; * _ ~ emphasis; [ ] links, images, footnotes; < > autolinks, HTML,
# quotes; # | headings, tables; $ math; & entities; @ and : e-mail and http:// autolinks, Streamlit's
# :directives[…] and :emoji: / :material/icon: shortcodes
_ALWAYS = re.compile(r"([\\`*~\[\]<>#|$&@:])")
# "www." starts a GFM autolink even without a scheme
_WWW_DOT = re.compile(r"(?i)(?<=www)\.")
# an underscore between two letters or digits never starts emphasis (snake_case stays readable)
_LOOSE_UNDERSCORE = re.compile(r"_(?![^\W_])|(?<![^\W_])_")
# list items, setext underlines and ordered lists start at the beginning of a line
_LINE_MARKER = re.compile(r"^([ \t]*)([-+=])", re.MULTILINE)
_ORDERED_MARKER = re.compile(r"^([ \t]*\d+)([.)])", re.MULTILINE)
_BACKTICKS = re.compile(r"`+")


def literal(value: object) -> str:
    """`value` as Markdown that Streamlit shows exactly as written (no link, image, HTML or styling)."""
    text = _ALWAYS.sub(r"\\\1", str(value))
    text = _WWW_DOT.sub(r"\\.", text)
    text = _LOOSE_UNDERSCORE.sub(r"\\_", text)
    text = _LINE_MARKER.sub(r"\1\\\2", text)
    return _ORDERED_MARKER.sub(r"\1\\\2", text)


def code(value: object) -> str:
    """`value` as an inline code span: shown literally in a monospace font, on one line."""
    text = " ".join(str(value).splitlines())
    if not text:
        return ""
    # a span is closed only by a backtick run of its own length: one longer than any run inside
    fence = "`" * (max((len(run) for run in _BACKTICKS.findall(text)), default=0) + 1)
    # CommonMark strips one space from each end, so padding keeps a leading or trailing backtick apart
    pad = " " if text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"
