"""Report formats: every format renders single reports and batches, deterministically and validly."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import jsonschema
import pytest
from rich.cells import cell_len

from shiftcheck.model import SCHEMA_VERSION, BatchReport, Report
from shiftcheck.report import FORMATS, RenderOptions, UnknownFormat, render
from shiftcheck.report.json import SCHEMA_FILE, json_schema
from shiftcheck.report.sarif import artifact_uri

from .sample import batch, error_entry, markdown_report, pdf_report

SARIF_SCHEMA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)
if (
    not SARIF_SCHEMA.exists()
):  # the repository checked out as /work/<branch>: the schema sits in /work/shared
    SARIF_SCHEMA = (
        Path(__file__).resolve().parents[2].parent
        / "shared"
        / "schemas"
        / "sarif-schema-2.1.0.json"
    )

SINGLES = {"md": markdown_report, "pdf": pdf_report}


def _lines(text: str) -> list[str]:
    return text.splitlines()


# ---------------------------------------------------------------- every format


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("which", sorted(SINGLES))
def test_every_format_renders_a_single_report(fmt, which):
    out = render(fmt, SINGLES[which](), RenderOptions())
    assert isinstance(out, str) and out.endswith("\n")
    assert SINGLES[which]().document.path in out or fmt == "sarif"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_renders_a_batch(fmt):
    out = render(fmt, batch(), RenderOptions())
    assert out.endswith("\n")
    assert "inbox/locked.docx" in out
    # a BatchReport gives the same text as the list of entries
    b = BatchReport(tool=markdown_report().tool, documents=batch())
    assert render(fmt, b, RenderOptions()) == out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize(
    "opts", [RenderOptions(), RenderOptions(color=True, verbose=True, threshold=2, width=100)]
)
def test_rendering_is_deterministic(fmt, opts):
    a = render(fmt, batch(), opts)
    b = render(fmt, [e.model_copy(deep=True) for e in batch()], opts)
    assert a.encode("utf-8") == b.encode("utf-8")
    assert not re.search(r"\d{4}-\d\d-\d\d[T ]\d\d:\d\d", a)  # no timestamps


def test_unknown_format_and_bad_data():
    with pytest.raises(UnknownFormat):
        render("pdf", markdown_report(), RenderOptions())
    with pytest.raises(TypeError):
        render("json", {"not": "a report"}, RenderOptions())  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        render("json", ["x"], RenderOptions())  # type: ignore[list-item]


# ---------------------------------------------------------------- terminal


@pytest.mark.parametrize("data", [markdown_report, pdf_report, batch], ids=["md", "pdf", "batch"])
@pytest.mark.parametrize("verbose", [False, True])
def test_terminal_plain_has_no_ansi_and_fits_80_columns(data, verbose):
    out = render("terminal", data(), RenderOptions(width=80, color=False, verbose=verbose))
    assert "\x1b" not in out
    too_long = [ln for ln in _lines(out) if cell_len(ln) > 80]
    assert not too_long, too_long


@pytest.mark.parametrize("width", [60, 120])
def test_terminal_respects_the_given_width(width):
    out = render("terminal", batch(), RenderOptions(width=width))
    assert max(cell_len(ln) for ln in _lines(out)) <= width


def test_terminal_color_uses_ansi_and_ignores_the_environment(monkeypatch):
    colored = render("terminal", markdown_report(), RenderOptions(color=True))
    assert "\x1b[" in colored
    plain = render("terminal", markdown_report(), RenderOptions())
    monkeypatch.setenv("COLUMNS", "37")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    assert render("terminal", markdown_report(), RenderOptions()) == plain
    assert render("terminal", markdown_report(), RenderOptions(color=True)) == colored


def test_terminal_content():
    out = render("terminal", markdown_report(), RenderOptions())
    assert "proposals/district-health.md" in out and "critical-shifts 1.0" in out
    assert "●●● Operationalised" in out and "○○○ Absent" in out
    assert "no evidence" in out
    assert "(line 12, 3.1 Steering; Operationalised)" in out  # strength named like the level
    assert "Suggest: Strengthen DHIS2" in out
    assert "[mitigated: handover" in out and "[waived: training" in out
    assert "Add next:" in out and "Top recommendations" in out
    assert "why:" not in out
    pdf = render("terminal", pdf_report(), RenderOptions())
    assert "p.4, Funds" in pdf


def test_terminal_summary_and_verbose():
    summary = render("terminal", markdown_report(), RenderOptions(summary=True))
    assert (
        "Strongest evidence" in summary and "Add next:" not in summary and "Suggest:" not in summary
    )
    verbose = render("terminal", markdown_report(), RenderOptions(verbose=True))
    assert "[discarded] indicator transition-plan" in verbose and "why: hedged" in verbose


def test_terminal_batch_has_portfolio_after_reports():
    out = render("terminal", batch(), RenderOptions())
    assert out.index("Portfolio") > out.index("designs/Programme Design 2026.pdf")
    row = next(
        ln
        for ln in _lines(out)
        if ln.startswith("proposals/district-health.md")
        and "3" in ln
        and "1" in ln
        and "2" in ln
        and len(ln.split()) >= 10
    )
    assert row.split()[1:] == ["3", "1", "2", "2", "1", "0", "1", "0", "2", "1"]
    assert "EncryptedDocument" in out


# ---------------------------------------------------------------- markdown


def test_markdown_has_summary_table_and_details_per_shift():
    out = render("markdown", markdown_report(), RenderOptions())
    assert out.startswith("## shiftcheck review: proposals/district-health.md\n")
    assert out.count("<details>") == 9 and out.count("</details>") == 9
    assert out.count("<summary>") == 9
    assert out.index("| # | Shift | Level | Strongest evidence | Red flags |") < out.index(
        "<details>"
    )
    table = [ln for ln in _lines(out) if ln.startswith("| ") and ln[2].isdigit()]
    assert len(table) == 9
    # every table row has exactly 5 cells: an escaped | in a quote does not add one
    for row in table:
        assert len(re.split(r"(?<!\\)\|", row)) == 7, row
    assert "\\|" in out and "\\*ownership\\*" in out
    assert "\\<separate\\>" in out and "<separate>" not in out
    assert "Suggest: Strengthen DHIS2" in out


def test_markdown_summary_only_and_batch():
    out = render("markdown", markdown_report(), RenderOptions(summary=True))
    assert "<details>" not in out and "| 9 |" in out
    b = render("markdown", batch(), RenderOptions())
    assert b.count("<details>") == 18
    assert b.index("## Portfolio") > b.index("designs/Programme Design 2026.pdf")
    assert "| proposals/district-health.md | 3 | 1 | 2 | 2 | 1 | 0 | 1 | 0 | 2 | 1 |" in b
    assert "error: EncryptedDocument" in b


# ---------------------------------------------------------------- json


def _schema_validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_shipped_schema_is_up_to_date():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == json_schema(), "run scripts/gen_schema.py"


@pytest.mark.parametrize("data", [markdown_report, pdf_report, batch], ids=["md", "pdf", "batch"])
def test_json_validates_against_the_shipped_schema(data):
    out = render("json", data(), RenderOptions())
    _schema_validator().validate(json.loads(out))


def test_json_schema_rejects_unknown_keys_and_bad_levels():
    v = _schema_validator()
    doc = json.loads(render("json", markdown_report(), RenderOptions()))
    doc["shifts"][0]["surprise"] = 1
    assert not v.is_valid(doc)
    doc = json.loads(render("json", markdown_report(), RenderOptions()))
    doc["shifts"][0]["level"] = 4
    assert not v.is_valid(doc)


def test_json_round_trips_and_batch_shape():
    out = render("json", markdown_report(), RenderOptions())
    assert Report.model_validate(json.loads(out)) == markdown_report()
    assert "“" not in out or "\\u201c" not in out  # ensure_ascii=False
    b = json.loads(render("json", batch(), RenderOptions()))
    assert (
        set(b) == {"schema_version", "tool", "documents"}
        and b["schema_version"] == SCHEMA_VERSION == "1.1"
    )
    assert b["documents"][2] == {
        "path": "inbox/locked.docx",
        "error": error_entry().error,
        "kind": "EncryptedDocument",
    }
    assert b["documents"][0]["shifts"][1]["from"] == "Dependence"


def test_schema_command_prints_the_schema():
    from typer.testing import CliRunner

    from shiftcheck.commands import app

    res = CliRunner().invoke(app, ["schema"])
    assert res.exit_code == 0, res.output
    assert res.output == json_schema()


# ---------------------------------------------------------------- sarif


def _sarif_validator():
    if not SARIF_SCHEMA.exists():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA}")
    return jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))


SARIF_OPTS = [
    RenderOptions(),
    RenderOptions(threshold=2),
    RenderOptions(threshold=3, base_uri="file:///home/ci/repo", root="."),
]


@pytest.mark.parametrize("data", [markdown_report, pdf_report, batch], ids=["md", "pdf", "batch"])
@pytest.mark.parametrize("opts", SARIF_OPTS, ids=["plain", "threshold", "base-uri"])
def test_sarif_validates_against_the_oasis_schema(data, opts):
    log = json.loads(render("sarif", data(), opts))
    _sarif_validator().validate(log)
    # GitHub code scanning upload rules
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and len(log["runs"]) == 1
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "shiftcheck"
    for res in run["results"]:
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"]
        assert res["level"] in ("error", "warning", "note")
        assert res["message"]["text"]
        loc = res["locations"][0]["physicalLocation"]
        uri = loc["artifactLocation"]["uri"]
        assert not uri.startswith(("/", "./", "file:")) and "\\" not in uri
        assert loc["region"]["startLine"] >= 1


def test_sarif_rules_results_and_regions():
    log = json.loads(render("sarif", batch(), RenderOptions(threshold=2)))
    run = log["runs"][0]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert len(ids) == len(set(ids))
    assert {
        "shift-2/parallel-system",
        "shift-2/expat-led",
        "shift-7/training-only",
        "shift-8/gender-blind",
    } <= set(ids)
    assert "shift-6/below-threshold" in ids
    rule = run["tool"]["driver"]["rules"][ids.index("shift-2/parallel-system")]
    # no docs_url in the rubric: no helpUri (never an invented address); the help names the command
    assert "helpUri" not in rule and rule["help"]["text"].startswith("Strengthen DHIS2")
    assert "`shiftcheck rubric show critical-shifts --shift 2`" in rule["help"]["markdown"]
    assert "informationUri" not in run["tool"]["driver"]
    assert rule["defaultConfiguration"]["level"] == "error"
    by = {}
    for r in run["results"]:
        by.setdefault(
            (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]), r
        )
    md_flag = by[("proposals/district-health.md", "shift-2/parallel-system")]
    assert md_flag["level"] == "error"
    assert md_flag["locations"][0]["physicalLocation"]["region"]["startLine"] == 31
    assert md_flag["locations"][0]["physicalLocation"]["region"]["startColumn"] == 5
    assert "line 31, 5 Monitoring" in md_flag["message"]["text"]
    pdf_flag = by[("designs/Programme%20Design%202026.pdf", "shift-8/gender-blind")]
    region = pdf_flag["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1 and region["properties"]["page"] == 11
    assert region["properties"]["section"] == "Annex 2 > Table 4"
    assert "p.11" in pdf_flag["message"]["text"]
    assert (
        by[("proposals/district-health.md", "shift-2/expat-led")]["suppressions"][0]["kind"]
        == "inSource"
    )
    assert (
        by[("proposals/district-health.md", "shift-7/training-only")]["suppressions"][0]["kind"]
        == "external"
    )
    assert "suppressions" not in md_flag
    # below-threshold results only for shifts below 2 (markdown doc: shifts 2, 5, 6, 7, 8; pdf: 8)
    below = sorted((u, r) for u, r in by if r.endswith("below-threshold"))
    assert [r for u, r in below if u.startswith("proposals")] == [
        f"shift-{i}/below-threshold" for i in (2, 5, 6, 7, 8)
    ]
    assert [r for u, r in below if u.startswith("designs")] == ["shift-8/below-threshold"]
    inv = run["invocations"][0]
    assert inv["executionSuccessful"] is False
    assert inv["toolExecutionNotifications"][0]["descriptor"]["id"] == "EncryptedDocument"


def test_sarif_without_threshold_has_no_threshold_rules():
    log = json.loads(render("sarif", markdown_report(), RenderOptions()))
    assert not [
        r for r in log["runs"][0]["tool"]["driver"]["rules"] if r["id"].endswith("below-threshold")
    ]
    assert log["runs"][0]["invocations"][0]["executionSuccessful"] is True


def test_sarif_artifact_uri():
    o = RenderOptions()
    assert artifact_uri("./docs/a b.md", o) == "docs/a%20b.md"
    assert artifact_uri("docs\\sub\\x.pdf", o) == "docs/sub/x.pdf"
    assert artifact_uri("/abs/x.pdf", o) == "file:///abs/x.pdf"
    assert artifact_uri("/repo/docs/x.pdf", RenderOptions(root="/repo")) == "docs/x.pdf"
    assert (
        artifact_uri("/elsewhere/x.pdf", RenderOptions(root="/repo")) == "file:///elsewhere/x.pdf"
    )
    log = json.loads(render("sarif", markdown_report(), RenderOptions(base_uri="file:///ci/repo")))
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["SRCROOT"]["uri"] == "file:///ci/repo/"
    assert (
        run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]
        == "SRCROOT"
    )


# ---------------------------------------------------------------- html


@pytest.mark.parametrize("data", [markdown_report, pdf_report], ids=["md", "pdf"])
def test_html_is_self_contained_with_a_radar(data):
    out = render("html", data(), RenderOptions())
    assert out.startswith("<!DOCTYPE html>")
    assert out.count("<svg") == 1
    labels = re.findall(r'<text class="axis-label"[^>]*>([^<]*)</text>', out)
    assert [lbl.split()[0] for lbl in labels] == [str(i) for i in range(1, 10)]
    assert "<script" not in out.lower() and "javascript:" not in out.lower()
    assert "<link" not in out and "@import" not in out and "url(" not in out and " src=" not in out
    assert "@page { size: A4; margin: 15mm; }" in out
    assert "break-inside: avoid" in out
    assert out.count('<section class="shift') == 9


def test_html_escapes_document_text():
    out = render("html", markdown_report(), RenderOptions())
    assert "&lt;separate&gt;" in out and "<separate>" not in out
    assert "M&amp;E" in out


def test_html_batch_has_portfolio():
    out = render("html", batch(), RenderOptions())
    assert out.count("<svg") == 2
    assert out.index("Portfolio") > out.index("designs/Programme Design 2026.pdf")
    assert "error: EncryptedDocument" in out and '<table class="portfolio">' in out


# ---------------------------------------------------------------- golden files

GOLDENS = [
    ("report-md.terminal.txt", "terminal", markdown_report, RenderOptions(width=80)),
    (
        "report-md-verbose.terminal.txt",
        "terminal",
        markdown_report,
        RenderOptions(width=80, verbose=True),
    ),
    ("batch-summary.terminal.txt", "terminal", batch, RenderOptions(width=80, summary=True)),
    ("report-md.md", "markdown", markdown_report, RenderOptions()),
    ("batch.md", "markdown", batch, RenderOptions()),
    ("report-pdf.json", "json", pdf_report, RenderOptions()),
    ("batch.json", "json", batch, RenderOptions()),
    ("batch-threshold.sarif", "sarif", batch, RenderOptions(threshold=2)),
    ("report-md.html", "html", markdown_report, RenderOptions()),
]


@pytest.mark.parametrize(("name", "fmt", "data", "opts"), GOLDENS, ids=[g[0] for g in GOLDENS])
def test_golden(golden, name, fmt, data, opts):
    golden(name, render(fmt, data(), opts))


# ---------------------------------------------------------------- browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("chromium")
    assert exe
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=120,
        )


@pytest.mark.browser
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_html_in_a_real_browser(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render("html", batch(), RenderOptions()), encoding="utf-8")
    png = tmp_path / "shot.png"
    _chromium(f"--screenshot={png}", "--window-size=1240,1754", page.as_uri())
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1240, 1754)
    assert len(data) > 50_000  # a rendered page, not a blank one

    pdf = tmp_path / "report.pdf"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        assert len(doc) >= 3
        for i in range(len(doc)):
            w, h = doc[i].get_size()
            assert abs(w - 595.3) < 2 and abs(h - 841.9) < 2  # A4 in points
        text = doc[0].get_textpage().get_text_range()
        assert "shiftcheck portfolio review" in text
    finally:
        doc.close()


# ---------------------------------------------------------------- edge cases


def _awkward_report():
    r = markdown_report()
    r.document.path = "very/long/" + "directory-name-" * 8 + "/国家卫生计划 文件.md"
    r.document.title = "x" * 150
    ev = r.shifts[0].evidence[0]
    ev.quote = (
        "See https://example.org/"
        + "a" * 150
        + " and 国家卫生计划" * 6
        + " `code` <b>bold</b> 🚀\nnext line"
    )
    ev.location.section = "S" * 120
    r.shifts[1].red_flags[0].suggestion = "y" * 200
    r.shifts[2].rationale = "# 1. - not a heading | nor a list"
    return r


@pytest.mark.parametrize("width", [80, 40])
def test_terminal_folds_long_words_and_wide_characters(width):
    out = render("terminal", _awkward_report(), RenderOptions(width=width, verbose=True))
    assert max(cell_len(ln) for ln in _lines(out)) <= width


def test_markdown_and_html_escape_awkward_text():
    md = render("markdown", _awkward_report(), RenderOptions())
    assert "\\`code\\` \\<b\\>bold\\</b\\>" in md
    assert "\n\\# 1. - not a heading \\| nor a list\n" in md
    html = render("html", _awkward_report(), RenderOptions())
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("entries", [[], [error_entry()]], ids=["empty", "errors-only"])
def test_batches_without_reports(fmt, entries):
    out = render(fmt, entries, RenderOptions(threshold=2))
    assert out.endswith("\n")
    if fmt == "json":
        doc = json.loads(out)
        assert doc["tool"]["name"] == "shiftcheck" and len(doc["documents"]) == len(entries)
        _schema_validator().validate(doc)
    if fmt == "sarif" and SARIF_SCHEMA.exists():
        _sarif_validator().validate(json.loads(out))


@pytest.mark.parametrize(
    "data", [markdown_report, batch, _awkward_report], ids=["md", "batch", "awkward"]
)
def test_html_tags_are_balanced(data):
    from html.parser import HTMLParser

    void = {"meta", "br", "hr", "img", "input", "link", "col", "wbr"}
    svg_empty = {"polygon", "line", "circle", "path", "rect"}

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in void:
                self.stack.append(tag)

        def handle_startendtag(self, tag, attrs):
            assert tag in void | svg_empty, tag

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
            self.stack.pop()

    c = Checker()
    c.feed(render("html", data(), RenderOptions(verbose=True)))
    c.close()
    assert c.stack == []


def test_format_for_path():
    from shiftcheck.report import format_for_path

    assert format_for_path("out/report.sarif.json") == "sarif"
    assert format_for_path("out\\r.SARIF") == "sarif"
    assert format_for_path("r.json") == "json"
    assert format_for_path("r.md") == "markdown"
    assert format_for_path("r.html") == "html"
    assert format_for_path("r.txt") == "terminal"
    assert format_for_path("r.pdf") is None and format_for_path(".json") is None
    assert format_for_path("reviewed.docx") == "docx"
    from shiftcheck.report import BINARY_FORMATS, FORMATS, SUFFIXES

    assert set(SUFFIXES.values()) <= set(FORMATS) | set(BINARY_FORMATS)
