"""Text helpers with one definition each, for every report format and any command that prints.

* :func:`one_line` and :func:`shorten` / :func:`excerpt`: quotes on one line, cut at word
  boundaries with an ellipsis, never in the middle of a word.
* :func:`md`, :func:`md_block`, :func:`md_code`: Markdown escaping.
* :func:`string_console` and :func:`console_text`: a Rich console that renders into a string, at
  the width asked for and never the real terminal's.

This module imports nothing from shiftcheck, so any layer may use it.
"""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    from rich.console import Console

ELLIPSIS = "…"
_WS = re.compile(r"\s+")
#: what a cut may leave at the end before the ellipsis
_TRAIL = " ,;:.-–—"


def one_line(text: str) -> str:
    """``text`` with every run of whitespace made one space, stripped."""
    return _WS.sub(" ", text).strip()


def _cut_end(text: str, limit: int) -> str:
    """At most ``limit`` characters of ``text`` (one line), ending at a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > 0 else cut  # one word longer than the limit: cut it


def shorten(text: str, limit: int) -> str:
    """One line, at most ``limit`` characters, cut at a word boundary with an ellipsis."""
    text = one_line(text)
    if len(text) <= limit:
        return text
    cut = _cut_end(text, max(1, limit - 1)).rstrip(_TRAIL)
    return (cut or text[: max(1, limit - 1)]) + ELLIPSIS


def excerpt(text: str, start: int, limit: int, before: int | None = None) -> str:
    """A window of at most about ``limit`` characters of ``text`` around offset ``start``.

    The window begins about ``before`` characters (default a third of ``limit``) ahead of ``start``,
    both ends fall on word boundaries and an ellipsis marks each end that cuts the text. Whitespace
    is made single spaces."""
    if len(one_line(text)) <= limit:
        return one_line(text)
    lead = limit // 3 if before is None else before
    begin = max(0, min(start, len(text)) - lead)
    if begin and not text[begin - 1].isspace():  # do not start inside a word
        nxt = _WS.search(text, begin)
        if nxt is not None and nxt.end() <= start:
            begin = nxt.end()
    piece = one_line(text[begin:])
    out = shorten(piece, limit)
    return (ELLIPSIS if begin and one_line(text[:begin]) else "") + out


# ---------------------------------------------------------------- Markdown

#: characters that change inline rendering anywhere in a line (links and images need ``[``, so
#: ``(``, ``)`` and ``!`` are harmless once brackets are escaped; ``$`` starts math on GitHub)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$])")
#: what makes a line start a heading, list, quote, rule or table
_MD_LINE_START = re.compile(r"^(\s*)([#+=>-]|\d+(?=[.)]))")


def md(text: str) -> str:
    """Escape ``text`` for inline Markdown (one line; significant characters backslashed, so ``|``
    cannot break a table cell)."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def md_block(text: str) -> str:
    """Like :func:`md` for text that starts a line (a paragraph or a blockquote line)."""
    t = md(text)
    m = _MD_LINE_START.match(t)
    if not m:
        return t
    if m.group(2).isdigit():  # "1. text" would become a list: escape the dot or parenthesis
        end = m.end()
        return t[:end] + "\\" + t[end:]
    return t[: m.start(2)] + "\\" + t[m.start(2) :]


def md_code(text: str) -> str:
    """Inline code span (outside tables) that survives backticks in ``text``."""
    t = one_line(text)
    return f"`` {t} ``" if "`" in t else f"`{t}`"


# ---------------------------------------------------------------- Rich


ColorSystem = Literal["standard", "256", "truecolor"]


def string_console(
    width: int | None = None, color: bool = False, color_system: ColorSystem = "256"
) -> Console:
    """A Rich console that writes into a string (read it with :func:`console_text`).

    ``width`` columns (80 when None), never the real terminal's; no markup, highlighting or emoji
    codes are interpreted; with ``color=False`` no escape code at all."""
    from rich.console import Console

    return Console(
        file=io.StringIO(),
        width=width or 80,
        record=False,
        force_terminal=color,
        no_color=not color,
        color_system=color_system if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
        _environ={},
    )


def console_text(console: Console, color: bool = False) -> str:
    """What ``console`` (from :func:`string_console`) has printed; plain text without trailing
    spaces when ``color`` is False."""
    text = console.file.getvalue()  # type: ignore[attr-defined]
    if not color:
        text = "\n".join(line.rstrip() for line in text.splitlines()) + "\n"
    return text
