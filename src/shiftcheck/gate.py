"""The CI gate: does a reviewed document pass the configured thresholds?

A document fails when

* a shift's level is below ``fail_under`` (0-3),
* the overall score is below ``fail_under_overall`` (0.0-1.0),
* a red flag that is neither waived nor mitigated has a severity at or above ``fail_level``.

Before gating, :func:`apply_config` removes ``disable``d red flags (config, per-path overrides and
Markdown inline disables) and applies per-rule ``severity`` overrides.

Exit codes (:func:`exit_code`): 2 when any document could not be reviewed (input, usage, rubric or
config error), else 1 when any document failed the gate, else 0. ``exit_zero`` turns a gate
failure into 0 but keeps 2 for input errors: a report-only rollout must still notice a document
it could not read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from shiftcheck.config import SEVERITY_ORDER, Config, EffectiveConfig, flag_name
from shiftcheck.errors import EXIT_ERROR, EXIT_GATE, EXIT_OK
from shiftcheck.model import DocumentError, Report
from shiftcheck.rulecheck import aliases_for
from shiftcheck.ruleids import rule_matches, rule_names
from shiftcheck.waivers import document_disables


@dataclass
class GateResult:
    passed: bool
    #: one line per failure, for stderr
    failures: list[str] = field(default_factory=list)
    path: str = ""
    #: per failure: "shift", "overall" or "red_flag" (same order as ``failures``)
    kinds: list[str] = field(default_factory=list)
    #: the report as gated (disabled flags removed, severities overridden)
    report: Report | None = None


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


def _label(key: str, value: Any, config: Config | EffectiveConfig | None, doc_cfg: Config) -> str:
    flag = f"{flag_name(key)} {value}"
    if not isinstance(config, EffectiveConfig):
        return flag
    if getattr(config.config, key) != value:
        return f"{flag} (per-path override)"
    source = config.source_of(key)
    if source.startswith("-") or source == "default":
        return flag
    return f"{flag} ({source})"


def evaluate(
    report: Report,
    config: Config | EffectiveConfig | None = None,
    *,
    rubric: Any = None,
    inline: bool = True,
) -> GateResult:
    """Gate one report. Waived and mitigated red flags never fail it."""
    cfg = _config_for(report, config)
    gated = apply_config(report, config, rubric=rubric, inline=inline)
    path = report.document.path
    failures: list[str] = []
    kinds: list[str] = []
    if cfg.fail_under is not None:
        label = _label("fail_under", cfg.fail_under, config, cfg)
        for s in gated.shifts:
            if s.level < cfg.fail_under:
                failures.append(
                    f"{path}: shift {s.id} ({s.title}) is level {s.level}, below {label}"
                )
                kinds.append("shift")
    if cfg.fail_under_overall is not None and gated.overall.score < cfg.fail_under_overall:
        label = _label("fail_under_overall", cfg.fail_under_overall, config, cfg)
        failures.append(f"{path}: overall score {gated.overall.score:.2f} is below {label}")
        kinds.append("overall")
    if cfg.fail_level is not None:
        threshold = SEVERITY_ORDER[cfg.fail_level]
        label = _label("fail_level", cfg.fail_level, config, cfg)
        for s in gated.shifts:
            for hit in s.red_flags:
                if hit.waived or hit.mitigated:
                    continue
                if SEVERITY_ORDER.get(hit.severity, 0) >= threshold:
                    failures.append(
                        f"{path}: red flag {s.key}/{hit.key} ({hit.severity}) at {hit.location.short()} is at or above {label}"
                    )
                    kinds.append("red_flag")
    return GateResult(passed=not failures, failures=failures, path=path, kinds=kinds, report=gated)


def exit_code(results: Iterable[GateResult | DocumentError], exit_zero: bool = False) -> int:
    """2 if any document errored, else 1 if any gate failed (0 with ``exit_zero``), else 0."""
    items = list(results)
    if any(isinstance(r, DocumentError) for r in items):
        return EXIT_ERROR
    if not exit_zero and any(isinstance(r, GateResult) and not r.passed for r in items):
        return EXIT_GATE
    return EXIT_OK
