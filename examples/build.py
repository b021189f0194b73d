#!/usr/bin/env python3
"""Regenerate the DOCX and PDF examples from their Markdown sources.

Usage (from the repository root):

    .venv/bin/python examples/build.py            # DOCX always; PDFs when soffice is on PATH
    .venv/bin/python examples/build.py --no-pdf   # DOCX only
    .venv/bin/python examples/build.py 03 06      # only sources whose name contains 03 or 06

Sources live in examples/src/ (drafts in examples/src/drafts/). Each entry in TARGETS maps a
source to the formats it is shipped in. DOCX files are written with python-docx using real Word
styles ('#' Title, '##' Heading 1, '###' Heading 2, List Bullet, List Number, Table Grid tables), so readers see the same
structure a human author would produce; their bytes are reproducible (fixed timestamps). PDFs are
LibreOffice renderings of those DOCX files (their embedded dates change on every build); for a
PDF-only example the DOCX is built in a temporary folder and converted with

    soffice --headless --convert-to pdf --outdir examples TMP/NAME.docx

The Markdown subset understood here is the one the sources use: '#', '##', '###' headings,
paragraphs, '- ' bullets, '1. ' numbered items, pipe tables and **bold** / *italic* spans.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2026, 1, 1, 0, 0, 0)
SRC = HERE / "src"

# source (relative to examples/src) -> (output directory relative to examples/, formats)
TARGETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "02-weak-top-down-hiv-ta.md": (".", ("docx",)),
    "03-mixed-family-planning.md": (".", ("pdf",)),
    "05-strong-district-led-tb-kenya.md": (".", ("docx",)),
    "06-mixed-wash-haiti.md": (".", ("pdf",)),
    "drafts/02-weak-top-down-hiv-ta-v2.md": ("drafts", ("docx",)),
}

INLINE = re.compile(r"(\*\*[^*]+\*\*|\*[^*]+\*)")
NUMBERED = re.compile(r"^\d+\.\s+")
SEPARATOR = re.compile(r"^\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?$")


def add_runs(paragraph, text: str) -> None:
    """Add text to a paragraph, turning **bold** and *italic* spans into formatted runs."""
    for part in INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**"):
            paragraph.add_run(part[2:-2]).bold = True
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            paragraph.add_run(part[1:-1]).italic = True
        else:
            paragraph.add_run(part)


def restart_numbering(doc, paragraph) -> None:
    """Make a 'List Number' paragraph start a new list at 1 (python-docx shares one list)."""
    style_numpr = (
        paragraph.style.element.pPr.numPr if paragraph.style.element.pPr is not None else None
    )
    if style_numpr is None or style_numpr.numId is None:
        return
    numbering = doc.part.numbering_part.numbering_definitions._numbering
    base_num_id = style_numpr.numId.val
    abstract_id = None
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == str(base_num_id):
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    if abstract_id is None:
        return
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(qn("w:val"), abstract_id)
    num.append(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start = OxmlElement("w:startOverride")
    start.set(qn("w:val"), "1")
    override.append(start)
    num.append(override)
    numbering.append(num)
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = 0
    num_pr.get_or_add_numId().val = new_id
    paragraph._restart_num_id = new_id


def split_row(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [cell.strip() for cell in line.split("|")]


def add_table(doc, rows: list[list[str]]) -> None:
    width = max(len(r) for r in rows)
    table = doc.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    for i, row in enumerate(rows):
        for j in range(width):
            cell = table.cell(i, j)
            paragraph = cell.paragraphs[0]
            text = row[j] if j < len(row) else ""
            if i == 0:
                paragraph.add_run(text.replace("**", "")).bold = True
            else:
                add_runs(paragraph, text)
    doc.add_paragraph()


def markdown_to_docx(source: Path, target: Path) -> None:
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    lines = source.read_text(encoding="utf-8").splitlines()
    title = None
    paragraph_buffer: list[str] = []
    table_rows: list[list[str]] = []
    current_list_num: list[int | None] = [None]  # numId of the numbered list in progress

    def flush_paragraph() -> None:
        if paragraph_buffer:
            add_runs(doc.add_paragraph(), " ".join(paragraph_buffer))
            paragraph_buffer.clear()

    def flush_table() -> None:
        if table_rows:
            add_table(doc, list(table_rows))
            table_rows.clear()

    for raw in lines:
        line = raw.rstrip()
        stripped = line.strip()
        if stripped and not NUMBERED.match(stripped):
            current_list_num[0] = None
        if stripped.startswith("|"):
            flush_paragraph()
            if not SEPARATOR.match(stripped):
                table_rows.append(split_row(stripped))
            continue
        flush_table()
        if not stripped:
            flush_paragraph()
            continue
        if stripped.startswith("### "):
            flush_paragraph()
            doc.add_heading(stripped[4:], level=2)
        elif stripped.startswith("## "):
            flush_paragraph()
            doc.add_heading(stripped[3:], level=1)
        elif stripped.startswith("# "):
            flush_paragraph()
            title = stripped[2:]
            doc.add_heading(title, level=0)
        elif stripped.startswith(("- ", "* ")):
            flush_paragraph()
            add_runs(doc.add_paragraph(style="List Bullet"), stripped[2:])
        elif NUMBERED.match(stripped):
            flush_paragraph()
            item = doc.add_paragraph(style="List Number")
            add_runs(item, NUMBERED.sub("", stripped, count=1))
            if current_list_num[0] is None:
                restart_numbering(doc, item)
                current_list_num[0] = getattr(item, "_restart_num_id", None)
            elif current_list_num[0] is not None:
                num_pr = item._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = current_list_num[0]
            continue
        else:
            paragraph_buffer.append(stripped)
    flush_paragraph()
    flush_table()

    if title:
        doc.core_properties.title = title
    doc.core_properties.author = "shiftcheck examples"
    doc.core_properties.last_modified_by = "shiftcheck examples"
    doc.core_properties.created = FIXED_TIME
    doc.core_properties.modified = FIXED_TIME
    doc.core_properties.revision = 1
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))
    normalise_zip(target)


def normalise_zip(path: Path) -> None:
    """Rewrite the DOCX zip with fixed timestamps so rebuilding gives identical bytes."""
    with zipfile.ZipFile(path) as zin:
        entries = [(info.filename, zin.read(info.filename)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zout:
        for name, data in entries:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zout.writestr(info, data)


def docx_to_pdf(docx_path: Path, outdir: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise RuntimeError("soffice not found")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(outdir),
                str(docx_path),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=180,
        )
    return outdir / (docx_path.stem + ".pdf")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-pdf", action="store_true", help="skip the LibreOffice PDF step")
    parser.add_argument(
        "only", nargs="*", help="build only sources whose name contains one of these"
    )
    args = parser.parse_args(argv)
    have_soffice = bool(shutil.which("soffice") or shutil.which("libreoffice"))
    if not args.no_pdf and not have_soffice:
        print("soffice not on PATH: building DOCX only", file=sys.stderr)

    for rel, (outdir_rel, formats) in TARGETS.items():
        if args.only and not any(word in rel for word in args.only):
            continue
        source = SRC / rel
        outdir = (HERE / outdir_rel).resolve()
        stem = source.stem
        if "docx" in formats:
            target = outdir / f"{stem}.docx"
            markdown_to_docx(source, target)
            print(f"wrote {target.relative_to(HERE.parent)}")
        if "pdf" in formats:
            if args.no_pdf or not have_soffice:
                continue
            with tempfile.TemporaryDirectory() as tmp:
                tmp_docx = Path(tmp) / f"{stem}.docx"
                markdown_to_docx(source, tmp_docx)
                pdf = docx_to_pdf(tmp_docx, outdir)
            print(f"wrote {pdf.relative_to(HERE.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
