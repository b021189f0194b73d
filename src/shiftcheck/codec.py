"""The JSON codec of a Document: compact, typed, never pickle.

Used by the document cache (:mod:`shiftcheck.cache`) for its entries and by the sandbox
(:mod:`shiftcheck.sandbox`) to carry a Document out of its child process; neither depends on the
other. Decoding checks every field's exact type: anything unexpected is a ``ValueError``.
"""

from __future__ import annotations

import json
from typing import Any

from shiftcheck.document import Block, BlockKind, Document

_KINDS = {k.value: k for k in BlockKind}
_NUMBER_TYPES = frozenset({int, type(None)})  # exact types: a bool is not a block number


def document_to_data(doc: Document) -> dict[str, Any]:
    """A Document as JSON-ready data: blocks as compact lists, each distinct heading path stored
    once (blocks refer to it by number)."""
    paths: dict[tuple[str, ...], int] = {}
    rows = []
    for b in doc.blocks:
        n = paths.setdefault(b.heading_path, len(paths))
        rows.append(
            [
                b.text,
                b.kind.value,
                b.index,
                n,
                b.level,
                b.page,
                b.line,
                b.table,
                b.row,
                b.col,
                b.list_level,
            ]
        )
    return {
        "format": doc.format,
        "title": doc.title,
        "language": doc.language,
        "pages": doc.pages,
        "warnings": list(doc.warnings),
        "paths": [list(p) for p in paths],
        "blocks": rows,
    }


def document_from_data(data: Any, path: str) -> Document:
    """Rebuild a Document from :func:`document_to_data` output; ``ValueError`` when malformed."""
    if type(data) is not dict:
        raise ValueError("not an object")
    fmt, title, language, pages = (
        data.get("format"),
        data.get("title"),
        data.get("language"),
        data.get("pages"),
    )
    warnings, rows, raw_paths = data.get("warnings"), data.get("blocks"), data.get("paths")
    if (
        type(fmt) is not str
        or type(rows) is not list
        or type(warnings) is not list
        or type(raw_paths) is not list
    ):
        raise ValueError("bad document")
    if (
        type(title) not in (str, type(None))
        or type(language) not in (str, type(None))
        or type(pages) not in _NUMBER_TYPES
    ):
        raise ValueError("bad document")
    if any(type(w) is not str for w in warnings):
        raise ValueError("bad warnings")
    blocks = _blocks(rows, _heading_paths(raw_paths))
    return Document(
        path=path,
        format=fmt,
        blocks=blocks,
        title=title,
        language=language,
        pages=pages,
        warnings=list(warnings),
    )


def _heading_paths(raw_paths: list[Any]) -> list[tuple[str, ...]]:
    paths = []
    for hp in raw_paths:
        if type(hp) is not list or any(type(h) is not str for h in hp):
            raise ValueError("bad heading path")
        paths.append(tuple(hp))
    return paths


def _blocks(rows: list[Any], paths: list[tuple[str, ...]]) -> list[Block]:
    """The blocks of :func:`document_to_data`'s rows, each checked (a hot loop: names are local)."""
    kinds, numbers, n_paths = _KINDS, _NUMBER_TYPES, len(paths)
    blocks: list[Block] = []
    append = blocks.append
    for row in rows:
        if type(row) is not list or len(row) != 11:
            raise ValueError("bad block")
        text, kind, index, hp, level, page, line, table, r, c, list_level = row
        if (
            type(text) is not str
            or type(index) is not int
            or type(hp) is not int
            or not 0 <= hp < n_paths
        ):
            raise ValueError("bad block")
        k = kinds.get(kind) if type(kind) is str else None
        if k is None:
            raise ValueError("bad block kind")
        if not (
            type(level) in numbers and type(page) in numbers and type(line) in numbers and type(table) in numbers
            and type(r) in numbers and type(c) in numbers and type(list_level) in numbers
        ):  # fmt: skip
            raise ValueError("bad block number")
        append(Block(text, k, index, paths[hp], level, page, line, table, r, c, list_level))
    return blocks


def encode_document(doc: Document) -> bytes:
    return json.dumps(document_to_data(doc), ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def decode_document(raw: bytes, path: str) -> Document:
    return document_from_data(json.loads(raw), path)
