"""--format docx: the review as Word comments in a copy of the writer's own file (or a fresh Word
report for PDF, Markdown and text inputs).

A comment is checked where Word shows it: its anchor (the text between commentRangeStart and
commentRangeEnd, deleted text excluded) must be the quote the report gives, and its words must
name the shift and the level. Everything else in the file must be what the writer sent: every
other zip part byte for byte, and the edited parts equal once our anchors are taken out and the
runs we split are joined again.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import shiftcheck
from shiftcheck.errors import InputError
from shiftcheck.model import Report
from shiftcheck.report import BINARY_FORMATS, RenderOptions, format_for_path, render_bytes
from shiftcheck.report import docx as docx_format
from shiftcheck.report.i18n import LANGUAGES, catalog

from ..clirun import run_cli
from . import docx_fixture

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CORPUS = ROOT.parent / "shared" / "corpus" / "docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CHANGED_PARTS = {
    "word/document.xml",
    "word/comments.xml",
    "word/_rels/document.xml.rels",
    "[Content_Types].xml",
    "word/footnotes.xml",
}


#: as the reader parses: entity declarations kept, never expanded
PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)


def transitional(xml: bytes) -> bytes:
    """Strict OOXML read as transitional (the same elements under another namespace)."""
    return xml.replace(b"http://purl.oclc.org/ooxml/wordprocessingml/main", W.encode())


def q(local: str) -> str:
    return f"{{{W}}}{local}"


def squeeze(text: str) -> str:
    """Text as the comparison sees it: no whitespace, no ellipsis, no table-cell bar."""
    return re.sub(r"[\s|…\u00ad]", "", text)


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def anchors(xml: bytes) -> dict[str, str]:
    """Comment id -> the text its range covers (deleted text is w:delText, so it never counts)."""
    root = etree.fromstring(transitional(xml), PARSER)
    open_ids: list[str] = []
    texts: dict[str, list[str]] = {}
    for el in root.iter():
        if el.tag == q("commentRangeStart"):
            open_ids.append(el.get(q("id")))
            texts.setdefault(el.get(q("id")), [])
        elif el.tag == q("commentRangeEnd"):
            if el.get(q("id")) in open_ids:
                open_ids.remove(el.get(q("id")))
        elif el.tag == q("t"):
            for i in open_ids:
                texts[i].append(el.text or "")
        elif el.tag == q("p"):
            for i in open_ids:
                texts[i].append("\n")
    return {k: "".join(v) for k, v in texts.items()}


def comments(xml: bytes) -> dict[str, tuple[str, str]]:
    """Comment id -> (author, its text, paragraphs joined by newlines)."""
    out = {}
    for c in etree.fromstring(transitional(xml), PARSER).iter(q("comment")):
        text = "\n".join("".join(t.text or "" for t in p.iter(q("t"))) for p in c.iter(q("p")))
        out[c.get(q("id"))] = (c.get(q("author")), text)
    return out


def without_our_marks(xml: bytes, ids: set[str]) -> bytes:
    """The part with our comment anchors removed and every pair of neighbouring runs that have the
    same properties joined (the same joining is applied to the input, so a run we split compares
    equal to the run it was)."""
    root = etree.fromstring(transitional(xml), PARSER)
    for el in list(root.iter(q("commentRangeStart"), q("commentRangeEnd"))):
        if el.get(q("id")) in ids:
            el.getparent().remove(el)
    for ref in list(root.iter(q("commentReference"))):
        if ref.get(q("id")) in ids:
            run = ref.getparent()
            run.getparent().remove(run)
    return joined_runs(root)


def joined_runs(root: etree._Element) -> bytes:
    for parent in list(root.iter()):
        prev = None
        for child in list(parent):
            if child.tag != q("r"):
                prev = None
                continue
            if (
                prev is not None
                and _same_look(prev, child)
                and _only_text(prev)
                and _only_text(child)
            ):
                last = [t for t in prev if t.tag == q("t")][-1]
                for t in [t for t in child if t.tag == q("t")]:
                    last.text = (last.text or "") + (t.text or "")
                parent.remove(child)
                continue
            prev = child
    for t in root.iter(q("t")):
        t.attrib.pop("{http://www.w3.org/XML/1998/namespace}space", None)
    return etree.tostring(root, encoding="UTF-8")


def _same_look(a, b) -> bool:
    pa, pb = a.find(q("rPr")), b.find(q("rPr"))
    ca = etree.tostring(pa, method="c14n") if pa is not None else b""
    cb = etree.tostring(pb, method="c14n") if pb is not None else b""
    return ca == cb and dict(a.attrib) == dict(b.attrib)


def _only_text(r) -> bool:
    kids = [c for c in r if c.tag != q("rPr")]
    return bool(kids) and all(c.tag == q("t") for c in kids)


def review(path: Path | str) -> Report:
    return shiftcheck.review(str(path))


def annotated(path: Path, **opts) -> tuple[Report, dict[str, bytes], dict[str, bytes]]:
    report = review(path)
    data = render_bytes("docx", report, RenderOptions(**opts))
    return report, parts(path.read_bytes()), parts(data)


def findings(report: Report):
    for s in report.shifts:
        for ev in s.evidence:
            yield s, ev
        for f in s.red_flags:
            yield s, f


@pytest.fixture
def fixture_docx(tmp_path) -> Path:
    return docx_fixture.build(tmp_path / "proposal.docx")


# ---------------------------------------------------------------- anchors and words


@pytest.mark.parametrize(
    "name", ["05-strong-district-led-tb-kenya.docx", "02-weak-top-down-hiv-ta.docx"]
)
def test_every_quote_gets_a_comment_anchored_exactly_on_it_naming_shift_and_level(name):
    report, _, after = annotated(EXAMPLES / name)
    ranges = anchors(after["word/document.xml"])
    notes = comments(after["word/comments.xml"])
    assert len(notes) >= 10
    by_anchor: dict[str, list[str]] = {}
    for cid, text in ranges.items():
        by_anchor.setdefault(squeeze(text), []).append(notes[cid][1])
    for s, item in findings(report):
        texts = by_anchor.get(squeeze(item.quote))
        assert texts, f"no comment anchored on {item.quote!r}"
        level = f"Shift {s.id} · {s.short_title or s.title}: level {s.level} ({s.level_name})"
        assert any(level in t for t in texts), (level, texts)
        if hasattr(item, "suggestion") and item.suggestion:
            assert any(item.message in t and item.suggestion in t for t in texts)
    # python-docx (the library writers script Word with) reads every comment with its author
    docx = pytest.importorskip("docx")
    opened = docx.Document(io.BytesIO(render_bytes("docx", report, RenderOptions())))
    assert len(list(opened.comments)) == len(notes)
    assert {c.author for c in opened.comments} == {"shiftcheck"}


def test_the_title_carries_a_summary_with_the_nine_levels_and_the_top_recommendations():
    report, _, after = annotated(EXAMPLES / "02-weak-top-down-hiv-ta.docx")
    ranges = anchors(after["word/document.xml"])
    notes = comments(after["word/comments.xml"])
    title = next(
        cid
        for cid, text in ranges.items()
        if text.strip() == "VL-SCALE: Technical Assistance for Viral Load Suppression in Malawi"
    )
    summary = notes[title][1]
    assert summary.startswith(f"shiftcheck review: overall level {report.overall.level}")
    for s in report.shifts:
        assert (
            f"Shift {s.id} · {s.short_title or s.title}: level {s.level} ({s.level_name})"
            in summary
        )
    assert "Top recommendations" in summary
    for r in report.recommendations[:3]:
        assert r in summary


def test_a_first_comment_per_shift_says_why_the_level_and_what_to_add_next():
    report, _, after = annotated(EXAMPLES / "05-strong-district-led-tb-kenya.docx")
    notes = [t for _, t in comments(after["word/comments.xml"]).values()]
    shift8 = next(s for s in report.shifts if s.id == 8)
    assert shift8.recommendations
    with_context = [t for t in notes if t.startswith("Shift 8 ") and shift8.rationale in t]
    assert len(with_context) == 1
    assert all(r in with_context[0] for r in shift8.recommendations)


# ---------------------------------------------------------------- nothing else changes


def _assert_only_comments_added(before: dict, after: dict) -> None:
    """The commented copy adds the comments part, leaves every other unchanged part byte for byte,
    and its body without our comment marks is the original body."""
    assert set(after) == set(before) | {"word/comments.xml"}
    for part, data in before.items():
        if part not in CHANGED_PARTS:
            assert after[part] == data, part
    ours = set(comments(after["word/comments.xml"]))
    assert without_our_marks(after["word/document.xml"], ours) == joined_runs(
        etree.fromstring(before["word/document.xml"])
    )


@pytest.mark.parametrize(
    "name", ["05-strong-district-led-tb-kenya.docx", "02-weak-top-down-hiv-ta.docx"]
)
def test_every_other_part_is_byte_identical_and_the_body_unchanged(name):
    _, before, after = annotated(EXAMPLES / name)
    _assert_only_comments_added(before, after)
    # the new part is linked by one relationship and one content type, spliced into the old bytes
    rels_before, rels_after = (
        before["word/_rels/document.xml.rels"],
        after["word/_rels/document.xml.rels"],
    )
    added = rels_after.replace(rels_before[: rels_before.rfind(b"</Relationships>")], b"", 1)
    assert re.fullmatch(
        rb'<Relationship Id="rId\d+" Type="[^"]+/comments" Target="comments.xml"/></Relationships>',
        added,
    )
    ct_before, ct_after = before["[Content_Types].xml"], after["[Content_Types].xml"]
    assert ct_after == ct_before.replace(
        b"</Types>",
        b'<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>',
    )


def test_tracked_changes_existing_comments_notes_text_boxes_and_tables(fixture_docx):
    report, before, after = annotated(fixture_docx)
    doc_before, doc_after = before["word/document.xml"], after["word/document.xml"]
    # parts that hold no anchor are untouched, the footnotes included (the footnote's comment
    # sits on its reference mark)
    for part in (
        "word/styles.xml",
        "word/footnotes.xml",
        "_rels/.rels",
        "[Content_Types].xml",
        "word/_rels/document.xml.rels",
    ):
        assert after[part] == before[part], part
    # tracked changes: the same insertions and deletions, with the same text
    for tag in ("ins", "del"):
        old = [etree.tostring(e, method="c14n") for e in etree.fromstring(doc_before).iter(q(tag))]
        new = [etree.tostring(e, method="c14n") for e in etree.fromstring(doc_after).iter(q(tag))]
        assert len(old) == len(new) == 1
        assert new == old
    # the reviewer's comment is kept as it was, and its anchor too; ours take ids no other
    # annotation uses
    old_comments = etree.fromstring(before["word/comments.xml"])
    new_comments = etree.fromstring(after["word/comments.xml"])
    assert etree.tostring(new_comments[0], method="c14n") == etree.tostring(
        old_comments[0], method="c14n"
    )
    notes = comments(after["word/comments.xml"])
    ranges = anchors(doc_after)
    assert notes["0"] == ("Amina", "Is monthly too often?")
    assert ranges["0"] == "Crestview will report monthly to the Funder from ViralTrack."
    used = {
        e.get(q("id")) for e in etree.fromstring(doc_before).iter() if e.get(q("id")) is not None
    }
    ours = set(notes) - {"0"}
    assert len(ours) == len(notes) - 1 and not ours & used
    assert without_our_marks(doc_after, ours) == joined_runs(etree.fromstring(doc_before))

    def anchored(quote: str) -> list[str]:
        return [
            cid for cid, text in ranges.items() if cid in ours and squeeze(text) == squeeze(quote)
        ]

    # a quote across formatting runs and a tracked insertion, with a tracked deletion inside
    hosted = anchored(
        "Facility staff will enter sample and result data into ViralTrack, which is hosted on Crestview’s servers."
    )
    assert len(hosted) == 1 and "Red flag (error)" in notes[hosted[0]][1]
    # the existing comment's sentence gets ours too
    assert anchored("Crestview will report monthly to the Funder from ViralTrack.")
    # through a hyperlink; the hyperlink keeps its target and its text
    assert anchored(
        "A Project Steering Committee chaired by Crestview’s Country Director will meet twice a year to review progress."
    )
    link = next(etree.fromstring(doc_after).iter(q("hyperlink")))
    assert "".join(link.itertext()) == "Crestview’s Country Director"
    # a table row: from the first cell to the last
    row = anchored(
        "The approved workplan must be strictly adhered to. | Deviations from activities, targets or timelines will not be permitted without prior written approval of the Funder."
    )
    assert len(row) == 1
    # inside the text box (the drawing's own paragraph, not the VML fallback copy)
    box = anchored("MCOS will implement activities designed by Crestview.")
    assert len(box) == 1
    start = next(
        e
        for e in etree.fromstring(doc_after).iter(q("commentRangeStart"))
        if e.get(q("id")) == box[0]
    )
    assert any(a.tag == q("txbxContent") for a in start.iterancestors())
    assert any(
        a.tag == "{http://schemas.openxmlformats.org/markup-compatibility/2006}Choice"
        for a in start.iterancestors()
    )
    # the footnote's quote: a comment on footnote 1's reference mark that quotes it
    in_note = [
        cid
        for cid in ours
        if notes[cid][1].startswith(
            "In footnote 1: “Ministry of Health officials will be consulted"
        )
    ]
    assert len(in_note) == 1
    ref = next(etree.fromstring(doc_after).iter(q("footnoteReference")))
    run = ref.getparent()
    assert (
        run.getprevious().tag == q("commentRangeStart")
        and run.getprevious().get(q("id")) == in_note[0]
    )
    assert run.getnext().tag == q("commentRangeEnd")
    # every finding is somewhere
    for _, item in findings(report):
        assert anchored(item.quote) or any(
            one in notes[c][1] for c in in_note for one in [item.quote]
        )


def test_split_runs_keep_their_properties(fixture_docx):
    _, _, after = annotated(fixture_docx)
    root = etree.fromstring(after["word/document.xml"])
    italic = [
        r
        for r in root.iter(q("r"))
        if r.find(q("rPr")) is not None and r.find(q("rPr")).find(q("i")) is not None
    ]
    assert "".join(t.text for r in italic for t in r.iter(q("t"))) == "on Crestview’s servers."
    bold = [
        r
        for r in root.iter(q("r"))
        if r.find(q("rPr")) is not None and r.find(q("rPr")).find(q("b")) is not None
    ]
    assert [t.text for r in bold for t in r.iter(q("t"))] == ["sample and result data"]


def test_a_quote_no_longer_in_the_file_covers_its_paragraph_and_says_so(tmp_path):
    src = tmp_path / "02.docx"
    shutil.copy(EXAMPLES / "02-weak-top-down-hiv-ta.docx", src)
    report = review(src)
    flag = report.shifts[5].red_flags[0]
    original = flag.quote
    flag.quote = "A sentence the writer has since rewritten."
    missing = report.shifts[0].red_flags[0]
    missing.location.paragraph = 10_000
    out = parts(render_bytes("docx", report, RenderOptions()))
    notes = comments(out["word/comments.xml"])
    ranges = anchors(out["word/document.xml"])
    whole = [cid for cid, (_, text) in notes.items() if "covers the whole paragraph" in text]
    assert len(whole) == 1 and "A sentence the writer has since rewritten." in notes[whole[0]][1]
    assert squeeze(original) in squeeze(ranges[whole[0]]) and len(squeeze(ranges[whole[0]])) > len(
        squeeze(original)
    )
    summary = next(text for _, text in notes.values() if text.startswith("shiftcheck review"))
    assert "1 finding could not be placed in this copy" in summary and missing.quote[:40] in summary


def test_author_is_configurable_and_output_is_deterministic(fixture_docx):
    report = review(fixture_docx)
    a = render_bytes("docx", report, RenderOptions(author="Jane Reviewer"))
    assert a == render_bytes(
        "docx", report.model_copy(deep=True), RenderOptions(author="Jane Reviewer")
    )
    authors = {
        author for cid, (author, _) in comments(parts(a)["word/comments.xml"]).items() if cid != "0"
    }
    assert authors == {"Jane Reviewer"}
    assert b'w:initials="JR"' in parts(a)["word/comments.xml"]


def test_the_words_of_the_format_come_from_the_report_catalogs():
    """Every ``docx.*`` string the format uses is a key of the report catalogs (their parity test
    checks both languages); the format keeps no words of its own."""
    package = Path(docx_format.__file__).parent
    source = "".join(p.read_text(encoding="utf-8") for p in package.glob("*.py"))
    used = set(re.findall(r'"(docx\.\w+)"', source)) | {"docx.in_footnote", "docx.in_endnote"}
    assert {"docx.shift", "docx.summary", "docx.unplaced"} <= used
    for lang in LANGUAGES:
        keys = set(catalog(lang))
        missing = {k for k in used if k not in keys and f"{k}#one" not in keys}
        assert missing == set(), (lang, missing)
    assert not hasattr(docx_format, "WORDS")


def test_french_comments(tmp_path):
    src = tmp_path / "doc.docx"
    shutil.copy(EXAMPLES / "02-weak-top-down-hiv-ta.docx", src)
    report = review(src)
    out = parts(
        render_bytes(
            "docx",
            report,
            RenderOptions(lang="fr")
            if "lang" in RenderOptions.__dataclass_fields__
            else RenderOptions(),
        )
    )
    if "lang" not in RenderOptions.__dataclass_fields__:
        pytest.skip("report languages are not wired yet")
    texts = [t for _, t in comments(out["word/comments.xml"]).values()]
    assert any(t.startswith("Revue shiftcheck : niveau global") for t in texts)
    assert any("Signal d’alerte" in t for t in texts)


# ---------------------------------------------------------------- other inputs: a fresh report


@pytest.mark.parametrize(
    "name", ["03-mixed-family-planning.pdf", "01-strong-state-led-nutrition.md"]
)
def test_pdf_and_markdown_inputs_get_a_fresh_word_report(name):
    docx = pytest.importorskip("docx")
    report = review(EXAMPLES / name)
    data = render_bytes("docx", report, RenderOptions())
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert (
        doc.paragraphs[0].text == f"shiftcheck review: {report.document.path}"
        and doc.paragraphs[0].style.name == "Title"
    )
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == [
        "#",
        "Shift",
        "Level",
        "Strongest evidence",
        "Red flags",
    ]
    assert len(table.rows) == 1 + len(report.shifts) == 10
    for row, s in zip(table.rows[1:], report.shifts, strict=True):
        assert row.cells[0].text == str(s.id) and row.cells[2].text == f"{s.level} {s.level_name}"
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 2"]
    assert headings == [
        f"{s.id}. {s.title}: Level {s.level} ({s.level_name})" for s in report.shifts
    ]
    for _, item in findings(report):
        assert item.quote in text
    assert data == render_bytes("docx", report, RenderOptions())


def test_a_batch_through_the_library_is_one_word_file_with_the_portfolio():
    docx = pytest.importorskip("docx")
    reports = [
        review(EXAMPLES / n)
        for n in ("01-strong-state-led-nutrition.md", "03-mixed-family-planning.pdf")
    ]
    doc = docx.Document(io.BytesIO(render_bytes("docx", reports, RenderOptions(summary=True))))
    assert doc.paragraphs[0].text == "shiftcheck portfolio review (2 documents)"
    portfolio = doc.tables[-1]
    assert [r.cells[0].text for r in portfolio.rows[1:]] == [r.document.path for r in reports]


def test_docx_is_a_file_format_inferred_from_the_output_name():
    assert "docx" in BINARY_FORMATS
    assert format_for_path("reviewed.docx") == "docx" and format_for_path("Reviewed.DOCM") == "docx"


# ---------------------------------------------------------------- the command line


def run(args, cwd):
    return run_cli(args, cwd, text=False)


def test_cli_writes_the_reviewed_copy_and_never_over_the_input(tmp_path):
    shutil.copy(EXAMPLES / "05-strong-district-led-tb-kenya.docx", tmp_path / "p.docx")
    original = (tmp_path / "p.docx").read_bytes()
    out = run(["review", "p.docx", "-o", "reviewed.docx"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert comments(parts((tmp_path / "reviewed.docx").read_bytes())["word/comments.xml"])
    out = run(["review", "p.docx", "-o", "p.docx"], tmp_path)
    assert out.returncode == 2
    assert (
        out.stderr.decode().strip()
        == "p.docx: is one of the input documents; refusing to overwrite it. Choose another --output file"
    )
    assert (tmp_path / "p.docx").read_bytes() == original
    out = run(["review", "p.docx", "-o", "p.docm"], tmp_path)
    assert (
        out.returncode == 2
        and "a .docm output needs a macro-enabled (.docm) input" in out.stderr.decode()
    )


def test_cli_comment_author_comes_from_the_config(tmp_path):
    shutil.copy(EXAMPLES / "02-weak-top-down-hiv-ta.docx", tmp_path / "p.docx")
    (tmp_path / ".shiftcheck.yaml").write_text(
        "report:\n  author: Jane Reviewer\n", encoding="utf-8"
    )
    out = run(["review", "p.docx", "-o", "reviewed.docx"], tmp_path)
    assert out.returncode == 0, out.stderr
    notes = comments(parts((tmp_path / "reviewed.docx").read_bytes())["word/comments.xml"])
    assert notes and {author for author, _ in notes.values()} == {"Jane Reviewer"}


def test_cli_batch_writes_one_file_per_document_into_a_folder(tmp_path):
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    shutil.copy(EXAMPLES / "02-weak-top-down-hiv-ta.docx", docs / "a.docx")
    shutil.copy(EXAMPLES / "05-strong-district-led-tb-kenya.docx", docs / "sub" / "a.docx")
    shutil.copy(EXAMPLES / "01-strong-state-led-nutrition.md", docs / "a.md")
    out = run(["review", "docs", "-f", "docx", "-o", "reviewed.docx"], tmp_path)
    assert out.returncode == 2 and not (tmp_path / "reviewed.docx").exists()
    assert (
        out.stderr.decode().strip()
        == "reviewed.docx: --format docx writes one Word file per document, so several documents need a folder. Pass -o FOLDER (with --mkdir to create it)"
    )
    out = run(["review", "docs", "-f", "docx", "-o", "docs"], tmp_path)
    assert out.returncode == 2 and "would overwrite the input document" in out.stderr.decode()
    out = run(["review", "docs", "-f", "docx", "-o", "reviewed", "--mkdir"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr.decode().strip() == "wrote 3 Word files to reviewed"
    written = sorted(
        str(p.relative_to(tmp_path / "reviewed")) for p in (tmp_path / "reviewed").rglob("*.docx")
    )
    assert written == ["a.docx", "a.md.docx", "sub/a.docx"]
    assert anchors(
        parts((tmp_path / "reviewed" / "sub" / "a.docx").read_bytes())["word/document.xml"]
    )


# ---------------------------------------------------------------- issue 13's acceptance command


def _words(text: str) -> str:
    """A quote as the writer reads it: single spaces, no shortening mark, a table row's cells
    side by side (the report joins them with `` | ``, the file has no such character)."""
    return " ".join(text.replace(" | ", " ").strip().strip("…").split())


@pytest.fixture(scope="module")
def example_05_by_the_cli(tmp_path_factory):
    """``shiftcheck review examples/05-strong-district-led-tb-kenya.docx -o reviewed.docx``, and
    the same review as JSON (the report whose quotes the comments must carry)."""
    where = tmp_path_factory.mktemp("example05")
    source = EXAMPLES / "05-strong-district-led-tb-kenya.docx"
    for out in ("reviewed.docx", "report.json"):
        done = run(["review", str(source), "-o", out], where)
        assert done.returncode == 0, done.stderr
    report = json.loads((where / "report.json").read_text(encoding="utf-8"))
    return source, where / "reviewed.docx", report


def test_example_05_comments_anchor_exactly_on_the_reports_quotes(example_05_by_the_cli):
    _, reviewed, report = example_05_by_the_cli
    after = parts(reviewed.read_bytes())
    ranges = {cid: _words(text) for cid, text in anchors(after["word/document.xml"]).items()}
    title = report["document"]["title"]
    quoted = {
        _words(item["quote"])
        for s in report["shifts"]
        for item in [*s["evidence"], *s["red_flags"]]
    }
    assert len(quoted) >= 20
    # every quote carries a comment on exactly its words, and every other comment is the summary
    assert quoted <= set(ranges.values()), sorted(quoted - set(ranges.values()))
    assert sorted(set(ranges.values()) - quoted) == [_words(title)]
    assert len(ranges) == len(comments(after["word/comments.xml"])) == len(quoted) + 1


def test_example_05_body_is_unchanged(example_05_by_the_cli):
    source, reviewed, _ = example_05_by_the_cli
    before, after = parts(source.read_bytes()), parts(reviewed.read_bytes())
    _assert_only_comments_added(before, after)


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_example_05_reviewed_copy_converts_to_pdf_with_libreoffice(example_05_by_the_cli, tmp_path):
    _, reviewed, _ = example_05_by_the_cli
    done = subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(reviewed),
        ],
        capture_output=True,
        timeout=240,
    )
    pdf = tmp_path / "reviewed.pdf"
    assert done.returncode == 0 and pdf.read_bytes().startswith(b"%PDF-"), done.stderr
    assert pdf.stat().st_size > 1000


# ---------------------------------------------------------------- LibreOffice and the corpus


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_opens_the_reviewed_copies_with_every_comment(tmp_path, fixture_docx):
    for src in (EXAMPLES / "05-strong-district-led-tb-kenya.docx", fixture_docx):
        report = review(src)
        target = tmp_path / f"reviewed-{src.stem}.docx"
        target.write_bytes(render_bytes("docx", report, RenderOptions()))
        n = len(comments(parts(target.read_bytes())["word/comments.xml"]))
        for fmt in ("pdf", "odt"):
            done = subprocess.run(
                [
                    "soffice",
                    f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--headless",
                    "--convert-to",
                    fmt,
                    "--outdir",
                    str(tmp_path),
                    str(target),
                ],
                capture_output=True,
                timeout=240,
            )
            assert (
                done.returncode == 0 and (tmp_path / f"{target.stem}.{fmt}").stat().st_size > 1000
            ), done.stderr
        content = zipfile.ZipFile(tmp_path / f"{target.stem}.odt").read("content.xml")
        assert content.count(b"<office:annotation ") == n
        assert content.count(b"<office:annotation-end ") == n


def _corpus() -> list[Path]:
    return sorted(CORPUS.glob("*.docx")) if CORPUS.is_dir() else []


@pytest.mark.skipif(not _corpus(), reason="/work/shared/corpus is not available")
def test_hostile_and_odd_corpus_documents_keep_every_other_part():
    annotated_count = 0
    for path in _corpus():
        try:
            report = review(path)
        except InputError:
            continue
        try:
            data = render_bytes("docx", report, RenderOptions())
        except InputError as e:  # a part the review never needed is damaged: one line, no copy
            assert "has a damaged part" in e.line(), e.line()
            continue
        before, after = parts(path.read_bytes()), parts(data)
        notes = comments(
            next(
                v
                for k, v in after.items()
                if k.lower().endswith("comments.xml") and "word" in k.lower()
            )
        )
        assert (
            any(
                text.startswith(("shiftcheck review", "Revue shiftcheck"))
                for _, text in notes.values()
            )
            or not report.document.words
        ), path.name
        ours = {cid for cid, (author, _) in notes.items() if author == "shiftcheck"}
        for part, old in before.items():
            new = after[part]
            if new == old:
                continue
            assert part.lower().endswith(".xml") or part.lower().endswith(".rels"), (
                path.name,
                part,
            )
            if (
                part.endswith(".rels")
                or part == "[Content_Types].xml"
                or part.lower().endswith("comments.xml")
            ):
                continue
            assert without_our_marks(new, ours) == joined_runs(
                etree.fromstring(transitional(old), PARSER)
            ), (path.name, part)
        annotated_count += 1
    assert annotated_count >= 20
