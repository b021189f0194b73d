"""Document-path globs, as ``overrides`` and waivers write them (``docs/**/proposal*.docx``)."""

from __future__ import annotations

import os
import re
import warnings
from functools import lru_cache


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``**`` any folders, ``*`` / ``?`` within one path part, ``[abc]`` a class, ``{a,b}`` either."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        piece, i = _glob_piece(pattern, i)
        out.append(piece)
    return _compile("".join(out) + r"\Z")


def _compile(rx: str) -> re.Pattern[str]:
    # Python's warning about future set syntax ("--", "&&" in a class) is no news to the user
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)
        return re.compile(rx)


def _glob_piece(pattern: str, i: int) -> tuple[str, int]:
    """The regex for the glob element at ``i`` and the index after it."""
    c = pattern[i]
    if pattern.startswith("**/", i):
        return "(?:.*/)?", i + 3
    if pattern.startswith("**", i):
        return ".*", i + 2
    if c == "*":
        return "[^/]*", i + 1
    if c == "?":
        return "[^/]", i + 1
    if c == "[":
        j = pattern.find("]", i + 2)
        if j == -1:
            return re.escape(c), i + 1
        body = pattern[i + 1 : j]
        if body.startswith("!"):
            body = "^" + body[1:]
        cls = "[" + body.replace("\\", "\\\\").replace("[", "\\[") + "]"
        try:  # a class that is no valid range ("[}--]") stands for its own text
            _compile(cls)
        except re.error:
            return re.escape(c), i + 1
        return cls, j + 1
    if c == "{":
        j = pattern.find("}", i)
        if j == -1:
            return re.escape(c), i + 1
        alts = pattern[i + 1 : j].split(",")
        return "(?:" + "|".join(re.escape(a) for a in alts) + ")", j + 1
    return re.escape(c), i + 1


def _norm(path: str) -> str:
    p = str(path).replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def path_matches(
    pattern: str, path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None
) -> bool:
    """Does a document path match a glob? A pattern without ``/`` matches the file name anywhere
    (as in ``.gitignore``); otherwise it matches the path as given, or relative to ``base`` (the
    folder of the config file that holds the pattern)."""
    pat = _norm(pattern)
    rx = _glob_regex(pat)
    p = _norm(os.fspath(path))
    candidates = [p]
    if base is not None:
        try:
            rel = os.path.relpath(
                os.path.abspath(os.fspath(path)), os.path.abspath(os.fspath(base))
            )
            candidates.append(_norm(rel))
        except ValueError:
            pass
    if "/" not in pat:
        candidates.append(p.rsplit("/", 1)[-1])
    return any(rx.match(c) for c in candidates)


def escape_glob(path: str) -> str:
    """A glob that matches exactly this path."""
    return re.sub(r"([*?\[{])", r"[\1]", _norm(path))
