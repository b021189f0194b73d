"""DOCX reader: small fixtures built in the tests (python-docx and hand-written XML parts)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx as python_docx
import pytest

from shiftcheck.document import BlockKind
from shiftcheck.errors import CorruptDocument, InputError, LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers import read as read_any
from shiftcheck.readers.docx import read

from .docx_fixtures import (
    DECL,
    DEFAULT_STYLES,
    NSDECL,
    W_STRICT,
    make_docx,
    p,
    style,
    tbl,
    tc,
)

LIMITS = Limits()


def rd(path: Path, limits: Limits = LIMITS):
    return read(path, path.name, limits)


def triples(doc):
    return [(b.kind, b.text) for b in doc.blocks]


# ---------------------------------------------------------------------------------------------
# python-docx generated documents


def test_python_docx_headings_lists_tables(tmp_path):
    d = python_docx.Document()
    d.core_properties.title = ""
    d.add_heading("Proposal", level=0)  # Title style
    d.add_heading("1 Background", level=1)
    d.add_paragraph("Context text.")
    d.add_heading("1.1 Problem", level=2)
    d.add_paragraph("First bullet", style="List Bullet")
    d.add_paragraph("Second level", style="List Bullet 2")
    d.add_paragraph("Numbered", style="List Number")
    d.add_heading("2 Approach", level=1)
    t = d.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Role"
    t.cell(0, 1).text = "Owner"
    t.cell(1, 0).text = "Lead"
    t.cell(1, 1).text = "Ministry"
    d.add_paragraph("After the table.")
    d.add_paragraph("")  # empty: skipped
    path = tmp_path / "gen.docx"
    d.save(path)
    doc = rd(path)
    assert doc.format == "docx" and doc.pages is None
    assert doc.title == "Proposal"
    got = [(b.kind, b.text, b.level, b.heading_path, b.list_level) for b in doc.blocks]
    H, P, L, C = BlockKind.HEADING, BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.TABLE_CELL
    assert got == [
        (H, "Proposal", 1, (), None),
        (H, "1 Background", 1, (), None),
        (P, "Context text.", None, ("1 Background",), None),
        (H, "1.1 Problem", 2, ("1 Background",), None),
        (L, "First bullet", None, ("1 Background", "1.1 Problem"), 1),
        (L, "Second level", None, ("1 Background", "1.1 Problem"), 1),
        (L, "Numbered", None, ("1 Background", "1.1 Problem"), 1),
        (H, "2 Approach", 1, (), None),
        (C, "Role", None, ("2 Approach",), None),
        (C, "Owner", None, ("2 Approach",), None),
        (C, "Lead", None, ("2 Approach",), None),
        (C, "Ministry", None, ("2 Approach",), None),
        (P, "After the table.", None, ("2 Approach",), None),
    ]
    cells = [(b.table, b.row, b.col) for b in doc.blocks if b.kind == C]
    assert cells == [(1, 1, 1), (1, 1, 2), (1, 2, 1), (1, 2, 2)]
    assert [b.index for b in doc.blocks] == list(range(1, len(doc.blocks) + 1))


def test_core_title_wins(tmp_path):
    path = make_docx(tmp_path / "t.docx", p("Chapter", "Heading1"), core_title="The Real Title")
    assert rd(path).title == "The Real Title"
    path = make_docx(tmp_path / "u.docx", p("Intro") + p("Chapter", "Heading1"))
    assert rd(path).title == "Chapter"


# ---------------------------------------------------------------------------------------------
# headings: localized, renamed, outline levels, inheritance


def test_localized_and_outline_headings(tmp_path):
    styles = (
        DEFAULT_STYLES
        + style("Titre1", "Titre 1", "Normal")  # localized name, no outlineLvl
        + style("berschrift2", "Überschrift 2", "Normal")
        + style("MyChapter", "My Chapter", "Heading1")  # inherits heading 1
        + style("Plain", "Plain", None, '<w:outlineLvl w:val="2"/>')  # outline level in style
        + style("TOCHeading", "TOC Heading", "Heading1", '<w:outlineLvl w:val="9"/>')
        + style("lower", "heading 2")  # lowercase built-in name, odd id
    )
    body = (
        p("Contexte", "Titre1")
        + p("Détail", "berschrift2")
        + p("Custom chapter", "MyChapter")
        + p("Deep", "Plain")
        + p("Contents", "TOCHeading")
        + p("Lowercase", "lower")
        + p("Direct outline", None, '<w:outlineLvl w:val="0"/>')
        + p("Body under it")
        + p("No styles part id", "Heading3")
    )
    doc = rd(make_docx(tmp_path / "h.docx", body, styles=styles))
    heads = [(b.text, b.level, b.heading_path) for b in doc.headings()]
    assert heads == [
        ("Contexte", 1, ()),
        ("Détail", 2, ("Contexte",)),
        ("Custom chapter", 1, ()),
        ("Deep", 3, ("Custom chapter",)),
        ("Lowercase", 2, ("Custom chapter",)),
        ("Direct outline", 1, ()),
        ("No styles part id", 3, ("Direct outline",)),
    ]
    contents = next(b for b in doc.blocks if b.text == "Contents")
    assert contents.kind == BlockKind.PARAGRAPH
    body_block = next(b for b in doc.blocks if b.text == "Body under it")
    assert body_block.heading_path == ("Direct outline",)


def test_heading_ids_without_styles_part(tmp_path):
    doc = rd(
        make_docx(
            tmp_path / "n.docx", p("Top", "Heading1") + p("Sub", "Heading2") + p("x"), styles=None
        )
    )
    assert [(b.kind, b.text, b.heading_path) for b in doc.blocks] == [
        (BlockKind.HEADING, "Top", ()),
        (BlockKind.HEADING, "Sub", ("Top",)),
        (BlockKind.PARAGRAPH, "x", ("Top", "Sub")),
    ]


def test_caption_and_list_from_numpr(tmp_path):
    body = (
        p("Figure 1: Results", "Caption")
        + p("item one", None, '<w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr>')
        + p("not a list", "ListBullet", '<w:numPr><w:numId w:val="0"/></w:numPr>')
        + p("style list", "ListBullet")
    )
    doc = rd(make_docx(tmp_path / "c.docx", body))
    assert [(b.kind, b.text, b.list_level) for b in doc.blocks] == [
        (BlockKind.CAPTION, "Figure 1: Results", None),
        (BlockKind.LIST_ITEM, "item one", 2),
        (BlockKind.PARAGRAPH, "not a list", None),
        (BlockKind.LIST_ITEM, "style list", 1),
    ]


# ---------------------------------------------------------------------------------------------
# tracked changes, fields, controls, text boxes, inline oddities


def test_tracked_changes(tmp_path):
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Kept </w:t></w:r>'
        '<w:ins w:id="1" w:author="a"><w:r><w:t xml:space="preserve">inserted </w:t></w:r></w:ins>'
        '<w:del w:id="2" w:author="a"><w:r><w:delText>DELETEDWORD </w:delText></w:r></w:del>'
        '<w:moveTo w:id="3" w:author="a"><w:r><w:t>movedhere</w:t></w:r></w:moveTo>'
        '<w:moveFrom w:id="4" w:author="a"><w:r><w:t>MOVEDAWAY</w:t></w:r></w:moveFrom>'
        "</w:p>"
        '<w:p><w:del w:id="5" w:author="a"><w:r><w:delText>WHOLLYDELETED</w:delText></w:r></w:del></w:p>'
        '<w:p><w:moveFrom w:id="6" w:author="a"><w:ins w:id="7" w:author="a"><w:r><w:t>INSIDEMOVEFROM</w:t></w:r></w:ins></w:moveFrom>'
        '<w:ins w:id="8" w:author="a"><w:del w:id="9" w:author="a"><w:r><w:delText>INSTHENDEL</w:delText></w:r></w:del></w:ins></w:p>'
    )
    doc = rd(make_docx(tmp_path / "tc.docx", body))
    assert triples(doc) == [(BlockKind.PARAGRAPH, "Kept inserted movedhere")]
    everything = " ".join(b.text for b in doc.blocks)
    for gone in ("DELETEDWORD", "MOVEDAWAY", "WHOLLYDELETED", "INSIDEMOVEFROM", "INSTHENDEL"):
        assert gone not in everything


def test_fields_controls_hyperlinks_smarttags(tmp_path):
    body = (
        '<w:p><w:fldSimple w:instr=" DATE "><w:r><w:t>1 May 2026</w:t></w:r></w:fldSimple></w:p>'
        '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>7</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
        '<w:sdt><w:sdtPr><w:alias w:val="Block control"/><w:placeholder><w:docPart w:val="X"/></w:placeholder></w:sdtPr>'
        "<w:sdtContent>" + p("Block level control") + "</w:sdtContent></w:sdt>"
        '<w:p><w:r><w:t xml:space="preserve">Call </w:t></w:r><w:sdt><w:sdtPr/><w:sdtContent><w:r><w:t>inline</w:t></w:r></w:sdtContent></w:sdt>'
        '<w:hyperlink r:id="rId9"><w:r><w:t xml:space="preserve"> link</w:t></w:r></w:hyperlink>'
        '<w:smartTag w:uri="u" w:element="place"><w:r><w:t xml:space="preserve"> Lusaka</w:t></w:r></w:smartTag>'
        '<w:customXml w:element="x"><w:r><w:t xml:space="preserve"> custom</w:t></w:r></w:customXml></w:p>'
    )
    doc = rd(make_docx(tmp_path / "f.docx", body))
    assert [b.text for b in doc.blocks] == [
        "1 May 2026",
        "7",
        "Block level control",
        "Call inline link Lusaka custom",
    ]
    assert "PAGE" not in doc.text()


def test_text_boxes_alternate_content_one_branch(tmp_path):
    txbx = "<w:txbxContent>" + p("Inside the box") + "</w:txbxContent>"
    body = (
        '<w:p><w:r><w:t xml:space="preserve">Anchor </w:t></w:r><w:r><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx>{txbx}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f"<mc:Fallback><w:pict><v:shape><v:textbox>{txbx}</v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r><w:r><w:t>text</w:t></w:r></w:p>"
        + p("After")
        # a VML-only text box (no AlternateContent)
        + f"<w:p><w:r><w:pict><v:shape><v:textbox>{'<w:txbxContent>' + p('Legacy box') + '</w:txbxContent>'}</v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    doc = rd(make_docx(tmp_path / "tb.docx", body))
    assert [b.text for b in doc.blocks] == ["Anchor text", "Inside the box", "After", "Legacy box"]


def test_inline_specials(tmp_path):
    body = (
        '<w:p><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:br w:type="page"/><w:t>d</w:t></w:r></w:p>'
        "<w:p><w:r><w:t>co</w:t><w:noBreakHyphen/><w:t>op</w:t><w:softHyphen/><w:t>eration</w:t></w:r></w:p>"
        '<w:p><w:r><w:sym w:font="Symbol" w:char="F061"/><w:sym w:font="Symbol" w:char="F0B3"/>'
        '<w:sym w:font="Wingdings" w:char="F0FC"/><w:t xml:space="preserve"> 5</w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">  spaced   out  </w:t></w:r></w:p>'
        '<w:p><w:r><w:t xml:space="preserve">   </w:t></w:r></w:p>'
        "<w:p><w:ruby><w:rubyPr/><w:rt><w:r><w:t>かん</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>漢</w:t></w:r></w:rubyBase></w:ruby></w:p>"
        "<w:p><m:oMath><m:r><m:t>x=1</m:t></m:r></m:oMath></w:p>"
    )
    doc = rd(make_docx(tmp_path / "s.docx", body))
    assert [b.text for b in doc.blocks] == [
        "a b\nc d",
        "co-operation",
        "α≥ 5",
        "spaced out",
        "漢",
        "x=1",
    ]


# ---------------------------------------------------------------------------------------------
# tables


def test_merged_and_nested_tables(tmp_path):
    nested = tbl([[tc(p("n11")), tc(p("n12"))]])
    body = (
        p("Intro", "Heading1")
        + tbl(
            [
                [
                    tc(p("wide"), '<w:gridSpan w:val="2"/>'),
                    tc(p("tall"), '<w:vMerge w:val="restart"/>'),
                ],
                [tc(p("a")), tc(p("b")), tc(p(""), "<w:vMerge/>")],
                [tc(p("outer") + nested + p("outer after")), tc(p("")), tc(p("z"))],
            ]
        )
        + tbl([[tc(p("second table"))]])
    )
    doc = rd(make_docx(tmp_path / "m.docx", body))
    cells = [(b.text, b.table, b.row, b.col) for b in doc.blocks if b.kind == BlockKind.TABLE_CELL]
    assert cells == [
        ("wide", 1, 1, 1),
        ("tall", 1, 1, 3),
        ("a", 1, 2, 1),
        ("b", 1, 2, 2),
        ("outer\nouter after", 1, 3, 1),
        ("n11", 2, 1, 1),
        ("n12", 2, 1, 2),
        ("z", 1, 3, 3),
        ("second table", 3, 1, 1),
    ]
    assert all(b.heading_path == ("Intro",) for b in doc.blocks if b.kind == BlockKind.TABLE_CELL)
    assert doc.text().count("tall") == 1


def test_table_rows_in_content_controls(tmp_path):
    body = (
        "<w:tbl><w:tblPr/><w:tblGrid/><w:sdt><w:sdtPr/><w:sdtContent>"
        "<w:tr>" + tc(p("r1")) + "</w:tr></w:sdtContent></w:sdt>"
        '<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>' + tc(p("r2")) + "</w:tr></w:tbl>"
    )
    doc = rd(make_docx(tmp_path / "r.docx", body))
    assert [(b.text, b.row, b.col) for b in doc.blocks] == [("r1", 1, 1), ("r2", 2, 2)]


# ---------------------------------------------------------------------------------------------
# notes, headers, footers, comments


def test_notes_headers_footers_comments(tmp_path):
    body = (
        p("Chapter", "Heading1")
        + '<w:p><w:r><w:t>Claim</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:commentRangeStart w:id="0"/><w:r><w:t xml:space="preserve"> here</w:t></w:r><w:commentRangeEnd w:id="0"/>'
        '<w:r><w:commentReference w:id="0"/></w:r><w:r><w:endnoteReference w:id="2"/></w:r></w:p>'
    )
    doc = rd(
        make_docx(
            tmp_path / "n.docx",
            body,
            footnotes='<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Source: survey.</w:t></w:r></w:p></w:footnote>',
            endnotes='<w:endnote w:id="2"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t>Endnote text.</w:t></w:r></w:p></w:endnote>',
            header=p("Confidential header"),
            footer=p("Page footer") + tbl([[tc(p("footer cell"))]]),
            comments='<w:comment w:id="0" w:author="R"><w:p><w:r><w:t>REVIEWERCOMMENT</w:t></w:r></w:p></w:comment>',
        )
    )
    assert [(b.kind, b.text, b.heading_path) for b in doc.blocks] == [
        (BlockKind.HEADING, "Chapter", ()),
        (BlockKind.PARAGRAPH, "Claim here", ("Chapter",)),
        (BlockKind.FOOTNOTE, "Source: survey.", ("Chapter",)),
        (BlockKind.ENDNOTE, "Endnote text.", ("Chapter",)),
        (BlockKind.HEADER, "Confidential header", ()),
        (BlockKind.FOOTER, "Page footer", ()),
        (BlockKind.FOOTER, "footer cell", ()),
    ]
    all_text = " ".join(b.text for b in doc.blocks)
    assert "REVIEWERCOMMENT" not in all_text and "SEPARATOR" not in all_text
    assert "Confidential" not in doc.text()


# ---------------------------------------------------------------------------------------------
# package oddities


def test_strict_namespace_and_renamed_main_part(tmp_path):
    styles = DEFAULT_STYLES
    doc = rd(
        make_docx(
            tmp_path / "s.docx",
            p("Strict heading", "Heading1") + p("Strict body"),
            ns=W_STRICT,
            styles=styles,
            main_name="word/blah_blah.xml",
        )
    )
    assert [(b.kind, b.text) for b in doc.blocks] == [
        (BlockKind.HEADING, "Strict heading"),
        (BlockKind.PARAGRAPH, "Strict body"),
    ]


def test_main_part_found_through_content_types(tmp_path):
    path = make_docx(tmp_path / "ct.docx", p("Via content types"), main_name="word/main.xml")
    # drop the package relationships so only [Content_Types].xml names the main part
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "_rels/.rels"}
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    assert [b.text for b in rd(path).blocks] == ["Via content types"]


def test_multiple_bodies_are_all_read(tmp_path):
    xml = f"{DECL}<w:document {NSDECL}><w:body>{p('one')}</w:body><w:body>{p('two')}</w:body></w:document>"
    doc = rd(make_docx(tmp_path / "mb.docx", "", document_xml=xml))
    assert [b.text for b in doc.blocks] == ["one", "two"]


def test_missing_main_part(tmp_path):
    path = tmp_path / "nomain.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr(
            "[Content_Types].xml",
            "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>",
        )
        zf.writestr("word/styles.xml", "<x/>")
    with pytest.raises(CorruptDocument) as e:
        rd(path)
    assert "main document part" in e.value.line() and "\n" not in e.value.line()


def test_truncated_zip(tmp_path):
    good = make_docx(tmp_path / "g.docx", p("hello"))
    bad = tmp_path / "bad.docx"
    bad.write_bytes(good.read_bytes()[:-60])
    with pytest.raises(CorruptDocument) as e:
        rd(bad)
    assert e.value.problem == "is not a valid DOCX (damaged or truncated zip)"
    assert e.value.hint == "Open it in Word and save it again"
    with pytest.raises(CorruptDocument):
        read_any(bad)


def test_damaged_member_is_corrupt(tmp_path):
    good = make_docx(tmp_path / "g.docx", p("hello " * 200))
    data = bytearray(good.read_bytes())
    at = data.find(b"word/document.xml") + 40  # inside the compressed stream of the first part
    data[at : at + 30] = b"\x00" * 30
    bad = tmp_path / "crc.docx"
    bad.write_bytes(bytes(data))
    with pytest.raises(InputError) as e:
        read_any(bad)
    assert "\n" not in e.value.line()


def test_utf8_bom_in_parts(tmp_path):
    xml = (
        "\ufeff"
        + f'<?xml version="1.0" encoding="UTF-8"?><w:document {NSDECL}><w:body>{p("bom ok")}</w:body></w:document>'
    )
    doc = rd(make_docx(tmp_path / "bom.docx", "", document_xml=xml))
    assert [b.text for b in doc.blocks] == ["bom ok"]


# ---------------------------------------------------------------------------------------------
# security and limits


def test_zip_bomb_ratio(tmp_path):
    path = make_docx(
        tmp_path / "bomb.docx",
        p("small"),
        extra_members={"word/media/zeros.bin": b"\0" * (20 * 1024 * 1024)},
    )
    with pytest.raises(LimitExceeded) as e:
        rd(path)
    assert "zip bomb" in e.value.line() and "\n" not in e.value.line()


def test_zip_bomb_total_size(tmp_path):
    path = make_docx(
        tmp_path / "big.docx", p("x"), extra_members={"word/media/a.bin": bytes(range(256)) * 8192}
    )
    with pytest.raises(LimitExceeded) as e:
        rd(path, Limits(max_unzipped_bytes=1024 * 1024))
    assert "zip bomb" in e.value.problem


LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
    '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">'
    '<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">'
    '<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">'
    '<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">'
    '<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">'
    '<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>'
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:9/x">]>'


def _with_doctype(root: str, doctype: str, inner: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>{doctype.replace("w:document", root)}<{root} {NSDECL}>{inner}</{root}>'


def test_billion_laughs_rejected(tmp_path):
    xml = _with_doctype("w:document", LAUGHS, f"<w:body>{p('before &lol9; after')}</w:body>")
    with pytest.raises(LimitExceeded) as e:
        rd(make_docx(tmp_path / "lol.docx", "", document_xml=xml))
    assert "entity bomb" in e.value.line() and "\n" not in e.value.line()


def test_small_internal_entities_not_expanded(tmp_path):
    doctype = '<!DOCTYPE w:document [<!ENTITY co "ACME Ltd"><!ENTITY two "&co;&co;">]>'
    xml = _with_doctype("w:document", doctype, f"<w:body>{p('before &two; after')}</w:body>")
    doc = rd(make_docx(tmp_path / "ent.docx", "", document_xml=xml))
    assert [b.text for b in doc.blocks] == ["before after"]
    assert any("entities" in w for w in doc.warnings)


def test_external_entities_never_fetched(tmp_path):
    doc_xml = _with_doctype("w:document", XXE, f"<w:body>{p('A &xxe; B &web; C')}</w:body>")
    styles_xml = _with_doctype("w:styles", XXE, style("Heading1", "heading 1 &xxe;"))
    notes_xml = _with_doctype(
        "w:footnotes",
        XXE,
        '<w:footnote w:id="1"><w:p><w:r><w:t>note &xxe; end</w:t></w:r></w:p></w:footnote>',
    )
    path = make_docx(
        tmp_path / "xxe.docx",
        "",
        document_xml=doc_xml,
        styles_xml=styles_xml,
        footnotes_xml=notes_xml,
    )
    doc = rd(path)
    texts = [b.text for b in doc.blocks]
    assert texts == ["A B C", "note end"]
    assert "root:" not in " ".join(texts)


def test_corpus_style_external_entity_document(tmp_path):
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE REMOTE [\n<!ENTITY testent SYSTEM "http://poi.apache.org/">\n]>\n'
        f"<w:document {NSDECL}><w:body><w:p><w:r><w:t>Site: &quot;&testent;&quot;</w:t></w:r></w:p></w:body></w:document>"
    )
    doc = rd(make_docx(tmp_path / "ext.docx", "", document_xml=xml))
    assert [b.text for b in doc.blocks] == ['Site: ""']


def test_xml_depth_limit(tmp_path):
    deep = "<w:sdt><w:sdtContent>" * 40 + p("deep") + "</w:sdtContent></w:sdt>" * 40
    path = make_docx(tmp_path / "deep.docx", deep)
    assert [b.text for b in rd(path).blocks] == ["deep"]
    with pytest.raises(LimitExceeded) as e:
        rd(path, Limits(max_xml_depth=30))
    assert "deep" in e.value.problem
    # beyond libxml2's own limit (256 without huge_tree)
    deeper = "<w:sdt><w:sdtContent>" * 200 + p("deeper") + "</w:sdtContent></w:sdt>" * 200
    with pytest.raises(LimitExceeded):
        rd(make_docx(tmp_path / "deeper.docx", deeper))


def test_empty_body_is_no_text_error(tmp_path):
    from shiftcheck.errors import NoTextError

    path = make_docx(tmp_path / "e.docx", p("") + p("   "), header=p("Only a header"))
    assert [b.kind for b in rd(path).blocks] == [BlockKind.HEADER]
    with pytest.raises(NoTextError):
        read_any(path)


def test_unsupported_zip_version_is_corrupt(tmp_path):
    data = bytearray(make_docx(tmp_path / "g.docx", p("hello")).read_bytes())
    cd = data.find(b"PK\x01\x02")
    data[cd + 6 : cd + 8] = (200).to_bytes(2, "little")  # "version needed to extract" 20.0
    bad = tmp_path / "v.docx"
    bad.write_bytes(bytes(data))
    with pytest.raises(CorruptDocument) as e:
        read_any(bad)
    assert "damaged or truncated zip" in e.value.line()


def test_unreferenced_footer_part_is_still_furniture(tmp_path):
    path = make_docx(tmp_path / "f.docx", p("Body"), footer=p("Orphan footer"))
    # drop the footerReference from the section: Word would not show it, we still read it last
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members["word/document.xml"] = members["word/document.xml"].replace(
        b'<w:footerReference w:type="default" r:id="rIdFt"/>', b""
    )
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n, data)
    assert [(b.kind, b.text) for b in rd(path).blocks] == [
        (BlockKind.PARAGRAPH, "Body"),
        (BlockKind.FOOTER, "Orphan footer"),
    ]


def test_heading_in_text_box_follows_its_anchor(tmp_path):
    box = "<w:txbxContent>" + p("Boxed heading", "Heading2") + p("Boxed text") + "</w:txbxContent>"
    body = (
        p("Chapter", "Heading1")
        + f"<w:p><w:r><w:t>Anchor</w:t></w:r><w:r><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></w:r></w:p>"
    )
    doc = rd(make_docx(tmp_path / "tb.docx", body))
    assert [(b.text, b.heading_path) for b in doc.blocks] == [
        ("Chapter", ()),
        ("Anchor", ("Chapter",)),
        ("Boxed heading", ("Chapter",)),
        ("Boxed text", ("Chapter", "Boxed heading")),
    ]


def test_backslash_member_names_and_case(tmp_path):
    path = make_docx(tmp_path / "b.docx", p("Windows zip"))
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    with zipfile.ZipFile(path, "w") as zf:
        for n, data in members.items():
            zf.writestr(n.replace("word/document.xml", "Word\\Document.xml"), data)
    assert [b.text for b in rd(path).blocks] == ["Windows zip"]
