"""Run the small examples each rule carries (``tests: {fires: [...], silent: [...]}``)."""

from __future__ import annotations

from dataclasses import dataclass

from shiftcheck.document import Block, Document
from shiftcheck.engine.analyze import analyze
from shiftcheck.rubric.schema import Indicator, RedFlag, Rubric


@dataclass
class RuleTestFailure:
    rule: str
    expectation: str  # "fires" | "silent"
    text: str
    got: str

    def line(self) -> str:
        verb = (
            "should fire but stayed silent"
            if self.expectation == "fires"
            else f"should stay silent but {self.got}"
        )
        return f"{self.rule}: {verb}: {self.text!r}"


def active(
    rule: Indicator | RedFlag, criterion: int, doc_text: str, rubric: Rubric, lang: str
) -> list[str]:
    """Statuses with which ``rule`` matched in ``doc_text`` (only the ones that count)."""
    doc = Document(path="<test>", format="text", blocks=[Block(text=doc_text, index=1)])
    res = analyze(doc, rubric, lang)
    kind = "indicator" if isinstance(rule, Indicator) else "red_flag"
    out = []
    for m in res.matches:
        if m.criterion != criterion or m.key != rule.key or m.kind != kind:
            continue
        if (kind == "indicator" and m.status == "counted") or (
            kind == "red_flag" and m.status == "fired"
        ):
            out.append(m.status)
    return out


def run_rule_tests(
    rubric: Rubric, only: str | None = None
) -> tuple[int, list[RuleTestFailure], list[str]]:
    """Returns (examples run, failures, rules without a firing and a silent example)."""
    count = 0
    failures: list[RuleTestFailure] = []
    untested: list[str] = []
    ids = rubric.rule_ids()
    wanted = None
    if only:
        if only not in ids:
            raise KeyError(only)
        wanted = ids[only][1]
    for c in rubric.criteria:
        for rule in c.rules():
            if wanted is not None and rule is not wanted:
                continue
            rid = f"{c.key}/{rule.key}"
            t = rule.tests
            if t is None or not t.fires or not t.silent:
                untested.append(rid)
            if t is None:
                continue
            lang = t.lang if t.lang in rubric.languages else rubric.languages[0]
            for text in t.fires:
                count += 1
                if not active(rule, c.id, text, rubric, lang):
                    failures.append(RuleTestFailure(rid, "fires", text, "silent"))
            for text in t.silent:
                count += 1
                got = active(rule, c.id, text, rubric, lang)
                if got:
                    failures.append(RuleTestFailure(rid, "silent", text, "it fired"))
    return count, failures, untested
