"""The rubric cache: validated rubrics and compiled tries reused across runs, never trusted blindly."""

from __future__ import annotations

import json
import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from shiftcheck.api import review
from shiftcheck.cache import RubricStore
from shiftcheck.engine.analyze import TRIE_FORMAT, _compile_cached
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
    entries = sorted(p.name.split(".", 1)[1] for p in store_dir.glob("*.*"))
    trie = f"trie{TRIE_FORMAT}-py{sys.version_info[0]}{sys.version_info[1]}m{marshal.version}.bin"
    assert entries == [f"en.stemmer.{trie}", "rubric.json"] or entries == [
        f"en.snowballstemmer.{trie}",
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
        data["data"]["criteria"] = "not a list"
        p.write_text(json.dumps(data))
    (trie,) = store_dir.glob("*.bin")
    whole = trie.read_bytes()
    # one byte of the compiled trie changed: its checksum no longer holds
    trie.write_bytes(whole[:-100] + bytes([whole[-100] ^ 1]) + whole[-99:])
    assert _fresh_review(EXAMPLE, env) == cold
    # both entries were written again, whole
    for p in store_dir.glob("*.json"):
        assert "not a list" not in p.read_text()
    assert trie.read_bytes() == whole
    # garbage instead of JSON or of a trie entry: a miss too
    for p in store_dir.glob("*.*"):
        p.write_bytes(b"\x00garbage")
    assert _fresh_review(EXAMPLE, env) == cold
    assert trie.read_bytes() == whole


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


def test_byte_entries_answer_only_for_their_key_and_bytes(store_dir):
    store = RubricStore()
    store.put_bytes("k1", b"\x00\n\nbytes")
    assert store.get_bytes("k1") == b"\x00\n\nbytes"
    (store_dir / "k2.bin").write_bytes((store_dir / "k1.bin").read_bytes())
    assert store.get_bytes("k2") is None and not (store_dir / "k2.bin").exists()
    raw = (store_dir / "k1.bin").read_bytes()
    (store_dir / "k1.bin").write_bytes(raw[:-1] + b"S")
    assert store.get_bytes("k1") is None and not (store_dir / "k1.bin").exists()
    assert store.get_bytes("never written") is None


def test_a_trie_entry_that_unmarshals_to_something_else_is_a_miss(store_dir):
    """An intact entry whose data is not a compiled language (a future layout under the same
    name) is dropped and compiled again, silently."""
    rubric = load_rubric_text(RUBRIC.read_text(), "r.yaml", use_cache=True)
    first = _compile_cached(rubric, "en")
    (trie,) = store_dir.glob("*.bin")
    RubricStore().put_bytes(trie.name[: -len(".bin")], marshal.dumps({"kids": "no"}))
    again = _compile_cached(rubric, "en")
    assert again.kids == first.kids and again.owners == first.owners
    assert [o for o, _ in again.regexes] == [o for o, _ in first.regexes]


def test_default_rubric_loads_with_a_digest():
    assert load_rubric(None).digest
