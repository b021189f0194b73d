"""Load rubric YAML (safe loading only) into a validated Rubric, with errors that name file and line.

Errors read ``rubrics/x.yaml:42: shift 3, indicator joint-review: unknown key 'term'``.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from shiftcheck.errors import RubricError
from shiftcheck.rubric.schema import Rubric
from shiftcheck.yamlsafe import Lines, load_yaml, plain_message, read_yaml_text, validation_lines

DEFAULT_RUBRIC = "critical-shifts"


def rubric_dirs() -> list[Path]:
    """Folders searched for rubrics by name: $SHIFTCHECK_RUBRICS, the installed package data, and
    the source tree's ``rubrics/`` (editable installs)."""
    dirs: list[Path] = []
    env = os.environ.get("SHIFTCHECK_RUBRICS")
    if env:
        dirs += [Path(p) for p in env.split(os.pathsep) if p]
    here = Path(__file__).resolve().parent.parent  # .../shiftcheck
    dirs.append(here / "rubrics")
    dirs.append(here.parent.parent / "rubrics")  # src/shiftcheck -> repo root
    return [d for d in dirs if d.is_dir()]


def list_rubrics() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in rubric_dirs():
        for p in sorted(d.glob("*.y*ml")):
            found.setdefault(p.stem, p)
    return found


def find_rubric(ref: str | os.PathLike[str] | None) -> Path:
    """A rubric name (``critical-shifts``) or a path -> the YAML file's path."""
    if ref is None:
        ref = DEFAULT_RUBRIC
    p = Path(ref)
    if p.suffix.lower() in (".yaml", ".yml") or os.sep in str(ref) or p.exists():
        if not p.is_file():
            raise RubricError(
                str(ref),
                [f"{ref}: no such rubric file. Check the path, or run 'shiftcheck rubric list'"],
            )
        return p
    found = list_rubrics()
    if str(ref) in found:
        return found[str(ref)]
    names = ", ".join(sorted(found)) or "none"
    raise RubricError(
        str(ref), [f"{ref}: unknown rubric (available: {names}). Pass a rubric name or a YAML path"]
    )


# --------------------------------------------------------------------------------------------
# validation errors in words


def _describe(data: Any, loc: tuple) -> str:
    """Turn a validation location into words: ``shift 3, indicator joint-review``."""
    words: list[str] = []
    cur = data
    i = 0
    while i < len(loc):
        part = loc[i]
        if isinstance(cur, dict) and part == "criteria" and i + 1 < len(loc):
            idx = loc[i + 1]
            try:
                c = cur["criteria"][idx]
                words.append(
                    f"shift {c.get('id', idx + 1)}"
                    if isinstance(c, dict)
                    else f"criterion {idx + 1}"
                )
                cur = c
            except (KeyError, IndexError, TypeError):
                return ", ".join(words)
            i += 2
            continue
        if isinstance(cur, dict) and part in ("indicators", "red_flags") and i + 1 < len(loc):
            idx = loc[i + 1]
            try:
                r = cur[part][idx]
                label = "indicator" if part == "indicators" else "red flag"
                key = r.get("key") if isinstance(r, dict) else None
                words.append(f"{label} {key}" if key else f"{label} #{idx + 1}")
                cur = r
            except (KeyError, IndexError, TypeError):
                return ", ".join(words)
            i += 2
            continue
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int) and part < len(cur):
            cur = cur[part]
        else:
            cur = None
        i += 1
    return ", ".join(words)


def _field_path(loc: tuple) -> str:
    out = []
    for part in loc:
        if part in ("criteria", "indicators", "red_flags") or isinstance(part, int):
            continue
        out.append(str(part))
    return ".".join(out)


def _errors(e: ValidationError, data: Any, lines: Lines, name: str) -> list[str]:
    def message(err: Any, loc: tuple) -> str:
        where = _describe(data, loc)
        if err["type"] in ("extra_forbidden", "missing"):
            msg = plain_message(err, loc)
        else:
            field = _field_path(loc)
            text = str(err["msg"]).removeprefix("Value error, ")
            msg = f"{field}: {text}" if field else text
        return f"{where + ': ' if where else ''}{msg}"

    return validation_lines(e, name, lines.line_for, message)


def _code_stamp() -> str:
    """Size and mtime of the modules that turn rubric text into a Rubric and compiled patterns:
    editing any of them (an editable install, a dev tree) invalidates cached rubrics."""
    from shiftcheck import __version__
    from shiftcheck.engine import normalize, patterns
    from shiftcheck.rubric import schema

    parts = [__version__]
    for mod in (schema, patterns, normalize):
        try:
            st = os.stat(mod.__file__ or "")
            parts.append(f"{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append("?")
    return "|".join(parts)


def rubric_digest(text: str) -> str:
    return hashlib.sha256(
        f"shiftcheck-rubric\0{_code_stamp()}\0{text}".encode("utf-8", "surrogatepass")
    ).hexdigest()


def load_rubric_text(text: str, name: str = "<rubric>", *, use_cache: bool = False) -> Rubric:
    """Parse and validate rubric YAML. With ``use_cache`` a validated copy is kept in the rubric
    cache (:class:`shiftcheck.cache.RubricStore`) and reused while text and code are unchanged."""
    digest = rubric_digest(text)
    store = None
    if use_cache:
        from shiftcheck.cache import RubricStore, rubric_cache_enabled

        if rubric_cache_enabled():
            store = RubricStore()
            data = store.get(f"{digest}.rubric", checked=True)
            if data is not None:
                try:  # validated before it was written, and intact since: rebuilt as it is
                    rubric = trusted_rubric(data)
                except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
                    store.drop(f"{digest}.rubric")
                else:
                    rubric.source, rubric.digest = name, digest
                    return rubric
    data, lines = load_yaml(text, name, error=RubricError)
    if not isinstance(data, dict):
        raise RubricError(
            name, [f"{name}:1: a rubric is a YAML mapping with id, version, criteria..."]
        )
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as e:
        raise RubricError(name, _errors(e, data, lines, name)) from None
    rubric.source, rubric.digest = name, digest
    if store is not None:
        # the keys the file gave (exclude_unset): rebuilt with the same defaults and fields set
        data = rubric.model_dump(mode="json", by_alias=True, exclude_unset=True)
        store.put(f"{digest}.rubric", data, checked=True)
    return rubric


def trusted_rubric(data: Any) -> Rubric:
    """The :class:`Rubric` of a checked rubric cache entry (validated, then dumped with
    ``exclude_unset``), rebuilt without validation: see :func:`shiftcheck.modeldata.rebuild_model`."""
    from shiftcheck.modeldata import rebuild_model

    return rebuild_model(Rubric, data)


@lru_cache(maxsize=16)
def _load_cached(path: str, display: str, mtime: float, size: int) -> Rubric:
    try:
        text = read_yaml_text(path, display, error=RubricError)
    except (OSError, UnicodeDecodeError) as e:
        raise RubricError(
            display, [f"{display}: cannot read rubric ({e.__class__.__name__})"]
        ) from None
    return load_rubric_text(text, display, use_cache=True)


def load_rubric(ref: str | os.PathLike[str] | Rubric | None = None) -> Rubric:
    """Load a rubric by name or path (cached per file version)."""
    if isinstance(ref, Rubric):
        return ref
    path = find_rubric(ref)
    st = path.stat()
    return _load_cached(str(path), _display(path), st.st_mtime, st.st_size)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
