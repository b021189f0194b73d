"""Every real-world PDF in ../shared/corpus/pdf/ reads into a Document or fails with a one-line error.

Runs with the ``auto`` engine (PDFium, pdfminer as the fallback). Expected failures are listed in
EXPECTED_ERRORS with the reason; every other file must give a Document with body text whose blocks
carry valid page numbers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shiftcheck.document import BlockKind
from shiftcheck.errors import EncryptedDocument, InputError, NoTextError
from shiftcheck.readers import read

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "pdf"
if not CORPUS.is_dir():
    pytest.skip(f"PDF corpus not found at {CORPUS}", allow_module_level=True)

NEEDS_OCR = (NoTextError, "looks scanned")
PASSWORD = (EncryptedDocument, "is password-protected")

#: file -> (error class, text the one-line message must contain); why in the comment
EXPECTED_ERRORS: dict[str, tuple[type[InputError], str]] = {
    # encrypted with a real user password (SOURCES.md: "foo", "usersecret", "test",
    # "openpassword"); the empty password does not open them with either engine
    "pdfminer-encryption-aes-256-r6.pdf": PASSWORD,
    "pdfminer-encryption-aes-256.pdf": PASSWORD,
    "pdfminer-encryption-rc4-40.pdf": PASSWORD,
    "pdfplumber-password-example.pdf": PASSWORD,
    "pypdf-samples-libreoffice-writer-password.pdf": PASSWORD,
    # opens with the empty password but no /ID in the trailer: nothing decrypts to text (not a
    # scan, so no OCR advice). The other empty-password files (dmca, issue-625) read normally.
    "pdfminer-encryption-encrypted_doc_no_id.pdf": (
        EncryptedDocument,
        "no text could be decrypted",
    ),
    # image-only pages: no text layer at all
    "pdfminer-nonfree-175.pdf": NEEDS_OCR,
    "pdfminer-pdf-with-jbig2.pdf": NEEDS_OCR,
    "pypdf-samples-cmyk-image.pdf": NEEDS_OCR,
    "pypdf-samples-imagemagick-CCITTFaxDecode.pdf": NEEDS_OCR,
    # a vector drawing and a 472-byte one-page oddity: no text either (same message)
    "pdfminer-scancode-patchelf.pdf": NEEDS_OCR,
    "pdfplumber-issue-297-example.pdf": NEEDS_OCR,
    # 0 bytes: rejected by readers.read before the PDF reader runs
    "pdfplumber-empty.pdf": (InputError, "is empty (0 bytes)"),
}

FILES = sorted(p.name for p in CORPUS.glob("*.pdf"))


def test_expected_failures_exist() -> None:
    assert set(EXPECTED_ERRORS) <= set(FILES)


@pytest.mark.parametrize("name", FILES)
def test_corpus_pdf(name: str) -> None:
    path = CORPUS / name
    expected = EXPECTED_ERRORS.get(name)
    if expected is not None:
        cls, text = expected
        with pytest.raises(InputError) as err:
            read(path, display=name)
        line = err.value.line()
        assert type(err.value) is cls, line
        assert text in line
        assert "\n" not in line and line.startswith(f"{name}: ")
        if cls is NoTextError:
            assert "OCR" in line
        return
    doc = read(path, display=name)
    assert doc.format == "pdf"
    assert doc.pages and doc.pages >= 1
    assert doc.body(), "a readable PDF must give body text"
    assert [b.index for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    for b in doc.blocks:
        assert b.text.strip()
        assert b.page is not None and 1 <= b.page <= doc.pages
        if b.kind == BlockKind.HEADING:
            assert b.level is not None and 1 <= b.level <= 6
