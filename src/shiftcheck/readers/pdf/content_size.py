"""The page-content limit (``limits.max_page_content_mb``) for both PDF engines, checked without
decoding a stream past the limit.

A Flate stream of 2 MB can inflate to 1 GB of content operators ("a compressed-stream bomb").
Decoding it whole to measure it is the attack: pdfminer's ``get_data()`` peaked at 1,064 MB, and
PDFium inflates it the same way when it builds the page's text (1,058 MB). Here each content
stream of a page is inflated in chunks by :func:`bounded_size`, keeping nothing (or at most the
limit, when another filter follows), and counting stops one byte past the limit. Memory stays at
a few MB whatever the bomb's size; time is at most the limit's worth of inflating per page.

PDFium has no API for a page's raw content streams (and inflates them when it loads the page),
so for it the pages are walked once with pdfminer's parser (objects only, no content parsing)
before PDFium reads anything: :func:`first_page_over`. Measured on the calibration PDFs: ~0.6 ms a
page (a 68-page proposal: 45 ms, against 420 ms for PDFium's extraction), plus pdfminer's import
once per process (~110 ms; the sandbox imports it before forking). A file pdfminer cannot parse is
left to PDFium (still under the sandbox's memory cap and timeout). Inflating every stream of the
file raw, as a cheaper first look, was tried and was slower (images inflate too).
"""

from __future__ import annotations

import time
import zlib
from pathlib import Path

from shiftcheck.errors import LimitExceeded
from shiftcheck.limits import Limits

MB = 1024 * 1024
_CHUNK = 1 << 20
HINT = "If the file is genuine, raise limits.max_page_content_mb in the config"


def check_read_time(limits: Limits, started: float, display: str, where: str) -> None:
    """Raise the read timeout's one-line error once ``limits.timeout`` has passed since
    ``started`` (``time.monotonic()``); ``where`` says where reading stopped ("page 3 of 40")."""
    if limits.timeout and time.monotonic() - started > limits.timeout:
        raise LimitExceeded(
            display,
            f"took more than {limits.timeout:g} s to read (stopped at {where})",
            "Split the file, or raise the limit with --timeout",
        )


def limit_error(display: str, number: int, limits: Limits) -> LimitExceeded:
    return LimitExceeded(
        display,
        f"page {number} decodes to more than the {limits.max_page_content_mb} MB page-content limit (a compressed-stream bomb?)",
        HINT,
    )


def _inflate(data: bytes, cap: int, keep: bool) -> tuple[int, bytes]:
    """Inflate ``data`` up to ``cap + 1`` bytes: (bytes produced, the output if ``keep``). A
    damaged stream counts what inflated before the damage (as pdfminer reads it)."""
    d = zlib.decompressobj()
    total = 0
    out = bytearray() if keep else None
    buf = data
    try:
        while buf and total <= cap:
            chunk = d.decompress(buf, min(_CHUNK, cap + 1 - total))
            buf = d.unconsumed_tail
            total += len(chunk)
            if out is not None:
                out += chunk
            if not chunk and not buf:
                break
            if d.eof:
                break
    except zlib.error:
        pass
    return total, bytes(out) if out is not None else b""


def bounded_size(stream: object, cap: int) -> int:
    """The decoded size of a pdfminer ``PDFStream``, exact up to ``cap`` and ``cap + 1`` past it,
    without holding more than ``cap`` bytes of its decoded data."""
    from pdfminer.pdftypes import (
        LITERALS_ASCII85_DECODE,
        LITERALS_ASCIIHEX_DECODE,
        LITERALS_FLATE_DECODE,
        ascii85decode,
        asciihexdecode,
    )

    decoded = getattr(stream, "data", None)
    if decoded is not None:  # already decoded by pdfminer
        return len(decoded)
    data = getattr(stream, "rawdata", None) or b""
    decipher = getattr(stream, "decipher", None)
    if decipher and getattr(stream, "objid", None) is not None:
        data = decipher(stream.objid, stream.genno, data, stream.attrs)  # type: ignore[attr-defined]
    filters = stream.get_filters()  # type: ignore[attr-defined]
    for i, (f, _params) in enumerate(filters):
        last = i == len(filters) - 1
        if f in LITERALS_FLATE_DECODE:
            size, out = _inflate(data, cap, keep=not last)
            if last or size > cap:
                return size
            data = out
        elif f in LITERALS_ASCII85_DECODE:  # these shrink: decoding them whole is safe
            data = ascii85decode(data)
        elif f in LITERALS_ASCIIHEX_DECODE:
            data = asciihexdecode(data)
        else:
            # LZW, RunLength, image codecs, unknown filters: pdfminer's own decoding (none of
            # them is a content-stream bomb seen in practice; the sandbox's memory cap still holds)
            get = getattr(stream, "get_data", None)
            return len(get() or b"") if get else len(data)
        if len(data) > cap:
            return len(data)
    return len(data)


#: more than Flate can inflate one byte to: each 258-byte match costs at least two bits (1032:1)
_FLATE_RATIO = 1100


def _size_bound(stream: object) -> int | None:
    """An upper bound of what :func:`bounded_size` counts for ``stream``, found without decoding
    it, or None: exact for a stream decoded already or without filters, ``_FLATE_RATIO`` times
    (its length + 16) for one Flate filter on an unencrypted stream, None for anything else."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    decoded = getattr(stream, "data", None)
    if decoded is not None:
        return len(decoded)
    if getattr(stream, "decipher", None) and getattr(stream, "objid", None) is not None:
        return None
    data = getattr(stream, "rawdata", None) or b""
    filters = stream.get_filters()  # type: ignore[attr-defined]
    if not filters:
        return len(data)
    if len(filters) == 1 and filters[0][0] in LITERALS_FLATE_DECODE:
        return _FLATE_RATIO * (len(data) + 16)
    return None


#: form XObjects (content drawn by the page's content) looked at per page, at most
MAX_FORMS = 256


def page_over(page: object, limits: Limits) -> bool:
    """Do a pdfminer ``PDFPage``'s content streams, and the form XObjects its resources name
    (content too: both engines parse them with the page), decode to more than the limit?"""
    from pdfminer.pdftypes import PDFStream, resolve1

    if not limits.max_page_content_mb:
        return False
    cap = limits.max_page_content_mb * MB
    contents = page.contents if isinstance(page.contents, list) else [page.contents]  # type: ignore[attr-defined]
    streams = [s for s in (resolve1(ref) for ref in contents) if isinstance(s, PDFStream)]
    streams += _forms(getattr(page, "resources", None))
    try:
        bounds = [_size_bound(s) for s in streams]
    except Exception:  # left to the exact count below, which meets the same error (or not)
        bounds = [None]
    if None not in bounds and sum(bounds) <= cap:  # type: ignore[arg-type]
        return False  # cannot be over: nothing to inflate
    total = 0
    for stream in streams:
        total += bounded_size(stream, cap - total)
        if total > cap:
            return True
    return False


def _forms(resources: object) -> list:
    """The form XObjects reachable from ``resources`` (nested forms too, each once, at most
    :data:`MAX_FORMS`); images and everything else are left alone."""
    from pdfminer.pdftypes import PDFStream, resolve1

    out: list = []
    seen: set[int] = set()
    todo = [resources]
    while todo and len(out) < MAX_FORMS:
        res = resolve1(todo.pop())
        xobjects = resolve1(res.get("XObject")) if isinstance(res, dict) else None
        if not isinstance(xobjects, dict):
            continue
        for ref in list(xobjects.values())[:MAX_FORMS]:
            obj = resolve1(ref)
            if not isinstance(obj, PDFStream) or id(obj) in seen:
                continue
            seen.add(id(obj))
            subtype = resolve1(obj.attrs.get("Subtype"))
            if getattr(subtype, "name", None) == "Form":
                out.append(obj)
                todo.append(obj.attrs.get("Resources"))
    return out


def first_page_over(path: Path, limits: Limits, deadline: float | None = None) -> int | None:
    """For PDFium: the number of the first page whose content is over the limit, or None. Walks
    the page tree with pdfminer (no content parsing); a file it cannot parse, or a walk still
    running at ``deadline`` (``time.monotonic()``), gives None."""
    if not limits.max_page_content_mb:
        return None
    import warnings

    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser

    from shiftcheck.readers.pdf.extract_pdfminer import _bound_reference_chains, _fast_rc4

    try:  # the check is best-effort: whatever pdfminer cannot parse is left to PDFium
        with open(path, "rb") as fh, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = PDFDocument(PDFParser(fh), password="")
            _bound_reference_chains(doc)  # reference loops cannot hang the walk
            _fast_rc4(doc)
            for number, page in enumerate(PDFPage.create_pages(doc), start=1):
                if limits.max_pages and number > limits.max_pages:
                    return None
                if deadline is not None and time.monotonic() > deadline:
                    return None
                if page_over(page, limits):
                    return number
    except MemoryError:
        raise
    except Exception:  # DAMAGED, pdfminer's own PDFException family, OSError, RecursionError...
        return None
    return None


__all__ = ["bounded_size", "first_page_over", "limit_error", "page_over"]
