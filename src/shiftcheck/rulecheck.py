"""Rule ids named by the configuration and the waivers, checked against the rubrics of the run.

What an id *matches* is :mod:`shiftcheck.ruleids` (core). Here: every id in ``severity``,
``disable``, per-path ``overrides`` and the waivers must name a red flag of a rubric this run
uses, else one ``FILE:LINE: unknown rule ... Did you mean ...?`` line per id (exit 2, before any
document is read); and the rubrics of the run are remembered so that reports made with a rubric
given by path resolve its aliases too (:func:`register_rubric`, :func:`aliases_for`).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from shiftcheck.config import ConfigError
from shiftcheck.model import Report
from shiftcheck.ruleids import flag_names, rubric_aliases, rule_matches

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.config import EffectiveConfig


class RuleRef(Protocol):
    """Anything that names a rule id (a waiver): ``(rule id, key, "FILE:LINE")``."""

    def rule_ref(self) -> tuple[str, str, str]: ...


def check_rule_ids(
    config: EffectiveConfig | None, rubrics: Iterable[Any], waivers: Sequence[RuleRef] = ()
) -> None:
    """Every rule id in the configuration (``severity``, ``disable``, per-path ``overrides``) and in
    the waivers must name a red flag of one of ``rubrics`` (the rubrics of this run): else a
    :class:`ConfigError` (exit 2) with one ``FILE:LINE: unknown rule ... Did you mean ...?`` line per
    unknown id. Accepted forms: ``shift-key/flag-key``, ``shift-N/flag-key``, a bare flag key, an
    alias (bare or after the shift), any case; a glob must match at least one red flag."""
    rubrics = [r for r in rubrics if r is not None]
    refs = list(config.rule_refs) if config is not None else []
    refs += [w.rule_ref() for w in waivers]
    if not rubrics or not refs:
        return
    flags, indicators, shifts = _known_names(rubrics)
    rubric_ids = ", ".join(f"'{i}'" for i in dict.fromkeys(r.id for r in rubrics))
    problems: list[str] = []
    for ref, key, where in refs:
        if not ref or not ref.strip() or rule_matches(ref, flags):
            continue
        problems.append(
            f"{where}: {_unknown_rule(ref, key, flags, indicators, shifts, rubric_ids)}"
        )
    if problems:
        raise ConfigError(problems[0].split(":", 1)[0], problems)


def _known_names(rubrics: Iterable[Any]) -> tuple[set[str], set[str], set[str]]:
    """Every name of the rubrics' red flags, of their indicators, and of their shifts."""
    flags: set[str] = set()
    indicators: set[str] = set()
    shifts: set[str] = set()
    for r in rubrics:
        aliases = rubric_aliases(r)
        for c in r.criteria:
            shifts |= {c.key.lower(), f"shift-{c.id}"}
            for rf in c.red_flags:
                flags |= flag_names(c.key, c.id, rf.key, aliases)
            for ind in c.indicators:
                indicators |= flag_names(c.key, c.id, ind.key, aliases)
    return flags, indicators, shifts


def _unknown_rule(
    ref: str, key: str, flags: set[str], indicators: set[str], shifts: set[str], rubric_ids: str
) -> str:
    low = ref.strip().lower()
    glob = any(c in low for c in "*?[")
    applies = "waivers apply" if key == "waivers" else f"{key.rsplit('.', 1)[-1]} applies"
    if not glob and low in indicators:
        return f"'{ref}' in {key} is an indicator, not a red flag: {applies} to red flags only"
    what = (
        f"rule glob '{ref}' in {key} matches no red flag"
        if glob
        else f"unknown rule '{ref}' in {key}: no red flag"
    )
    msg = f"{what} of rubric {rubric_ids}"
    guess = _suggest(low, glob, flags, shifts)
    if guess:
        return f"{msg}. Did you mean '{guess}'?"
    return f"{msg} (rule ids look like 'sovereignty/parallel-system'; 'shiftcheck rubric show' lists them)"


def _suggest(low: str, glob: bool, flags: set[str], shifts: set[str]) -> str | None:
    head, slash, rest = low.partition("/")
    if slash and head not in shifts:  # a misspelled shift: keep the rest as written
        for close in difflib.get_close_matches(head, sorted(shifts), n=3, cutoff=0.6):
            if rule_matches(f"{close}/{rest}", flags):
                return f"{close}/{rest}"
    if glob:
        return None
    pool = sorted(n for n in flags if ("/" in n) == bool(slash))
    nearest = difflib.get_close_matches(low, pool, n=1, cutoff=0.6)
    return nearest[0] if nearest else None


# --------------------------------------------------------------------------------------------
# the rubrics of the run


#: rubrics loaded for this run, by id (so that a rubric given by path resolves aliases too)
_KNOWN_RUBRICS: dict[str, Any] = {}


def register_rubric(rubric: Any) -> None:
    """Remember a loaded rubric so that reports made with it resolve rule aliases."""
    _KNOWN_RUBRICS[rubric.id] = rubric


def aliases_for(report: Report, rubric: Any = None) -> dict[str, set[str]]:
    """Aliases from ``rubric``, a registered rubric with the report's rubric id, or the rubric of
    that name if it can be loaded (else none)."""
    if rubric is None:
        rubric = _KNOWN_RUBRICS.get(report.rubric.id)
    if rubric is None:
        try:
            from shiftcheck.rubric import load_rubric

            rubric = load_rubric(report.rubric.id)
        except Exception:
            return {}
    return rubric_aliases(rubric)
