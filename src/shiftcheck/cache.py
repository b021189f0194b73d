"""An opt-in cache of parsed Documents, so an unchanged file is not parsed twice.

``cached_read(path, limits, pdf_engine, display, reader=read) -> Document``

* Key: sha256 of the file's bytes + :data:`shiftcheck.readers.READER_VERSION` + the PDF engine.
  Editing the file, upgrading a reader or switching engines is a miss; renaming or moving the file
  is a hit (the Document's ``path`` is always the ``display`` of the current call).
* Where: ``$SHIFTCHECK_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/shiftcheck``, else
  ``~/.cache/shiftcheck``; entries live in its ``documents/`` folder, one JSON file each.
* Format: plain JSON (never pickle): loading a cache entry can never execute code, even if someone
  else wrote it. Anything unexpected in an entry (bad JSON, wrong types, other key) makes it a
  miss; the entry is deleted and the file is read again.
* Writes are atomic (temporary file + rename): concurrent runs and Ctrl-C leave whole entries.
* Size-bounded: after each write, the least recently used entries (by mtime, refreshed on every
  hit) are deleted until the folder holds at most :data:`MAX_BYTES` (500 MB).
* Only successful reads are cached; an unreadable file raises the reader's error every time.
* Every cache failure (read-only folder, full disk...) is silent: the cache can only save time.

Entries are written with the JSON codec of :mod:`shiftcheck.codec` (the one the sandbox uses to
carry Documents out of its child process).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shiftcheck.codec import document_from_data, document_to_data
from shiftcheck.document import Document
from shiftcheck.limits import Limits

#: largest total size of the cache folder, in bytes
MAX_BYTES = 500 * 1024 * 1024
#: bump when the JSON layout below changes
FORMAT = 2


def cache_dir() -> Path:
    """The cache folder (not created)."""
    env = os.environ.get("SHIFTCHECK_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "shiftcheck"


# ---------------------------------------------------------------------------------------------
# the cache


def file_key(path: str | os.PathLike[str], pdf_engine: str = "auto") -> str:
    """The cache key of a file: sha256 over the reader version, the PDF engine and its bytes."""
    from shiftcheck.readers import READER_VERSION

    h = hashlib.sha256()
    h.update(f"shiftcheck-doc\0{FORMAT}\0{READER_VERSION}\0{pdf_engine}\0".encode())
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            h.update(chunk)
    return h.hexdigest()


def _write_entry(folder: Path, name: str, raw: bytes) -> bool:
    """Atomically write ``folder/name``; False (silently) when the folder is not writable."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=folder)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(raw)
            os.replace(tmp, folder / name)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def _read_entry(
    entry: Path,
    key: str,
    decode: Callable[[dict], Any],
    intact: Callable[[bytes, dict], bool] | None = None,
) -> Any | None:
    """``decode(data)`` of a cache entry written for ``key``, or None. An entry that is not JSON,
    was written for another key, fails ``intact(raw, data)`` or that ``decode`` rejects (None,
    ValueError, TypeError) is deleted; a hit is marked most recently used."""
    try:
        raw = entry.read_bytes()
    except OSError:
        return None
    try:
        data = json.loads(raw)
        if not isinstance(data, dict) or data.get("key") != key:
            raise ValueError("other entry")
        if intact is not None and not intact(raw, data):
            raise ValueError("altered entry")
        value = decode(data)
        if value is None:
            raise ValueError("other format")
    except (ValueError, TypeError, RecursionError):
        with contextlib.suppress(OSError):
            entry.unlink()
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)
    return value


def _evict(folder: Path, max_bytes: int, suffixes: tuple[str, ...] = (".json",)) -> None:
    """Delete least recently used entries (files ending in one of ``suffixes``) until the folder
    fits in ``max_bytes``."""
    entries = []
    total = 0
    try:
        with os.scandir(folder) as it:
            for e in it:
                if not e.name.endswith(suffixes):
                    continue
                with contextlib.suppress(OSError):
                    st = e.stat()
                    entries.append((st.st_mtime, st.st_size, e.path))
                    total += st.st_size
    except OSError:
        return
    if total <= max_bytes:
        return
    entries.sort()
    for _, size, p in entries:
        if total <= max_bytes:
            break
        with contextlib.suppress(OSError):
            os.unlink(p)
            total -= size


class DocumentCache:
    def __init__(self, folder: Path | None = None, max_bytes: int = MAX_BYTES) -> None:
        self.folder = (folder or cache_dir()) / "documents"
        self.max_bytes = max_bytes

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, display: str) -> Document | None:
        return _read_entry(
            self._entry(key),
            key,
            lambda data: (
                document_from_data(data.get("document"), display)
                if data.get("format") == FORMAT
                else None
            ),
        )

    def put(self, key: str, doc: Document) -> None:
        data = {"format": FORMAT, "key": key, "document": document_to_data(doc)}
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        if _write_entry(self.folder, f"{key}.json", raw):
            self.evict()

    def evict(self) -> None:
        """Delete least recently used entries until the folder fits in ``max_bytes``."""
        _evict(self.folder, self.max_bytes)

    def clear(self) -> None:
        with contextlib.suppress(OSError), os.scandir(self.folder) as it:
            for e in it:
                if e.name.endswith(".json"):
                    with contextlib.suppress(OSError):
                        os.unlink(e.path)


# ---------------------------------------------------------------------------------------------
# the rubric cache (on by default: it holds only what shiftcheck derives from rubric files)

#: largest total size of the rubric cache folder, in bytes
RUBRIC_MAX_BYTES = 64 * 1024 * 1024


def rubric_cache_enabled() -> bool:
    """Off with ``SHIFTCHECK_RUBRIC_CACHE=0`` (or ``off``/``no``/``false``)."""
    return os.environ.get("SHIFTCHECK_RUBRIC_CACHE", "1").strip().lower() not in (
        "0",
        "off",
        "no",
        "false",
    )


class RubricStore:
    """Validated rubrics (JSON) and compiled pattern tries (bytes), keyed by content digests.

    A rubric's entry is keyed by the sha256 of its file's bytes and the versions of the code that
    derives it (see :func:`shiftcheck.rubric.loader.rubric_digest`), so an edited rubric or an
    upgraded shiftcheck never sees a stale entry. Same safety rules as the document cache: plain
    data, atomic writes, anything unexpected is a miss, every failure is silent. A byte entry
    (``put_bytes``, a ``.bin`` file) carries its key and the sha256 of its bytes: what ``get_bytes``
    returns is exactly what was stored under that key.
    """

    def __init__(self, folder: Path | None = None, max_bytes: int = RUBRIC_MAX_BYTES) -> None:
        self.folder = (folder or cache_dir()) / "rubrics"
        self.max_bytes = max_bytes

    def get(self, key: str, *, checked: bool = False) -> Any | None:
        """The data stored under ``key``, or None. With ``checked``, only an entry written by
        ``put(..., checked=True)`` whose data bytes still have the sha256 written beside them (a
        caller that rebuilds objects from the data without validating them asks for this)."""
        return _read_entry(
            self.folder / f"{key}.json",
            key,
            lambda data: data.get("data"),
            _intact if checked else None,
        )

    def put(self, key: str, data: Any, *, checked: bool = False) -> None:
        if checked:
            body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            raw = _checked_prefix(key, hashlib.sha256(body).hexdigest()) + body + b"}"
        else:
            raw = json.dumps(
                {"key": key, "data": data}, ensure_ascii=False, separators=(",", ":")
            ).encode("utf-8")
        if _write_entry(self.folder, f"{key}.json", raw):
            _evict(self.folder, self.max_bytes, (".json", ".bin"))

    def drop(self, key: str) -> None:
        with contextlib.suppress(OSError):
            (self.folder / f"{key}.json").unlink()

    def get_bytes(self, key: str) -> bytes | None:
        """The bytes stored under ``key`` by :meth:`put_bytes`, or None. An entry for another key
        or whose bytes no longer hash to the sha256 written before them is deleted."""
        entry = self.folder / f"{key}.bin"
        try:
            raw = entry.read_bytes()
        except OSError:
            return None
        head, sep, body = raw.partition(b"\n\n")
        if not sep or head != _bytes_head(key, body):
            with contextlib.suppress(OSError):
                entry.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)
        return body

    def put_bytes(self, key: str, body: bytes) -> None:
        if _write_entry(self.folder, f"{key}.bin", _bytes_head(key, body) + b"\n\n" + body):
            _evict(self.folder, self.max_bytes, (".json", ".bin"))

    def drop_bytes(self, key: str) -> None:
        with contextlib.suppress(OSError):
            (self.folder / f"{key}.bin").unlink()


def _bytes_head(key: str, body: bytes) -> bytes:
    """The first line of a byte entry: a format mark, the key and the sha256 of the bytes."""
    return f"shiftcheck-bytes 1 {key} {hashlib.sha256(body).hexdigest()}".encode()


def _checked_prefix(key: str, sha256: str) -> bytes:
    """The bytes before the data in a checked entry: ``{"key":...,"sha256":...,"data":``."""
    return f'{{"key":{json.dumps(key)},"sha256":{json.dumps(sha256)},"data":'.encode()


def _intact(raw: bytes, data: dict) -> bool:
    """A checked entry exactly as :meth:`RubricStore.put` wrote it: the data's bytes still hash
    to the sha256 written before them."""
    sha256 = data.get("sha256")
    if not isinstance(sha256, str):
        return False
    prefix = _checked_prefix(data["key"], sha256)
    if not (raw.startswith(prefix) and raw.endswith(b"}")):
        return False
    return hashlib.sha256(raw[len(prefix) : -1]).hexdigest() == sha256


def cached_read(
    path: str | os.PathLike[str],
    limits: Limits | None = None,
    pdf_engine: str = "auto",
    display: str | None = None,
    reader: Callable[..., Document] | None = None,
    *,
    cache: DocumentCache | None = None,
) -> Document:
    """``reader(path, limits, pdf_engine=..., display=...)`` through the cache (see module doc).

    ``reader`` defaults to :func:`shiftcheck.readers.read`; pass :func:`shiftcheck.sandbox.read_guarded`
    to keep the time and memory limits on a miss.
    """
    if reader is None:
        from shiftcheck.readers import read

        reader = read
    shown = display if display is not None else os.fspath(path)
    store = cache or DocumentCache()
    key = None
    with contextlib.suppress(OSError):
        size = os.stat(path).st_size
        too_big = limits is not None and bool(limits.max_bytes) and size > limits.max_bytes
        if os.path.isfile(path) and not too_big:  # the reader reports missing/too big files
            key = file_key(path, pdf_engine)
    if key is not None:
        hit = store.get(key, shown)
        if hit is not None:
            return hit
    doc = reader(path, limits, pdf_engine=pdf_engine, display=shown)
    if key is not None:
        store.put(key, doc)
    return doc


__all__ = [
    "DocumentCache",
    "RubricStore",
    "cache_dir",
    "cached_read",
    "file_key",
    "rubric_cache_enabled",
]
