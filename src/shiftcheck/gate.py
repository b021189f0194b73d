"""The CI gate: does a reviewed document pass the configured thresholds?

A document fails when

* a shift's level is below ``fail_under`` (0-3),
* the overall score is below ``fail_under_overall`` (0.0-1.0),
* a red flag that is neither waived nor mitigated has a severity at or above ``fail_level``.

Each failure is kept as facts (:class:`GateFailure`) and worded through the report catalogs
(``gate.*`` keys) in the report's language: ``report.lang``, else the document's own, so a French
document's gate lines are French on stderr and in the ``github`` format.

Before gating, :func:`apply_config` removes ``disable``d red flags (config, per-path overrides and
Markdown inline disables) and applies per-rule ``severity`` overrides.

Exit codes (:func:`exit_code`): 2 when any document could not be reviewed (input, usage, rubric or
config error), else 1 when any document failed the gate, else 0. ``exit_zero`` turns a gate
failure into 0 but keeps 2 for input errors: a report-only rollout must still notice a document
it could not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from shiftcheck.config import SEVERITY_ORDER, Config, EffectiveConfig, flag_name
from shiftcheck.errors import EXIT_ERROR, EXIT_GATE, EXIT_OK
from shiftcheck.model import DocumentError, Location, Report
from shiftcheck.rulecheck import aliases_for
from shiftcheck.ruleids import rule_matches, rule_names
from shiftcheck.waivers import document_disables

#: ``GateFailure.source`` of a threshold set by a per-path override
OVERRIDE = "override"


@dataclass(frozen=True)
class GateFailure:
    """One threshold a document failed, as facts: :func:`wording` words it in a report language."""

    #: "shift", "overall" or "red_flag"
    kind: str
    #: the setting: ``fail_under``, ``fail_under_overall`` or ``fail_level``
    setting: str
    #: its value for this document
    threshold: Any
    #: where the value was set: "" (a flag or the default), :data:`OVERRIDE`, or ``file:line``
    source: str = ""
    shift_id: int | None = None
    shift_title: str = ""
    #: the shift's key (``shift-2``), the first half of a red flag's rule id
    shift_key: str = ""
    level: int | None = None
    score: float | None = None
    flag_key: str = ""
    severity: str = ""
    location: Location | None = None


@dataclass
class GateResult:
    passed: bool
    #: one line per failure, for stderr, in the report's language (``lang``)
    failures: list[str] = field(default_factory=list)
    path: str = ""
    #: per failure: "shift", "overall" or "red_flag" (same order as ``failures``)
    kinds: list[str] = field(default_factory=list)
    #: the report as gated (disabled flags removed, severities overridden)
    report: Report | None = None
    #: the facts behind ``failures`` (same order)
    items: list[GateFailure] = field(default_factory=list)
    #: the report's language (``report.lang`` resolved against the document's language)
    lang: str = "en"

    def lines(self, lang: str | None = None) -> list[str]:
        """The failure lines in ``lang`` (None or ``auto``: the report's language)."""
        if not self.items or lang in (None, "auto", self.lang):
            return list(self.failures)
        return [wording(item, self.path, lang) for item in self.items]


def wording(failure: GateFailure, path: str, lang: str | None = "en") -> str:
    """One failure line (``docs/p.md: shift 2 (…) is level 1, below --fail-under 3``) in ``lang``,
    with the report catalogs' words."""
    from shiftcheck.report._common import loc, severity_name
    from shiftcheck.report.i18n import translator

    tr = translator(lang)
    label = f"{flag_name(failure.setting)} {failure.threshold}"
    if failure.source == OVERRIDE:
        label += f" ({tr('gate.override')})"
    elif failure.source:
        label += f" ({failure.source})"
    if failure.kind == "shift":
        return tr(
            "gate.shift",
            path=path,
            id=failure.shift_id,
            title=failure.shift_title,
            level=failure.level,
            label=label,
        )
    if failure.kind == "overall":
        return tr("gate.overall", path=path, score=f"{failure.score or 0.0:.2f}", label=label)
    return tr(
        "gate.red_flag",
        path=path,
        rule=f"{failure.shift_key}/{failure.flag_key}",
        severity=severity_name(failure.severity, tr),
        where=loc(failure.location, tr) if failure.location else tr("loc.unknown"),
        label=label,
    )


def _config_for(report: Report, config: Config | EffectiveConfig | None) -> Config:
    if config is None:
        return Config()
    if isinstance(config, EffectiveConfig):
        return config.for_path(report.document.path)
    return config


def _pick_severity(names: set[str], severity: Mapping[str, str]) -> str | None:
    best: tuple[int, str] | None = None
    for ref, level in severity.items():
        if not rule_matches(ref, names):
            continue
        glob = any(c in ref for c in "*?[")
        rank = 0 if glob else (2 if "/" in ref else 1)
        if best is None or rank >= best[0]:
            best = (rank, level)
    return best[1] if best else None


def apply_config(
    report: Report,
    config: Config | EffectiveConfig | None,
    *,
    rubric: Any = None,
    inline: bool = True,
    extra_disable: Iterable[str] = (),
) -> Report:
    """A copy of the report with disabled red flags removed and severity overrides applied (the
    report itself when there is nothing to apply: never mutate the result in place).

    ``inline`` also reads ``<!-- shiftcheck: disable ... -->`` comments from a Markdown document's
    source. Idempotent: gating an already prepared report changes nothing."""
    cfg = _config_for(report, config)
    disabled = [*cfg.disable, *extra_disable]
    if inline:
        disabled += sorted(document_disables(report.document.path))
    if not disabled and not cfg.severity:
        return report
    out = report.model_copy(deep=True)
    aliases = aliases_for(report, rubric)
    for shift in out.shifts:
        kept = []
        for hit in shift.red_flags:
            names = rule_names(shift, hit.key, aliases)
            if any(rule_matches(ref, names) for ref in disabled):
                continue
            level = _pick_severity(names, cfg.severity)
            if level is not None:
                hit.severity = level  # type: ignore[assignment]
            kept.append(hit)
        shift.red_flags = kept
    return out


def _source(key: str, value: Any, config: Config | EffectiveConfig | None) -> str:
    """Where a threshold's value comes from, when worth saying (see ``GateFailure.source``)."""
    if not isinstance(config, EffectiveConfig):
        return ""
    if getattr(config.config, key) != value:
        return OVERRIDE
    source = config.source_of(key)
    if source.startswith("-") or source == "default":
        return ""
    return source


def _failures(
    gated: Report, cfg: Config, config: Config | EffectiveConfig | None
) -> Iterator[GateFailure]:
    """The facts of every threshold ``gated`` fails, in order: shifts, overall, red flags."""
    if cfg.fail_under is not None:
        source = _source("fail_under", cfg.fail_under, config)
        for s in gated.shifts:
            if s.level < cfg.fail_under:
                yield GateFailure(
                    "shift", "fail_under", cfg.fail_under, source, s.id, s.title, s.key, s.level
                )
    if cfg.fail_under_overall is not None and gated.overall.score < cfg.fail_under_overall:
        source = _source("fail_under_overall", cfg.fail_under_overall, config)
        yield GateFailure(
            "overall",
            "fail_under_overall",
            cfg.fail_under_overall,
            source,
            score=gated.overall.score,
        )
    if cfg.fail_level is not None:
        threshold = SEVERITY_ORDER[cfg.fail_level]
        source = _source("fail_level", cfg.fail_level, config)
        for s in gated.shifts:
            for hit in s.red_flags:
                if hit.waived or hit.mitigated:
                    continue
                if SEVERITY_ORDER.get(hit.severity, 0) >= threshold:
                    yield GateFailure(
                        "red_flag",
                        "fail_level",
                        cfg.fail_level,
                        source,
                        s.id,
                        s.title,
                        s.key,
                        flag_key=hit.key,
                        severity=hit.severity,
                        location=hit.location,
                    )


def evaluate(
    report: Report,
    config: Config | EffectiveConfig | None = None,
    *,
    rubric: Any = None,
    inline: bool = True,
) -> GateResult:
    """Gate one report. Waived and mitigated red flags never fail it. The failure lines are in
    the report's language: ``report.lang``, else (``auto``) the document's."""
    from shiftcheck.report.i18n import resolve

    cfg = _config_for(report, config)
    gated = apply_config(report, config, rubric=rubric, inline=inline)
    path = report.document.path
    lang = resolve(cfg.report.lang, report.document.language)
    items = list(_failures(gated, cfg, config))
    return GateResult(
        passed=not items,
        failures=[wording(item, path, lang) for item in items],
        path=path,
        kinds=[item.kind for item in items],
        report=gated,
        items=items,
        lang=lang,
    )


def exit_code(results: Iterable[GateResult | DocumentError], exit_zero: bool = False) -> int:
    """2 if any document errored, else 1 if any gate failed (0 with ``exit_zero``), else 0."""
    items = list(results)
    if any(isinstance(r, DocumentError) for r in items):
        return EXIT_ERROR
    if not exit_zero and any(isinstance(r, GateResult) and not r.passed for r in items):
        return EXIT_GATE
    return EXIT_OK
