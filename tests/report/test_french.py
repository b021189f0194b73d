"""Reports in French: ``--report-lang fr`` (config ``report.lang``), and by default for a French
document. Every format is scanned for the English catalog's strings and the rubric's English texts;
a rubric without French text falls back to English per string with one warning."""

from __future__ import annotations

import io
import os
import re
import string
import zipfile
from pathlib import Path

import pytest
from lxml import etree

import shiftcheck
from shiftcheck.report import FORMATS, RenderOptions, render, render_bytes
from shiftcheck.report.i18n import catalog
from shiftcheck.rubric import load_rubric

from ..clirun import run_cli

ROOT = Path(__file__).resolve().parents[2]
FRENCH_DOCS = [
    "examples/04-mixte-sante-communautaire-guinee.md",
    "tests/fixtures/gaming/weak-proposal.fr.md",
    "tests/fixtures/gaming/strong-proposal.fr.md",
]
REAL_FR = Path("/work/shared/calibration/real")


def _literals(template: str) -> list[str]:
    """The fixed pieces of a catalog template (placeholders removed)."""
    return [lit for lit, _, _, _ in string.Formatter().parse(template) if lit]


def english_only_pieces() -> set[str]:
    """Pieces of English program text (at least two words) that no French string contains."""
    fr_all = " ".join(catalog("fr").values())
    out: set[str] = set()
    for key, text in catalog("en").items():
        if key in ("numbers",):
            continue
        for lit in _literals(text):
            lit = lit.strip(" .,:;()'“”")
            if len(lit.split()) >= 2 and lit not in fr_all:
                out.add(lit)
    return out


def english_rubric_texts() -> set[str]:
    """The default rubric's English sentences that have a French version (and differ from it)."""
    r = load_rubric(None)
    out: set[str] = set()
    items = [*r.levels, *r.mechanisms]
    for c in r.criteria:
        items += [c, *c.indicators, *c.red_flags]
    for it in items:
        fr = it.translations.get("fr", {})
        for field, text in fr.items():
            en = getattr(it, "from_" if field == "from" else field)
            if en and en != text and len(en.split()) >= 3:
                out.add(en)
    return out


@pytest.fixture(scope="module")
def french_reports():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {p: shiftcheck.review(p) for p in FRENCH_DOCS}
    finally:
        os.chdir(cwd)


def test_the_documents_are_read_as_french(french_reports):
    assert {r.document.language for r in french_reports.values()} == {"fr"}


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("doc", FRENCH_DOCS)
def test_a_french_document_gets_a_french_report_in_every_format(french_reports, fmt, doc):
    text = render(fmt, french_reports[doc], RenderOptions(width=100, threshold=3, verbose=False))
    found = sorted(p for p in english_only_pieces() if p in text)
    assert found == [], found[:10]
    rubric_en = sorted(t for t in english_rubric_texts() if t in text)
    assert rubric_en == [], rubric_en[:5]
    assert "shown in English" not in text and "affichées en anglais" not in text


@pytest.fixture(scope="module")
def french_verbose_reports():
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return {p: shiftcheck.review(p, verbose=True) for p in FRENCH_DOCS}
    finally:
        os.chdir(cwd)


_ENGLISH_LABELS = re.compile(
    r"\[(counted|excluded|ignored|fired|rejected|context|meta|excused)\]|`(counted|excluded|ignored|fired|rejected)`|\b(indicator|red_flag) [a-z]"
)


@pytest.mark.parametrize("fmt", ["terminal", "markdown", "html"])
@pytest.mark.parametrize("doc", FRENCH_DOCS)
def test_a_french_verbose_report_explains_each_match_in_french(french_verbose_reports, fmt, doc):
    """``--verbose`` lists every match with its status and why: in French too, the reasons that
    held a match at "mentioned" included (they were the engine's English words)."""
    report = french_verbose_reports[doc]
    assert any(s.matches for s in report.shifts)
    text = render(fmt, report, RenderOptions(width=100, verbose=True))
    found = sorted(p for p in english_only_pieces() if p in text)
    assert found == [], found[:10]
    assert _ENGLISH_LABELS.search(text) is None, _ENGLISH_LABELS.search(text)
    whys = [m.why for s in report.shifts for m in s.matches]
    assert any("plafonné" in w for w in whys) or doc.endswith("strong-proposal.fr.md")


def test_cap_reasons_and_match_forms_are_worded_in_french():
    from shiftcheck.report.i18n import translator
    from shiftcheck.report.localize import why_words

    rubric = load_rubric(None)
    tr = translator("fr")
    levels = {1: "Mentionné", 2: "Décrit", 3: "Opérationnalisé"}

    def fr(text: str) -> str:
        return why_words(text, rubric, levels, tr, None)  # type: ignore[arg-type]

    assert fr(
        "mentioned with no concrete mechanism; capped: hedged ('si possible'), "
        "about the application process ('la note conceptuelle')"
    ) == (
        "Mentionné, sans détail concret ; plafonné : formulé avec réserve ('si possible'), "
        "à propos de la procédure de candidature ('la note conceptuelle')"
    )
    assert fr("described with money, section topic") == (
        "Décrit, avec un budget et le thème de sa section"
    )
    assert fr("negated by 'ne pas': counts against the shift") == (
        "nié par « ne pas » : compte contre le changement"
    )
    assert fr("ignored (a bare phrase)") == "écarté (expression isolée)"
    assert fr("ignored (part of a red flag)") == "écarté (fait partie d’un signal d’alerte)"
    assert fr("ignored (rejected by 'plutôt que')") == "écarté (rejeté par « plutôt que »)"
    assert fr("describes others' practice (hypothetical or wish: 'idéalement')") == (
        "décrit la pratique d’autres acteurs (hypothèse ou souhait: 'idéalement')"
    )
    assert fr("ignored (something new)") == "écarté (something new)"
    assert fr("red flag, mitigated ('d’ici 2027' with a timeline)") == (
        "signal d’alerte, atténué (« d’ici 2027 » avec un calendrier)"
    )
    assert fr("not a red flag here: 'sur demande' stands beside it") == (
        "pas un signal d’alerte ici : « sur demande » l’accompagne"
    )
    assert fr("something the engine says that no catalog knows") == (
        "something the engine says that no catalog knows"
    )


def test_french_report_words(french_reports):
    r = french_reports[FRENCH_DOCS[0]]
    text = render("terminal", r, RenderOptions(width=100))
    assert (
        "Éléments probants" in text
        and "À ajouter ensuite" in text
        and "Recommandations principales" in text
    )
    assert any(s.rationale.startswith(f"Niveau {s.level} (") for s in r.shifts)
    assert set(r.levels.values()) == {"Absent", "Mentionné", "Décrit", "Opérationnalisé"}
    assert re.search(r"\(ligne \d+", text)


def test_a_french_batch_has_a_french_portfolio(french_reports):
    text = render("markdown", list(french_reports.values()), RenderOptions())
    assert "revue de portefeuille shiftcheck (3 documents)" in text and "## Portefeuille" in text
    assert "Niveaux : 0 Absent, 1 Mentionné, 2 Décrit, 3 Opérationnalisé." in text


def test_report_lang_en_keeps_a_french_document_in_english():
    r = shiftcheck.review(ROOT / FRENCH_DOCS[0], report_lang="en")
    assert r.shifts[0].rationale.startswith("Level ")
    text = render("markdown", r, RenderOptions(lang="en"))
    assert "**Evidence**" in text or "**Add next**" in text


def test_report_lang_fr_puts_an_english_document_in_french():
    r = shiftcheck.review(ROOT / "examples/01-strong-state-led-nutrition.md", report_lang="fr")
    text = render("terminal", r, RenderOptions(width=100, lang="fr"))
    assert "Niveau 3 (Opérationnalisé)" in text and "Changement" in text
    words = re.sub(
        r"“[^”]*”", "", render("markdown", r, RenderOptions(lang="fr"))
    )  # the document's own quotes stay English
    assert not [p for p in english_only_pieces() if p in words]


def _cli(args, cwd, env=None):
    return run_cli(args, cwd, env)


def test_cli_flag_and_config_key(tmp_path):
    doc = ROOT / FRENCH_DOCS[0]
    out = _cli(["review", str(doc), "--summary", "--exit-zero", "--width", "120"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert "Changement" in out.stdout and "Élément probant le plus fort" in out.stdout
    out = _cli(
        ["review", str(doc), "--summary", "--report-lang", "en", "--exit-zero", "--width", "120"],
        tmp_path,
    )
    assert "Strongest evidence" in out.stdout and "Changement" not in out.stdout
    (tmp_path / ".shiftcheck.yaml").write_text("report:\n  lang: en\n", encoding="utf-8")
    out = _cli(["review", str(doc), "--summary", "--exit-zero", "--width", "120"], tmp_path)
    assert "Strongest evidence" in out.stdout, out.stderr
    out = _cli(["config"], tmp_path)
    assert re.search(r"report\.lang\s+en\s+\.shiftcheck\.yaml:2", out.stdout), out.stdout
    out = _cli(["review", str(doc), "--report-lang", "de"], tmp_path)
    assert out.returncode == 2 and "--report-lang" in out.stderr and "Traceback" not in out.stderr


def test_a_rubric_without_french_falls_back_per_string_with_one_warning(tmp_path):
    custom = ROOT / "tests" / "rubrics" / "custom-three.yaml"
    doc = tmp_path / "a.md"
    doc.write_text(
        "# Plan\n\nLe ministère de la Santé approuve le plan de travail annuel chaque décembre.\n",
        encoding="utf-8",
    )
    r = shiftcheck.review(doc, rubric=custom, report_lang="fr")
    notes = [w for w in r.warnings if "affichées en anglais" in w or "affichée en anglais" in w]
    assert len(notes) == 1 and "custom" in notes[0]
    rubric = load_rubric(custom)
    assert [s.title for s in r.shifts] == [c.title for c in rubric.criteria]  # English, per string
    text = render("terminal", r, RenderOptions(width=100))
    assert (
        "Éléments probants" in text or "aucun élément probant" in text
    )  # the program's words stay French


@pytest.mark.skipif(not REAL_FR.is_dir(), reason="no real calibration set")
def test_a_real_french_pdf_gets_a_french_report():
    pdfs = sorted(
        p for p in REAL_FR.glob("*.pdf") if re.search(r"(^|[_-])(FR|fr)[_.-]|French|Fran", p.name)
    )
    if not pdfs:
        pytest.skip("no French PDF named as such in the real set")
    r = shiftcheck.review(pdfs[0], guarded=True)
    if r.document.language != "fr":
        pytest.skip(f"{pdfs[0].name} is not read as French")
    text = render("markdown", r, RenderOptions())
    assert not [p for p in english_only_pieces() if p in text]


# ---------------------------------------------------------------- the Word format


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _paragraphs(el: etree._Element) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in el.iter(f"{W}p")]


def _docx_text(data: bytes) -> str:
    """Every word of a Word file: the body and the comments (paragraphs on lines of their own)."""
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for part in ("word/document.xml", "word/comments.xml"):
            if part in z.namelist():
                out += _paragraphs(etree.fromstring(z.read(part)))
    return "\n".join(out)


def _assert_french(text: str) -> None:
    found = sorted(p for p in english_only_pieces() if p in text)
    assert found == [], found[:10]
    rubric_en = sorted(t for t in english_rubric_texts() if t in text)
    assert rubric_en == [], rubric_en[:5]


@pytest.mark.parametrize("summary", [False, True])
@pytest.mark.parametrize("doc", FRENCH_DOCS)
def test_a_french_document_gets_a_french_word_report(french_reports, doc, summary):
    data = render_bytes("docx", french_reports[doc], RenderOptions(summary=summary))
    text = _docx_text(data)
    assert "Éléments probants" in text or summary
    _assert_french(text)


def test_a_french_batch_gets_a_french_word_portfolio(french_reports):
    text = _docx_text(render_bytes("docx", list(french_reports.values()), RenderOptions()))
    assert "revue de portefeuille shiftcheck (3 documents)" in text
    _assert_french(text)


def test_a_french_word_file_gets_french_comments(tmp_path):
    """Example 04 as a Word file (headings, bold labels, bullets): every comment is French."""
    docx = pytest.importorskip("docx")
    word = docx.Document()
    for line in (ROOT / FRENCH_DOCS[0]).read_text(encoding="utf-8").splitlines():
        text = line.replace("**", "").strip()
        if line.startswith("# "):
            word.add_heading(text[2:], 0)
        elif line.startswith("## "):
            word.add_heading(text[3:], 1)
        elif line.startswith("- "):
            word.add_paragraph(text[2:], style="List Bullet")
        elif text:
            word.add_paragraph(text)
    path = tmp_path / "lafia-fouta.docx"
    word.save(str(path))
    report = shiftcheck.review(path)
    assert report.document.language == "fr"
    data = render_bytes("docx", report, RenderOptions())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        notes = etree.fromstring(z.read("word/comments.xml"))
    texts = ["\n".join(_paragraphs(c)) for c in notes.iter(f"{W}comment")]
    assert len(texts) >= 10
    assert texts[0].startswith("Revue shiftcheck : niveau global")
    assert all(t.startswith(("Revue shiftcheck", "Changement ")) for t in texts)
    _assert_french("\n".join(texts))
