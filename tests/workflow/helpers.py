"""Hand-made Reports for the workflow tests (no engine needed)."""

from __future__ import annotations

from shiftcheck.model import (
    DocumentSummary,
    Evidence,
    Location,
    Overall,
    RedFlagHit,
    Report,
    RubricRef,
    ShiftResult,
    ToolInfo,
)

TITLES = {
    1: "Country-led priorities",
    2: "Country systems, not parallel systems",
    4: "Strategic, coordinated, long-term investment",
}


def flag(
    key: str,
    quote: str,
    *,
    page: int | None = 3,
    section: str | None = "Sustainability",
    line: int | None = None,
    severity: str = "warning",
    mitigated: bool = False,
) -> RedFlagHit:
    return RedFlagHit(
        key=key,
        quote=quote,
        location=Location(page=page, section=section, line=line),
        message=f"{key} found",
        severity=severity,  # type: ignore[arg-type]
        mitigated=mitigated,
    )


def evidence(indicator: str, quote: str, page: int = 2) -> Evidence:
    return Evidence(
        indicator=indicator,
        quote=quote,
        location=Location(page=page, section="Approach"),
        strength="described",
    )


def shift(
    sid: int, level: int, *, flags: list[RedFlagHit] | None = None, ev: list[Evidence] | None = None
) -> ShiftResult:
    return ShiftResult(
        id=sid,
        key=f"shift-{sid}",
        title=TITLES.get(sid, f"Shift {sid}"),
        level=level,
        score=level / 3,
        rationale="test",
        evidence=ev or [],
        red_flags=flags or [],
    )


def make_report(
    path: str = "examples/x.md", shifts: list[ShiftResult] | None = None, score: float | None = None
) -> Report:
    shifts = shifts if shifts is not None else [shift(1, 2), shift(2, 2), shift(4, 1)]
    if score is None:
        score = sum(s.score for s in shifts) / max(1, len(shifts))
    return Report(
        tool=ToolInfo(version="0.1.0"),
        document=DocumentSummary(path=path, format="markdown", words=100),
        rubric=RubricRef(id="test-rubric", version="1"),
        overall=Overall(level=min(3, int(score * 3)), score=round(score, 4)),
        shifts=shifts,
    )
