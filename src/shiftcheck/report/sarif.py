"""SARIF 2.1.0 output, for GitHub code scanning and other SARIF viewers.

Decisions (see also docs in the module functions):

* One run for everything rendered (one document or a batch); ``tool.driver.rules`` holds one rule
  per red-flag key seen (``shift-<id>/<key>``), sorted by shift and key, and, when
  a document has a threshold (``RenderOptions.thresholds`` by document path, else
  ``RenderOptions.threshold``: the gate's own ``fail_under`` for that document), one
  ``shift-<id>/below-threshold`` rule per shift. The
  below-threshold rules are declared for every shift so that a viewer can tell "ran and passed"
  from "unknown rule"; a *result* is emitted only for a shift whose level is below the threshold.
* ``level``: red-flag severity error/warning/info -> ``error``/``warning``/``note``; a shift below
  the threshold is a ``warning``.
* Mitigated or waived red flags are still emitted, with ``suppressions``: a flag the document
  itself mitigates gets ``kind: "inSource"`` (justification: the mitigation), a waived flag gets
  ``kind: "external"`` (justification: the waiver reason). Viewers that honour suppressions hide
  them; GitHub code scanning lists them unless they are dismissed (e.g. by a dismiss-alerts step).
* Locations: ``artifactLocation.uri`` is the document path as given, with forward slashes, no
  leading ``./`` and percent-encoding where a URI needs it; with ``RenderOptions.root`` paths under
  that directory are made relative to it, and with ``RenderOptions.base_uri`` they are relative to
  ``%SRCROOT%`` (declared in ``originalUriBaseIds``). Markdown and text documents get
  ``region.startLine`` (and ``startColumn``) from the quote's line. DOCX and PDF have no lines: GitHub
  needs a ``startLine``, so the region is ``startLine: 1`` and the real place (page, section,
  paragraph, table row) is in ``region.properties``, in the location's ``message`` and in the
  result's message text.
* Document errors in a batch become ``invocations[0].toolExecutionNotifications`` (level error) and
  ``executionSuccessful`` is false; a report's warnings (reader and engine notes) become
  notifications of level warning on that document.
* ``helpUri`` is the criterion's ``docs_url`` when the rubric gives one and is left out otherwise
  (it is optional in SARIF 2.1.0); the help text then names the command that shows the shift. No timestamps, so the output is deterministic.
"""

from __future__ import annotations

import hashlib
import json as _json
import os
from urllib.parse import quote as _urlquote

from shiftcheck.model import BatchReport, DocumentError, Location, RedFlagHit, Report, ShiftResult
from shiftcheck.report import RenderOptions
from shiftcheck.report._common import docs_command, docs_link, level_name, loc, tr_for
from shiftcheck.report.i18n import Translator
from shiftcheck.report.text import one_line, shorten

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "SRCROOT"
#: formats whose locations have meaningful line numbers
LINE_FORMATS = frozenset({"markdown", "text"})
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(path: str, opts: RenderOptions) -> str:
    """The document path as a relative URI reference (forward slashes, no ``./``, %-encoded)."""
    p = path.replace("\\", "/")
    if opts.root is not None:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(opts.root)).replace("\\", "/")
        if rel != ".." and not rel.startswith("../"):
            p = rel
    while p.startswith("./"):
        p = p[2:]
    if p.startswith("/") or (len(p) > 2 and p[1] == ":" and p[2] == "/"):
        # absolute path outside ``root``: a file URI (GitHub rejects it; pass --root to fix)
        return "file://" + ("" if p.startswith("/") else "/") + _urlquote(p, safe="/:")
    return _urlquote(p, safe="/")


def _flag_rule_id(shift: ShiftResult, key: str) -> str:
    return f"shift-{shift.id}/{key}"


def _threshold_rule_id(shift: ShiftResult) -> str:
    return f"shift-{shift.id}/below-threshold"


def _loc_props(loc: Location) -> dict:
    return {
        k: v
        for k, v in loc.model_dump(mode="json").items()
        if v is not None and k not in ("line", "column")
    }


def _physical(report: Report, loc: Location | None, opts: RenderOptions) -> dict:
    art: dict = {"uri": artifact_uri(report.document.path, opts)}
    if opts.base_uri:
        art["uriBaseId"] = SRCROOT
    region: dict = {"startLine": 1}
    if loc is not None:
        if report.document.format in LINE_FORMATS and loc.line:
            region["startLine"] = loc.line
            if loc.column:
                region["startColumn"] = loc.column
        props = _loc_props(loc)
        if props:
            region["properties"] = props
    return {"artifactLocation": art, "region": region}


def _location(report: Report, where: Location | None, opts: RenderOptions) -> dict:
    out: dict = {"physicalLocation": _physical(report, where, opts)}
    if where is not None:
        out["message"] = {"text": loc(where, tr_for(report, opts))}
    return out


def _fingerprint(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


def _help(report: Report, shift: ShiftResult, advice: str, tr: Translator) -> dict:
    url = docs_link(shift)
    title = one_line(shift.title)
    if url:
        text, md = (
            advice or tr("sarif.see", target=url),
            f"[{tr('sarif.about_link', id=shift.id, title=title)}]({url})",
        )
    else:
        command = docs_command(report, shift)
        text, md = (
            advice or tr("sarif.see", target=f"`{command}`"),
            tr("sarif.about_command", id=shift.id, title=title, command=f"`{command}`"),
        )
    suggest = f"**{tr('label.suggest')}{tr('sep.colon').rstrip()}** {advice}\n\n" if advice else ""
    return {"text": text, "markdown": suggest + md}


def _with_help(rule: dict, report: Report, shift: ShiftResult, advice: str, tr: Translator) -> dict:
    """``rule`` with ``help`` and, when the rubric gives an address, ``helpUri``, in key order."""
    out: dict = {}
    for k, v in rule.items():
        out[k] = v
        if k == "fullDescription":
            out["help"] = _help(report, shift, advice, tr)
            if docs_link(shift):
                out["helpUri"] = docs_link(shift)
    return out


def _flag_rule(report: Report, shift: ShiftResult, flag: RedFlagHit, tr: Translator) -> dict:
    short = one_line(flag.message) or tr("sarif.red_flag", rule=flag.key)
    rule: dict = {
        "id": _flag_rule_id(shift, flag.key),
        "name": "".join(
            w.capitalize() for w in flag.key.replace("_", "-").replace(".", "-").split("-") if w
        ),
        "shortDescription": {"text": short},
        "fullDescription": {
            "text": tr("sarif.flag_full", id=shift.id, title=one_line(shift.title), message=short)
        },
        "defaultConfiguration": {"level": _LEVEL.get(flag.severity, "warning")},
        "properties": {
            "shift": shift.id,
            "shift_key": shift.key,
            "tags": [f"shift-{shift.id}", "red-flag"],
        },
    }
    return _with_help(rule, report, shift, one_line(flag.suggestion), tr)


def _threshold_rule(report: Report, shift: ShiftResult, threshold: int, tr: Translator) -> dict:
    title = one_line(shift.title)
    advice = tr("sarif.below_advice", id=shift.id, title=title, threshold=threshold)
    return _with_help(
        {
            "id": _threshold_rule_id(shift),
            "name": f"Shift{shift.id}BelowThreshold",
            "shortDescription": {"text": tr("sarif.below_short", id=shift.id, title=title)},
            "fullDescription": {
                "text": tr("sarif.below_full", id=shift.id, title=title, threshold=threshold)
            },
            "defaultConfiguration": {"level": "warning"},
            "properties": {
                "shift": shift.id,
                "shift_key": shift.key,
                "tags": [f"shift-{shift.id}", "threshold"],
            },
        },
        report,
        shift,
        advice,
        tr,
    )


def _flag_result(report: Report, shift: ShiftResult, flag: RedFlagHit, opts: RenderOptions) -> dict:
    tr = tr_for(report, opts)
    where = loc(flag.location, tr)
    text = f"{one_line(flag.message)} ({where}){tr('sep.colon')}“{shorten(flag.quote, 160)}”"
    if flag.suggestion:
        text += f" {tr('label.suggest')}{tr('sep.colon')}{one_line(flag.suggestion)}"
    result: dict = {
        "ruleId": _flag_rule_id(shift, flag.key),
        "level": _LEVEL.get(flag.severity, "warning"),
        "message": {"text": text},
        "locations": [_location(report, flag.location, opts)],
        "partialFingerprints": {
            "shiftcheckQuote/v1": _fingerprint(_flag_rule_id(shift, flag.key), one_line(flag.quote))
        },
        "properties": {
            "shift": shift.id,
            "quote": one_line(flag.quote),
            "suggestion": one_line(flag.suggestion),
        },
    }
    if flag.waived:
        result["suppressions"] = [
            {
                "kind": "external",
                "status": "accepted",
                "justification": one_line(flag.waiver_reason or "waived"),
            }
        ]
    elif flag.mitigated:
        result["suppressions"] = [
            {
                "kind": "inSource",
                "status": "accepted",
                "justification": one_line(flag.mitigation or "mitigated in the document"),
            }
        ]
    return result


def _threshold_result(
    report: Report, shift: ShiftResult, threshold: int, opts: RenderOptions
) -> dict:
    name = level_name(report, shift)
    tr = tr_for(report, opts)
    text = tr(
        "sarif.below_text",
        id=shift.id,
        title=one_line(shift.title),
        level=shift.level,
        name=name,
        threshold=threshold,
    )
    if shift.recommendations:
        text += f" {tr('head.add_next')}{tr('sep.colon')}{one_line(shift.recommendations[0])}"
    return {
        "ruleId": _threshold_rule_id(shift),
        "level": "warning",
        "message": {"text": text},
        "locations": [_location(report, None, opts)],
        "partialFingerprints": {"shiftcheckQuote/v1": _fingerprint(_threshold_rule_id(shift))},
        "properties": {"shift": shift.id, "level": shift.level, "threshold": threshold},
    }


def _notification(level: str, text: str, descriptor: str, path: str, opts: RenderOptions) -> dict:
    art: dict = {"uri": artifact_uri(path, opts)}
    if opts.base_uri:
        art["uriBaseId"] = SRCROOT
    return {
        "level": level,
        "message": {"text": one_line(text)},
        "descriptor": {"id": descriptor},
        "locations": [{"physicalLocation": {"artifactLocation": art}}],
    }


def _threshold_of(report: Report, opts: RenderOptions) -> int | None:
    """The document's own gate threshold: ``opts.thresholds[path]`` when given, else ``opts.threshold``."""
    if opts.thresholds is not None and report.document.path in opts.thresholds:
        return opts.thresholds[report.document.path]
    return opts.threshold


def build(
    entries: list[Report | DocumentError], tool_name: str, tool_version: str, opts: RenderOptions
) -> dict:
    """The SARIF log as a dict (one run)."""
    reports = [e for e in entries if isinstance(e, Report)]
    errors = [e for e in entries if isinstance(e, DocumentError)]
    rule_list = _rules(reports, opts)
    index = {r["id"]: i for i, r in enumerate(rule_list)}
    run: dict = {
        "tool": {"driver": {"name": tool_name, "version": tool_version, "rules": rule_list}},
        "columnKind": "unicodeCodePoints",
    }
    if opts.base_uri:
        base = opts.base_uri if opts.base_uri.endswith("/") else opts.base_uri + "/"
        run["originalUriBaseIds"] = {SRCROOT: {"uri": base}}
    run["invocations"] = [_invocation(reports, errors, opts)]
    run["results"] = _results(reports, index, opts)
    run["properties"] = {"documents": [_document_properties(r) for r in reports]}
    return {"version": SARIF_VERSION, "$schema": SARIF_SCHEMA_URI, "runs": [run]}


def _rule_order(rule: dict) -> tuple:
    """By shift, its red-flag rules before its below-threshold rule."""
    shift_part, key = rule["id"].split("/", 1)
    return (int(shift_part.removeprefix("shift-")), key == "below-threshold", key)


def _rules(reports: list[Report], opts: RenderOptions) -> list[dict]:
    """Every red flag's rule, and a below-threshold rule per shift of a gated document."""
    rules: dict[str, dict] = {}
    for r in reports:
        for s in r.shifts:
            for f in s.red_flags:
                rules.setdefault(_flag_rule_id(s, f.key), _flag_rule(r, s, f, tr_for(r, opts)))
    # a below-threshold rule states the strictest threshold; each result states its document's own
    for r in sorted(reports, key=lambda r: -(_threshold_of(r, opts) or 0)):
        threshold = _threshold_of(r, opts)
        if threshold is None:
            continue
        for s in r.shifts:
            rules.setdefault(
                _threshold_rule_id(s), _threshold_rule(r, s, threshold, tr_for(r, opts))
            )
    return sorted(rules.values(), key=_rule_order)


def _results(reports: list[Report], index: dict[str, int], opts: RenderOptions) -> list[dict]:
    """A result per red flag and per shift below its document's threshold, each led by its rule
    id and index."""
    results: list[dict] = []
    for r in reports:
        threshold = _threshold_of(r, opts)
        for s in r.shifts:
            for f in s.red_flags:
                results.append(_flag_result(r, s, f, opts))
            if threshold is not None and s.level < threshold:
                results.append(_threshold_result(r, s, threshold, opts))
    ordered = []
    for res in results:
        rid = res.pop("ruleId")
        ordered.append({"ruleId": rid, "ruleIndex": index[rid], **res})
    return ordered


def _invocation(reports: list[Report], errors: list[DocumentError], opts: RenderOptions) -> dict:
    """Successful unless a document failed; its errors and every report's warnings as
    notifications."""
    invocation: dict = {"executionSuccessful": not errors}
    notifications = [_notification("error", e.error, e.kind, e.path, opts) for e in errors]
    notifications += [
        _notification("warning", w, "warning", r.document.path, opts)
        for r in reports
        for w in r.warnings
    ]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _document_properties(r: Report) -> dict:
    return {
        "path": r.document.path,
        "format": r.document.format,
        "rubric": f"{r.rubric.id} {r.rubric.version}",
        "overall": r.overall.level,
        "levels": {str(s.id): s.level for s in r.shifts},
    }


def _dumps(obj: dict) -> str:
    return _json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def render_report(report: Report, opts: RenderOptions) -> str:
    return _dumps(build([report], report.tool.name, report.tool.version, opts))


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    return _dumps(build(list(batch.documents), batch.tool.name, batch.tool.version, opts))
