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

The same JSON codec (:func:`document_to_data` / :func:`document_from_data`) carries Documents out of
the sandboxed reader process (:mod:`shiftcheck.sandbox`).
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

from shiftcheck.document import Block, BlockKind, Document
from shiftcheck.limits import Limits

#: largest total size of the cache folder, in bytes
MAX_BYTES = 500 * 1024 * 1024
#: bump when the JSON layout below changes
FORMAT = 1

_KINDS = {k.value: k for k in BlockKind}
_OPT_INT = (int, type(None))


def cache_dir() -> Path:
    """The cache folder (not created)."""
    env = os.environ.get("SHIFTCHECK_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "shiftcheck"


# ---------------------------------------------------------------------------------------------
# the JSON codec


def document_to_data(doc: Document) -> dict[str, Any]:
    """A Document as JSON-ready data (blocks as compact lists)."""
    return {
        "format": doc.format,
        "title": doc.title,
        "language": doc.language,
        "pages": doc.pages,
        "warnings": list(doc.warnings),
        "blocks": [
            [
                b.text, b.kind.value, b.index, list(b.heading_path), b.level, b.page, b.line,
                b.table, b.row, b.col, b.list_level,
            ]
            for b in doc.blocks
        ],
    }  # fmt: skip


def document_from_data(data: Any, path: str) -> Document:
    """Rebuild a Document from :func:`document_to_data` output; ``ValueError`` when malformed."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    fmt, title, language, pages = (
        data.get("format"),
        data.get("title"),
        data.get("language"),
        data.get("pages"),
    )
    warnings, rows = data.get("warnings"), data.get("blocks")
    if not isinstance(fmt, str) or not isinstance(rows, list) or not isinstance(warnings, list):
        raise ValueError("bad document")
    if (
        not isinstance(title, str | None)
        or not isinstance(language, str | None)
        or not isinstance(pages, _OPT_INT)
    ):
        raise ValueError("bad document")
    if not all(isinstance(w, str) for w in warnings):
        raise ValueError("bad warnings")
    blocks = []
    for row in rows:
        if not isinstance(row, list) or len(row) != 11:
            raise ValueError("bad block")
        text, kind, index, hpath, level, page, line, table, r, c, list_level = row
        if not isinstance(text, str) or kind not in _KINDS or not isinstance(index, int):
            raise ValueError("bad block")
        if not isinstance(hpath, list) or not all(isinstance(h, str) for h in hpath):
            raise ValueError("bad heading path")
        for v in (level, page, line, table, r, c, list_level):
            if not isinstance(v, _OPT_INT) or isinstance(v, bool):
                raise ValueError("bad block number")
        blocks.append(
            Block(
                text, _KINDS[kind], index, tuple(hpath), level, page, line, table, r, c, list_level
            )
        )
    return Document(
        path=path,
        format=fmt,
        blocks=blocks,
        title=title,
        language=language,
        pages=pages,
        warnings=list(warnings),
    )


def encode_document(doc: Document) -> bytes:
    return json.dumps(document_to_data(doc), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def decode_document(raw: bytes, path: str) -> Document:
    return document_from_data(json.loads(raw), path)


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


class DocumentCache:
    def __init__(self, folder: Path | None = None, max_bytes: int = MAX_BYTES) -> None:
        self.folder = (folder or cache_dir()) / "documents"
        self.max_bytes = max_bytes

    def _entry(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def get(self, key: str, display: str) -> Document | None:
        entry = self._entry(key)
        try:
            raw = entry.read_bytes()
        except OSError:
            return None
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("key") != key or data.get("format") != FORMAT:
                raise ValueError("other entry")
            doc = document_from_data(data.get("document"), display)
        except (ValueError, TypeError, RecursionError):
            with contextlib.suppress(OSError):
                entry.unlink()
            return None
        with contextlib.suppress(OSError):
            os.utime(entry)  # most recently used
        return doc

    def put(self, key: str, doc: Document) -> None:
        data = {"format": FORMAT, "key": key, "document": document_to_data(doc)}
        raw = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(raw)
                os.replace(tmp, self._entry(key))
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise
        except OSError:
            return
        self.evict()

    def evict(self) -> None:
        """Delete least recently used entries until the folder fits in ``max_bytes``."""
        entries = []
        total = 0
        try:
            with os.scandir(self.folder) as it:
                for e in it:
                    if not e.name.endswith(".json"):
                        continue
                    with contextlib.suppress(OSError):
                        st = e.stat()
                        entries.append((st.st_mtime, st.st_size, e.path))
                        total += st.st_size
        except OSError:
            return
        if total <= self.max_bytes:
            return
        entries.sort()
        for _, size, p in entries:
            if total <= self.max_bytes:
                break
            with contextlib.suppress(OSError):
                os.unlink(p)
                total -= size

    def clear(self) -> None:
        with contextlib.suppress(OSError), os.scandir(self.folder) as it:
            for e in it:
                if e.name.endswith(".json"):
                    with contextlib.suppress(OSError):
                        os.unlink(e.path)


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
        from shiftcheck.readers import read as reader
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
    "cache_dir",
    "cached_read",
    "decode_document",
    "encode_document",
    "file_key",
]
