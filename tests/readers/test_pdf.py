"""PDF reader: both engines on tiny PDFs written by tests/readers/pdfgen.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from shiftcheck.document import BlockKind
from shiftcheck.errors import (
    CorruptDocument,
    EncryptedDocument,
    LimitExceeded,
    NoTextError,
    UsageError,
)
from shiftcheck.limits import Limits
from shiftcheck.readers import read as read_any
from shiftcheck.readers.pdf import read as read_pdf

from .pdfgen import PdfBuilder

ENGINES = ["pdfium", "pdfminer"]
TITLE = "Reimagined Technical Assistance"


def _write(tmp_path: Path, pdf: PdfBuilder, name: str = "doc.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(pdf.bytes())
    return path


def _read(path: Path, engine: str):
    return read_any(path, pdf_engine=engine, display=path.name)


def _structured() -> PdfBuilder:
    pdf = PdfBuilder()
    p1 = pdf.page()
    p1.text(72, 720, TITLE, size=20, bold=True)
    p1.text(72, 685, "1 Introduction", size=16, bold=True)
    y = p1.lines(
        72,
        660,
        [
            "The programme supports district health teams in planning and budgeting their own",
            "work, with the ministry deciding which districts take part and when support ends.",
            "Local partners lead every activity.",
        ],
    )
    p1.lines(
        72,
        y - 13,
        [
            "Second paragraph starts here and continues on the next line without any break",
            "in the middle.",
        ],
    )
    p1.text(72, 560, "1.1 Scope", size=13, bold=True)
    p1.lines(
        72,
        540,
        [
            "• Districts choose the indicators",
            "• The ministry owns the data",
            "1. First numbered item",
            "2. Second numbered item",
        ],
    )
    p2 = pdf.page()
    p2.text(72, 720, "2 Approach", size=16, bold=True)
    p2.lines(
        72, 695, ["Work starts in two districts and grows only when the district teams ask for it."]
    )
    p2.text(72, 660, "2.1 Budget", size=13, bold=True)
    p2.lines(72, 640, ["Sixty per cent of the budget flows through government accounts."])
    return pdf


@pytest.mark.parametrize("engine", ENGINES)
def test_headings_paragraphs_lists_and_pages(tmp_path: Path, engine: str) -> None:
    doc = _read(_write(tmp_path, _structured()), engine)
    got = [(b.kind, b.text, b.level, b.page, b.heading_path) for b in doc.blocks]
    intro = (TITLE, "1 Introduction")
    scope = (*intro, "1.1 Scope")
    assert got == [
        (BlockKind.HEADING, TITLE, 1, 1, ()),
        (BlockKind.HEADING, "1 Introduction", 2, 1, (TITLE,)),
        (
            BlockKind.PARAGRAPH,
            "The programme supports district health teams in planning and budgeting their own work, "
            "with the ministry deciding which districts take part and when support ends. "
            "Local partners lead every activity.",
            None,
            1,
            intro,
        ),
        (
            BlockKind.PARAGRAPH,
            "Second paragraph starts here and continues on the next line without any break in the middle.",
            None,
            1,
            intro,
        ),
        (BlockKind.HEADING, "1.1 Scope", 3, 1, intro),
        (BlockKind.LIST_ITEM, "Districts choose the indicators", None, 1, scope),
        (BlockKind.LIST_ITEM, "The ministry owns the data", None, 1, scope),
        (BlockKind.LIST_ITEM, "1. First numbered item", None, 1, scope),
        (BlockKind.LIST_ITEM, "2. Second numbered item", None, 1, scope),
        (BlockKind.HEADING, "2 Approach", 2, 2, (TITLE,)),
        (
            BlockKind.PARAGRAPH,
            "Work starts in two districts and grows only when the district teams ask for it.",
            None,
            2,
            (TITLE, "2 Approach"),
        ),
        (BlockKind.HEADING, "2.1 Budget", 3, 2, (TITLE, "2 Approach")),
        (
            BlockKind.PARAGRAPH,
            "Sixty per cent of the budget flows through government accounts.",
            None,
            2,
            (TITLE, "2 Approach", "2.1 Budget"),
        ),
    ]
    assert [b.list_level for b in doc.blocks if b.kind == BlockKind.LIST_ITEM] == [1, 1, 1, 1]
    assert [b.index for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))
    assert doc.pages == 2
    assert doc.format == "pdf"
    assert doc.title == TITLE  # no metadata title: the first biggest heading


@pytest.mark.parametrize("engine", ENGINES)
def test_bold_table_header_cells_are_not_section_headings(tmp_path: Path, engine: str) -> None:
    """Bold header cells ("Cost item | 2026 | 2027") sit beside each other on one baseline: they are
    table text, and the body below them stays under the real section heading."""
    pdf = PdfBuilder()
    pg = pdf.page()
    pg.text(72, 720, "3 Transition", size=14, bold=True)
    pg.lines(72, 695, ["The county takes over each cost line on the schedule below."])
    for x, cell in ((72, "Cost item"), (250, "2026"), (330, "2027"), (410, "2028")):
        pg.text(x, 660, cell, bold=True)
    for x, cell in ((72, "Nurse salaries"), (250, "80 / 20"), (330, "50 / 50"), (410, "0 / 100")):
        pg.text(x, 644, cell)
    pg.lines(72, 610, ["Each October the county health team checks the readiness benchmarks."])
    doc = _read(_write(tmp_path, pdf), engine)
    assert [b.text for b in doc.blocks if b.kind == BlockKind.HEADING] == ["3 Transition"]
    last = doc.blocks[-1]
    assert last.text.startswith("Each October") and last.heading_path == ("3 Transition",)
    assert any(b.text == "Cost item" and b.kind != BlockKind.HEADING for b in doc.blocks)


@pytest.mark.parametrize("engine", ENGINES)
def test_metadata_title_wins_and_filename_titles_are_ignored(tmp_path: Path, engine: str) -> None:
    pdf = _structured()
    pdf.title = "Safe Birth Gombe proposal"
    assert _read(_write(tmp_path, pdf), engine).title == "Safe Birth Gombe proposal"
    pdf.title = "Microsoft Word - draft3.docx"
    assert _read(_write(tmp_path, pdf, "b.pdf"), engine).title == TITLE


@pytest.mark.parametrize("engine", ENGINES)
def test_line_end_hyphens(tmp_path: Path, engine: str) -> None:
    pdf = PdfBuilder()
    p = pdf.page()
    p.lines(
        72,
        700,
        [
            "The plan covers the transi-",
            "tion of all services to the districts, agreed through co-",
            "design with the communities and tested in COVID-",
            "19 response sites across the region since 2019-",
            "2020 with locally-",
            "led teams.",
        ],
    )
    doc = _read(_write(tmp_path, pdf), engine)
    assert [b.text for b in doc.blocks] == [
        "The plan covers the transition of all services to the districts, agreed through co-design "
        "with the communities and tested in COVID-19 response sites across the region since 2019-2020 "
        "with locally-led teams."
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_hyphen_rule_follows_the_documents_own_spelling(tmp_path: Path, engine: str) -> None:
    pdf = PdfBuilder()
    p = pdf.page()
    p.lines(
        72,
        700,
        [
            "Each plan is co-owned by the district. Every district decides what is co-",
            "owned next.",
        ],
    )
    p.lines(
        72,
        640,
        [
            "The coordination unit meets monthly; the unit's role is coordi-",
            "nation, not management.",
        ],
    )
    doc = _read(_write(tmp_path, pdf), engine)
    assert [b.text for b in doc.blocks] == [
        "Each plan is co-owned by the district. Every district decides what is co-owned next.",
        "The coordination unit meets monthly; the unit's role is coordination, not management.",
    ]


def _three_pages_with_furniture() -> PdfBuilder:
    pdf = PdfBuilder()
    for n in range(1, 4):
        p = pdf.page()
        p.text(72, 760, "Project Alpha - confidential draft", size=9)
        p.text(72, 700, f"Section {n}", size=16, bold=True)
        p.lines(
            72,
            675,
            [
                f"Body text of page {n} explains what the district teams decide on their own.",
                "It ends here.",
            ],
        )
        p.text(280, 40, f"Page {n} of 3", size=9)
    return pdf


@pytest.mark.parametrize("engine", ENGINES)
def test_running_header_footer_and_page_numbers_leave_the_body(tmp_path: Path, engine: str) -> None:
    doc = _read(_write(tmp_path, _three_pages_with_furniture()), engine)
    body = doc.body()
    assert [b.text for b in body if b.kind == BlockKind.HEADING] == [
        "Section 1",
        "Section 2",
        "Section 3",
    ]
    assert [(b.text, b.page) for b in body if b.kind == BlockKind.PARAGRAPH] == [
        (
            f"Body text of page {n} explains what the district teams decide on their own. It ends here.",
            n,
        )
        for n in (1, 2, 3)
    ]
    headers = [(b.text, b.page) for b in doc.blocks if b.kind == BlockKind.HEADER]
    footers = [(b.text, b.page) for b in doc.blocks if b.kind == BlockKind.FOOTER]
    assert headers == [("Project Alpha - confidential draft", n) for n in (1, 2, 3)]
    assert footers == [(f"Page {n} of 3", n) for n in (1, 2, 3)]
    assert "confidential" not in doc.text() and "of 3" not in doc.text()
    assert doc.pages == 3


@pytest.mark.parametrize("engine", ENGINES)
def test_two_columns_read_left_then_right(tmp_path: Path, engine: str) -> None:
    left = [
        "Left column text starts the story and",
        "it goes on for several lines of prose",
        "so that the gutter can be detected by",
        "the reader without any doubt at all.",
    ]
    right = [
        "Right column text continues the story",
        "after the left column has been read",
        "and it also needs several lines to be",
        "recognised as a column of real text.",
    ]
    pdf = PdfBuilder()
    p = pdf.page()
    p.text(
        72,
        720,
        "This introduction runs across the whole page width above both of the columns below it.",
    )
    y = 690.0
    for a, b in zip(left, right, strict=True):  # written row by row: the stream order is no help
        p.text(72, y, a)
        p.text(320, y, b)
        y -= 13.2
    p.text(
        72,
        600,
        "A closing line that again runs across the whole width of the page, below both columns.",
    )
    doc = _read(_write(tmp_path, pdf), engine)
    assert [b.text for b in doc.blocks] == [
        "This introduction runs across the whole page width above both of the columns below it.",
        " ".join(left),
        " ".join(right),
        "A closing line that again runs across the whole width of the page, below both columns.",
    ]


@pytest.mark.parametrize("engine", ENGINES)
def test_paragraph_cut_by_a_page_break_is_joined(tmp_path: Path, engine: str) -> None:
    pdf = PdfBuilder()
    pdf.page().lines(
        72,
        100,
        [
            "The receiving institutions take over salaries and supervision in year three, and the",
            "ministry",
        ],
    )
    pdf.page().lines(72, 720, ["confirms each step in writing."])
    doc = _read(_write(tmp_path, pdf), engine)
    assert [(b.text, b.page) for b in doc.blocks] == [
        (
            "The receiving institutions take over salaries and supervision in year three, and the ministry confirms each step in writing.",
            1,
        )
    ]


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_truncated_pdf_is_one_line_corrupt_error(tmp_path: Path, engine: str) -> None:
    data = _structured().bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[:60])
    with pytest.raises(CorruptDocument) as err:
        read_any(path, pdf_engine=engine, display="cut.pdf")
    line = err.value.line()
    assert "\n" not in line
    assert line.startswith("cut.pdf: ") and "not a readable PDF" in line


def test_auto_falls_back_to_pdfminer_when_pdfium_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shiftcheck.readers.pdf import extract_pdfium
    from shiftcheck.readers.pdf.lines import EngineRefused

    def refuse(*_args: object) -> None:
        raise EngineRefused("Data format error")

    monkeypatch.setattr(extract_pdfium, "extract", refuse)
    path = _write(tmp_path, _structured())
    with pytest.raises(CorruptDocument) as err:
        read_any(path, pdf_engine="pdfium", display="doc.pdf")
    assert err.value.line().startswith("doc.pdf: is not a readable PDF (PDFium: Data format error)")
    doc = read_any(path, pdf_engine="auto")
    assert doc.headings()[0].text == TITLE
    assert any("read with pdfminer" in w for w in doc.warnings)


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_pdf_without_text_needs_ocr(tmp_path: Path, engine: str) -> None:
    pdf = PdfBuilder()
    pdf.page().image_only()
    path = _write(tmp_path, pdf, "scan.pdf")
    doc = read_pdf(path, "scan.pdf", Limits(), engine=engine)
    assert not doc.body() and doc.pages == 1
    with pytest.raises(NoTextError) as err:
        read_any(path, pdf_engine=engine, display="scan.pdf")
    assert "looks scanned" in err.value.line() and "OCR" in err.value.line()


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_page_limit(tmp_path: Path, engine: str) -> None:
    path = _write(tmp_path, _three_pages_with_furniture())
    with pytest.raises(LimitExceeded) as err:
        read_any(path, Limits(max_pages=2), pdf_engine=engine, display="big.pdf")
    assert "over the 2-page limit" in err.value.line()


@pytest.mark.parametrize("engine", ENGINES)
def test_read_time_limit_is_one_line_naming_the_page(
    tmp_path: Path, engine: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, _three_pages_with_furniture())
    clock = iter(range(0, 1000, 10))  # every look at the clock is 10 s later
    monkeypatch.setattr(
        "shiftcheck.readers.pdf.content_size.time.monotonic", lambda: float(next(clock))
    )
    with pytest.raises(LimitExceeded) as err:
        read_pdf(path, "slow.pdf", Limits(timeout=5), engine=engine)
    line = err.value.line()
    assert "slow.pdf: took more than 5 s to read (stopped at page 1" in line, line
    assert "raise the limit with --timeout" in line


def test_unknown_engine_is_a_usage_error(tmp_path: Path) -> None:
    path = _write(tmp_path, _structured())
    with pytest.raises(UsageError):
        read_pdf(path, "doc.pdf", Limits(), engine="poppler")


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_password_protected_pdf(tmp_path: Path, engine: str) -> None:
    pdf = _structured()
    pdf.user_password = "secret"
    path = _write(tmp_path, pdf, "locked.pdf")
    with pytest.raises(EncryptedDocument) as err:
        read_any(path, pdf_engine=engine, display="locked.pdf")
    assert err.value.line() == (
        "locked.pdf: is password-protected. Remove the password (e.g. qpdf --decrypt, or print to PDF) and try again"
    )


@pytest.mark.parametrize("engine", ["auto", *ENGINES])
def test_encrypted_pdf_with_empty_user_password_reads(tmp_path: Path, engine: str) -> None:
    pdf = _structured()
    pdf.user_password = ""
    pdf.title = "Safe Birth Gombe proposal"
    doc = _read(_write(tmp_path, pdf, "open.pdf"), engine)
    assert doc.title == "Safe Birth Gombe proposal"
    assert [h.text for h in doc.headings()][:2] == [TITLE, "1 Introduction"]


def test_rc4_encrypted_pdf_under_pdfminer_is_decrypted_in_c(tmp_path: Path) -> None:
    """pdfminer's own RC4 is pure Python and quadratic in the stream's size (~40 s for one 1 MB
    stream); the reader swaps in cryptography's C cipher for the document's handler. A page whose
    content stream is ~1 MB (text plus comment padding) reads in well under a second's work, with
    the same text as the unencrypted file."""
    import time

    def build(password: str | None) -> PdfBuilder:
        pdf = PdfBuilder()
        pdf.user_password = password
        pg = pdf.page()
        pg.text(72, 640, "1 Section", size=14, bold=True)
        pg.lines(
            72,
            615,
            [f"Line {k}: the district team approves the plan for ward {k}." for k in range(40)],
            size=9,
        )
        pg.ops += [b"% padding " + b"x" * 90] * 10_000
        return pdf

    plain = _read(_write(tmp_path, build(None), "plain.pdf"), "pdfminer")
    t = time.perf_counter()
    secured = _read(_write(tmp_path, build(""), "secured.pdf"), "pdfminer")
    took = time.perf_counter() - t
    assert [b.text for b in secured.blocks] == [b.text for b in plain.blocks]
    assert secured.headings()[0].text == "1 Section" and len(secured.blocks) == 2
    assert took < 10  # pure-Python RC4 alone needs ~40 s for this stream


@pytest.mark.parametrize("engine", ENGINES)
def test_table_cells_keep_their_wrapped_lines_and_rows_stay_apart(
    tmp_path: Path, engine: str
) -> None:
    pdf = PdfBuilder()
    p = pdf.page()
    p.text(72, 730, "The table lists what each district chose.")
    rows = [
        (700, ["Root cause", "Response", "Where"]),
        (689, ["No transport after dark", "Night rosters kept by", "Balanga"]),
        (678, ["", "drivers' union branches", ""]),
        (667, ["No blood for", "Donor registers", "Akko"]),
        (656, ["haemorrhage", "", ""]),
    ]
    for y, cells in rows:
        for x, cell in zip((72, 230, 400), cells, strict=True):
            if cell:
                p.text(x, y, cell, size=9.5)
    doc = _read(_write(tmp_path, pdf), engine)
    assert [b.text for b in doc.blocks] == [
        "The table lists what each district chose.",
        "Root cause",
        "Response",
        "Where",
        "No transport after dark",
        "Night rosters kept by drivers' union branches",
        "Balanga",
        "No blood for haemorrhage",
        "Donor registers",
        "Akko",
    ]
