"""Hand-made Reports for the report-format tests (no engine needed)."""

from __future__ import annotations

from shiftcheck.model import (
    DocumentError,
    DocumentSummary,
    Evidence,
    Location,
    MatchDetail,
    Overall,
    RedFlagHit,
    Report,
    RubricRef,
    ShiftResult,
    ToolInfo,
)

LEVELS = {0: "Absent", 1: "Mentioned", 2: "Described", 3: "Operationalised"}
#: the short titles rubrics/critical-shifts.yaml gives its criteria
SHORT_TITLES = {
    1: "Country priorities",
    2: "Sovereignty",
    3: "Trust",
    4: "Long-term systems",
    5: "Context",
    6: "Adaptive learning",
    7: "Whole system",
    8: "Equity & power",
    9: "Feedback & evaluation",
}

SHIFTS = [
    (
        1,
        "country-priorities",
        "Country-driven priorities",
        "Donor-driven priorities",
        "Country-driven priorities",
    ),
    (2, "sovereignty", "Sovereignty", "Dependence", "Sovereignty"),
    (
        3,
        "trust",
        "Trust and mutual accountability",
        "Compliance",
        "Trust and mutual accountability",
    ),
    (
        4,
        "long-term",
        "Strategic long-term system investment",
        "Short-term projects",
        "Long-term system investment",
    ),
    (
        5,
        "context",
        "Contextualised, problem-driven",
        "Blueprint solutions",
        "Contextualised, problem-driven",
    ),
    (6, "adaptive", "Adaptive learning", "Fixed plans", "Adaptive learning"),
    (
        7,
        "whole-system",
        "Capacity of the whole system",
        "Individual training",
        "Capacity of the whole system",
    ),
    (8, "equity", "Equity in gender and power", "Gender-blind", "Equity in gender and power"),
    (
        9,
        "feedback",
        "Community feedback and independent evaluation",
        "Upward reporting",
        "Community feedback and independent evaluation",
    ),
]

TOOL = ToolInfo(name="shiftcheck", version="0.1.0")
RUBRIC = RubricRef(id="critical-shifts", version="1.0", title="Nine critical shifts")


def _shift(i: int, level: int, score: float, rationale: str, **kw) -> ShiftResult:
    _, key, title, frm, to = SHIFTS[i - 1]
    return ShiftResult(
        id=i,
        key=key,
        title=title,
        short_title=SHORT_TITLES[i],
        **{"from": frm},
        to=to,
        level=level,
        level_name=LEVELS[level],
        score=score,
        rationale=rationale,
        **kw,
    )


def markdown_report() -> Report:
    """A Markdown proposal: locations have lines (and sometimes columns)."""
    loc = Location
    shifts = [
        _shift(
            1,
            3,
            0.92,
            "Priorities are set by the ministry's steering committee, which approves the annual workplan.",
            indicators_met=["country-sets-priorities", "country-approves-workplan"],
            evidence=[
                Evidence(
                    indicator="country-approves-workplan",
                    indicator_title="Country approves the workplan",
                    quote="The Ministry of Health steering committee approves the annual workplan and budget every March.",
                    location=loc(
                        line=12, column=1, section="3 Governance > 3.1 Steering", paragraph=7
                    ),
                    strength="operational",
                    mechanisms=["actor", "decision", "time"],
                    reason="actor with a decision right and a date",
                ),
                Evidence(
                    indicator="country-sets-priorities",
                    quote="Priorities come from the national health sector strategy.",
                    location=loc(line=8, section="2 Context"),
                    strength="described",
                    mechanisms=["instrument"],
                ),
            ],
            recommendations=["Name who can change the priorities mid-way and how."],
            matches=[
                MatchDetail(
                    rule="country-approves-workplan",
                    kind="indicator",
                    quote="steering committee approves the annual workplan",
                    location=loc(line=12),
                    status="counted",
                    why="operational: actor + decision + time",
                )
            ],
        ),
        _shift(
            2,
            1,
            0.25,
            "Sovereignty is mentioned, but the project builds its own reporting system.",
            indicators_met=["use-country-systems"],
            indicators_missing=["transition-plan"],
            evidence=[
                Evidence(
                    indicator="use-country-systems",
                    quote="We value country systems | and *ownership*.",
                    location=loc(line=20, section="4 Approach"),
                    strength="mentioned",
                )
            ],
            red_flags=[
                RedFlagHit(
                    key="parallel-system",
                    quote="The project will set up its own M&E database <separate> from DHIS2.",
                    location=loc(line=31, column=5, section="5 Monitoring"),
                    message="A parallel system bypasses the country's own systems.",
                    suggestion="Strengthen DHIS2 instead: 'Project indicators will be reported through DHIS2, managed by the HMIS unit.'",
                    severity="error",
                ),
                RedFlagHit(
                    key="expat-led",
                    quote="An international team leader will run the unit.",
                    location=loc(line=33, section="5 Monitoring"),
                    message="External staff lead a country function.",
                    suggestion="Let a national counterpart lead, with the adviser in support.",
                    mitigated=True,
                    mitigation="handover to the national deputy in year 2 is planned",
                ),
            ],
            recommendations=[
                "Add a transition plan with dates for handing each function to the ministry.",
                "Report through the national HMIS rather than a project database.",
            ],
            matches=[
                MatchDetail(
                    rule="parallel-system",
                    kind="red_flag",
                    quote="set up its own M&E database",
                    location=loc(line=31),
                    status="flagged",
                    why="not negated; no mitigation nearby",
                ),
                MatchDetail(
                    rule="transition-plan",
                    kind="indicator",
                    quote="we may consider a transition later",
                    location=loc(line=40),
                    status="discarded",
                    why="hedged: 'may consider'",
                ),
            ],
        ),
        _shift(
            3,
            2,
            0.6,
            "Joint reviews are described with both parties reporting.",
            evidence=[
                Evidence(
                    indicator="joint-review",
                    quote="A joint annual review with the ministry assesses both partners' commitments.",
                    location=loc(line=44, section="6 Accountability"),
                    strength="described",
                )
            ],
            recommendations=["Say what happens when the donor misses a commitment."],
        ),
        _shift(
            4,
            2,
            0.55,
            "A ten-year horizon is described.",
            evidence=[
                Evidence(
                    indicator="long-horizon",
                    quote="This is phase one of a ten-year investment in the district health system.",
                    location=loc(line=50, section="7 Sustainability"),
                    strength="described",
                )
            ],
            recommendations=["Budget recurrent costs on the government side from year 3."],
        ),
        _shift(
            5,
            1,
            0.2,
            "Context is mentioned only in general terms.",
            evidence=[
                Evidence(
                    indicator="problem-analysis",
                    quote="The context is complex.",
                    location=loc(line=5, section="2 Context"),
                    strength="mentioned",
                )
            ],
            recommendations=["Start from a named problem with local data."],
        ),
        _shift(
            6,
            0,
            0.0,
            "No adaptive learning mechanism was found.",
            indicators_missing=["learning-loop", "pause-and-reflect"],
            recommendations=[
                "Add quarterly pause-and-reflect sessions that can change the workplan."
            ],
        ),
        _shift(
            7,
            1,
            0.3,
            "Capacity is framed as training individuals.",
            evidence=[
                Evidence(
                    indicator="system-capacity",
                    quote="Training for 200 health workers.",
                    location=loc(line=60, section="8 Capacity"),
                    strength="mentioned",
                )
            ],
            red_flags=[
                RedFlagHit(
                    key="training-only",
                    quote="Training for 200 health workers.",
                    location=loc(line=60, section="8 Capacity"),
                    message="Capacity is reduced to training individuals.",
                    suggestion="Add organisational and institutional capacity: processes, incentives, budgets.",
                    severity="info",
                    waived=True,
                    waiver_reason="training is a stated donor requirement",
                )
            ],
            recommendations=["Describe capacity at organisation and system level."],
        ),
        _shift(
            8,
            0,
            0.0,
            "Gender and power are absent.",
            recommendations=["Analyse who decides and who benefits, by gender."],
        ),
        _shift(
            9,
            2,
            0.5,
            "Community feedback is described; no independent evaluation.",
            evidence=[
                Evidence(
                    indicator="community-feedback",
                    quote="Community scorecards are collected each quarter & discussed with facility committees.",
                    location=loc(line=70, column=3, section="9 Feedback"),
                    strength="described",
                )
            ],
            recommendations=["Commission an independent evaluation and publish it."],
        ),
    ]
    return Report(
        tool=TOOL,
        document=DocumentSummary(
            path="proposals/district-health.md",
            format="markdown",
            title="District health TA proposal",
            pages=None,
            words=2450,
            language="en",
        ),
        rubric=RUBRIC,
        overall=Overall(level=1, score=0.37),
        shifts=shifts,
        recommendations=[
            "Add a transition plan with dates for handing each function to the ministry.",
            "Add quarterly pause-and-reflect sessions that can change the workplan.",
            "Analyse who decides and who benefits, by gender.",
            "Commission an independent evaluation and publish it.",
        ],
        levels=LEVELS,
    )


def pdf_report() -> Report:
    """A PDF programme design: locations have pages and sections, no lines."""
    loc = Location
    levels = [2, 3, 3, 2, 3, 2, 3, 1, 2]
    shifts = []
    for (i, _key, title, _f, _t), lvl in zip(SHIFTS, levels, strict=True):
        ev = [
            Evidence(
                indicator=f"ind-{i}",
                quote=f"Evidence for {title.lower()}: the national agency decides, funds and reports on page {i + 2}.",
                location=loc(page=i + 2, section=f"{i} {title}", paragraph=i * 3),
                strength="operational" if lvl == 3 else "described",
            )
        ]
        flags = []
        if i == 8:
            flags = [
                RedFlagHit(
                    key="gender-blind",
                    quote="Beneficiaries are treated as one group.",
                    location=loc(page=11, section="Annex 2 > Table 4", table=4, row=2),
                    message="No gender analysis of who benefits.",
                    suggestion="Disaggregate targets by gender and name who decides.",
                    severity="warning",
                )
            ]
        if i == 2:
            flags = [
                RedFlagHit(
                    key="parallel-system",
                    quote="A project implementation unit will manage funds.",
                    location=loc(page=4, section="2 Sovereignty > Funds"),
                    message="A parallel system bypasses the country's own systems.",
                    suggestion="Channel funds through the treasury.",
                    severity="error",
                )
            ]
        shifts.append(
            _shift(
                i,
                lvl,
                round(lvl / 3, 2),
                f"{title}: level {lvl} from the evidence on p.{i + 2}.",
                evidence=ev,
                red_flags=flags,
                recommendations=[]
                if lvl == 3
                else [
                    f"Make {title.lower()} operational: name who decides, when, with what money."
                ],
            )
        )
    return Report(
        tool=TOOL,
        document=DocumentSummary(
            path="designs/Programme Design 2026.pdf",
            format="pdf",
            title="Programme design",
            pages=24,
            words=9100,
            language="en",
        ),
        rubric=RUBRIC,
        overall=Overall(level=2, score=0.74),
        shifts=shifts,
        recommendations=[
            "Disaggregate targets by gender and name who decides.",
            "Channel funds through the treasury.",
        ],
        levels=LEVELS,
    )


def error_entry() -> DocumentError:
    return DocumentError(
        path="inbox/locked.docx",
        error="inbox/locked.docx: is encrypted. Remove the password and try again",
        kind="EncryptedDocument",
    )


def batch() -> list:
    return [markdown_report(), pdf_report(), error_entry()]
