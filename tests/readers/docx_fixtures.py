"""Build small DOCX packages by hand (zipfile + XML strings) for the DOCX reader tests."""

from __future__ import annotations

import zipfile
from pathlib import Path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W_STRICT = "http://purl.oclc.org/ooxml/wordprocessingml/main"
NSDECL = (
    f'xmlns:w="{W}" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml" '
    'xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"'
)
DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def p(text: str, style: str | None = None, extra_ppr: str = "") -> str:
    """A paragraph with one run (``text`` is inserted verbatim: escape it yourself)."""
    ppr = ""
    if style or extra_ppr:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + extra_ppr + "</w:pPr>"
    return f'<w:p>{ppr}<w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def tc(content: str, tcpr: str = "") -> str:
    return f"<w:tc>{'<w:tcPr>' + tcpr + '</w:tcPr>' if tcpr else ''}{content}</w:tc>"


def tbl(rows: list[list[str]]) -> str:
    """rows of already-built <w:tc> strings."""
    body = "".join("<w:tr>" + "".join(r) + "</w:tr>" for r in rows)
    return f"<w:tbl><w:tblPr/><w:tblGrid/>{body}</w:tbl>"


def style(
    sid: str, name: str, based_on: str | None = None, ppr: str = "", kind: str = "paragraph"
) -> str:
    b = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    return (
        f'<w:style w:type="{kind}" w:styleId="{sid}"><w:name w:val="{name}"/>{b}'
        f"{'<w:pPr>' + ppr + '</w:pPr>' if ppr else ''}</w:style>"
    )


DEFAULT_STYLES = (
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>'
    + style("Heading1", "heading 1", "Normal", '<w:outlineLvl w:val="0"/>')
    + style("Heading2", "heading 2", "Normal", '<w:outlineLvl w:val="1"/>')
    + style("Heading3", "heading 3", "Normal", '<w:outlineLvl w:val="2"/>')
    + style("Title", "Title", "Normal")
    + style("Caption", "caption", "Normal")
    + style("ListBullet", "List Bullet", "Normal", '<w:numPr><w:numId w:val="1"/></w:numPr>')
)


def make_docx(
    path: Path,
    body: str,
    *,
    styles: str | None = DEFAULT_STYLES,
    footnotes: str | None = None,
    endnotes: str | None = None,
    header: str | None = None,
    footer: str | None = None,
    comments: str | None = None,
    core_title: str | None = None,
    document_xml: str | None = None,
    styles_xml: str | None = None,
    footnotes_xml: str | None = None,
    main_name: str = "word/document.xml",
    ns: str = W,
    extra_members: dict[str, bytes] | None = None,
) -> Path:
    """Write a minimal DOCX. ``body`` is the inner XML of w:body (a sectPr is appended)."""
    nsdecl = NSDECL.replace(W, ns)
    rels: list[tuple[str, str, str]] = []
    parts: dict[str, str | bytes] = {}
    sect = ""
    if styles is not None or styles_xml is not None:
        rels.append(("rIdS", "styles", "styles.xml"))
        parts["word/styles.xml"] = styles_xml or f"{DECL}<w:styles {nsdecl}>{styles}</w:styles>"
    if footnotes is not None or footnotes_xml is not None:
        rels.append(("rIdF", "footnotes", "footnotes.xml"))
        parts["word/footnotes.xml"] = footnotes_xml or (
            f"{DECL}<w:footnotes {nsdecl}>"
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>SEPARATOR</w:t></w:r></w:p></w:footnote>'
            f"{footnotes}</w:footnotes>"
        )
    if endnotes is not None:
        rels.append(("rIdE", "endnotes", "endnotes.xml"))
        parts["word/endnotes.xml"] = (
            f"{DECL}<w:endnotes {nsdecl}>"
            '<w:endnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:endnote>'
            f"{endnotes}</w:endnotes>"
        )
    if header is not None:
        rels.append(("rIdH", "header", "header1.xml"))
        parts["word/header1.xml"] = f"{DECL}<w:hdr {nsdecl}>{header}</w:hdr>"
        sect += '<w:headerReference w:type="default" r:id="rIdH"/>'
    if footer is not None:
        rels.append(("rIdFt", "footer", "footer1.xml"))
        parts["word/footer1.xml"] = f"{DECL}<w:ftr {nsdecl}>{footer}</w:ftr>"
        sect += '<w:footerReference w:type="default" r:id="rIdFt"/>'
    if comments is not None:
        rels.append(("rIdC", "comments", "comments.xml"))
        parts["word/comments.xml"] = f"{DECL}<w:comments {nsdecl}>{comments}</w:comments>"
    parts[main_name] = document_xml or (
        f"{DECL}<w:document {nsdecl}><w:body>{body}<w:sectPr>{sect}</w:sectPr></w:body></w:document>"
    )
    folder, base = main_name.rsplit("/", 1)
    parts[f"{folder}/_rels/{base}.rels"] = (
        f'{DECL}<Relationships xmlns="{PKG_REL}">'
        + "".join(
            f'<Relationship Id="{i}" Type="{REL_NS}/{t}" Target="{tg}"/>' for i, t, tg in rels
        )
        + "</Relationships>"
    )
    pkg_rels = [f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="{main_name}"/>']
    if core_title is not None:
        pkg_rels.append(
            f'<Relationship Id="rId2" Type="{PKG_REL}/metadata/core-properties" Target="docProps/core.xml"/>'
        )
        parts["docProps/core.xml"] = (
            f'{DECL}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            f'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{core_title}</dc:title></cp:coreProperties>'
        )
    parts["_rels/.rels"] = (
        f'{DECL}<Relationships xmlns="{PKG_REL}">{"".join(pkg_rels)}</Relationships>'
    )
    parts["[Content_Types].xml"] = (
        f'{DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/{main_name}" '
        'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
        "</Types>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
        for name, data in (extra_members or {}).items():
            zf.writestr(name, data)
    return path
