"""Every DOCX in the shared parsing corpus reads, or fails with a documented one-line error.

The corpus lives beside the repository (``../shared/corpus/docx``); the module is skipped when it
is absent. ``../shared/corpus/SOURCES.md`` says what each file is.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from shiftcheck import cli
from shiftcheck.document import BlockKind, Document
from shiftcheck.errors import (
    CorruptDocument,
    EncryptedDocument,
    InputError,
    NoTextError,
)
from shiftcheck.limits import Limits
from shiftcheck.readers import docx as docx_reader
from shiftcheck.readers import read

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "docx"
if not CORPUS.is_dir():
    pytest.skip(f"shared DOCX corpus not found at {CORPUS}", allow_module_level=True)

FILES = sorted(CORPUS.glob("*.docx"))

#: files that must NOT yield a Document: expected error class, a phrase of its message, and why
EXPECTED_FAILURES: dict[str, tuple[type[InputError], str, str]] = {
    "poi-bug53475-password-is-pass.docx": (
        EncryptedDocument,
        "password-protected",
        "encrypted OOXML in a CFB container",
    ),
    "poi-protected_agile.docx": (
        EncryptedDocument,
        "password-protected",
        "agile-encrypted OOXML (CFB)",
    ),
    "poi-truncated62886.docx": (CorruptDocument, "damaged or truncated zip", "truncated zip"),
    "poi-clusterfuzz-testcase-minimized-POIXWPFFuzzer-5313273089884160.docx": (
        CorruptDocument,
        "damaged or truncated zip",
        "fuzzer output, not a valid zip",
    ),
    "poi-zero-length.docx": (
        NoTextError,
        "no text",
        "only a picture watermark in the header; empty body",
    ),
    "mammoth-empty.docx": (NoTextError, "no text", "empty body"),
    "poi-Tika-792.docx": (
        NoTextError,
        "no text",
        "every body run is deleted or moved away (tracked changes)",
    ),
    "pydocx-having-images.docx": (NoTextError, "no text", "images only"),
    "pydocx-sty-having-no-styles-part.docx": (NoTextError, "no text", "a single empty paragraph"),
    "pydocx-tbl-having-tables.docx": (NoTextError, "no text", "tables with empty cells only"),
}

#: text that tracked changes delete (or move away): it must never be read
DELETED_TEXT: dict[str, tuple[str, ...]] = {
    "poi-delins.docx": (
        "Tika Waylan",
        "DragonLance",
        "Maang Tika",
        "A pendant worn in place of the red spot",
    ),
    "poi-58067.docx": ("This is another Test", "only one word"),
}

#: text that must be read (inserted text, text boxes, fields, controls, notes...)
PRESENT_TEXT: dict[str, tuple[tuple[BlockKind, str], ...]] = {
    "poi-delins.docx": (
        (BlockKind.PARAGRAPH, "Lucene will be extremely well represented at ApacheCon EU 2009"),
    ),
    "poi-58067.docx": (
        (BlockKind.PARAGRAPH, "This is a whole paragraph where one word is deleted."),
    ),
    "mammoth-text-box.docx": ((BlockKind.PARAGRAPH, "Datum plane"),),
    "mammoth-footnotes.docx": (
        (BlockKind.FOOTNOTE, "A tachyon walks into a bar."),
        (BlockKind.FOOTNOTE, "Fin."),
    ),
    "docx2python-example.docx": (
        (BlockKind.FOOTNOTE, "First footnote"),
        (BlockKind.ENDNOTE, "Second endnote"),
        (BlockKind.HEADER, "Header text"),
        (BlockKind.FOOTER, "Footer text"),
        (BlockKind.TABLE_CELL, "Nested"),
    ),
    "docx2python-strict.docx": ((BlockKind.LIST_ITEM, "Bullet1"), (BlockKind.TABLE_CELL, "Cellbb")),
    "docx2python-renamed_document_xml.docx": (
        (BlockKind.PARAGRAPH, "This is a link to my website."),
    ),
    "docx2python-ControlTest.docx": (
        (BlockKind.PARAGRAPH, "For a content control or content container in word."),
    ),
    "poi-FieldCodes.docx": ((BlockKind.PARAGRAPH, "16 June 2010"),),
    "poi-MultipleBodyBug.docx": (
        (BlockKind.PARAGRAPH, "START BODY 1"),
        (BlockKind.PARAGRAPH, "END BODY 3."),
        (BlockKind.FOOTER, "NML 2.1"),
    ),
    "poi-Bug54849.docx": (
        (BlockKind.PARAGRAPH, "Rich_text_pre_table"),
        (BlockKind.TABLE_CELL, "Rich_text_cell1"),
    ),
    "docx2python-symbols.docx": ((BlockKind.PARAGRAPH, "≠∞×÷≥≤±"),),
}


def _read_or_error(path: Path) -> Document | InputError:
    try:
        return read(path, display=path.name)
    except InputError as e:
        return e


def test_corpus_is_there():
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_corpus_file_reads_or_fails_cleanly(path: Path):
    out = _read_or_error(path)
    expected = EXPECTED_FAILURES.get(path.name)
    if expected is None:
        assert isinstance(out, Document), f"unexpected failure: {out}"
        assert out.format == "docx"
        assert out.pages is None
        assert [b.index for b in out.blocks] == list(range(1, len(out.blocks) + 1))
        assert all(b.text and b.text == b.text.strip() for b in out.blocks)
        for b in out.blocks:
            if b.kind == BlockKind.TABLE_CELL:
                assert b.table and b.row and b.col
            if b.kind == BlockKind.HEADING:
                assert b.level is not None and 1 <= b.level <= 9
        # a merged cell's text is never repeated at the same table position
        cells = [(b.table, b.row, b.col) for b in out.blocks if b.kind == BlockKind.TABLE_CELL]
        assert len(cells) == len(set(cells))
    else:
        cls, phrase, why = expected
        assert isinstance(out, cls), f"expected {cls.__name__} ({why}), got {out!r}"
        line = out.line()
        assert "\n" not in line and phrase in line
        assert line.startswith(path.name + ": ")


@pytest.mark.parametrize("name", sorted(DELETED_TEXT))
def test_deleted_text_never_appears(name: str):
    doc = read(CORPUS / name)
    every = "\n".join(b.text for b in doc.blocks)
    for gone in DELETED_TEXT[name]:
        assert gone not in every


def test_moved_and_deleted_runs_in_tika_792():
    # read with the reader itself: the accepted body is empty (NoTextError through read())
    doc = docx_reader.read(CORPUS / "poi-Tika-792.docx", "poi-Tika-792.docx", Limits())
    assert doc.body() == []


@pytest.mark.parametrize("name", sorted(PRESENT_TEXT))
def test_expected_text_is_read(name: str):
    doc = read(CORPUS / name)
    for kind, text in PRESENT_TEXT[name]:
        assert any(b.kind == kind and text in b.text for b in doc.blocks), (kind, text)


def test_heading_paths_heading123():
    doc = read(CORPUS / "poi-heading123.docx")
    assert [(b.text, b.level, b.heading_path) for b in doc.headings()] == [
        ("First paragraph", 1, ()),
        ("Second paragraph", 2, ("First paragraph",)),
        ("Third paragraph", 3, ("First paragraph", "Second paragraph")),
    ]
    third = doc.headings()[-1].index
    after = [b for b in doc.blocks if b.index > third and b.kind == BlockKind.PARAGRAPH]
    assert after and after[0].heading_path == (
        "First paragraph",
        "Second paragraph",
        "Third paragraph",
    )


def test_external_entity_is_not_fetched():
    doc = read(CORPUS / "poi-ExternalEntityInText.docx")
    assert [b.text for b in doc.blocks] == ['Here should not be the POI web site: ""']
    assert doc.warnings


def test_text_boxes_not_doubled():
    doc = read(CORPUS / "docx2python-libreoffice_conversion.docx")
    texts = [b.text for b in doc.blocks if b.kind != BlockKind.TABLE_CELL]
    doubled = [a for a, b in itertools.pairwise(texts) if a == b and len(a) > 20]
    assert not doubled


@pytest.mark.parametrize("as_json", [False, True], ids=["outline", "json"])
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_cli_inspect_never_crashes(path: Path, as_json: bool, capsys):
    args = ["inspect", str(path)] + (["--json"] if as_json else [])
    with pytest.raises(SystemExit) as e:
        cli.main(args)
        raise SystemExit(0)
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "internal error" not in err
    if path.name in EXPECTED_FAILURES:
        assert e.value.code == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(str(path))
    else:
        assert e.value.code in (0, None)
        if as_json:
            rows = [json.loads(line) for line in out.splitlines() if line.strip()]
            assert rows and all("text" in r and "kind" in r for r in rows)
