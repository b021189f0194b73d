"""The seam between the extraction engines and the layout layer.

An engine turns a PDF into :class:`PdfText`: per page, the text lines it found, each with its font
size, a bold flag and its box in PDF units (origin bottom-left, y grows upwards). Nothing in here
knows which engine produced it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

#: bold, black, heavy, semi/demi bold, "Medi" (NimbusRomNo9L-Medi: Times bold), "Bd", TeX's CMBX
_BOLD_NAME = re.compile(
    r"bold|black|heavy|demi|medi\b|medi[-,]|[-,]bd|\bbd\b|cmbx|bx\d", re.IGNORECASE
)

#: bullet glyphs as the engines report them (incl. Symbol/Wingdings private-use code points)
BULLETS = frozenset(
    "•◦▪▫■□●○‣⁃∙·–—-*>\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8\u2043\u25aa\u25cf\u2219"
)


def is_bold_font(name: str | None, weight: int | float | None = None) -> bool:
    """A bold flag from the font name (``ABCDEF+Arial-BoldMT``) and, when known, its weight."""
    if weight is not None and weight >= 600:
        return True
    return bool(name and _BOLD_NAME.search(name))


@dataclass(slots=True)
class TextLine:
    """One line of text on one page (or one segment of a line, split at a wide gap)."""

    text: str
    size: float
    bold: bool
    x0: float
    y0: float
    x1: float
    y1: float
    page: int  # 1-based
    page_width: float
    page_height: float
    vertical: bool = False

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class PageText:
    number: int  # 1-based
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)


@dataclass(slots=True)
class PdfText:
    """What an engine extracted from one file."""

    engine: str
    pages: list[PageText] = field(default_factory=list)
    page_count: int = 0
    title: str | None = None
    warnings: list[str] = field(default_factory=list)
    #: the file is encrypted (and opened with the empty user password)
    encrypted: bool = False

    @property
    def has_text(self) -> bool:
        return any(ln.text.strip() for p in self.pages for ln in p.lines)


def split_segments(chars: list[tuple[str, float, float]], size: float) -> list[tuple[int, int]]:
    """Split a line at gaps wider than 1.5 em (column gutters, table cells).

    ``chars`` holds ``(char, x0, x1)`` for the visible characters of a line in order. A gap after a
    lone bullet or list number (``•``, ``1.``, ``a)``) is kept: that is a list item, not two cells.
    Returns ``(start, end)`` index ranges into ``chars``.
    """
    limit = max(1.5 * size, 6.0)
    out: list[tuple[int, int]] = []
    start = 0
    prev_x1: float | None = None
    for i, (ch, x0, x1) in enumerate(chars):
        if ch.isspace():
            continue
        if prev_x1 is not None and x0 - prev_x1 > limit:
            head = "".join(c for c, _, _ in chars[start:i]).strip()
            if not is_list_marker(head):
                out.append((start, i))
                start = i
        prev_x1 = x1
    out.append((start, len(chars)))
    return out


_MARKER = re.compile(
    r"^(?:\(?\d{1,3}[.)]|\(?[a-zA-Z][.)]|\(?[ivxlcIVXLC]{1,5}[.)]|\d{1,2}(?:\.\d{1,2})+\.?)$"
)


def is_list_marker(head: str) -> bool:
    return (len(head) == 1 and head in BULLETS) or bool(_MARKER.match(head))


_PUA_BULLETS = frozenset("\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf06e\uf0a8\uf09f\uf0a4")


class EngineRefused(Exception):
    """An engine could not open the file at all; ``auto`` tries the other engine."""


def clean_text(s: str) -> str:
    """Drop control characters an engine may report; PDFium marks a line-end hyphen as U+0002 / U+FFFE."""
    if s.isprintable():
        return s
    out = []
    for ch in s:
        if ch in _PUA_BULLETS:
            out.append("•")
        elif ch in ("\x02", "\ufffe"):
            out.append("-")
        elif ch == "\xad":
            out.append(ch)  # soft hyphen: the layout layer joins on it, then drops it
        elif ch == "\t":
            out.append(" ")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        elif ord(ch) >= 0xD800 and ord(ch) < 0xE000:
            out.append(ch)  # surrogate halves are recombined by the caller
    return "".join(out)
