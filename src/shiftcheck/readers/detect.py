"""Choose a reader by content (magic bytes), not only by suffix."""

from __future__ import annotations

import zipfile
from pathlib import Path

from shiftcheck.errors import EncryptedDocument, InputError, UnsupportedFormat

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd", ".mkdn"}
TEXT_SUFFIXES = {".txt", ".text", ".rst", ""}

_IMAGES = {
    b"\x89PNG\r\n\x1a\n": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF87a": "a GIF image",
    b"GIF89a": "a GIF image",
    b"II*\x00": "a TIFF image",
    b"MM\x00*": "a TIFF image",
}

OCR_HINT = "Run it through OCR (e.g. ocrmypdf) or export the original document as DOCX or text"


def sniff(path: Path, head: bytes) -> str:
    """Return the reader name for a file: 'docx', 'pdf', 'markdown' or 'text'; raise otherwise."""
    name = str(path)
    suffix = path.suffix.lower()
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(CFB_MAGIC):
        raise _cfb_error(path, suffix)
    if head.startswith(ZIP_MAGICS):
        return _zip_kind(path, suffix)
    if head.startswith(b"{\\rtf"):
        raise UnsupportedFormat(
            name,
            "is an RTF file, which shiftcheck does not read",
            "Save it as DOCX or PDF and try again",
        )
    for magic, what in _IMAGES.items():
        if head.startswith(magic):
            raise UnsupportedFormat(name, f"is {what}, not a text document", OCR_HINT)
    if suffix in {".doc", ".odt", ".pages", ".rtf", ".xls", ".xlsx", ".ppt", ".pptx"}:
        # a file whose suffix says binary office format but whose bytes are something else
        raise UnsupportedFormat(
            name,
            f"has a '{suffix}' suffix but does not look like a readable document",
            "Save it as DOCX, PDF, Markdown or text",
        )
    if _looks_binary(head):
        raise UnsupportedFormat(
            name,
            "looks like a binary file, not a document",
            "shiftcheck reads DOCX, PDF, Markdown and plain text",
        )
    if suffix in {".docx", ".docm", ".dotx", ".pdf"}:
        # '.docx'/'.pdf' whose bytes are text: truncated download, saved error page or renamed file
        what = "a PDF" if suffix == ".pdf" else "a Word (.docx) file"
        raise UnsupportedFormat(
            name,
            f"has a '{suffix}' suffix but is not {what} (its content is text)",
            "Export the document again; if it really is plain text, rename it to .txt",
        )
    if suffix not in MARKDOWN_SUFFIXES and head.lstrip(b"\xef\xbb\xbf \t\r\n")[
        :15
    ].lower().startswith((b"<!doctype html", b"<html")):
        raise UnsupportedFormat(
            name,
            "is an HTML page, not a document",
            "Save the page as PDF, or paste its text into a .md or .txt file",
        )
    # by suffix: Markdown only for Markdown suffixes; everything else (.txt, none, unknown) is text
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return False  # BOM: UTF-16/UTF-8 text
    sample = head[:4096]
    if b"\x00" in sample:
        # UTF-16 without BOM has NULs on every other byte; accept that pattern
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        half = len(sample) / 2
        return not (even > 0.4 * half or odd > 0.4 * half)
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > 0.1 * len(sample)


def _cfb_error(path: Path, suffix: str) -> InputError:
    name = str(path)
    try:
        with path.open("rb") as fh:
            data = fh.read(2 * 1024 * 1024)
    except OSError:
        data = b""
    if (
        "EncryptedPackage".encode("utf-16-le") in data
        or b"EncryptionInfo" in data
        or "EncryptionInfo".encode("utf-16-le") in data
    ):
        return EncryptedDocument(
            name,
            "is password-protected (an encrypted Office file)",
            "Remove the password in Word (File > Info > Protect Document) and save a copy",
        )
    kind = {".xls": "a legacy Excel file", ".ppt": "a legacy PowerPoint file"}.get(
        suffix, "a legacy Word .doc file (or another old Office format)"
    )
    return UnsupportedFormat(
        name,
        f"is {kind}, which shiftcheck does not read",
        "Save it as DOCX (Word: File > Save As > .docx) or PDF",
    )


def _zip_kind(path: Path, suffix: str) -> str:
    name = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                try:
                    with zf.open("mimetype") as fh:
                        mimetype = fh.read(200)
                except Exception:
                    mimetype = b""
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        if suffix == ".docx":
            return "docx"  # let the DOCX reader give its corrupt-file error
        raise UnsupportedFormat(
            name, "is a damaged or unknown zip archive", "Open it in Word and save it again as DOCX"
        ) from None
    if b"opendocument.text" in mimetype or suffix == ".odt":
        raise UnsupportedFormat(
            name,
            "is an OpenDocument text (.odt) file",
            "Save it as DOCX (LibreOffice: File > Save As > Word 2007-365) or PDF",
        )
    if b"opendocument" in mimetype:
        raise UnsupportedFormat(
            name,
            "is an OpenDocument file that is not a text document",
            "Export the text as DOCX or PDF",
        )
    if any(n.startswith("Index/") for n in names) or "index.xml" in names or suffix == ".pages":
        raise UnsupportedFormat(
            name,
            "is an Apple Pages file",
            "In Pages choose File > Export To > Word, then review the .docx",
        )
    if "[Content_Types].xml" in names and (
        any(n.startswith("word/") for n in names) or suffix in (".docx", ".docm", ".dotx")
    ):
        return "docx"
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            raise UnsupportedFormat(
                name, "is an Excel workbook", "shiftcheck reads DOCX, PDF, Markdown and text"
            )
        if any(n.startswith("ppt/") for n in names):
            raise UnsupportedFormat(
                name, "is a PowerPoint file", "Export the slides as PDF and try again"
            )
        return "docx"  # an OOXML package with an unusual layout: the DOCX reader decides
    raise UnsupportedFormat(
        name, "is a zip archive, not a document", "Unzip it and review the documents inside"
    )
