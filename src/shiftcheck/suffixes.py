"""Which files are documents: the one list of suffixes used by folder walking, globs, inline
disables and the 'no document' hint.

The Markdown variants come from the reader's content detection
(:data:`shiftcheck.readers.detect.MARKDOWN_SUFFIXES`), so that a ``.mdown`` file is read as
Markdown when named, found when its folder is walked, and its inline disables count.
"""

from __future__ import annotations

import os

from shiftcheck.readers.detect import MARKDOWN_SUFFIXES as _DETECTED_MARKDOWN

#: Markdown suffixes, most common first
MARKDOWN_SUFFIXES: tuple[str, ...] = tuple(
    sorted(_DETECTED_MARKDOWN, key=lambda s: (s != ".md", s != ".markdown", s))
)

#: every suffix picked up when a folder is walked or a glob expanded
DOCUMENT_SUFFIXES: tuple[str, ...] = (".docx", ".docm", ".pdf", *MARKDOWN_SUFFIXES, ".txt", ".text")


def is_markdown(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith(MARKDOWN_SUFFIXES)


def is_document(path: str | os.PathLike[str]) -> bool:
    return os.fspath(path).lower().endswith(DOCUMENT_SUFFIXES)
