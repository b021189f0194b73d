"""The gate's lines and the ``github`` format speak the report's language: a French document's
gate failures are French on stderr and in the annotations, and ``--report-lang`` switches the
``github`` format (annotations, titles, gate lines and the job summary) both ways."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from shiftcheck.config import Config
from shiftcheck.gate import evaluate
from shiftcheck.report import RenderOptions, render

from ..clirun import run_main as run
from ..workflow.helpers import flag, make_report, shift
from .test_french import english_only_pieces, english_rubric_texts

ROOT = Path(__file__).resolve().parents[2]
FRENCH = ROOT / "examples" / "04-mixte-sante-communautaire-guinee.md"
WEAK_FRENCH = ROOT / "tests" / "fixtures" / "gaming" / "weak-proposal.fr.md"
ENGLISH = ROOT / "examples" / "01-strong-state-led-nutrition.md"


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _github_gate(capsys, doc: str, lang: str) -> tuple[int, str, str]:
    """``shiftcheck review DOC -f github --fail-under 3 --report-lang LANG``."""
    return run(capsys, "review", doc, "-f", "github", "--fail-under", "3", "--report-lang", lang)


def _doc(folder: Path, source: Path) -> str:
    """A copy of ``source`` under ``folder`` (short, stable paths in the output)."""
    return str(Path(shutil.copy(source, folder / source.name)).relative_to(folder))


def _english_in(text: str) -> list[str]:
    pieces = sorted(p for p in english_only_pieces() if p in text)
    return pieces + sorted(t for t in english_rubric_texts() if t in text)


def _without_quotes(text: str) -> str:
    """``text`` without the document's own quoted words (an English document stays English)."""
    return re.sub(r"“[^”]*”", "", text)


# ---------------------------------------------------------------- a French document


def test_a_failing_french_document_gets_french_gate_lines_in_github_and_on_stderr(here, capsys):
    doc = _doc(here, FRENCH)
    code, out, err = run(
        capsys, "review", doc, "-f", "github", "--fail-under", "3", "--fail-under-overall", "0.9"
    )
    assert code == 1
    gate = [line for line in out.splitlines() if line.startswith("::error")]
    assert gate and all("title=seuil shiftcheck::" in line for line in gate), gate
    assert any("le changement 2 (Souveraineté et indépendance) est au niveau 1" in g for g in gate)
    assert any("le score global" in g and "--fail-under-overall 0.9" in g for g in gate)
    lines = err.splitlines()
    assert len(lines) == len(gate)
    assert all(line.startswith(f"{doc} : ") for line in lines), lines
    assert _english_in(out) == []
    assert _english_in(err) == []


def test_french_red_flag_gate_lines(here, capsys):
    doc = _doc(here, WEAK_FRENCH)
    code, out, err = run(capsys, "review", doc, "-f", "github", "--fail-level", "warning")
    assert code == 1
    lines = err.splitlines()
    assert lines and all("le signal d’alerte" in line for line in lines), lines
    assert any("(erreur, ligne " in line for line in lines)
    assert all(line.endswith("atteint ou dépasse --fail-level warning") for line in lines)
    assert _english_in(out) == [] and _english_in(err) == []


def test_report_lang_en_keeps_a_french_document_english_in_github(here, capsys):
    doc = _doc(here, FRENCH)
    code, out, err = _github_gate(capsys, doc, "en")
    assert code == 1
    assert "title=shiftcheck summary::overall level" in out
    assert "title=shiftcheck gate::" in out and "seuil shiftcheck" not in out
    assert f"{doc}: shift 2 (Sovereignty and independence) is level 1, below --fail-under 3" in err
    assert " : le changement" not in out + err


# ---------------------------------------------------------------- an English document


def test_report_lang_fr_puts_the_github_format_of_an_english_document_in_french(
    here, capsys, monkeypatch
):
    doc = _doc(here, ENGLISH)
    summary = here / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code, out, err = _github_gate(capsys, doc, "fr")
    assert code == 1
    assert "title=synthèse shiftcheck::niveau d’ensemble" in out
    assert "title=seuil shiftcheck::" in out and "shiftcheck gate" not in out
    assert err and all(line.startswith(f"{doc} : le changement ") for line in err.splitlines())
    assert _english_in(_without_quotes(out)) == []
    assert _english_in(err) == []
    job_summary = summary.read_text(encoding="utf-8")  # the Markdown job summary too
    assert "Éléments probants" in job_summary or "Changement" in job_summary
    assert _english_in(_without_quotes(job_summary)) == []


def test_an_english_document_keeps_english_gate_lines_by_default(here, capsys):
    doc = _doc(here, ENGLISH)
    code, out, err = run(capsys, "review", doc, "-f", "github", "--fail-under", "3")
    assert code == 1
    assert "title=shiftcheck gate::" in out and "title=shiftcheck summary::" in out
    assert err.splitlines()[0].startswith(f"{doc}: shift ")


# ---------------------------------------------------------------- the library


def _report_with_a_warning(language: str):
    report = make_report(
        "docs/p.md", [shift(2, 1, flags=[flag("short-term", "one-off", severity="error")])]
    )
    report.document.language = language
    report.warnings = ["a note"]
    return report


@pytest.mark.parametrize(("language", "lang"), [("en", "fr"), ("fr", "en")])
def test_render_github_follows_the_report_language_option(language, lang):
    report = _report_with_a_warning(language)
    text = render("github", report, RenderOptions(lang=lang))
    french = lang == "fr"
    assert ("title=avertissement shiftcheck::" in text) is french
    assert ("title=shiftcheck warning::" in text) is not french
    assert ("title=synthèse shiftcheck::" in text) is french
    auto = render("github", report, RenderOptions())
    assert ("title=synthèse shiftcheck::" in auto) is (language == "fr")


def test_gate_results_carry_facts_worded_in_either_language():
    report = _report_with_a_warning("fr")
    result = evaluate(report, Config(fail_under=2, fail_under_overall=0.5, fail_level="error"))
    assert result.lang == "fr"
    assert [i.kind for i in result.items] == ["shift", "overall", "red_flag"]
    assert result.items[0].shift_id == 2 and result.items[0].level == 1
    assert result.items[0].threshold == 2 and result.items[2].flag_key == "short-term"
    assert result.failures == result.lines() == result.lines("fr")
    assert result.failures[0].startswith("docs/p.md : le changement 2 (")
    assert result.failures[2].startswith(
        "docs/p.md : le signal d’alerte shift-2/short-term (erreur"
    )
    english = result.lines("en")
    assert english[0].startswith("docs/p.md: shift 2 (") and english[0].endswith(
        "is level 1, below --fail-under 2"
    )
    assert english[1] == "docs/p.md: overall score 0.33 is below --fail-under-overall 0.5"
    assert english[2].endswith("(error) at p.3, Sustainability is at or above --fail-level error")
    assert _english_in("\n".join(result.failures)) == []
