"""A fresh DOCX report, for PDF, Markdown and text inputs and for a batch: title, facts, the
nine-row table, a section per shift (rationale, evidence, red flags, add next) and the top
recommendations. WordprocessingML written as text with a handful of styles; zip entries carry a
fixed time, so the same report gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from shiftcheck.model import BatchReport, DocumentError, Report, ShiftResult
from shiftcheck.report._common import (
    batch_levels,
    batch_shifts,
    batch_tr,
    flag_count,
    label,
    level_legend,
    level_name,
    overall_name,
    strongest,
    tr_for,
)
from shiftcheck.report.docx.ooxml import W_TRANSITIONAL, xml_safe
from shiftcheck.report.docx.words import flag_lines, strength_words, where
from shiftcheck.report.text import one_line, shorten

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.report import RenderOptions
    from shiftcheck.report.i18n import Translator

_W = W_TRANSITIONAL
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{_W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Calibri" w:hAnsi="Calibri" w:eastAsia="Calibri" w:cs="Calibri"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="100" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:spacing w:after="200"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="36"/><w:szCs w:val="36"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="320" w:after="120"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="30"/><w:szCs w:val="30"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="240" w:after="80"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/><w:sz w:val="26"/><w:szCs w:val="26"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/><w:pPr><w:keepNext/><w:spacing w:before="160" w:after="60"/><w:outlineLvl w:val="2"/></w:pPr><w:rPr><w:b/><w:sz w:val="22"/><w:szCs w:val="22"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567"/></w:pPr><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/><w:basedOn w:val="Normal"/><w:qFormat/><w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:left w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:right w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="999999"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="999999"/></w:tblBorders></w:tblPr></w:style>
</w:styles>
"""

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/></Types>
"""

_ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>
"""

_DOC_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>
"""


class _Body:
    """WordprocessingML paragraphs and tables, as text."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    @staticmethod
    def _runs(pieces: list[tuple[str, str]]) -> str:
        out = []
        for text, look in pieces:
            if not text:
                continue
            rpr = "".join({"b": "<w:b/>", "i": "<w:i/>"}[c] for c in look if c in "bi")
            rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
            out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>')
        return "".join(out)

    def para(self, *pieces: tuple[str, str] | str, style: str | None = None) -> None:
        runs = self._runs([(p, "") if isinstance(p, str) else p for p in pieces])
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        self.parts.append(f"<w:p>{ppr}{runs}</w:p>")

    def heading(self, text: str, level: int) -> None:
        self.para(text, style="Title" if level == 0 else f"Heading{level}")

    def bullet(self, *pieces: tuple[str, str] | str) -> None:
        self.para("• ", *pieces, style="ListParagraph")

    def table(self, header: list[str], rows: list[list[str]], widths: list[int]) -> None:
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        out = [
            f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>'
        ]
        for n, row in enumerate([header, *rows]):
            trpr = "<w:trPr><w:tblHeader/></w:trPr>" if n == 0 else ""
            cells = "".join(
                f'<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/></w:tcPr><w:p>{self._runs([(text, "b" if n == 0 else "")])}</w:p></w:tc>'
                for text, w in zip(row, widths, strict=False)
            )
            out.append(f"<w:tr>{trpr}{cells}</w:tr>")
        out.append("</w:tbl>")
        self.parts.append("".join(out))

    def xml(self) -> str:
        sect = '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>'
        return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document xmlns:w="{_W}"><w:body>{"".join(self.parts)}{sect}</w:body></w:document>\n'


def _report_body(
    body: _Body, report: Report, tr: Translator, summary: bool, level: int = 0
) -> None:
    """One document's review, its title at heading ``level``."""
    _header(body, report, tr, level)
    _summary_table(body, report, tr, level + 1)
    if summary:
        return
    body.heading(tr("head.details"), level + 1)
    for s in report.shifts:
        _shift_section(body, report, tr, s, level + 2)
    if report.recommendations:
        body.heading(tr("head.top"), level + 1)
        for i, r in enumerate(report.recommendations[:3], 1):
            body.para(f"{i}. {one_line(r)}")


def _header(body: _Body, report: Report, tr: Translator, level: int) -> None:
    """The title, the document's title, its facts and the warnings."""
    d = report.document
    body.heading(tr("title.review", path=d.path), level)
    if d.title:
        body.para((one_line(d.title), "b"))
    facts = [f"{tr('fact.format')}: {d.format}"]
    if d.pages is not None:
        facts.append(f"{tr('fact.pages')}: {d.pages}")
    facts.append(f"{tr('fact.words')}: {d.words}")
    if d.language:
        facts.append(f"{tr('fact.language')}: {d.language}")
    facts.append(f"{tr('fact.rubric')}: {report.rubric.id} {report.rubric.version}")
    facts.append(
        f"{tr('fact.overall')}: {report.overall.level} {one_line(overall_name(report))} ({report.overall.score:.2f})"
    )
    body.para(" · ".join(facts))
    if report.warnings:
        body.heading(tr.n("head.warnings", len(report.warnings)), level + 1)
        for wtext in report.warnings:
            body.bullet(one_line(wtext))


def _summary_table(body: _Body, report: Report, tr: Translator, level: int) -> None:
    """A row per shift: its level, its strongest evidence and its red flags; the legend."""
    body.heading(tr("head.summary"), level)
    rows = []
    for s in report.shifts:
        ev = strongest(s)
        evidence = (
            tr("none.evidence")
            if ev is None
            else f"“{shorten(ev.quote, 110)}” ({where(tr, ev.location)})"
        )
        name = f"{s.level} {one_line(level_name(report, s))}"
        rows.append([str(s.id), label(s), name, evidence, flag_count(s, tr=tr)])
    body.table(
        [tr("col.num"), tr("col.shift"), tr("col.level"), tr("col.evidence"), tr("col.red_flags")],
        rows,
        [500, 2300, 1700, 4100, 1000],
    )
    body.para(level_legend(report.levels, tr))


def _shift_section(body: _Body, report: Report, tr: Translator, s: ShiftResult, level: int) -> None:
    """One shift: why its level, its evidence, its red flags and what to add next."""
    name = one_line(level_name(report, s))
    body.heading(f"{s.id}. {one_line(s.title)}: {tr('why.level', level=s.level, name=name)}", level)
    if s.from_ or s.to:
        body.para((f"{one_line(s.from_)} → {one_line(s.to)}", "i"))
    if s.rationale:
        body.para(one_line(s.rationale))
    if s.evidence:
        body.para((tr("head.evidence"), "b"))
        for ev in s.evidence:
            strength = strength_words(report, tr, ev.strength)
            indicator = one_line(ev.indicator_title or ev.indicator)
            body.bullet(
                f"“{one_line(ev.quote)}” ",
                (f"({where(tr, ev.location)}; {indicator}, {strength})", "i"),
            )
    if s.red_flags:
        body.para((tr("head.red_flags"), "b"))
        for f in s.red_flags:
            lines = flag_lines(tr, f)
            body.bullet((lines[0], "b"), f" ({where(tr, f.location)})")
            body.para(f"“{one_line(f.quote)}”", style="Quote")
            for extra in lines[1:]:
                body.para(extra, style="Quote")
    if s.recommendations:
        body.para((tr("head.add_next"), "b"))
        for r in s.recommendations:
            body.bullet(one_line(r))


def _package(body: _Body, title: str) -> bytes:
    core = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>'
        f"{escape(xml_safe(title))}</dc:title><dc:creator>shiftcheck</dc:creator></cp:coreProperties>\n"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("word/document.xml", body.xml()),
            ("word/_rels/document.xml.rels", _DOC_RELS),
            ("word/styles.xml", _STYLES),
            ("docProps/core.xml", core),
        ):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def fresh_report(report: Report, summary: bool = False, opts: RenderOptions | None = None) -> bytes:
    """A new DOCX holding the review of ``report`` (any input format)."""
    tr = tr_for(report, opts)
    body = _Body()
    _report_body(body, report, tr, summary)
    return _package(body, tr("title.review", path=report.document.path))


def batch_report(batch: BatchReport, opts: RenderOptions) -> bytes:
    """One DOCX report of every document, then the portfolio table."""
    tr = batch_tr(batch, opts)
    n = len(batch.documents)
    body = _Body()
    body.heading(tr.n("title.portfolio", n), 0)
    for e in batch.documents:
        if isinstance(e, DocumentError):
            body.heading(e.path, 1)
            body.para((tr("label.error_kind", kind=e.kind) + ": ", "b"), one_line(e.error))
        else:
            _report_body(body, e, tr_for(e, opts), opts.summary, level=1)
    _portfolio(body, batch, tr)
    return _package(body, tr.n("title.portfolio", n))


def _portfolio(body: _Body, batch: BatchReport, tr: Translator) -> None:
    """A row per document, a column per criterion present, and the legend."""
    body.heading(tr("head.portfolio"), 1)
    shifts = batch_shifts(batch)
    rows = []
    for e in batch.documents:
        if isinstance(e, DocumentError):
            rows.append([e.path, *("–" for _ in shifts), f"{tr('label.error')}: {e.kind}"])
        else:
            by_id = {s.id: s.level for s in e.shifts}
            levels = [str(by_id[s.id]) if s.id in by_id else "–" for s in shifts]
            rows.append([e.document.path, *levels, str(e.overall.level)])
    header = [tr("col.document"), *(str(s.id) for s in shifts), tr("col.overall")]
    body.table(header, rows, [3000, *(500 for _ in shifts), 1200])
    body.para(level_legend(batch_levels(batch), tr))
