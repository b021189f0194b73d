"""PDF reader: two extraction engines behind one seam, one layout layer.

``read(path, display, limits, engine="auto")``:

* ``pdfium`` - PDFium through pypdfium2's textpage API (fast: a few ms per page).
* ``pdfminer`` - pdfminer.six with our own line grouping (pure Python, ~20-60x slower; more
  forgiving with some damaged files).
* ``auto`` - PDFium first; pdfminer when PDFium refuses the file, finds no text at all, or finds
  mostly vertical (CJK tategaki) lines, whose order PDFium gets wrong.

Both engines produce :class:`~shiftcheck.readers.pdf.lines.PdfText` (lines with size, weight and
position per page); :mod:`~shiftcheck.readers.pdf.layout` turns that into a Document. Every
failure leaves as a :class:`shiftcheck.errors.InputError` subclass with a one-line message.
A PDF without any text comes back as a Document without text blocks; :func:`shiftcheck.readers.read`
then reports that it needs OCR.
"""

from __future__ import annotations

import re
from pathlib import Path

from shiftcheck.document import Document
from shiftcheck.errors import CorruptDocument, EncryptedDocument, UsageError
from shiftcheck.limits import Limits
from shiftcheck.readers.pdf.lines import EngineRefused, PdfText

ENGINES = ("auto", "pdfium", "pdfminer")
ENCRYPTED_HINT = "Remove the password (e.g. qpdf --decrypt, or print to PDF) and try again"
CORRUPT_HINT = (
    "The file may be damaged or truncated: open it in a PDF viewer and save or print a new copy"
)


def read(path: Path, display: str, limits: Limits, engine: str = "auto") -> Document:
    if engine not in ENGINES:
        raise UsageError(
            None, f"unknown PDF engine '{engine}'", "Use --pdf-engine auto, pdfium or pdfminer"
        )
    pdf = extract(path, display, limits, engine)
    if pdf.encrypted and not pdf.has_text:
        # opened with the empty password, yet nothing decrypts to text: not a scan, an encryption
        # problem (e.g. a damaged /ID), so do not send the user to OCR
        raise EncryptedDocument(
            display,
            "is encrypted and no text could be decrypted from it",
            "Save a decrypted copy (e.g. qpdf --decrypt, or print to PDF) and try again",
        )
    from shiftcheck.readers.pdf.layout import build_document

    return build_document(pdf, display)


def extract(path: Path, display: str, limits: Limits, engine: str = "auto") -> PdfText:
    """Run the chosen engine(s) and return the raw lines (for tools and tests)."""
    if engine == "pdfminer":
        return _run_pdfminer(path, display, limits)
    from shiftcheck.readers.pdf import extract_pdfium

    try:
        pdf = extract_pdfium.extract(path, display, limits)
    except EngineRefused as e:
        if engine == "pdfium":
            raise CorruptDocument(
                display, f"is not a readable PDF (PDFium: {e})", CORRUPT_HINT
            ) from None
        return _run_pdfminer(path, display, limits, pdfium_said=str(e))
    reason = None
    if engine == "auto":
        if _mostly_vertical(pdf):
            # PDFium's text order for vertical (tategaki) writing is unreliable; pdfminer's is not
            reason = "vertical writing: read with pdfminer"
        elif not pdf.has_text:
            reason = "PDFium found no text; read with pdfminer"
    if reason is None:
        return pdf
    try:
        other = _run_pdfminer(path, display, limits)
    except CorruptDocument:
        return pdf
    if not other.has_text:
        return pdf
    other.warnings.append(reason)
    return other


def _run_pdfminer(
    path: Path, display: str, limits: Limits, pdfium_said: str | None = None
) -> PdfText:
    from shiftcheck.readers.pdf import extract_pdfminer

    try:
        pdf = extract_pdfminer.extract(path, display, limits)
    except EngineRefused as e:
        raise CorruptDocument(
            display, f"is not a readable PDF ({pdfium_said or e})", CORRUPT_HINT
        ) from None
    if pdfium_said:
        pdf.warnings.append(f"PDFium could not open the file ({pdfium_said}); read with pdfminer")
    return pdf


_CJK = re.compile("[\u3000-\u9fff\uf900-\ufaff\uff00-\uffef]")


def _mostly_vertical(pdf: PdfText) -> bool:
    """Mostly vertical CJK lines (rotated Latin text, which PDFium reads well, does not count)."""
    lines = [ln for p in pdf.pages for ln in p.lines]
    vertical_cjk = sum(1 for ln in lines if ln.vertical and _CJK.search(ln.text))
    return bool(lines) and vertical_cjk > 0.5 * len(lines)
