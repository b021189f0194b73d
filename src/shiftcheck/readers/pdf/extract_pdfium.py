"""Extraction engine 1: PDFium (pypdfium2) through its textpage API.

Per page the whole text is fetched in one call (PDFium inserts CRLF between the lines it detects);
then each line costs a handful of raw calls: the loose boxes of its first and last character, the
font size and font name of three sample characters. Only lines that cross a wide gap between
PDFium's text rectangles (a column gutter or table gap that PDFium put inside one line) are
checked at their generated spaces and cut there. This keeps the engine at a few ms per page.
From 60 pages on, the pages are read by one process per idle core (:mod:`.parallel`).
"""

from __future__ import annotations

import bisect
import ctypes
import itertools
import pickle
import re
import time
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.internal as pdfium_i
import pypdfium2.raw as pdfium_c

from shiftcheck.errors import EncryptedDocument, LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers import PAGES_UNREADABLE
from shiftcheck.readers.pdf import parallel
from shiftcheck.readers.pdf.content_size import check_read_time, first_page_over, limit_error
from shiftcheck.readers.pdf.lines import (
    EngineRefused,
    PageText,
    PdfText,
    TextLine,
    clean_text,
    is_bold_font,
    is_list_marker,
)

ENCRYPTED_HINT = "Remove the password (e.g. qpdf --decrypt, or print to PDF) and try again"
#: PDFium's line breaks; it also joins a line ending in a hyphen to the next one and reports that
#: hyphen as U+FFFE (U+0002 in the char list): we split there, keeping the hyphen
_BREAK = re.compile("\r\n|\r|\n|\ufffe|\x02")


def extract(path: Path, display: str, limits: Limits) -> PdfText:
    try:
        doc = pdfium.PdfDocument(path)
    except pdfium.PdfiumError as e:
        code = getattr(e, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocument(display, "is password-protected", ENCRYPTED_HINT) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EngineRefused("uses an unsupported encryption scheme") from None
        raise EngineRefused(pdfium_i.ErrorToStr.get(code) if code is not None else str(e)) from None
    try:
        return _extract(doc, display, limits, path)
    finally:
        doc.close()


def _extract(doc: pdfium.PdfDocument, display: str, limits: Limits, path: Path) -> PdfText:
    n = len(doc)
    if limits.max_pages and n > limits.max_pages:
        raise LimitExceeded(
            display,
            f"has {n} pages, over the {limits.max_pages}-page limit",
            "Split the file, or raise the limit with --max-pages",
        )
    out = PdfText(engine="pdfium", page_count=n)
    out.encrypted = pdfium_c.FPDF_GetSecurityHandlerRevision(doc) != -1
    try:
        title = doc.get_metadata_value("Title")
    except (pdfium.PdfiumError, UnicodeDecodeError, ValueError):
        title = None
    out.title = title.strip() if title and title.strip() else None
    started = time.monotonic()
    # the page-content limit, checked before PDFium inflates anything (it would inflate a 1 GB
    # Flate bomb whole to build the page's text)
    over = first_page_over(path, limits, started + limits.timeout if limits.timeout else None)
    if over is not None:
        raise limit_error(display, over, limits)
    failed: list[int] = []
    ranges = parallel.split(n)
    if len(ranges) == 1:
        out.pages, failed = _read_range(doc, 0, n, n, limits, started, display)
    else:
        out.pages, failed = _read_parallel(doc, path, ranges, limits, started, display)
    if failed:
        out.warnings.append(f"{len(failed)} {PAGES_UNREADABLE}: {_pages(failed)}")
    return out


def _read_range(
    doc: pdfium.PdfDocument,
    start: int,
    stop: int,
    n: int,
    limits: Limits,
    started: float,
    display: str,
) -> tuple[list[PageText], list[int]]:
    """Pages ``start..stop`` (0-based) and the numbers of those PDFium could not read."""
    pages: list[PageText] = []
    failed: list[int] = []
    for i in range(start, stop):
        check_read_time(limits, started, display, f"page {i + 1} of {n}")
        parallel.check_parent()
        try:
            page = doc[i]
        except pdfium.PdfiumError:
            failed.append(i + 1)
            pages.append(PageText(i + 1, 0.0, 0.0))
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
        pages.append(PageText(i + 1, width, height, lines))
    return pages, failed


def _read_parallel(
    doc: pdfium.PdfDocument,
    path: Path,
    ranges: list[tuple[int, int]],
    limits: Limits,
    started: float,
    display: str,
) -> tuple[list[PageText], list[int]]:
    """The pages read by :mod:`.parallel`'s workers: the first range here, the others each in a
    forked child that opens the file itself; a range whose child failed is read here afterwards,
    so the pages, the warnings and any error are those of the serial loop."""
    n = ranges[-1][1]

    def work(start: int, stop: int) -> bytes:
        own = _open_in_worker(path)
        try:
            if len(own) != n:  # not the file the parent opened (replaced meanwhile)
                raise EngineRefused("the file changed while it was read")
            return _encode(*_read_range(own, start, stop, n, limits, started, display))
        finally:
            own.close()

    with parallel.Workers(ranges[1:], work) as workers:
        pages, failed = _read_range(doc, *ranges[0], n, limits, started, display)
        for (start, stop), raw in zip(ranges[1:], workers.results(), strict=True):
            part = _decode(raw, start, stop) if raw is not None else None
            if part is None:  # the child failed: read its pages here
                part = _read_range(doc, start, stop, n, limits, started, display)
            pages += part[0]
            failed += part[1]
    return pages, failed


def _open_in_worker(path: Path) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(path)


def _encode(pages: list[PageText], failed: list[int]) -> bytes:
    """A worker's pages as plain tuples (pickling them is ~5x faster than the dataclasses)."""
    rows = [
        (
            p.number,
            p.width,
            p.height,
            [
                (
                    ln.text,
                    ln.size,
                    ln.bold,
                    ln.x0,
                    ln.y0,
                    ln.x1,
                    ln.y1,
                    ln.page,
                    ln.page_width,
                    ln.page_height,
                    ln.vertical,
                )
                for ln in p.lines
            ],
        )
        for p in pages
    ]
    return pickle.dumps((rows, failed), protocol=pickle.HIGHEST_PROTOCOL)


def _decode(raw: bytes, start: int, stop: int) -> tuple[list[PageText], list[int]] | None:
    """:func:`_encode`'s bytes back to pages ``start..stop``; None if they are not that."""
    try:
        # our own forked child wrote it: a copy of this very process, reading the same file with
        # the same PDFium, so the pickle crosses no trust boundary (what leaves the sandbox's
        # child for the main process is JSON only: shiftcheck.sandbox_messages)
        rows, failed = pickle.loads(raw)
        pages = [PageText(num, w, h, [TextLine(*ln) for ln in lines]) for num, w, h, lines in rows]
    except Exception:
        return None
    if [p.number for p in pages] != list(range(start + 1, stop + 1)):
        return None
    return pages, list(failed)


def _pages(nums: list[int]) -> str:
    shown = ", ".join(str(p) for p in nums[:10])
    return shown + (", ..." if len(nums) > 10 else "")


def _page_lines(
    textpage: pdfium.PdfTextPage, number: int, width: float, height: float
) -> list[TextLine]:
    tp = textpage.raw  # the raw handle: ctypes then skips a property lookup on every call
    count = pdfium_c.FPDFText_CountChars(tp)
    if count <= 0:
        return []
    text = _page_text(tp, count)
    page = _Page(tp, text, number, width, height)
    lines: list[TextLine] = []
    for start, end in _line_spans(text, count):
        page.add_line(start, end, lines)
    return lines


def _page_text(tp, count: int) -> str:
    """The page's whole text, one str item per PDFium character."""
    buf = (ctypes.c_ushort * (count + 1))()
    got = pdfium_c.FPDFText_GetText(tp, 0, count, buf)
    if got - 1 != count:
        # PDFium left some characters out of its text: read them one by one (rare, slower)
        return "".join(chr(pdfium_c.FPDFText_GetUnicode(tp, k) or 0x20) for k in range(count))
    text = bytes(buf)[: 2 * count].decode("utf-16-le", "surrogatepass")
    if len(text) != count:  # surrogate pairs: keep one str item per PDFium character
        text = "".join(map(chr, buf[:count]))
    return text


def _line_spans(text: str, count: int) -> list[tuple[int, int]]:
    """(start, end) of each line PDFium found; a line it joined at a hyphen keeps that hyphen."""
    pos = 0
    spans = []
    for m in _BREAK.finditer(text):
        if m.group() in ("\ufffe", "\x02"):
            spans.append((pos, m.end()))
        else:
            spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, count))
    return spans


class _Page:
    """One page's text page handle, its text and the buffers its per-line calls reuse (one set
    per page: thread-safe)."""

    def __init__(self, tp, text: str, number: int, width: float, height: float) -> None:
        self.tp = tp
        self.text = text
        self.number, self.width, self.height = number, width, height
        self.rect = pdfium_c.FS_RECTF()
        self.prect = ctypes.byref(self.rect)
        self.name_buf, self.flags = ctypes.create_string_buffer(256), ctypes.c_int()
        self.pflags = ctypes.byref(self.flags)
        self.fonts: dict[bytes, bool] = {}
        self.gaps = _gap_marks(tp)
        self.gap_ys = [g[0] for g in self.gaps]
        #: a page without surrogate halves has none in any line: no line needs _fix_surrogates
        self.surrogates = _SURROGATE.search(text) is not None

    def bold_at(self, k: int) -> bool:
        n = pdfium_c.FPDFText_GetFontInfo(self.tp, k, self.name_buf, 256, self.pflags)
        key = self.name_buf.value if n else b""
        flag = self.fonts.get(key)
        if flag is None:
            flag = self.fonts[key] = is_bold_font(key.decode("latin-1"))
        return flag

    def box(self, k: int) -> tuple[float, float, float, float]:
        """The loose box of character ``k``: left, bottom, right, top."""
        pdfium_c.FPDFText_GetLooseCharBox(self.tp, k, self.prect)
        rect = self.rect
        return rect.left, rect.bottom, rect.right, rect.top

    def add_line(self, start: int, end: int, lines: list[TextLine]) -> None:
        """The line ``text[start:end]`` (if not blank), or its pieces when it crosses a column
        gutter or a table gap, appended to ``lines``."""
        text = self.text
        seg = text[start:end]
        stripped = seg.strip()
        if not stripped:
            return
        first = start + (len(seg) - len(seg.lstrip()))
        last = start + len(seg.rstrip()) - 1
        mid = (first + last) // 2
        if text[mid].isspace():
            mid = first
        tp = self.tp
        get_size = pdfium_c.FPDFText_GetFontSize
        size = get_size(tp, mid) or get_size(tp, first)
        if size <= 0:
            size = 10.0
        bold = self.bold_at(first) and self.bold_at(last) and (mid == first or self.bold_at(mid))
        # self.box(first) and self.box(last), inlined (this runs for every line of every page)
        get_box, rect, prect = pdfium_c.FPDFText_GetLooseCharBox, self.rect, self.prect
        get_box(tp, first, prect)
        fx0, fy0, fx1, fy1 = rect.left, rect.bottom, rect.right, rect.top
        get_box(tp, last, prect)
        lx0, ly0, lx1, ly1 = rect.left, rect.bottom, rect.right, rect.top
        # min(fx0, lx0), max(fx1, lx1), min(fy0, ly0), max(fy1, ly1): the same picks, no calls
        x0 = lx0 if lx0 < fx0 else fx0
        x1 = lx1 if lx1 > fx1 else fx1
        y0 = ly0 if ly0 < fy0 else fy0
        y1 = ly1 if ly1 > fy1 else fy1
        if size < 0.5 * (fy1 - fy0):
            # font size 1 scaled by the text matrix: PDFium reports the nominal size; use the box
            size = round((fy1 - fy0) / 1.15, 1)
        n_vis = last - first + 1
        vertical = n_vis > 1 and (y1 - y0) > 2.0 * max(x1 - x0, 1.0) and (y1 - y0) > 1.5 * size
        if vertical or not _crosses(self.gaps, self.gap_ys, x0, y0, x1, y1):
            cuts = []
        else:
            cuts = _wide_gaps(self.tp, text, first, last, size, self.rect, self.prect)
        if cuts:
            # a column gutter or table gap inside one PDFium line: one line per piece
            self._add_pieces([first, *cuts, last + 1], size, bold, lines)
            return
        line_text = clean_text(stripped)
        lines.append(
            TextLine(
                _fix_surrogates(line_text) if self.surrogates else line_text,
                size,
                bold,
                x0,
                y0,
                x1,
                y1,
                self.number,
                self.width,
                self.height,
                vertical,
            )
        )

    def _add_pieces(
        self, bounds: list[int], size: float, bold: bool, lines: list[TextLine]
    ) -> None:
        for a, b in itertools.pairwise(bounds):
            piece = self.text[a:b]
            part = clean_text(piece).strip()
            if not part:
                continue
            pa = a + (len(piece) - len(piece.lstrip()))
            pb = a + len(piece.rstrip()) - 1
            bx0, by0, _, by1 = self.box(pa)
            left, bottom, right, top = self.box(pb)
            lines.append(
                TextLine(
                    _fix_surrogates(part),
                    size,
                    bold,
                    min(bx0, left),
                    min(by0, bottom),
                    max(bx0, right),
                    max(by1, top),
                    self.number,
                    self.width,
                    self.height,
                )
            )


def _gap_marks(tp) -> list[tuple[float, float]]:
    """Points (y, x) in the middle of wide horizontal gaps between PDFium's text rectangles.

    PDFium's rectangles cover runs of text; two on one baseline with a wide gap between them are
    where a line may hide a column gutter or a table gap. Only lines crossing such a point are
    measured space by space (:func:`_wide_gaps`), which keeps ordinary prose cheap.
    """
    n = pdfium_c.FPDFText_CountRects(tp, 0, -1)
    if n <= 1:
        return []
    left, top, right, bottom = (
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
        ctypes.c_double(),
    )
    args = (ctypes.byref(left), ctypes.byref(top), ctypes.byref(right), ctypes.byref(bottom))
    get_rect = pdfium_c.FPDFText_GetRect
    rects = []
    for i in range(n):
        if get_rect(tp, i, *args):
            rects.append((bottom.value, top.value, left.value, right.value))
    rects.sort(key=lambda r: (round(r[0]), r[2]))
    marks = []
    for (b0, t0, _l0, r0), (b1, t1, l1, _r1) in itertools.pairwise(rects):
        # min(t0 - b0, t1 - b1), min(t0, t1), max(b0, b1), max(0.8 * h, 4.0): same picks, no calls
        h0, h1 = t0 - b0, t1 - b1
        h = h1 if h1 < h0 else h0
        if h <= 0:
            continue
        hi = t1 if t1 < t0 else t0
        lo = b1 if b1 > b0 else b0
        if hi - lo < 0.5 * h:
            continue
        wide = 0.8 * h
        if l1 - r0 > (4.0 if wide < 4.0 else wide):
            marks.append(((lo + hi) / 2, (r0 + l1) / 2))
    marks.sort()
    return marks


def _crosses(
    marks: list[tuple[float, float]], ys: list[float], x0: float, y0: float, x1: float, y1: float
) -> bool:
    for i in range(bisect.bisect_left(ys, y0), bisect.bisect_right(ys, y1)):
        if x0 < marks[i][1] < x1:
            return True
    return False


def _wide_gaps(tp, text: str, first: int, last: int, size: float, rect, prect) -> list[int]:
    """Where to cut a line: after spaces PDFium generated at gaps wider than 1.5 em.

    PDFium inserts a generated space where it joined two pieces of text on one baseline; only those
    places can hide a column gutter or a table gap, so only they are measured (real space glyphs
    inside a run are skipped, which keeps this cheap). A gap after a lone bullet or list number
    (``•``, ``1.``, ``a)``) is kept: that is a list item, not two cells.
    """
    is_generated = pdfium_c.FPDFText_IsGenerated
    get_box = pdfium_c.FPDFText_GetLooseCharBox
    limit = max(1.5 * size, 6.0)
    cuts: list[int] = []
    start = first
    k = text.find(" ", first, last)
    while k != -1:
        if is_generated(tp, k) == 1:
            get_box(tp, k - 1, prect)
            left = rect.right
            get_box(tp, k + 1, prect)
            # wide gap forwards, or a jump backwards (PDFium joined two columns on one baseline)
            if abs(rect.left - left) > limit and not is_list_marker(text[start:k].strip()):
                cuts.append(k + 1)
                start = k + 1
        k = text.find(" ", k + 1, last)
    return cuts


_SURROGATE = re.compile("[\ud800-\udfff]")


def _fix_surrogates(s: str) -> str:
    if not _SURROGATE.search(s):
        return s
    return s.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
