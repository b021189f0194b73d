"""Red-flag rule ids: the names a red flag answers to and how a reference matches them.

One form is canonical, ``<shift key>/<flag key>`` (``sovereignty/parallel-system``), as ``shiftcheck
rubric show`` prints it. ``shift-<id>/<flag key>``, the bare flag key and the rubric's ``aliases``
(bare or after the shift) are accepted too, in any case; a reference with ``*``, ``?`` or ``[`` is
a glob. Used by the library (``disable``), the gate (``disable``, ``severity``), waivers and inline
disables; it imports nothing but the report model (for types).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.model import ShiftResult


def canonical_id(shift_key: str, flag_key: str) -> str:
    """The one form shown everywhere: ``sovereignty/parallel-system``."""
    return f"{shift_key}/{flag_key}"


def canonical_ref(rubric: Any, ref: str | None) -> str | None:
    """``shift-2/parallel-system`` as ``sovereignty/parallel-system`` (other forms unchanged)."""
    m = re.fullmatch(r"shift-(\d+)/(.+)", ref or "")
    if m is None:
        return ref
    for c in getattr(rubric, "criteria", ()):
        if c.id == int(m.group(1)):
            return canonical_id(c.key, m.group(2))
    return ref


def rule_names(
    shift: ShiftResult, flag_key: str, aliases: dict[str, set[str]] | None = None
) -> set[str]:
    """Every id a red flag answers to: ``shift-key/flag``, ``shift-N/flag``, ``flag``, and aliases."""
    return flag_names(shift.key, shift.id, flag_key, aliases)


def flag_names(
    shift_key: str, shift_id: int, flag_key: str, aliases: dict[str, set[str]] | None = None
) -> set[str]:
    names = {canonical_id(shift_key, flag_key), f"shift-{shift_id}/{flag_key}", flag_key}
    if aliases:
        for alias in aliases.get(f"{shift_key}/{flag_key}", ()):
            names.add(alias)
            names.add(f"{shift_key}/{alias}")
            names.add(f"shift-{shift_id}/{alias}")
    return {n.lower() for n in names}


def disabled_flags(rubric: Any, refs: Iterable[str]) -> set[tuple[int, str]]:
    """(criterion id, red-flag key) of every rubric red flag that one of ``refs`` names."""
    refs = [r for r in refs if r and r.strip()]
    if not refs:
        return set()
    aliases = rubric_aliases(rubric)
    out = set()
    for c in rubric.criteria:
        for rf in c.red_flags:
            names = flag_names(c.key, c.id, rf.key, aliases)
            if any(rule_matches(ref, names) for ref in refs):
                out.add((c.id, rf.key))
    return out


def rule_matches(ref: str, names: set[str]) -> bool:
    ref = ref.strip().lower()
    if any(c in ref for c in "*?["):
        return any(fnmatchcase(n, ref) for n in names)
    return ref in names


def rubric_aliases(rubric: Any) -> dict[str, set[str]]:
    """``shift-key/flag-key`` -> its aliases, from a loaded rubric (``None``: no aliases)."""
    out: dict[str, set[str]] = {}
    if rubric is None:
        return out
    for c in getattr(rubric, "criteria", []):
        for rf in [*c.red_flags, *c.indicators]:
            if rf.aliases:
                out[f"{c.key}/{rf.key}"] = set(rf.aliases)
    return out
