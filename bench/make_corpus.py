#!/usr/bin/env python3
"""Generate large, realistic proposals for the speed benchmarks: DOCX (python-docx) and PDF.

Usage: python bench/make_corpus.py [--pages 50 200 600] [--out bench/out] [--no-pdf] [--seed 7]

Each proposal has a title, chapters (Heading 1) and sections (Heading 2) on the usual topics
(context, governance, sustainability and transition, MEL, gender and inclusion, community
feedback, budget, risks), paragraphs assembled from varied template sentences with numbers, dates,
places and percentages, bullet lists, a results-framework table and a risk table per chapter, page
headers and footers, and footnotes. python-docx has no footnote API: the footnotes part
(word/footnotes.xml) is written by hand, related to the main part, and referenced from runs with
``w:footnoteReference``.

Page counts are targets (~300 words per page: body text, lists, tables); the PDF's real count is printed.
PDFs are converted from the DOCX with LibreOffice (``soffice --headless --convert-to pdf``), a
dev tool only: nothing in shiftcheck needs it. Files go to bench/out/ (gitignored):
``proposal-<N>p.docx`` and ``proposal-<N>p.pdf``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS_PER_PAGE = 300

PLACES = [
    "Kisumu",
    "Siaya",
    "Mopti",
    "Kayes",
    "Nampula",
    "Gaza",
    "Kasaï",
    "Tahoua",
    "Sylhet",
    "Artibonite",
    "Kankan",
    "Mzimba",
]
ACTORS = [
    "the Ministry of Health", "the county health management team", "the district council",
    "the national AIDS council", "community health committees", "the women's cooperative network",
    "the regional water authority", "local civil society organisations", "the provincial directorate",
    "youth associations", "traditional leaders", "the national statistics office",
]  # fmt: skip
THINGS = [
    "the annual workplan", "the supervision checklist", "the community scorecard", "the costed transition plan",
    "the data quality audit", "the referral pathway", "the procurement plan", "the training curriculum",
    "the feedback log", "the learning agenda", "the gender analysis", "the budget execution report",
]  # fmt: skip
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

TEMPLATES = {
    "Context": [
        "In {place}, only {pct}% of households reached a health facility within {n} km in {year}.",
        "The {year} demographic survey found that {pct}% of women aged 15-49 used a modern method.",
        "Previous projects in {place} relied on parallel reporting, which {actor} later had to reconcile.",
        "Stock-outs of essential commodities lasted an average of {n} days per quarter in {year}.",
        "Lessons from the {year} evaluation show that training alone did not change practice.",
    ],
    "Governance": [
        "{actor_c} chairs the steering committee, which meets every {n} weeks and approves {thing}.",
        "Decisions on priorities are taken by {actor}, with the project team acting as secretariat.",
        "{actor_c} signs off {thing} each {month}, before funds are released for the next quarter.",
        "A memorandum of understanding signed on {day} {month} {year} sets out the roles of {actor} and the consortium.",
        "The joint annual review, led by {actor}, examines progress against the national strategy.",
        "Membership of the committee includes {n} representatives of {actor} and {n2} of {actor2}.",
    ],
    "Sustainability": [
        "From {year}, {actor} will fund {pct}% of the recurrent costs, rising to {pct2}% by {year2}.",
        "The transition plan lists {n} functions that move to {actor} by {month} {year2}.",
        "Salaries of community health workers are integrated into the district payroll in {year}.",
        "{actor_c} co-finances {thing} through its own budget line, agreed on {day} {month} {year}.",
        "An exit strategy was agreed with {actor} before the start of the project.",
        "Costs per person reached fall from USD {n} in year one to USD {n2} in year three.",
    ],
    "Monitoring, evaluation and learning": [
        "All indicators are reported through DHIS2, the national system used by {actor}.",
        "{actor_c} validates data every {month}; discrepancies above {pct}% trigger a data quality audit.",
        "The baseline survey in {place} covers {n} households and will be repeated in {year2}.",
        "Quarterly learning sessions with {actor} review {thing} and adapt the workplan.",
        "An independent mid-term evaluation in {month} {year} will test the theory of change.",
        "Results are shared with {actor} and with communities through {thing}.",
    ],
    "Gender and inclusion": [
        "At least {pct}% of committee seats are held by women, and {n} seats are reserved for youth.",
        "The gender analysis carried out with {actor} in {year} identified {n} barriers to access.",
        "Sessions are scheduled with women's groups so that market days and care work are respected.",
        "Persons with disabilities are consulted on the design of {thing} through {actor}.",
        "Data are disaggregated by sex, age and disability status in every report to {actor}.",
    ],
    "Community feedback and accountability": [
        "Community members can raise concerns through a toll-free line, suggestion boxes and {actor}.",
        "{actor_c} reviews the feedback log every {n} weeks; {pct}% of complaints were closed within {n2} days.",
        "Changes made in response to feedback are reported back at village meetings each {month}.",
        "The community scorecard, facilitated by {actor}, rates {n} services twice a year.",
        "Participants helped design {thing} during {n} workshops held in {place} in {year}.",
    ],
    "Budget and value for money": [
        "The total budget is USD {money} over {n} years, of which {pct}% goes to district partners.",
        "Overheads are capped at {pct}% and international staff account for {pct2}% of personnel costs.",
        "{actor_c} manages a sub-grant of USD {money} for {thing}.",
        "Unit costs are benchmarked against the {year} costing study by {actor}.",
    ],
    "Risks and mitigation": [
        "If {actor} cannot release its co-financing on time, the steering committee will re-phase {thing}.",
        "Insecurity in {place} may delay activities; remote supervision through {actor} is planned.",
        "Staff turnover is mitigated by training {n} trainers within {actor}.",
        "Currency depreciation above {pct}% triggers a budget review with the donor.",
    ],
}
BULLETS = [
    "{actor_c} approves {thing} by {month} {year}.",
    "{n} community health workers trained and supervised by {actor}.",
    "{pct}% of facilities in {place} report on time.",
    "{thing} reviewed every {n} months.",
]
NOTES = [
    "Ministry of Health, National Health Sector Strategic Plan {year}-{year2}, p. {n}.",
    "Demographic and Health Survey {year}, table {n}.{n2}.",
    "{actor_c}, annual report {year}.",
    "Project evaluation, {month} {year}, section {n}.",
]


def _fill(template: str, rng: random.Random) -> str:
    actor, actor2 = rng.sample(ACTORS, 2)
    year = rng.randint(2018, 2027)
    return template.format(
        place=rng.choice(PLACES), pct=rng.randint(5, 95), pct2=rng.randint(5, 95), n=rng.randint(2, 60),
        n2=rng.randint(2, 60), year=year, year2=year + rng.randint(1, 5), actor=actor, actor2=actor2,
        actor_c=actor[0].upper() + actor[1:], thing=rng.choice(THINGS), month=rng.choice(MONTHS),
        day=rng.randint(1, 28), money=f"{rng.randint(100, 9900) * 1000:,}",
    )  # fmt: skip


def _paragraph(topic: str, rng: random.Random) -> str:
    pool = TEMPLATES[topic] + TEMPLATES[rng.choice(list(TEMPLATES))]
    return " ".join(_fill(rng.choice(pool), rng) for _ in range(rng.randint(3, 7)))


def _add_footnotes(document, notes: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Write word/footnotes.xml by hand and relate it to the main part."""
    from xml.sax.saxutils import escape

    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    body = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>',
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>',
    ]
    for i, text in enumerate(notes, start=1):
        body.append(
            f'<w:footnote w:id="{i}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
            f'<w:r><w:t xml:space="preserve"> {escape(text)}</w:t></w:r></w:p></w:footnote>'
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:footnotes xmlns:w="{w}">{"".join(body)}</w:footnotes>'
    part = Part(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, xml.encode("utf-8"), document.part.package
    )
    document.part.relate_to(part, RT.FOOTNOTES)


def _footnote_ref(paragraph, note_id: int) -> None:  # type: ignore[no-untyped-def]
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    run = paragraph.add_run()
    rpr = OxmlElement("w:rPr")
    va = OxmlElement("w:vertAlign")
    va.set(qn("w:val"), "superscript")
    rpr.append(va)
    run._r.append(rpr)
    ref = OxmlElement("w:footnoteReference")
    ref.set(qn("w:id"), str(note_id))
    run._r.append(ref)


def make_docx(pages: int, path: Path, seed: int = 7) -> dict[str, int]:
    import docx
    from docx.shared import Pt

    rng = random.Random(seed * 1000 + pages)
    d = docx.Document()
    d.styles["Normal"].font.size = Pt(11)
    d.core_properties.title = (
        f"Strengthening district health systems in {rng.choice(PLACES)} ({pages}-page proposal)"
    )
    d.add_heading(d.core_properties.title, level=0)
    section = d.sections[0]
    section.header.paragraphs[0].text = "Proposal - confidential draft"
    section.footer.paragraphs[
        0
    ].text = f"Consortium proposal, version {rng.randint(2, 9)}, {rng.choice(MONTHS)} 2026"
    target = pages * WORDS_PER_PAGE
    words = tables = 0
    notes: list[str] = []
    topics = list(TEMPLATES)
    chapter = 0
    while words < target:
        for topic in topics:
            if words >= target:
                break
            chapter += 1
            d.add_heading(f"{chapter} {topic}", level=1)
            for sec in range(1, rng.randint(3, 6)):
                if words >= target:
                    break
                d.add_heading(
                    f"{chapter}.{sec} {_fill(rng.choice(['{place}: ', 'Year {n}: ', '']), rng)}{rng.choice(THINGS).capitalize()}",
                    level=2,
                )
                for _ in range(rng.randint(3, 7)):
                    text = _paragraph(topic, rng)
                    para = d.add_paragraph(text)
                    words += len(text.split())
                    if rng.random() < 0.15:
                        notes.append(_fill(rng.choice(NOTES), rng))
                        _footnote_ref(para, len(notes))
                if rng.random() < 0.5:
                    for _ in range(rng.randint(2, 5)):
                        text = _fill(rng.choice(BULLETS), rng)
                        d.add_paragraph(text, style="List Bullet")
                        words += len(text.split())
            # one table per chapter: results framework or risks
            tables += 1
            if topic == "Risks and mitigation":
                header = ["Risk", "Likelihood", "Impact", "Mitigation", "Owner"]
                rows = [
                    [
                        _fill("Delays in {thing}", rng),
                        rng.choice(["Low", "Medium", "High"]),
                        rng.choice(["Low", "Medium", "High"]),
                        _fill(rng.choice(TEMPLATES[topic]), rng),
                        rng.choice(ACTORS),
                    ]
                    for _ in range(rng.randint(4, 8))
                ]
            else:
                header = ["Indicator", "Baseline", "Target", "Source", "Responsible"]
                rows = [
                    [
                        _fill("{pct}% of facilities using {thing}", rng),
                        f"{rng.randint(0, 60)}% ({rng.randint(2019, 2025)})",
                        f"{rng.randint(60, 100)}% ({rng.randint(2027, 2030)})",
                        rng.choice(["DHIS2", "survey", "facility records", "scorecard"]),
                        rng.choice(ACTORS),
                    ]
                    for _ in range(rng.randint(4, 10))
                ]
            t = d.add_table(rows=1 + len(rows), cols=len(header))
            t.style = "Table Grid"
            for c, h in enumerate(header):
                t.cell(0, c).text = h
            for r, row in enumerate(rows, start=1):
                for c, v in enumerate(row):
                    t.cell(r, c).text = v
                    words += len(v.split())
    if notes:
        _add_footnotes(d, notes)
    d.save(str(path))
    return {"words": words, "tables": tables, "footnotes": len(notes), "chapters": chapter}


def to_pdf(docx_path: Path, out_dir: Path) -> Path | None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        print("soffice not found: no PDF", file=sys.stderr)
        return None
    with tempfile.TemporaryDirectory(prefix="shiftcheck-lo-") as profile:
        subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(docx_path)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800,
        )  # fmt: skip
    pdf = out_dir / (docx_path.stem + ".pdf")
    return pdf if pdf.exists() else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, nargs="+", default=[50, 200, 600])
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--no-pdf", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for pages in args.pages:
        path = args.out / f"proposal-{pages}p.docx"
        t = time.perf_counter()
        facts = make_docx(pages, path, args.seed)
        line = f"{path.name}: {facts['words']:,} words, {facts['chapters']} chapters, {facts['tables']} tables, {facts['footnotes']} footnotes, {path.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - t:.1f} s)"
        if not args.no_pdf:
            t = time.perf_counter()
            pdf = to_pdf(path, args.out)
            if pdf is not None:
                import pypdfium2 as pdfium

                doc = pdfium.PdfDocument(pdf)
                line += f"; {pdf.name}: {len(doc)} pages, {pdf.stat().st_size / 1e6:.1f} MB ({time.perf_counter() - t:.1f} s)"
                doc.close()
        print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
