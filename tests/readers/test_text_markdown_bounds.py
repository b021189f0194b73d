"""Text and Markdown readers at any nesting depth and line length: every word read, line-end
hyphens joined by the rule the PDF reader uses, and ``--timeout`` keeping a slow read short.
(Issue 14, "every input bounded, nothing dropped in silence"; issue 11, failure class 5.)"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from shiftcheck.document import BlockKind
from shiftcheck.errors import LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers import read

_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> Counter[str]:
    """Words: runs of letters and digits (Markdown markup, bullets and punctuation are not)."""
    return Counter(w.lower() for w in _WORD.findall(text))


def _doc_words(doc) -> Counter[str]:
    out: Counter[str] = Counter()
    for b in doc.blocks:
        out += _words(b.text)
    return out


def _nested_md(levels: int) -> str:
    lines = ["# Proposal", "", "The project supports district health offices.", ""]
    lines += ["  " * d + f"- Level {d + 1} activity with district teams" for d in range(levels)]
    lines += [
        "",
        "## Governance",
        "",
        "A steering committee chaired by our Chief of Party will approve workplans.",
        "",
    ]
    return "\n".join(lines)


# --- deep nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize("levels", [9, 12, 30, 80])
def test_deep_markdown_list_drops_nothing(tmp_path: Path, levels: int) -> None:
    """markdown-it stops at its nesting limit and skips the rest of the file; every block after a
    deep list must still be read (Governance and its sentence), and every list item too."""
    f = tmp_path / "nested.md"
    f.write_text(_nested_md(levels), encoding="utf-8")
    doc = read(f)
    texts = [b.text for b in doc.blocks]
    assert "Governance" in texts
    gov = doc.blocks[-1]
    assert gov.text == "A steering committee chaired by our Chief of Party will approve workplans."
    assert gov.kind == BlockKind.PARAGRAPH and gov.heading_path == ("Proposal", "Governance")
    for d in range(levels):
        assert f"Level {d + 1} activity with district teams" in texts
    assert _doc_words(doc) == _words(_nested_md(levels))


@pytest.mark.parametrize("levels", [9, 12, 80])
def test_the_red_flag_after_a_deep_list_fails_the_gate(
    tmp_path, monkeypatch, capsys, levels
) -> None:
    """The issue's row end to end: with the Governance section read, its implementer-chaired
    committee is a red flag and ``--fail-level error`` exits 1 at any depth (before: exit 0 from
    10 levels on, everything after the list dropped)."""
    from shiftcheck.cli import main

    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "nested.md").write_text(_nested_md(levels), encoding="utf-8")
    with pytest.raises(SystemExit) as e:
        main(["review", "nested.md", "--fail-level", "error"])
    err = capsys.readouterr().err
    assert e.value.code == 1, err
    assert err.strip().splitlines() == [
        f"nested.md: red flag country-driven/implementer-chaired (error) at line {levels + 8}, "
        "Governance is at or above --fail-level error"
    ]


def test_deep_quotes_and_one_line_nesting_are_read(tmp_path: Path) -> None:
    src = (
        "> " * 40
        + "deep quoted words\n\n"
        + "- " * 5000
        + "one line list\n\n"
        + "> " * 5000
        + "one line quote\n\n"
        + "## Governance\n\nThe ministry chairs the committee.\n"
    )
    f = tmp_path / "deep.md"
    f.write_text(src, encoding="utf-8")
    t = time.perf_counter()
    doc = read(f)
    assert time.perf_counter() - t < 5
    assert _doc_words(doc) == _words(src)
    assert any("nested deeper" in w for w in doc.warnings)


def test_flattened_quote_keeps_its_lazy_lines_in_linear_time(tmp_path: Path) -> None:
    """A quote deeper than the bound followed by lazy continuation lines, repeated: the flattened
    reading must take the lazy lines as markdown-it does, or every enclosing quote rescans the rest
    of the file (this took minutes for 32 KB)."""
    src = ("> " * 30 + "quoted\n" + "lazy words\n" * 20) * 200
    f = tmp_path / "q.md"
    f.write_text(src, encoding="utf-8")
    t = time.perf_counter()
    doc = read(f)
    assert time.perf_counter() - t < 10
    assert _doc_words(doc) == _words(src)


# --- every word, property ---------------------------------------------------------------------

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
_line = st.lists(_word, min_size=1, max_size=30).map(" ".join)
_short_line = st.lists(_word, min_size=1, max_size=4).map(" ".join)
_long_line = st.lists(_word, min_size=100, max_size=1000).map(" ".join)


@st.composite
def _markdown(draw) -> tuple[str, Counter[str]]:
    """A Markdown document and the words it holds (the markup adds none)."""
    out: list[str] = []
    words: Counter[str] = Counter()
    for _ in range(draw(st.integers(1, 20))):
        kind = draw(st.sampled_from(["para", "long", "heading", "list", "deep-list", "quote"]))
        if kind == "para":
            lines = draw(st.lists(_line, min_size=1, max_size=6))
            out += [*lines, ""]
        elif kind == "long":
            lines = [draw(_long_line)]
            out += [*lines, ""]
        elif kind == "heading":
            lines = [draw(_line)]
            out += ["#" * draw(st.integers(1, 6)) + " " + lines[0], ""]
        elif kind in ("list", "deep-list"):
            depth = draw(st.integers(1, 8 if kind == "list" else 70))
            items = draw(st.lists(_short_line, min_size=depth, max_size=depth + 5))
            marker = draw(st.sampled_from(["- ", "* ", "1. "]))  # a nested item is indented by its
            lines = []  # parent's marker width
            level = 0
            for item in items:
                level = draw(st.integers(0, min(level + 1, depth - 1)))
                out.append(" " * len(marker) * level + marker + item)
                lines.append(item)
            out.append("")
        else:
            depth = draw(st.integers(1, 12))
            lines = draw(st.lists(_line, min_size=1, max_size=4))
            out += ["> " * depth + ln for ln in lines]
            out.append("")
        for ln in lines:
            words += _words(ln)
    return "\n".join(out), words


@st.composite
def _plain_text(draw) -> tuple[str, Counter[str]]:
    out: list[str] = []
    words: Counter[str] = Counter()
    for _ in range(draw(st.integers(1, 40))):
        kind = draw(st.sampled_from(["para", "long", "bullets", "caps"]))
        if kind == "para":
            lines = draw(st.lists(_line, min_size=1, max_size=6))
            out += lines
        elif kind == "long":
            lines = [draw(_long_line)]
            out += lines
        elif kind == "caps":
            lines = [draw(_line).upper()]
            out += lines
        else:
            lines = draw(st.lists(_line, min_size=1, max_size=8))
            out += [
                "  " * draw(st.integers(0, 60)) + draw(st.sampled_from(["- ", "* ", "• "])) + ln
                for ln in lines
            ]
        out.append("")
        for ln in lines:
            words += _words(ln)
    return "\n".join(out), words


_PROPERTY = settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@_PROPERTY
@given(_markdown())
@example((_nested_md(30), _words(_nested_md(30))))
def test_markdown_words_equal_the_input_words(tmp_path_factory, case) -> None:
    src, words = case
    f = tmp_path_factory.mktemp("md") / "doc.md"
    f.write_text(src, encoding="utf-8")
    assert _doc_words(read(f)) == words


@_PROPERTY
@given(_plain_text())
@example(("tran-\nsition plan", Counter({"transition": 1, "plan": 1})))
def test_text_words_equal_the_input_words(tmp_path_factory, case) -> None:
    src, words = case
    f = tmp_path_factory.mktemp("txt") / "doc.txt"
    f.write_text(src, encoding="utf-8")
    assert _doc_words(read(f)) == words


# --- line-end hyphens -------------------------------------------------------------------------

_HYPHENATED = (
    "The tran-\nsition plan is co-\ndesigned with the district, with a locally-\nled review.\n"
    "COVID-\n19 funds end in 2026-\n2030. Community health workers are state-\nfunded.\n"
)
_JOINED = (
    "The transition plan is co-designed with the district, with a locally-led review. "
    "COVID-19 funds end in 2026-2030. Community health workers are state-funded."
)


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_line_end_hyphens_are_joined(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"h{suffix}"
    f.write_text(_HYPHENATED, encoding="utf-8")
    assert [b.text for b in read(f).blocks] == [_JOINED]


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_the_document_s_own_spelling_decides(tmp_path: Path, suffix: str) -> None:
    """'re-' + 'align' stays 're-align' when the document writes 're-align' elsewhere."""
    f = tmp_path / f"h{suffix}"
    f.write_text(
        "We will re-align budgets.\n\nEach year we re-\nalign them and tran-\nsition.\n",
        encoding="utf-8",
    )
    assert [b.text for b in read(f).blocks][-1] == "Each year we re-align them and transition."


def test_markdown_hyphen_joins_in_list_items_and_footnotes(tmp_path: Path) -> None:
    f = tmp_path / "h.md"
    f.write_text(
        "- The tran-\n  sition plan[^1]\n\n[^1]: Signed by the min-\n    istry.\n", encoding="utf-8"
    )
    assert [b.text for b in read(f).blocks] == ["The transition plan", "Signed by the ministry."]


def test_one_hyphenation_rule_for_pdf_text_and_markdown() -> None:
    from shiftcheck.readers import hyphenation, markdown, text
    from shiftcheck.readers.pdf import layout

    assert text.join_lines is markdown.join_lines is layout.join_lines is hyphenation.join_lines


# --- time limit -------------------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".txt", ".md"])
def test_text_readers_keep_the_timeout_themselves(tmp_path: Path, suffix: str) -> None:
    f = tmp_path / f"long{suffix}"
    f.write_text("A line of words.\n" * 200_000, encoding="utf-8")
    with pytest.raises(LimitExceeded) as e:
        read(f, Limits(timeout=1e-6), display=f.name)
    assert (
        str(e.value)
        == f"{f.name}: took longer than 1e-06 s to read. Raise --timeout or split the document"
    )


def test_cli_timeout_stops_a_slow_markdown_read(tmp_path: Path) -> None:
    """320 KB that markdown-it needs ~13 s for (image openers, each one scanning ahead): with
    --timeout 2 the review stops after ~2 s with exit 2 and one line."""
    f = tmp_path / "slow.md"
    f.write_text("# Title\n\n" + "![" * 160_000 + "\n", encoding="utf-8")
    t = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "shiftcheck", "review", str(f), "--timeout", "2"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    took = time.perf_counter() - t
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and "took longer than 2 s to read" in lines[0] and "--timeout" in lines[0]
    ), proc.stderr
    assert took < 8, took
