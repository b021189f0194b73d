"""Waivers (reviewed exceptions for red flags), baselines and Markdown inline disables.

A waivers file (``.shiftcheck-waivers.yaml``)::

    waivers:
      - rule: sovereignty/parallel-system  # as 'rubric show' prints it; shift-2/parallel-system,
                                           # a bare flag key or an alias also work
        document: "docs/**/proposal*.docx"  # glob, relative to the waivers file's folder
        quote: "project implementation unit"  # optional: substring of the flagged quote
        section: "Sustainability"          # optional: substring of the section path
        reason: "PIU required by the lender; sunset clause in 4.2"
        approved_by: "J. Doe"
        expires: 2026-12-31                # optional; after it the flag counts again

A waiver silences exactly the red flags it matches (rule, document and, when given, quote and
section). An expired waiver silences nothing and is reported. A waiver whose document glob matches
a reviewed document but that matched no red flag is reported as unused.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator

from shiftcheck.config import ConfigError, escape_glob, path_matches, short_repr
from shiftcheck.model import DocumentError, RedFlagHit, Report, ShiftResult
from shiftcheck.rulecheck import aliases_for
from shiftcheck.ruleids import rule_matches, rule_names
from shiftcheck.yamlsafe import load_yaml, read_yaml_text, validation_lines

BASELINE_REASON = "baseline: existing finding"
BASELINE_APPROVER = "baseline"


class Waiver(BaseModel):
    # built when a waivers file is first read, not at import
    model_config = ConfigDict(extra="forbid", defer_build=True)

    rule: str = Field(min_length=1)
    document: str = Field(min_length=1)
    quote: str | None = None
    section: str | None = None
    reason: str = Field(min_length=1)
    approved_by: str = Field(min_length=1)
    expires: dt.date | None = None

    _source: str = PrivateAttr(default="<waiver>")
    #: where its ``rule:`` is (``FILE:LINE``), for unknown-rule errors
    _rule_source: str | None = PrivateAttr(default=None)
    _base: str | None = PrivateAttr(default=None)

    @field_validator("reason", "approved_by", "rule", "document")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be empty")
        return v.strip()

    @property
    def source(self) -> str:
        """Where the waiver is defined: ``.shiftcheck-waivers.yaml:12``."""
        return self._source

    def rule_ref(self) -> tuple[str, str, str]:
        """``(rule id, "waivers", "FILE:LINE" of its rule:)``, checked against the rubrics by
        :func:`shiftcheck.rulecheck.check_rule_ids`."""
        return (self.rule, "waivers", self._rule_source or self.source)

    def describe(self) -> str:
        extra = f' quoting "{self.quote}"' if self.quote else ""
        extra += f' in section "{self.section}"' if self.section else ""
        return f"waiver for {self.rule} on {self.document}{extra}"

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


def make_waiver(source: str = "<waiver>", base: str | None = None, **data: Any) -> Waiver:
    w = Waiver.model_validate(data)
    w._source = source
    w._base = base
    return w


# --------------------------------------------------------------------------------------------
# loading


def load_waivers(path: str | os.PathLike[str], required: bool = False) -> list[Waiver]:
    """Read a waivers file. A missing file is an empty list unless ``required``."""
    p = Path(path)
    display = os.fspath(path)
    try:
        text = read_yaml_text(p, display, error=ConfigError)
    except FileNotFoundError:
        if required:
            raise ConfigError(
                display, [f"{display}: waivers file not found. Check the 'waivers' setting"]
            ) from None
        return []
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            display, [f"{display}: cannot read waivers ({e.__class__.__name__})"]
        ) from None
    return parse_waivers(text, display, base=str(p.parent))


def parse_waivers(text: str, name: str = "<waivers>", base: str | None = None) -> list[Waiver]:
    data, lines = load_yaml(text, name, error=ConfigError)
    prefix: tuple = ()
    if data is None:
        return []
    if isinstance(data, dict):
        unknown = [k for k in data if k != "waivers"]
        if unknown:
            line = lines.line_for((unknown[0],)) or 1
            raise ConfigError(
                name,
                [
                    f"{name}:{line}: unknown key '{unknown[0]}' (a waivers file holds 'waivers:', a list)"
                ],
            )
        data = data.get("waivers") or []
        prefix = ("waivers",)
    if not isinstance(data, list):
        raise ConfigError(
            name,
            [
                f"{name}:1: 'waivers' must be a list of waivers (rule, document, reason, approved_by...)"
            ],
        )
    out: list[Waiver] = []
    problems: list[str] = []
    for i, entry in enumerate(data):
        loc = (*prefix, i)
        line = lines.line_for(loc) or 1
        if not isinstance(entry, dict):
            problems.append(
                f"{name}:{line}: a waiver is a mapping with rule, document, reason and approved_by"
            )
            continue
        try:
            w = Waiver.model_validate(entry)
        except ValidationError as e:
            problems += validation_lines(
                e, name, lines.line_for, partial(_waiver_message, i), prefix=loc, default_line=line
            )
            continue
        w._source = f"{name}:{line}"
        w._rule_source = f"{name}:{lines.line_for((*loc, 'rule')) or line}"
        w._base = base
        out.append(w)
    if problems:
        raise ConfigError(name, problems)
    return out


def _waiver_message(index: int, err: Any, loc: tuple) -> str:
    key = loc[0] if loc else ""
    if err["type"] == "extra_forbidden":
        msg = f"unknown key '{key}' (allowed: {', '.join(Waiver.model_fields)})"
    elif err["type"] == "missing":
        msg = f"missing key '{key}'" + (
            " (every waiver needs a reason and who approved it)"
            if key in ("reason", "approved_by")
            else ""
        )
    elif key == "expires":
        msg = f"expires: {short_repr(err.get('input'))} is not a date; write YYYY-MM-DD"
    else:
        msg = f"{key}: {str(err['msg']).removeprefix('Value error, ')}"
    return f"waiver {index + 1}: {msg}"


# --------------------------------------------------------------------------------------------
# applying


def normalize_text(text: str) -> str:
    """Case-, accent-, quote- and whitespace-insensitive form for substring comparisons."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c))
    t = t.translate(_PUNCT).casefold()
    return re.sub(r"\s+", " ", t).strip()


_PUNCT = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u00a0": " ",
    }
)


@dataclass
class WaivedHit:
    document: str
    rule: str
    quote: str
    waiver: Waiver


@dataclass
class WaiverOutcome:
    waived: list[WaivedHit] = field(default_factory=list)
    #: one line per expired waiver: ``FILE:LINE: expired: ...``
    expired: list[str] = field(default_factory=list)
    #: one line per waiver that matched a reviewed document but no red flag
    unused: list[str] = field(default_factory=list)

    def messages(self) -> list[str]:
        """Notes for stderr (expired first)."""
        return [*self.expired, *self.unused]


def waiver_matches(
    w: Waiver,
    report: Report,
    shift: ShiftResult,
    hit: RedFlagHit,
    aliases: dict[str, set[str]] | None = None,
) -> bool:
    if not rule_matches(w.rule, rule_names(shift, hit.key, aliases)):
        return False
    if not path_matches(w.document, report.document.path, w._base):
        return False
    if w.quote and normalize_text(w.quote) not in normalize_text(hit.quote):
        return False
    return not (
        w.section and normalize_text(w.section) not in normalize_text(hit.location.section or "")
    )


def apply_waivers(
    reports: Report | Iterable[Report | DocumentError],
    waivers: Sequence[Waiver],
    today: dt.date | None = None,
    rubric: Any = None,
) -> WaiverOutcome:
    """Mark the red flags that live waivers match as ``waived`` (in place) and report expired and
    unused waivers. Waivers apply across all the reports given, so pass the whole batch at once."""
    today = today or dt.date.today()
    items = (
        [reports] if isinstance(reports, Report) else [r for r in reports if isinstance(r, Report)]
    )
    outcome = WaiverOutcome()
    used: set[int] = set()
    touched: set[int] = set()  # waivers whose document glob matched a reviewed document
    live = [(i, w) for i, w in enumerate(waivers) if not w.expired(today)]
    for w in waivers:
        if w.expired(today):
            outcome.expired.append(
                f"{w.source}: expired: {w.describe()} expired on {w.expires:%Y-%m-%d}; the red flag counts again. Renew or remove it"
            )
    for report in items:
        aliases = aliases_for(report, rubric) if live else {}
        for i, w in live:
            if path_matches(w.document, report.document.path, w._base):
                touched.add(i)
        for shift in report.shifts:
            for hit in shift.red_flags:
                for i, w in live:
                    if waiver_matches(w, report, shift, hit, aliases):
                        used.add(i)
                        if not hit.waived:
                            hit.waived = True
                            hit.waiver_reason = (
                                f"{w.reason} (approved by {w.approved_by}; {w.source})"
                            )
                            outcome.waived.append(
                                WaivedHit(
                                    report.document.path, f"{shift.key}/{hit.key}", hit.quote, w
                                )
                            )
    for i, w in live:
        if i in touched and i not in used:
            outcome.unused.append(
                f"{w.source}: unused: {w.describe()} matched no red flag. Remove it"
            )
    return outcome


# --------------------------------------------------------------------------------------------
# baseline


def write_baseline(
    reports: Iterable[Report | DocumentError], base: str | os.PathLike[str] | None = None
) -> str:
    """A waivers file that silences every unwaived red flag firing today (``--write-baseline``).

    ``base`` is the folder of the waivers file: document paths are written relative to it."""
    entries: list[dict[str, Any]] = []
    seen: set[tuple] = set()
    for report in reports:
        if not isinstance(report, Report):
            continue
        for shift in report.shifts:
            for hit in shift.red_flags:
                if hit.waived:
                    continue
                quote = _baseline_quote(hit.quote)
                key = (report.document.path, shift.key, hit.key, normalize_text(quote))
                if key in seen:
                    continue
                seen.add(key)
                entries.append(
                    {
                        "rule": f"{shift.key}/{hit.key}",
                        "document": escape_glob(_relative(report.document.path, base)),
                        "quote": quote,
                        "reason": BASELINE_REASON,
                        "approved_by": BASELINE_APPROVER,
                    }
                )
    head = (
        "# shiftcheck waivers: reviewed exceptions for red flags.\n"
        "# Generated baseline: every red flag that fired when it was written. Replace each reason\n"
        "# with a real one, or fix the document and delete the entry. See docs/workflow.md.\n"
    )
    if not entries:
        return head + "waivers: []\n"
    import yaml

    body = yaml.safe_dump(
        {"waivers": entries},
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return head + body


def _relative(path: str, base: str | os.PathLike[str] | None) -> str:
    if base is None:
        return path
    try:
        rel = os.path.relpath(os.path.abspath(path), os.path.abspath(os.fspath(base)))
    except ValueError:
        return path
    return path if rel.startswith("..") else rel


def _baseline_quote(quote: str, limit: int = 160) -> str:
    q = re.sub(r"\s+", " ", quote).strip()
    if q.endswith(("…", "...")):  # a renderer's ellipsis is not in the source text
        q = q.rstrip(".…").rstrip()
    if len(q) <= limit:
        return q
    cut = q[:limit]
    space = cut.rfind(" ")
    return cut[:space] if space > limit // 2 else cut


# --------------------------------------------------------------------------------------------
# Markdown inline disables

_FENCE = re.compile(r"^\s{0,3}(`{3,}|~{3,})")
_DISABLE = re.compile(r"<!--\s*shiftcheck\s*:?\s*disable\s+(.*?)-->", re.IGNORECASE | re.DOTALL)


def inline_disables(markdown_text: str) -> set[str]:
    """Rule ids named in ``<!-- shiftcheck: disable RULE[, RULE] -->`` comments (outside code
    fences). They silence those rules for the whole document."""
    kept: list[str] = []
    fence: str | None = None
    for line in markdown_text.splitlines():
        m = _FENCE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
            continue
        if fence is not None:
            if m and m.group(1).startswith(fence):
                fence = None
            continue
        kept.append(line)
    out: set[str] = set()
    for m in _DISABLE.finditer("\n".join(kept)):
        for part in re.split(r"[,\s]+", m.group(1)):
            part = part.strip()
            if part:
                out.add(part)
    return out


def document_disables(path: str | os.PathLike[str]) -> set[str]:
    """Inline disables of a Markdown document read from its raw source (other formats: none)."""
    from shiftcheck.suffixes import is_markdown

    p = Path(path)
    if not is_markdown(p):
        return set()
    try:
        return inline_disables(p.read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return set()
