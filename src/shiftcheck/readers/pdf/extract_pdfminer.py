"""Extraction engine 2: pdfminer.six, with our own grouping of characters into lines.

pdfminer's layout analysis (``LAParams``) is not used: its box clustering costs ~110 ms per page
and one rotated table page took 15-25 s and 480 MB. The page aggregator runs with
``laparams=None``, so it hands over the raw ``LTChar`` objects in content-stream order, and
:func:`_group` joins neighbours into lines in one linear pass: horizontal lines (next character on
the same baseline, to the right) and vertical lines (next character below, same column; vertical
CJK writing). The page-label generator is never touched (it can be endless).
"""

from __future__ import annotations

import hashlib
import logging
import struct
import time
import warnings
import zlib
from pathlib import Path

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LTChar, LTContainer, LTPage
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjectNotFound, PDFObjRef, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.utils import decode_text

from shiftcheck.errors import EncryptedDocument, LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers import PAGES_UNREADABLE
from shiftcheck.readers.pdf.content_size import check_read_time, limit_error, page_over
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

#: what pdfminer raises on damaged input (its own PSException/PDFException family, plus the plain
#: Python errors its parser lets through on malformed objects and streams)
DAMAGED = (
    PSException,
    ValueError,
    KeyError,
    TypeError,
    IndexError,
    AttributeError,
    AssertionError,
    NotImplementedError,
    EOFError,
    OverflowError,
    ZeroDivisionError,
    UnicodeError,
    zlib.error,
    struct.error,
    RecursionError,
    OSError,  # a seek to a negative offset read from a damaged xref (the file itself is open)
)

# pdfminer logs every oddity at WARNING; with no handler configured Python would print them all on
# stderr. A NullHandler keeps them out of the CLI's output (an application that configures logging
# still receives them).
logging.getLogger("pdfminer").addHandler(logging.NullHandler())


def extract(path: Path, display: str, limits: Limits) -> PdfText:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with path.open("rb") as fh:
            try:
                doc = PDFDocument(PDFParser(fh), password="")
            except PDFPasswordIncorrect:
                raise EncryptedDocument(display, "is password-protected", ENCRYPTED_HINT) from None
            except PDFEncryptionError as e:
                raise EncryptedDocument(
                    display,
                    f"is encrypted in a way that cannot be read ({str(e)[:80]})",
                    ENCRYPTED_HINT,
                ) from None
            except DAMAGED as e:
                raise EngineRefused(f"{e.__class__.__name__}: {str(e)[:100]}") from None
            _bound_reference_chains(doc)
            _fast_rc4(doc)
            return _extract(doc, display, limits)


def _bound_reference_chains(doc: PDFDocument) -> None:
    """pdfminer's ``resolve1`` follows ``3 0 R -> 6 0 R -> 3 0 R`` forever (a hostile file hangs
    in ``PDFPage``). This document's ``getobj`` resolves such chains itself, at most 32 hops, and
    gives None for a loop, so ``resolve1`` never sees a reference come back."""
    getobj = doc.getobj

    def bounded(objid: int) -> object:
        obj = getobj(objid)
        hops = 0
        while isinstance(obj, PDFObjRef):
            hops += 1
            if hops > 32:
                return None
            try:
                obj = getobj(obj.objid)
            except PDFObjectNotFound:
                return None
        return obj

    doc.getobj = bounded  # type: ignore[method-assign]


def _fast_rc4(doc: PDFDocument) -> None:
    """pdfminer decrypts RC4 (the usual "secured" PDF, 40- or 128-bit) in pure Python: ~40 s per
    MB of stream. This document's security handler uses the C implementation of
    ``cryptography`` instead (pdfminer.six already depends on it for AES): same bytes, ~5 ms per
    MB. Only this handler instance is changed; without the C cipher nothing is."""
    handler = getattr(getattr(doc, "decipher", None), "__self__", None)
    if handler is None or not hasattr(handler, "decrypt_rc4") or not getattr(handler, "key", None):
        return
    try:
        from cryptography.hazmat.primitives.ciphers import Cipher

        try:
            from cryptography.hazmat.decrepit.ciphers.algorithms import ARC4
        except ImportError:  # cryptography < 43
            from cryptography.hazmat.primitives.ciphers.algorithms import ARC4  # type: ignore[no-redef,unused-ignore]  # only on cryptography < 43
    except ImportError:
        return
    slow = handler.decrypt_rc4

    def decrypt_rc4(objid: int, genno: int, data: bytes) -> bytes:
        key = handler.key + struct.pack("<L", objid)[:3] + struct.pack("<L", genno)[:2]
        key = hashlib.md5(key).digest()[: min(len(key), 16)]
        try:
            return Cipher(ARC4(key), mode=None).decryptor().update(data)
        except (ValueError, TypeError):
            return slow(objid, genno, data)

    handler.decrypt_rc4 = decrypt_rc4


def _page_count(doc: PDFDocument) -> int | None:
    try:
        pages = resolve1(doc.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
    except DAMAGED:
        return None
    return count if isinstance(count, int) and count >= 0 else None


def _title(doc: PDFDocument) -> str | None:
    try:
        for info in doc.info:
            raw = resolve1(info.get("Title"))
            if isinstance(raw, bytes):
                raw = decode_text(raw)
            if isinstance(raw, str) and raw.strip():
                return raw.strip().replace("\x00", "")
    except DAMAGED:
        return None
    return None


def _extract(doc: PDFDocument, display: str, limits: Limits) -> PdfText:
    declared = _page_count(doc)
    if limits.max_pages and declared is not None and declared > limits.max_pages:
        raise LimitExceeded(
            display,
            f"has {declared} pages, over the {limits.max_pages}-page limit",
            "Split the file, or raise the limit with --max-pages",
        )
    out = PdfText(engine="pdfminer", title=_title(doc), encrypted=doc.encryption is not None)
    rsrc = PDFResourceManager(caching=True)
    device = PDFPageAggregator(rsrc, laparams=None)
    interp = PDFPageInterpreter(rsrc, device)
    started = time.monotonic()
    failed: list[int] = []
    number = 0
    pages = PDFPage.create_pages(doc)
    while True:
        try:
            page = next(pages)
        except StopIteration:
            break
        except DAMAGED as e:
            if number == 0:
                raise EngineRefused(f"{e.__class__.__name__}: {str(e)[:100]}") from None
            out.warnings.append(
                f"the page tree is damaged after page {number}; later pages were not read"
            )
            break
        number += 1
        if limits.max_pages and number > limits.max_pages:
            raise LimitExceeded(
                display,
                f"has more than {limits.max_pages} pages",
                "Split the file, or raise the limit with --max-pages",
            )
        check_read_time(limits, started, display, f"page {number}")
        try:
            _check_content_size(page, number, display, limits)
            interp.process_page(page)
            layout: LTPage = device.get_result()
        except DAMAGED:
            failed.append(number)
            out.pages.append(PageText(number, 0.0, 0.0))
            continue
        width = layout.x1 - layout.x0
        height = layout.y1 - layout.y0
        chars: list[Char] = []
        _collect(layout, chars, 0)
        lines = _group(chars, number, layout.x0, layout.y0, width, height)
        out.pages.append(PageText(number, width, height, lines))
    out.page_count = number
    if failed:
        shown = ", ".join(str(p) for p in failed[:10]) + (", ..." if len(failed) > 10 else "")
        out.warnings.append(f"{len(failed)} {PAGES_UNREADABLE}: {shown}")
    return out


def _check_content_size(page: PDFPage, number: int, display: str, limits: Limits) -> None:
    """Refuse a page whose content streams decode to more than ``max_page_content_mb`` (a Flate
    bomb): pdfminer parses content in Python and would otherwise run until --timeout. The streams
    are measured without decoding them past the limit (:mod:`.content_size`)."""
    if page_over(page, limits):
        raise limit_error(display, number, limits)


#: one character as a plain tuple: text, x0, y0, x1, y1, size, font name (fast to compare)
Char = tuple[str, float, float, float, float, float, str]


def _collect(container: LTContainer, chars: list[Char], depth: int) -> None:
    if depth > 32:
        return
    for obj in container:
        if isinstance(obj, LTChar):
            chars.append((obj.get_text(), obj.x0, obj.y0, obj.x1, obj.y1, obj.size, obj.fontname))
        elif isinstance(obj, LTContainer):
            _collect(obj, chars, depth + 1)


_BOLD_CACHE: dict[str, bool] = {}


def _bold(name: str) -> bool:
    flag = _BOLD_CACHE.get(name)
    if flag is None:
        flag = _BOLD_CACHE[name] = is_bold_font(name)
    return flag


def _group(
    chars: list[Char], number: int, ox: float, oy: float, width: float, height: float
) -> list[TextLine]:
    """Join characters (in stream order) into lines; one linear pass."""
    groups: list[tuple[list[Char], bool]] = []
    cur: list[Char] = []
    vertical = False
    px0 = py0 = px1 = py1 = psize = 0.0
    for ch in chars:
        _, x0, y0, x1, y1, size, _ = ch
        if cur:
            h = min(y1 - y0, py1 - py0) or 1.0
            em = max(psize, size, 1.0)
            if not vertical and (min(y1, py1) - max(y0, py0)) > 0.5 * h and x0 > px0 - 0.5 * em:
                pass  # same row, moving right
            elif (
                (vertical or len(cur) == 1)
                and (min(x1, px1) - max(x0, px0)) > 0.5 * (min(x1 - x0, px1 - px0) or 1.0)
                and -0.5 * em < py0 - y1 < 0.8 * em
            ):
                vertical = True  # next character below: vertical writing
            else:
                groups.append((cur, vertical))
                cur = []
                vertical = False
        cur.append(ch)
        px0, py0, px1, py1, psize = x0, y0, x1, y1, size
    if cur:
        groups.append((cur, vertical))
    lines: list[TextLine] = []
    for group, vert in groups:
        lines.extend(_make_lines(group, vert, number, ox, oy, width, height))
    return lines


def _make_lines(
    group: list[Char],
    vertical: bool,
    number: int,
    ox: float,
    oy: float,
    width: float,
    height: float,
) -> list[TextLine]:
    """The line(s) of one group of characters: a vertical group is one line; a horizontal one is
    cut at wide gaps (:func:`split_segments`)."""
    sizes = sorted(c[5] for c in group)
    size = sizes[len(sizes) // 2] or 10.0
    if vertical:
        text = clean_text("".join(c[0] for c in group)).strip()
        if not text:
            return []
        bold = all(_bold(c[6]) for c in group[:: max(1, len(group) // 3)])
        return [_line(text, size, bold, group, number, ox, oy, width, height, vertical=True)]
    cells, owners = _spaced_cells(group)
    out: list[TextLine] = []
    for a, b in split_segments(cells, size):
        seg = [o for o in owners[a:b] if o is not None and not o[0].isspace()]
        text = clean_text("".join(t for t, _, _ in cells[a:b])).strip()
        if not text or not seg:
            continue
        bold = _bold(seg[0][6]) and _bold(seg[len(seg) // 2][6]) and _bold(seg[-1][6])
        out.append(_line(text, size, bold, seg, number, ox, oy, width, height))
    return out


def _spaced_cells(group: list[Char]) -> tuple[list[tuple[str, float, float]], list[Char | None]]:
    """(text, x0, x1) per character of a horizontal group, with a space inserted at gaps wider
    than 0.12 em (files without space glyphs); and the character behind each cell (None for an
    inserted space)."""
    cells: list[tuple[str, float, float]] = []
    owners: list[Char | None] = []
    prev: Char | None = None
    for c in group:
        t = c[0]
        if (
            prev is not None
            and t != " "
            and cells[-1][0] != " "
            and c[1] - prev[3] > 0.12 * (c[5] or 1.0)
        ):
            cells.append((" ", prev[3], c[1]))
            owners.append(None)
        cells.append((t, c[1], c[3]))
        owners.append(c)
        prev = c
    return cells, owners


def _line(
    text: str,
    size: float,
    bold: bool,
    chars: list[Char],
    number: int,
    ox: float,
    oy: float,
    width: float,
    height: float,
    vertical: bool = False,
) -> TextLine:
    """A line around ``chars`` (their bounding box, relative to the page's origin ``ox, oy``)."""
    return TextLine(
        text,
        size,
        bold,
        min(c[1] for c in chars) - ox,
        min(c[2] for c in chars) - oy,
        max(c[3] for c in chars) - ox,
        max(c[4] for c in chars) - oy,
        number,
        width,
        height,
        vertical=vertical,
    )
