"""Run the YAML rule cases under tests/cases/ (text in, expected hits and levels out)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from shiftcheck.document import Block, BlockKind, Document
from shiftcheck.engine import analyze
from shiftcheck.rubric import load_rubric
from shiftcheck.scoring import score_criterion

HERE = Path(__file__).parent
CASES = sorted((HERE / "cases").glob("*.yaml"))


def _load():
    out = []
    for f in CASES:
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        for case in data["cases"]:
            out.append(pytest.param(data["rubric"], case, id=f"{f.stem}: {case['name']}"))
    return out


def _document(case) -> Document:
    blocks = []
    specs = case.get("blocks") or [{"text": case["text"]}]
    for i, spec in enumerate(specs, start=1):
        heading = spec.get("heading")
        blocks.append(
            Block(
                text=spec["text"],
                kind=BlockKind(spec.get("kind", "paragraph")),
                index=i,
                heading_path=(heading,) if heading else (),
                table=spec.get("table"),
                row=spec.get("row"),
                col=spec.get("col"),
            )
        )
    return Document(path="case", format="text", blocks=blocks)


@pytest.mark.parametrize(("rubric_name", "case"), _load())
def test_rule_case(rubric_name, case):
    rubric = load_rubric(HERE / "rubrics" / f"{rubric_name}.yaml")
    doc = _document(case)
    analysis = analyze(doc, rubric, case.get("lang", "en"))
    ms = analysis.matches
    exp = case["expect"]

    def keys(kind, status):
        return {m.key for m in ms if m.kind == kind and m.status == status}

    counted = keys("indicator", "counted")
    fired = keys("red_flag", "fired")
    for k in exp.get("counted", []):
        assert k in counted, f"{k} not counted; matches: {[(m.key, m.status) for m in ms]}"
    for k in exp.get("not_counted", []):
        assert k not in counted
    for status in ("excluded",):
        for k in exp.get(status, []):
            assert k in keys("indicator", status)
    for k in exp.get("fired", []):
        assert k in fired, f"{k} did not fire; matches: {[(m.key, m.status) for m in ms]}"
    for k in exp.get("not_fired", []):
        assert k not in fired
    for status in ("rejected", "context", "meta", "excused"):
        for k in exp.get(status, []):
            assert k in keys("red_flag", status), (
                f"{k} not {status}; matches: {[(m.key, m.status) for m in ms]}"
            )
    for k in exp.get("mitigated", []):
        assert any(m.key == k and m.mitigated for m in ms)
    for k, n in exp.get("fired_count", {}).items():
        assert sum(1 for m in ms if m.key == k and m.status == "fired") == n
    best = {}
    for m in ms:
        if m.kind == "indicator" and m.status == "counted":
            cur = best.get(m.key)
            if cur is None or ["mentioned", "described", "operational"].index(m.strength) > [
                "mentioned",
                "described",
                "operational",
            ].index(cur.strength):
                best[m.key] = m
    for k, s in exp.get("strength", {}).items():
        assert best[k].strength == s, f"{k}: {best[k].strength} ({best[k].why()})"
    for k, caps in exp.get("caps", {}).items():
        text = " ".join(best[k].caps)
        for c in caps:
            assert c in text, f"{k}: caps {best[k].caps}"
    for k, kinds in exp.get("mechanisms", {}).items():
        assert set(kinds) <= set(best[k].mechanisms), f"{k}: {best[k].mechanisms}"
    for k, kinds in exp.get("no_mechanisms", {}).items():
        assert not set(kinds) & set(best[k].mechanisms), f"{k}: {best[k].mechanisms}"
    for cid, level in exp.get("levels", {}).items():
        result = score_criterion(rubric, rubric.criterion(int(cid)), ms)
        assert result.level == level, f"shift {cid}: {result.level} ({result._reasons})"
