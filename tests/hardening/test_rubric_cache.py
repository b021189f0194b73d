"""The rubric cache: validated rubrics and compiled tries reused across runs, never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiftcheck.api import review
from shiftcheck.cache import RubricStore
from shiftcheck.rubric.loader import load_rubric, load_rubric_text

ROOT = Path(__file__).resolve().parents[2]
RUBRIC = ROOT / "rubrics" / "critical-shifts.yaml"
EXAMPLE = ROOT / "examples" / "01-strong-state-led-nutrition.md"


@pytest.fixture
def store_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("SHIFTCHECK_RUBRIC_CACHE", raising=False)
    return tmp_path / "rubrics"


def _fresh_review(path: Path, env: dict[str, str]) -> dict:
    """Levels and evidence of one review in a new interpreter (nothing cached in memory)."""
    code = (
        "import json, sys; from shiftcheck.api import review; r = review(sys.argv[1]); "
        "print(json.dumps([[s.level, [e.quote for e in s.evidence], [f.rule for f in s.red_flags]] for s in r.shifts]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(path)], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def test_second_run_reads_the_cache_and_gives_the_same_review(store_dir):
    env = {**os.environ}
    cold = _fresh_review(EXAMPLE, env)
    entries = sorted(p.name.split(".", 1)[1] for p in store_dir.glob("*.json"))
    assert entries == ["en.stemmer.json", "rubric.json"] or entries == [
        "en.snowballstemmer.json",
        "rubric.json",
    ]
    warm = _fresh_review(EXAMPLE, env)
    assert warm == cold
    assert [lvl for lvl, _, _ in warm] == [3, 3, 3, 2, 3, 3, 3, 2, 3]  # examples/labels.yaml


def test_damaged_entries_are_misses_and_are_replaced(store_dir):
    env = {**os.environ}
    cold = _fresh_review(EXAMPLE, env)
    for p in store_dir.glob("*.json"):
        data = json.loads(p.read_text())
        if p.name.endswith(".rubric.json"):
            data["data"]["criteria"] = "not a list"
        else:
            data["data"]["kids"][0]["ministri"] = 10**9  # a link out of the trie
        p.write_text(json.dumps(data))
    assert _fresh_review(EXAMPLE, env) == cold
    # both entries were written again, whole
    for p in store_dir.glob("*.json"):
        assert "not a list" not in p.read_text() and str(10**9) not in p.read_text()
    # garbage instead of JSON: a miss too
    for p in store_dir.glob("*.json"):
        p.write_bytes(b"\x00garbage")
    assert _fresh_review(EXAMPLE, env) == cold


def test_cache_off_writes_nothing(store_dir, monkeypatch):
    monkeypatch.setenv("SHIFTCHECK_RUBRIC_CACHE", "0")
    _fresh_review(EXAMPLE, {**os.environ})
    assert not store_dir.exists()


def test_unwritable_cache_folder_is_silent(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(blocker))
    r = load_rubric_text(RUBRIC.read_text(), "r.yaml", use_cache=True)
    assert r.id == "critical-shifts"
    assert review(EXAMPLE, rubric=r).shifts[0].level == 3


def test_an_edited_rubric_gets_its_own_entry(store_dir):
    text = RUBRIC.read_text()
    a = load_rubric_text(text, "a.yaml", use_cache=True)
    b = load_rubric_text(
        text.replace("version:", "# edited\nversion:", 1), "b.yaml", use_cache=True
    )
    assert a.digest != b.digest
    assert len(list(store_dir.glob("*.rubric.json"))) == 2
    # the cached copy is the validated rubric itself
    again = load_rubric_text(text, "a.yaml", use_cache=True)
    assert again == a and again.source == "a.yaml"


def test_store_round_trip_and_key_check(store_dir):
    store = RubricStore()
    store.put("k1", {"x": [1, 2]})
    assert store.get("k1") == {"x": [1, 2]}
    # an entry copied under another name does not answer for it
    (store_dir / "k2.json").write_bytes((store_dir / "k1.json").read_bytes())
    assert store.get("k2") is None and not (store_dir / "k2.json").exists()


def test_default_rubric_loads_with_a_digest():
    assert load_rubric(None).digest
