"""A small Word proposal built as raw OOXML, for the DOCX comments format: quotes that cross
formatting runs, a tracked insertion and deletion inside a quote, a comment already in the file,
a hyperlink, a footnote, a text box (with its VML fallback), and a table row.

The sentences are red flags and evidence of the critical-shifts rubric (taken from example 02).
``build(path)`` writes the file; the parts are plain strings, so a test can see exactly what went
in.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" '
    'mc:Ignorable="w14"'
)


def _p(body: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{ppr}{body}</w:p>"


def _r(text: str, rpr: str = "") -> str:
    return (
        f'<w:r>{f"<w:rPr>{rpr}</w:rPr>" if rpr else ""}<w:t xml:space="preserve">{text}</w:t></w:r>'
    )


def _textbox(text: str) -> str:
    inner = f"<w:txbxContent>{_p(_r(text))}</w:txbxContent>"
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
        'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="4000000" cy="700000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        '<wp:wrapTopAndBottom/><wp:docPr id="1" name="Text Box 1"/><wp:cNvGraphicFramePr/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="4000000" cy="700000"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>'
        f"<wps:txbx>{inner}</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></mc:Choice><mc:Fallback><w:pict>"
        '<v:shape id="Text Box 1" style="width:315pt;height:55pt" type="#_x0000_t202">'
        f"<v:textbox>{inner}</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"
    )


UNDERLINE = '<w:u w:val="single"/>'
TRACKED = 'w:author="Amina" w:date="2025-03-01T10:00:00Z"'

BODY = "".join(
    [
        _p(_r("VL-SCALE: Viral Load Technical Assistance in Malawi"), "Title"),
        _p(_r("3. Technical approach"), "Heading1"),
        # a quote across formatting runs, a tracked insertion and a tracked deletion; then a
        # sentence that already carries a reviewer's comment (id 0)
        _p(
            _r("Facility staff will enter ")
            + _r("sample and result data", "<w:b/>")
            + _r(" into ViralTrack, ")
            + f'<w:ins w:id="101" {TRACKED}>{_r("which is hosted ")}</w:ins>'
            + f'<w:del w:id="102" {TRACKED}><w:r><w:delText xml:space="preserve">which sits </w:delText></w:r></w:del>'
            + _r("on Crestview’s servers.", '<w:i/><w:color w:val="1F4E79"/>')
            + _r(" ")
            + '<w:commentRangeStart w:id="0"/>'
            + _r("Crestview will report monthly to the Funder from ViralTrack.")
            + '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'
        ),
        _p(_r("4. Deliverables and payment"), "Heading1"),
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="4500"/><w:gridCol w:w="4500"/></w:tblGrid>'
        "<w:tr>"
        f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{_p(_r("Rule"))}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{_p(_r("What it means"))}</w:tc>'
        "</w:tr><w:tr>"
        f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{_p(_r("The approved workplan must be strictly adhered to."))}</w:tc>'
        f'<w:tc><w:tcPr><w:tcW w:w="4500" w:type="dxa"/></w:tcPr>{_p(_r("Deviations from activities, targets or timelines will not be permitted without prior written approval of the Funder."))}</w:tc>'
        "</w:tr></w:tbl>",
        _p(_r("5. Management structure"), "Heading1"),
        # a quote through a hyperlink, followed by a footnote reference
        _p(
            _r("A Project Steering Committee chaired by ")
            + '<w:hyperlink r:id="rId9">'
            + _r("Crestview’s Country Director", UNDERLINE)
            + "</w:hyperlink>"
            + _r(" will meet twice a year to review progress.")
            + '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>'
        ),
        # a text box anchored in this paragraph
        _p(
            _r("The roles are set out in the box below.")
            + _textbox("MCOS will implement activities designed by Crestview.")
        ),
        _p(_r("7. Sustainability"), "Heading1"),
        _p(
            _r(
                "Sustainability will be ensured through capacity building. Follow-on funding will be sought from the Funder."
            )
        ),
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>',
    ]
)

DOCUMENT = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<w:document {NAMESPACES}><w:body>{BODY}</w:body></w:document>'

FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<w:footnotes xmlns:w="{W}">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
    + _r(
        " Ministry of Health officials will be consulted on the annual workplan after Crestview has finalised it."
    )
    + "</w:p></w:footnote></w:footnotes>"
)

COMMENTS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<w:comments xmlns:w="{W}">'
    '<w:comment w:id="0" w:author="Amina" w:date="2025-03-01T10:05:00Z" w:initials="A">'
    "<w:p><w:r><w:annotationRef/></w:r><w:r><w:t>Is monthly too often?</w:t></w:r></w:p></w:comment>"
    "</w:comments>"
)

STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    f'<w:styles xmlns:w="{W}">'
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/></w:style>'
    '<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>'
    "</w:styles>"
)

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/>'
    '<Override PartName="/word/comments.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>'
    "</Relationships>"
)

_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DOC_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/footnotes" Target="footnotes.xml"/>'
    f'<Relationship Id="rId3" Type="{_REL}/comments" Target="comments.xml"/>'
    f'<Relationship Id="rId9" Type="{_REL}/hyperlink" Target="https://example.org/crestview" TargetMode="External"/>'
    "</Relationships>"
)

PARTS = {
    "[Content_Types].xml": CONTENT_TYPES,
    "_rels/.rels": ROOT_RELS,
    "word/document.xml": DOCUMENT,
    "word/_rels/document.xml.rels": DOC_RELS,
    "word/styles.xml": STYLES,
    "word/footnotes.xml": FOOTNOTES,
    "word/comments.xml": COMMENTS,
}


def build(path: Path, parts: dict[str, str] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (parts or PARTS).items():
            z.writestr(
                zipfile.ZipInfo(name, date_time=(2025, 3, 1, 10, 0, 0)), text.encode("utf-8")
            )
    return path
