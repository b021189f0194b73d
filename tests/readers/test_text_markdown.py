"""Plain-text and Markdown readers: exact blocks, kinds, lines, heading paths, tables, encodings."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcheck.document import BlockKind
from shiftcheck.errors import NoTextError
from shiftcheck.readers import detect_format, read
from shiftcheck.readers.markdown import parse_markdown, split_front_matter
from shiftcheck.readers.text import parse_text
from shiftcheck.readers.textdecode import decode_bytes


def _write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8", newline="")
    else:
        p.write_bytes(data)
    return p


def _rows(doc):
    """(kind, text, line, heading_path) for every block."""
    return [(str(b.kind), b.text, b.line, b.heading_path) for b in doc.blocks]


# --- decoding ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (b"caf\xc3\xa9\r\nna\xc3\xafve", "utf-8", "café\nnaïve"),
        (b"\xef\xbb\xbfcaf\xc3\xa9", "utf-8", "café"),
        ("\ufeffcafé\r\nété".encode("utf-16-le"), "utf-16-le", "café\nété"),
        ("\ufeffcafé\rété".encode("utf-16-be"), "utf-16-be", "café\nété"),
        ("plain café text here".encode("utf-16-le"), "utf-16-le", "plain café text here"),
        ("plain café text here".encode("utf-16-be"), "utf-16-be", "plain café text here"),
        ("\ufeffcafé".encode("utf-32-le"), "utf-32-le", "café"),
        (b"caf\xe9 \x93quoted\x94 \x80", "cp1252", "café “quoted” €"),
        (b"caf\xe9 \x81 \x8d", "latin-1", "café \x81 \x8d"),
    ],
)
def test_decode_bytes(data: bytes, encoding: str, text: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text == text


def test_decode_mostly_utf8_keeps_accents_and_warns() -> None:
    data = "Évaluation des résultats, été, créé ".encode() + b"\xff" + b" fin"
    decoded = decode_bytes(data)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith("Évaluation des résultats, été, créé")
    assert decoded.warning and "replaced" in decoded.warning


def test_decode_legacy_warns() -> None:
    assert decode_bytes(b"caf\xe9").warning == "not UTF-8; decoded as cp1252 (Windows/Latin-1)"
    assert decode_bytes(b"cafe").warning is None


def test_decode_never_raises_on_any_byte() -> None:
    decoded = decode_bytes(bytes(range(256)) * 4)
    assert isinstance(decoded.text, str)
    assert "\r" not in decoded.text and "\x00" not in decoded.text


# --- plain text -------------------------------------------------------------------------------

TEXT = """PROJECT PROPOSAL

1. Background

The project will train staff
across three districts.

1.1 Context

- item one
  wrapped
  - nested
- item two

Ministry staff will:
- chair the board
- sign the workplan

1. Train staff

2. Build systems

# Not a heading in a .txt file

Last paragraph.
"""


def test_text_blocks_lines_and_headings(tmp_path: Path) -> None:
    doc = read(_write(tmp_path, "p.txt", TEXT))
    assert doc.format == "text"
    assert doc.title == "PROJECT PROPOSAL"
    bg = ("1. Background",)
    ctx = ("1. Background", "1.1 Context")
    assert _rows(doc) == [
        ("heading", "PROJECT PROPOSAL", 1, ()),
        ("heading", "1. Background", 3, ()),
        ("paragraph", "The project will train staff across three districts.", 5, bg),
        ("heading", "1.1 Context", 8, bg),
        ("list_item", "item one wrapped", 10, ctx),
        ("list_item", "nested", 12, ctx),
        ("list_item", "item two", 13, ctx),
        ("paragraph", "Ministry staff will:", 15, ctx),
        ("list_item", "chair the board", 16, ctx),
        ("list_item", "sign the workplan", 17, ctx),
        ("paragraph", "1. Train staff", 19, ctx),
        ("paragraph", "2. Build systems", 21, ctx),
        ("paragraph", "# Not a heading in a .txt file", 23, ctx),
        ("paragraph", "Last paragraph.", 25, ctx),
    ]
    assert [b.level for b in doc.headings()] == [1, 1, 2]
    assert [b.list_level for b in doc.blocks if b.kind == BlockKind.LIST_ITEM] == [1, 2, 1, 1, 1]
    assert [b.index for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))


def test_text_heading_heuristics_are_conservative(tmp_path: Path) -> None:
    src = (
        "Introduction\n\nA short line in sentence case is not a heading.\n\n"
        "SUMMARY.\n\nEnds with a period, so it is text.\n\n"
        "2. We will hire staff\n\n"
        "Underlined Title\n================\n\nBody.\n\n"
        "FINAL WORDS\n"
    )
    doc = read(_write(tmp_path, "h.txt", src))
    assert [(str(b.kind), b.text) for b in doc.blocks] == [
        ("paragraph", "Introduction"),
        ("paragraph", "A short line in sentence case is not a heading."),
        ("paragraph", "SUMMARY."),
        ("paragraph", "Ends with a period, so it is text."),
        ("heading", "2. We will hire staff"),  # numbered, capitalised, followed by text
        ("heading", "Underlined Title"),
        ("paragraph", "Body."),
        ("paragraph", "FINAL WORDS"),  # the last line of a file is never a heading
    ]
    assert (doc.blocks[4].line, doc.blocks[4].level) == (9, 1)
    assert (doc.blocks[5].line, doc.blocks[5].level) == (11, 1)


def test_text_crlf_and_cr_line_numbers(tmp_path: Path) -> None:
    doc = read(_write(tmp_path, "crlf.txt", b"First para\r\nline two\r\n\r\nSecond\rpara\r\rThird"))
    assert _rows(doc) == [
        ("paragraph", "First para line two", 1, ()),
        ("paragraph", "Second para", 4, ()),
        ("paragraph", "Third", 7, ()),
    ]


def test_text_encodings_keep_french_accents(tmp_path: Path) -> None:
    fr = "Le ministère pilotera la gouvernance.\n\nÉvaluation conjointe à mi-parcours : été 2026."
    expected = [
        "Le ministère pilotera la gouvernance.",
        "Évaluation conjointe à mi-parcours : été 2026.",
    ]
    for name, data in {
        "u8.txt": fr.encode("utf-8"),
        "u8bom.txt": b"\xef\xbb\xbf" + fr.encode("utf-8"),
        "u16le.txt": b"\xff\xfe" + fr.replace("\n", "\r\n").encode("utf-16-le"),
        "u16be.txt": b"\xfe\xff" + fr.encode("utf-16-be"),
        "u16nobom.txt": fr.encode("utf-16-le"),
        "cp1252.txt": fr.encode("cp1252"),
    }.items():
        doc = read(_write(tmp_path, name, data))
        assert [b.text for b in doc.blocks] == expected, name
        assert [b.line for b in doc.blocks] == [1, 3], name
    assert read(_write(tmp_path, "c.txt", b"caf\xe9 au lait")).blocks[0].text == "café au lait"


def test_text_legacy_encoding_warning(tmp_path: Path) -> None:
    doc = read(_write(tmp_path, "c.txt", b"caf\xe9"))
    assert doc.warnings == ["not UTF-8; decoded as cp1252 (Windows/Latin-1)"]
    assert read(_write(tmp_path, "ok.txt", "café")).warnings == []


def test_whitespace_only_text_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(NoTextError):
        read(_write(tmp_path, "blank.txt", "\n\n   \n\t\n"))


def test_txt_with_markdown_syntax_is_read_as_text(tmp_path: Path) -> None:
    p = _write(tmp_path, "notes.txt", "# Title\n\nSome *text*.\n")
    assert detect_format(p) == "text"
    doc = read(p)
    assert doc.format == "text"
    assert [b.text for b in doc.blocks] == ["# Title", "Some *text*."]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("a.md", "markdown"),
        ("a.markdown", "markdown"),
        ("a.MD", "markdown"),
        ("a.txt", "text"),
        ("a", "text"),
        ("a.rst", "text"),
    ],
)
def test_detect_text_vs_markdown_by_suffix(tmp_path: Path, name: str, fmt: str) -> None:
    assert detect_format(_write(tmp_path, name, "# Heading\n\nText.\n")) == fmt


# --- Markdown ---------------------------------------------------------------------------------

MD = """---
title: "Projet : santé communautaire"
authors: [A, B]
---

# Proposal *draft*

Intro with [a link](https://example.org), `inline code` and ![the alt text](img.png).
Continued **bold** line.

<!-- shiftcheck: disable S1.parallel -->

## 2 Approach

> The ministry chairs
> the steering committee.

- Train staff
- Hand over systems
  - nested *item*
    continued

1. First step

   Second paragraph of step one

| Actor | Role |
|-------|------|
| Ministry | Chairs |
|  | Empty first cell |

### 2.1 Sustainability

    An indented block that is really prose.

```python
print("this is code")
```

<div>Raw <b>HTML</b> &amp; text</div>

Setext heading
==============

Final paragraph.
"""


def test_markdown_exact_blocks(tmp_path: Path) -> None:
    doc = read(_write(tmp_path, "p.md", MD))
    assert doc.format == "markdown"
    assert doc.title == "Projet : santé communautaire"
    top = ("Proposal draft",)
    app = ("Proposal draft", "2 Approach")
    sus = ("Proposal draft", "2 Approach", "2.1 Sustainability")
    assert _rows(doc) == [
        ("heading", "Proposal draft", 6, ()),
        (
            "paragraph",
            "Intro with a link, inline code and the alt text. Continued bold line.",
            8,
            top,
        ),
        ("heading", "2 Approach", 13, top),
        ("paragraph", "The ministry chairs the steering committee.", 15, app),
        ("list_item", "Train staff", 18, app),
        ("list_item", "Hand over systems", 19, app),
        ("list_item", "nested item continued", 20, app),
        ("list_item", "First step", 23, app),
        ("list_item", "Second paragraph of step one", 25, app),
        ("table_cell", "Actor", 27, app),
        ("table_cell", "Role", 27, app),
        ("table_cell", "Ministry", 29, app),
        ("table_cell", "Chairs", 29, app),
        ("table_cell", "Empty first cell", 30, app),
        ("heading", "2.1 Sustainability", 32, app),
        ("paragraph", "An indented block that is really prose.", 34, sus),
        ("paragraph", "Raw HTML & text", 40, sus),
        ("heading", "Setext heading", 42, ()),
        ("paragraph", "Final paragraph.", 45, ("Setext heading",)),
    ]
    assert [b.list_level for b in doc.blocks if b.kind == BlockKind.LIST_ITEM] == [1, 1, 2, 1, 1]
    cells = [(b.table, b.row, b.col) for b in doc.blocks if b.kind == BlockKind.TABLE_CELL]
    assert cells == [(1, 1, 1), (1, 1, 2), (1, 2, 1), (1, 2, 2), (1, 3, 2)]
    assert [(b.text, b.level) for b in doc.headings()] == [
        ("Proposal draft", 1),
        ("2 Approach", 2),
        ("2.1 Sustainability", 3),
        ("Setext heading", 1),
    ]
    assert doc.warnings == ["1 fenced code block(s) skipped (not prose)"]
    assert "shiftcheck: disable" not in doc.text()
    assert "print(" not in doc.text()
    assert [b.index for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))


def test_markdown_title_from_first_h1_without_front_matter(tmp_path: Path) -> None:
    doc = read(_write(tmp_path, "t.md", "Intro.\n\n## Sub\n\n# Real title\n\n# Second h1\n"))
    assert doc.title == "Real title"
    assert read(_write(tmp_path, "n.md", "## Only level two\n\nText.\n")).title is None


def test_markdown_front_matter_variants(tmp_path: Path) -> None:
    # unparseable YAML: the plain 'title:' line still gives the title; lines stay exact
    doc = read(
        _write(tmp_path, "a.md", "---\ntitle: Plan: phase 2\nbad: [unclosed\n...\nBody text.\n")
    )
    assert doc.title == "Plan: phase 2"
    assert _rows(doc) == [("paragraph", "Body text.", 5, ())]
    # front matter without title: first H1
    doc = read(_write(tmp_path, "b.md", "---\nauthor: me\n---\n# Heading\n\nText.\n"))
    assert doc.title == "Heading"
    assert [b.line for b in doc.blocks] == [4, 6]
    # a thematic break, not front matter: text kept
    doc = read(_write(tmp_path, "c.md", "---\n\nJust text after a rule.\n"))
    assert [b.text for b in doc.blocks] == ["Just text after a rule."]


def test_markdown_encodings_and_accents(tmp_path: Path) -> None:
    src = "# Évaluation\n\nLe ministère pilotera « le comité » à partir de l’été.\n"
    expected = [
        ("heading", "Évaluation", 1, ()),
        ("paragraph", "Le ministère pilotera « le comité » à partir de l’été.", 3, ("Évaluation",)),
    ]
    for name, data in {
        "u8.md": src.encode("utf-8"),
        "bom.md": b"\xef\xbb\xbf" + src.encode("utf-8"),
        "u16.md": b"\xff\xfe" + src.replace("\n", "\r\n").encode("utf-16-le"),
    }.items():
        assert _rows(read(_write(tmp_path, name, data))) == expected, name
    legacy = read(_write(tmp_path, "legacy.md", b"# Caf\xe9\n\nTr\xe8s bien.\n"))
    assert [b.text for b in legacy.blocks] == ["Café", "Très bien."]
    assert legacy.warnings == ["not UTF-8; decoded as cp1252 (Windows/Latin-1)"]


def test_markdown_inline_html_comments_and_breaks(tmp_path: Path) -> None:
    doc = read(
        _write(tmp_path, "i.md", "Before <!-- note --> after<br>next  \nhard break &eacute;\n")
    )
    assert [b.text for b in doc.blocks] == ["Before after next\nhard break é"]


def test_markdown_only_comments_has_no_text(tmp_path: Path) -> None:
    with pytest.raises(NoTextError):
        read(_write(tmp_path, "c.md", "<!-- shiftcheck: disable X -->\n\n```\ncode only\n```\n"))


def test_markdown_two_tables_are_numbered(tmp_path: Path) -> None:
    src = "| a |\n|---|\n| b |\n\ntext\n\n| c | d |\n|---|---|\n| e | f |\n"
    doc = read(_write(tmp_path, "t.md", src))
    cells = [
        (b.text, b.table, b.row, b.col, b.line)
        for b in doc.blocks
        if b.kind == BlockKind.TABLE_CELL
    ]
    assert cells == [
        ("a", 1, 1, 1, 1),
        ("b", 1, 2, 1, 3),
        ("c", 2, 1, 1, 7),
        ("d", 2, 1, 2, 7),
        ("e", 2, 2, 1, 9),
        ("f", 2, 2, 2, 9),
    ]


def test_text_compact_numbered_lists_are_items(tmp_path: Path) -> None:
    src = (
        "Activities:\n1. Train staff\n   across districts\n2. Build systems\n   a) procurement\n   b) finance\n\n"
        "3. A lone numbered paragraph stays a paragraph, keeping its number.\n"
    )
    doc = read(_write(tmp_path, "n.txt", src))
    assert [(str(b.kind), b.text, b.line, b.list_level) for b in doc.blocks] == [
        ("paragraph", "Activities:", 1, None),
        ("list_item", "1. Train staff across districts", 2, 1),
        ("list_item", "2. Build systems", 4, 1),
        ("list_item", "a) procurement", 5, 2),
        ("list_item", "b) finance", 6, 2),
        (
            "paragraph",
            "3. A lone numbered paragraph stays a paragraph, keeping its number.",
            8,
            None,
        ),
    ]


def test_markdown_footnotes(tmp_path: Path) -> None:
    src = (
        "# Plan\n\nThe ministry chairs[^1] the board [^gov] and [^undefined] stays.\n\n"
        "[^1]: Source: *decree* 12/2024.\n[^gov]: Governance note\n    continued.\n\n"
        "Last paragraph.\n\n```\n[^1]: inside code, not a note\n```\n"
    )
    doc = read(_write(tmp_path, "f.md", src))
    assert [(str(b.kind), b.text, b.line) for b in doc.blocks] == [
        ("heading", "Plan", 1),
        ("paragraph", "The ministry chairs the board and [^undefined] stays.", 3),
        ("paragraph", "Last paragraph.", 9),
        ("footnote", "Source: decree 12/2024.", 5),
        ("footnote", "Governance note continued.", 6),
    ]


# --- properties -------------------------------------------------------------------------------

_MARKUP = st.text(alphabet=list("#*-_>|`~[]()!<>=:^.1aZé \t\n\n\n"), max_size=400)


@settings(max_examples=150, deadline=None)
@given(_MARKUP)
def test_parsers_never_fail_and_lines_are_in_range(src: str) -> None:
    n_lines = src.count("\n") + 1
    body, _title = split_front_matter(src)
    assert body.count("\n") == src.count("\n")
    for blocks in (parse_markdown(body)[0], parse_text(src)):
        for b in blocks:
            assert b.text and b.text == b.text.strip()
            assert b.line is not None and 1 <= b.line <= n_lines


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=300))
def test_decode_never_fails(data: bytes) -> None:
    text = decode_bytes(data).text
    assert "\r" not in text and "\x00" not in text
