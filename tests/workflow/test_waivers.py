from __future__ import annotations

import datetime as dt

import pytest

from shiftcheck.config import ConfigError
from shiftcheck.waivers import (
    apply_waivers,
    document_disables,
    inline_disables,
    load_waivers,
    make_waiver,
    parse_waivers,
    write_baseline,
)

from .helpers import flag, make_report, shift

TODAY = dt.date(2026, 11, 23)


def two_flag_report(path: str = "docs/proposal.docx"):
    return make_report(
        path,
        [
            shift(
                2,
                1,
                flags=[
                    flag(
                        "parallel-system",
                        "a dedicated project implementation unit will manage funds",
                    ),
                    flag(
                        "parallel-system",
                        "a separate reporting system for the donor",
                        page=7,
                        section="M&E",
                    ),
                ],
            ),
            shift(4, 1, flags=[flag("short-term", "a one-off 12-month project")]),
        ],
    )


def hits(report):
    return [h for s in report.shifts for h in s.red_flags]


def test_waiver_with_reason_silences_exactly_its_flag():
    report = two_flag_report()
    w = make_waiver(
        rule="shift-2/parallel-system",
        document="docs/*.docx",
        quote="Project Implementation  unit",
        reason="PIU required by the lender",
        approved_by="J. Doe",
        source="w.yaml:2",
    )
    out = apply_waivers(report, [w], TODAY)
    a, b, c = hits(report)
    assert (
        a.waived and "PIU required by the lender" in a.waiver_reason and "J. Doe" in a.waiver_reason
    )
    assert not b.waived  # same rule, same document, other quote
    assert not c.waived
    assert len(out.waived) == 1 and out.waived[0].rule == "shift-2/parallel-system"
    assert out.expired == [] and out.unused == []


def test_section_and_document_narrow_the_match():
    report = two_flag_report()
    w = make_waiver(
        rule="parallel-system", document="**/*.docx", section="m&e", reason="r", approved_by="a"
    )
    apply_waivers(report, [w], TODAY)
    assert [h.waived for h in hits(report)] == [False, True, False]
    other = two_flag_report("docs/other.pdf")
    apply_waivers(other, [w], TODAY)
    assert not any(h.waived for h in hits(other))


def test_rule_glob_and_shift_number_forms():
    report = two_flag_report()
    apply_waivers(
        report, [make_waiver(rule="shift-4/*", document="*", reason="r", approved_by="a")], TODAY
    )
    assert [h.waived for h in hits(report)] == [False, False, True]


def test_alias_resolved_through_rubric():
    class RF:
        def __init__(self, key, aliases):
            self.key, self.aliases = key, aliases

    class Crit:
        key = "shift-2"
        red_flags = [RF("parallel-system", ["piu"])]
        indicators = []

    class Rub:
        criteria = [Crit()]

    report = two_flag_report()
    apply_waivers(
        report,
        [
            make_waiver(
                rule="piu", document="*", quote="implementation unit", reason="r", approved_by="a"
            )
        ],
        TODAY,
        rubric=Rub(),
    )
    assert [h.waived for h in hits(report)] == [True, False, False]
    report = two_flag_report()
    apply_waivers(
        report,
        [make_waiver(rule="shift-2/piu", document="*", section="m&e", reason="r", approved_by="a")],
        TODAY,
        rubric=Rub(),
    )
    assert [h.waived for h in hits(report)] == [False, True, False]


def test_expired_waiver_is_reported_and_does_not_silence():
    report = two_flag_report()
    w = make_waiver(
        rule="shift-4/short-term",
        document="*",
        reason="pilot",
        approved_by="a",
        expires=dt.date(2026, 1, 31),
        source="w.yaml:9",
    )
    out = apply_waivers(report, [w], TODAY)
    assert not any(h.waived for h in hits(report))
    assert len(out.expired) == 1
    assert out.expired[0].startswith("w.yaml:9: expired: waiver for shift-4/short-term")
    assert "2026-01-31" in out.expired[0]
    # on the expiry day itself it still applies
    apply_waivers(report, [w], dt.date(2026, 1, 31))
    assert hits(report)[2].waived


def test_unused_waiver_is_reported_only_for_reviewed_documents():
    report = two_flag_report()
    used = make_waiver(
        rule="shift-4/short-term",
        document="docs/proposal.docx",
        reason="r",
        approved_by="a",
        source="w.yaml:1",
    )
    stale = make_waiver(
        rule="shift-9/donor-branding",
        document="docs/proposal.docx",
        reason="r",
        approved_by="a",
        source="w.yaml:8",
    )
    elsewhere = make_waiver(
        rule="shift-9/donor-branding",
        document="other/*.pdf",
        reason="r",
        approved_by="a",
        source="w.yaml:15",
    )
    out = apply_waivers(report, [used, stale, elsewhere], TODAY)
    assert out.unused == [
        "w.yaml:8: unused: waiver for shift-9/donor-branding on docs/proposal.docx matched no red flag. Remove it"
    ]


def test_baseline_round_trip_silences_everything(tmp_path):
    reports = [two_flag_report("docs/a [draft].docx"), two_flag_report("docs/b.md")]
    text = write_baseline(reports)
    assert "baseline: existing finding" in text
    f = tmp_path / ".shiftcheck-waivers.yaml"
    f.write_text(text)
    waivers = load_waivers(f)
    assert len(waivers) == 6
    assert all(w.approved_by == "baseline" and w.expires is None and w.quote for w in waivers)
    fresh = [two_flag_report("docs/a [draft].docx"), two_flag_report("docs/b.md")]
    out = apply_waivers(fresh, waivers, TODAY)
    assert all(h.waived for r in fresh for h in hits(r))
    assert out.unused == [] and out.expired == []
    # a new finding is not covered
    newer = two_flag_report("docs/b.md")
    newer.shifts[1].red_flags.append(flag("short-term", "a brand new short project"))
    apply_waivers(newer, waivers, TODAY)
    assert [h.waived for h in hits(newer)] == [True, True, True, False]


def test_baseline_skips_waived_flags():
    report = two_flag_report()
    apply_waivers(
        report,
        [make_waiver(rule="shift-4/short-term", document="*", reason="r", approved_by="a")],
        TODAY,
    )
    text = write_baseline([report])
    assert "short-term" not in text
    assert text.count("rule:") == 2
    assert write_baseline([]).endswith("waivers: []\n")


def test_waiver_file_errors_have_lines():
    text = "waivers:\n  - rule: shift-2/x\n    document: '*'\n    approved_by: me\n  - rule: y\n    document: '*'\n    reason: r\n    approved_by: a\n    expire: 2026-01-01\n"
    with pytest.raises(ConfigError) as e:
        parse_waivers(text, "w.yaml")
    lines = e.value.line().splitlines()
    assert (
        lines[0]
        == "w.yaml:2: waiver 1: missing key 'reason' (every waiver needs a reason and who approved it)"
    )
    assert lines[1].startswith("w.yaml:9: waiver 2: unknown key 'expire'")


def test_blank_reason_and_bad_date_rejected():
    with pytest.raises(ConfigError, match="reason"):
        parse_waivers("- rule: a\n  document: b\n  reason: '  '\n  approved_by: c\n", "w.yaml")
    with pytest.raises(ConfigError, match="YYYY-MM-DD"):
        parse_waivers(
            "- rule: a\n  document: b\n  reason: r\n  approved_by: c\n  expires: next year\n",
            "w.yaml",
        )


def test_missing_waivers_file_is_empty_unless_required(tmp_path):
    assert load_waivers(tmp_path / "none.yaml") == []
    with pytest.raises(ConfigError):
        load_waivers(tmp_path / "none.yaml", required=True)


def test_inline_disables():
    md = (
        "# Title\n<!-- shiftcheck: disable shift-2/parallel-system, short-term -->\n"
        "text\n<!--shiftcheck disable\n  shift-9/x -->\n"
        "```\n<!-- shiftcheck: disable in-code -->\n```\n"
        "<!-- some other comment -->\n"
    )
    assert inline_disables(md) == {"shift-2/parallel-system", "short-term", "shift-9/x"}


def test_document_disables_reads_markdown_only(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("<!-- shiftcheck: disable a/b -->\n")
    txt = tmp_path / "a.txt"
    txt.write_text("<!-- shiftcheck: disable a/b -->\n")
    assert document_disables(md) == {"a/b"}
    assert document_disables(txt) == set()
    assert document_disables(tmp_path / "missing.md") == set()


def test_baseline_paths_relative_to_waivers_folder(tmp_path, monkeypatch):
    (tmp_path / "docs").mkdir()
    monkeypatch.chdir(tmp_path / "docs")
    text = write_baseline([two_flag_report("p.docx")], base=tmp_path)
    assert "document: docs/p.docx" in text
    waivers = parse_waivers(text, "w.yaml", base=str(tmp_path))
    fresh = two_flag_report("p.docx")
    apply_waivers(fresh, waivers, TODAY)
    assert all(h.waived for h in hits(fresh))
