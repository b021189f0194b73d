"""Extraction engine 1: PDFium (pypdfium2) through its textpage API.

Per page the whole text is fetched in one call (PDFium inserts CRLF between the lines it detects);
then each line costs a handful of raw calls: the loose boxes of its first and last character, the
font size and font name of three sample characters. Only lines that look much wider than their
text (a column gutter or table gap inside one PDFium line) are measured character by character
and split. This keeps the engine at a few milliseconds per page.
"""

from __future__ import annotations

import ctypes
import re
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from shiftcheck.errors import EncryptedDocument, LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers.pdf.lines import (
    EngineRefused,
    PageText,
    PdfText,
    TextLine,
    clean_text,
    is_bold_font,
    split_segments,
)

ENCRYPTED_HINT = "Remove the password (e.g. qpdf --decrypt, or print to PDF) and try again"
_BREAK = re.compile(r"\r\n|\r|\n")


def extract(path: Path, display: str, limits: Limits) -> PdfText:
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocument(display, "is password-protected", ENCRYPTED_HINT) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EngineRefused("uses an unsupported encryption scheme") from None
        raise EngineRefused(str(e)) from None
    try:
        return _extract(doc, display, limits)
    finally:
        doc.close()


def _extract(doc: pdfium.PdfDocument, display: str, limits: Limits) -> PdfText:
    n = len(doc)
    if limits.max_pages and n > limits.max_pages:
        raise LimitExceeded(display, f"has {n} pages, over the {limits.max_pages}-page limit", "Split the file, or raise the limit with --max-pages")
    out = PdfText(engine="pdfium", page_count=n)
    try:
        title = doc.get_metadata_value("Title")
    except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
        title = None
    out.title = title.strip() if title and title.strip() else None
    started = time.monotonic()
    failed: list[int] = []
    for i in range(n):
        if limits.timeout and time.monotonic() - started > limits.timeout:
            raise LimitExceeded(display, f"took more than {limits.timeout:g} s to read (stopped at page {i + 1} of {n})", "Split the file, or raise the limit with --timeout")
        try:
            page = doc[i]
        except pdfium.PdfiumError:
            failed.append(i + 1)
            out.pages.append(PageText(i + 1, 0.0, 0.0))
            continue
        try:
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                lines = _page_lines(textpage, i + 1, width, height)
            finally:
                textpage.close()
        except pdfium.PdfiumError:
            failed.append(i + 1)
            lines, width, height = [], 0.0, 0.0
        finally:
            page.close()
        out.pages.append(PageText(i + 1, width, height, lines))
    if failed:
        out.warnings.append(f"{len(failed)} page(s) could not be read: {_pages(failed)}")
    return out


def _pages(nums: list[int]) -> str:
    shown = ", ".join(str(p) for p in nums[:10])
    return shown + (", ..." if len(nums) > 10 else "")


_NAME = ctypes.create_string_buffer(256)
_FLAGS = ctypes.c_int()


def _page_lines(tp: pdfium.PdfTextPage, number: int, width: float, height: float) -> list[TextLine]:
    count = pdfium_c.FPDFText_CountChars(tp)
    if count <= 0:
        return []
    buf = (ctypes.c_ushort * (count + 1))()
    got = pdfium_c.FPDFText_GetText(tp, 0, count, buf)
    if got - 1 != count:
        # PDFium left some characters out of its text: read them one by one (rare, slower)
        text = "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, k) or 0x20) for k in range(count))
    else:
        text = bytes(buf)[: 2 * count].decode("utf-16-le", "surrogatepass")
        if len(text) != count:  # surrogate pairs: keep one str item per PDFium character
            text = "".join(map(chr, buf[:count]))

    rect = pdfium_c.FS_RECTF()
    prect = ctypes.byref(rect)
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    get_size = pdfium_c.FPDFText_GetFontSize
    get_info = pdfium_c.FPDFText_GetFontInfo
    name_buf, pflags = _NAME, ctypes.byref(_FLAGS)
    fonts: dict[bytes, bool] = {}

    def bold_at(k: int) -> bool:
        n = get_info(tp, k, name_buf, 256, pflags)
        key = name_buf.value if n else b""
        flag = fonts.get(key)
        if flag is None:
            flag = fonts[key] = is_bold_font(key.decode("latin-1"))
        return flag

    lines: list[TextLine] = []
    pos = 0
    spans = []
    for m in _BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, count))
    for start, end in spans:
        seg = text[start:end]
        stripped = seg.strip()
        if not stripped:
            continue
        first = start + (len(seg) - len(seg.lstrip()))
        last = start + len(seg.rstrip()) - 1
        mid = (first + last) // 2
        if text[mid].isspace():
            mid = first
        size = get_size(tp, mid) or get_size(tp, first)
        if size <= 0:
            size = 10.0
        bold = bold_at(first) and bold_at(last) and (mid == first or bold_at(mid))
        get_box(tp, first, prect)
        fx0, fy0, fx1, fy1 = rect.left, rect.bottom, rect.right, rect.top
        get_box(tp, last, prect)
        lx0, ly0, lx1, ly1 = rect.left, rect.bottom, rect.right, rect.top
        x0, x1 = min(fx0, lx0), max(fx1, lx1)
        y0, y1 = min(fy0, ly0), max(fy1, ly1)
        n_vis = last - first + 1
        vertical = n_vis > 1 and (y1 - y0) > 2.0 * max(x1 - x0, 1.0) and (y1 - y0) > 1.5 * size
        if not vertical and _has_wide_gap(tp, text, first, last, size, rect, prect):
            # a column gutter or table gap inside one PDFium line: measure each character, split
            chars = []
            boxes = []
            for k in range(first, last + 1):
                get_box(tp, k, prect)
                chars.append((text[k], rect.left, rect.right))
                boxes.append((rect.bottom, rect.top))
            for a, b in split_segments(chars, size):
                part = clean_text("".join(c for c, _, _ in chars[a:b])).strip()
                if not part:
                    continue
                vis = [j for j in range(a, b) if not chars[j][0].isspace()] or [a]
                lines.append(
                    TextLine(
                        _fix_surrogates(part), size, bold,
                        chars[vis[0]][1], min(boxes[j][0] for j in vis),
                        chars[vis[-1]][2], max(boxes[j][1] for j in vis),
                        number, width, height,
                    )
                )
            continue
        lines.append(TextLine(_fix_surrogates(clean_text(stripped)), size, bold, x0, y0, x1, y1, number, width, height, vertical))
    return lines


def _has_wide_gap(tp, text: str, first: int, last: int, size: float, rect, prect) -> bool:
    """Is there a gap wider than 1.5 em at a space PDFium generated inside this line?

    PDFium inserts a generated space where it joined two pieces of text on one baseline; only those
    places can hide a column gutter or a table gap, so only they are measured (real space glyphs
    inside a run are skipped, which keeps this cheap).
    """
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    limit = max(1.5 * size, 6.0)
    k = text.find(" ", first, last)
    while k != -1:
        if is_generated(tp, k) == 1:
            get_box(tp, k - 1, prect)
            left = rect.right
            get_box(tp, k + 1, prect)
            if rect.left - left > limit:
                return True
        k = text.find(" ", k + 1, last)
    return False


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(s: str) -> str:
    if not _SURROGATE.search(s):
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
