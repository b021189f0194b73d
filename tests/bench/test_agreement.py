"""bench/agreement.py: label lookup, the rater note, metrics and one end-to-end run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

from bench import agreement

ROOT = Path(__file__).resolve().parents[2]
Pair = agreement.Pair


def test_collect_with_and_without_suffix(tmp_path: Path) -> None:
    for name in ("a.md", "a.pdf", "b.md", "b.pdf"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    docs = [{"file": "a", "ratings": {1: 1}}, {"file": "b.pdf", "ratings": {1: 2}}]
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump({"documents": docs}), encoding="utf-8")
    found = [p.name for p, _ in agreement.collect([tmp_path])]
    assert found == ["a.md", "a.pdf", "b.pdf"]


def test_median_note_prefers_a_rater_at_the_median() -> None:
    entry = {
        "raters": {"C": {4: 1}, "D": {4: 2}, "E": {4: 2}},
        "notes": {"C": {4: "c says"}, "D": {4: "d says"}, "E": {4: "e says"}},
    }
    assert agreement.median_note(entry, 4, 2) == "D: d says"
    assert agreement.median_note(entry, 4, 1) == "C: c says"
    assert agreement.median_note({"notes": {4: "one reviewer"}}, 4, 2) == "one reviewer"
    assert agreement.median_note({}, 4, 2) == ""


def test_metrics_confusion_shares_and_raters() -> None:
    pairs = [
        Pair("d1", 1, label=0, tool=0, raters={"C": 0, "D": 1}),
        Pair("d1", 2, label=2, tool=0, raters={"C": 2, "D": 2}),
        Pair("d2", 1, label=1, tool=1, raters={"C": 1, "D": 1}),
        Pair("d2", 2, label=3, tool=1, raters={"C": 3, "D": 3}),
    ]
    m = agreement.metrics_of(pairs)
    assert (
        m["pooled"]["n"] == 4 and m["pooled"]["exact"] == 0.5 and m["pooled"]["within_one"] == 0.5
    )
    assert m["confusion"] == [[1, 0, 0, 0], [0, 1, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0]]
    assert m["shares"] == {"tool": [50.0, 50.0, 0.0, 0.0], "labels": [25.0, 25.0, 25.0, 25.0]}
    assert list(m["raters"]) == ["tool ~ label", "tool ~ C", "tool ~ D", "C ~ D"]
    assert m["raters"]["C ~ D"]["exact"] == 0.75
    assert m["raters"]["tool ~ C"] == m["raters"]["tool ~ label"]


def test_disagreements_largest_first_ties_in_order(capsys) -> None:
    pairs = [Pair("a", 1, 1, 2), Pair("a", 2, 3, 0), Pair("b", 1, 0, 2), Pair("b", 2, 2, 0)]
    agreement.print_disagreements(pairs, top=3)
    out = capsys.readouterr().out
    heads = [line.split(". ", 1)[1] for line in out.splitlines() if line[:4].strip().endswith(".")]
    assert heads == [
        "a  shift 2: label 3, tool 0",
        "b  shift 1: label 0, tool 2",
        "b  shift 2: label 2, tool 0",
    ]
    assert "no evidence" in out


def test_end_to_end(tmp_path: Path, capsys) -> None:
    shutil.copy(ROOT / "examples" / "01-strong-state-led-nutrition.md", tmp_path / "doc.md")
    raters = {"C": {1: 0, 2: 3}, "D": {1: 0, 2: 2}, "E": {1: 1, 2: 3}}
    notes = {r: {1: f"{r} on 1", 2: f"{r} on 2"} for r in raters}
    entry = {"file": "doc", "ratings": {1: 0, 2: 3}, "raters": raters, "notes": notes}
    (tmp_path / "labels.yaml").write_text(yaml.safe_dump({"documents": [entry]}), encoding="utf-8")
    out_json = tmp_path / "out.json"
    assert agreement.main([str(tmp_path), "--top", "1", "--json", str(out_json)]) == 0
    out = capsys.readouterr().out
    for part in ("QWK", "confusion", "level shares", "largest disagreements", "C ~ D"):
        assert part in out
    data = json.loads(out_json.read_text(encoding="utf-8"))
    shifts = data["documents"][0]["shifts"]
    assert shifts["1"]["label"] == 0 and shifts["1"]["raters"] == {"C": 0, "D": 0, "E": 1}
    assert data["metrics"]["pooled"]["n"] == 2
