"""shiftcheck.cache.cached_read: keyed by content + reader version + engine, JSON only, atomic,
bounded, corrupt entries ignored."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from shiftcheck import cache as cache_mod
from shiftcheck.cache import DocumentCache, cache_dir, cached_read
from shiftcheck.errors import InputError, NoTextError
from shiftcheck.readers import read
from shiftcheck.sandbox import read_guarded

from ..readers.docx_fixtures import make_docx, p

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


class Counting:
    def __init__(self, reader=read):
        self.calls = 0
        self.reader = reader

    def __call__(self, *a, **k):
        self.calls += 1
        return self.reader(*a, **k)


def entries(store: DocumentCache) -> list[Path]:
    return sorted(store.folder.glob("*.json"))


def test_cache_dir_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("SHIFTCHECK_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "shiftcheck"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache_dir() == Path.home() / ".cache" / "shiftcheck"


def test_hit_returns_the_same_document_under_the_new_name(tmp_path):
    store = DocumentCache(tmp_path)
    reader = Counting()
    for f in sorted(EXAMPLES.glob("0*")):
        first = cached_read(f, None, "auto", "a/" + f.name, reader=reader, cache=store)
        again = cached_read(f, None, "auto", "b/" + f.name, reader=reader, cache=store)
        assert again.path == "b/" + f.name
        first.path = again.path
        assert again == first
    assert reader.calls == len(list(EXAMPLES.glob("0*")))


def test_key_changes_with_content_engine_and_reader_version(tmp_path, monkeypatch):
    store = DocumentCache(tmp_path / "c")
    f = make_docx(tmp_path / "a.docx", p("The Ministry approves the plan."))
    reader = Counting()
    cached_read(f, None, "auto", None, reader=reader, cache=store)
    cached_read(f, None, "pdfminer", None, reader=reader, cache=store)
    assert reader.calls == 2
    make_docx(f, p("The county approves the plan."))
    doc = cached_read(f, None, "auto", None, reader=reader, cache=store)
    assert reader.calls == 3 and "county" in doc.text()
    import shiftcheck.readers

    monkeypatch.setattr(shiftcheck.readers, "READER_VERSION", "999")
    cached_read(f, None, "auto", None, reader=reader, cache=store)
    assert reader.calls == 4


def test_errors_are_not_cached(tmp_path):
    store = DocumentCache(tmp_path / "c")
    f = tmp_path / "blank.md"
    f.write_text("   \n\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(NoTextError):
            cached_read(f, None, "auto", None, cache=store)
    assert not entries(store)
    with pytest.raises(InputError, match="no such file"):
        cached_read(tmp_path / "missing.pdf", None, "auto", None, cache=store)


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"[]",
        b'{"format": 1, "key": "other", "document": {}}',
        b"\x80\x04\x95 pickle bytes",
        "KEY_OK_BAD_BLOCK",
    ],
)
def test_corrupt_entries_are_ignored_and_replaced(tmp_path, damage):
    store = DocumentCache(tmp_path / "c")
    f = EXAMPLES / "01-strong-state-led-nutrition.md"
    good = cached_read(f, None, "auto", "x", cache=store)
    (entry,) = entries(store)
    if damage == "KEY_OK_BAD_BLOCK":
        data = json.loads(entry.read_bytes())
        data["document"]["blocks"][0][1] = "__import__('os').system('true')"
        damage = json.dumps(data).encode()
    entry.write_bytes(damage)
    reader = Counting()
    assert cached_read(f, None, "auto", "x", reader=reader, cache=store) == good
    assert reader.calls == 1
    assert cached_read(f, None, "auto", "x", reader=reader, cache=store) == good
    assert reader.calls == 1  # rewritten


def test_entries_are_plain_json_and_no_temp_files_remain(tmp_path):
    store = DocumentCache(tmp_path / "c")
    cached_read(EXAMPLES / "02-weak-top-down-hiv-ta.docx", None, "auto", None, cache=store)
    (entry,) = entries(store)
    data = json.loads(entry.read_text(encoding="utf-8"))
    assert data["key"] == entry.stem and data["document"]["format"] == "docx"
    assert [x.name for x in store.folder.iterdir()] == [entry.name]


def test_size_bound_evicts_least_recently_used(tmp_path):
    store = DocumentCache(tmp_path / "c", max_bytes=10**9)
    files = sorted(EXAMPLES.glob("0*"))[:4]
    for i, f in enumerate(files):
        cached_read(f, None, "auto", None, cache=store)
        newest = max(entries(store), key=lambda e: e.stat().st_mtime)
        os.utime(newest, (1000 + i, 1000 + i))
    sizes = {e.name: e.stat().st_size for e in entries(store)}
    assert len(sizes) == 4
    # touch the oldest one by using it: it becomes the most recent
    oldest = min(entries(store), key=lambda e: e.stat().st_mtime)
    cached_read(files[0], None, "auto", None, cache=store)
    assert oldest.stat().st_mtime > time.time() - 60
    store.max_bytes = sum(sizes.values()) - 1
    store.evict()
    left = {e.name for e in entries(store)}
    assert len(left) == 3 and oldest.name in left


def test_unwritable_cache_folder_is_silent(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = DocumentCache(blocker)  # documents/ cannot be created under a file
    doc = cached_read(
        EXAMPLES / "01-strong-state-led-nutrition.md", None, "auto", None, cache=store
    )
    assert doc.blocks


def test_default_store_and_sandboxed_reader(monkeypatch, tmp_path):
    monkeypatch.setenv("SHIFTCHECK_CACHE_DIR", str(tmp_path / "env"))
    f = EXAMPLES / "03-mixed-family-planning.pdf"
    reader = Counting(read_guarded)
    a = cached_read(f, None, "auto", "f.pdf", reader=reader)
    b = cached_read(f, None, "auto", "f.pdf", reader=reader)
    assert a == b and reader.calls == 1
    assert len(list((tmp_path / "env" / "documents").glob("*.json"))) == 1
    assert cache_mod.file_key(f) == cache_mod.file_key(f, "auto") != cache_mod.file_key(f, "pdfium")
