"""Plain verdict text (interim; the full terminal report lives in shiftcheck.report.terminal)."""

from __future__ import annotations

from shiftcheck.model import Report


def render_verdict(r: Report, verbose: bool = False) -> str:
    d = r.document
    lines = [f"{d.path} ({d.format}, {d.pages or '-'} pages, {d.words} words, {d.language}) - {r.rubric.id} {r.rubric.version}"]
    for s in r.shifts:
        lines.append(f"  {s.id}. {s.title}: {s.level} {s.level_name} (score {s.score:.2f})")
        lines.append(f"     {s.rationale}")
        for e in s.evidence[:3]:
            lines.append(f"     + [{e.strength}] \"{e.quote}\" ({e.location.short()})")
        for f in s.red_flags:
            lines.append(f"     ! {f.key}: \"{f.quote}\" ({f.location.short()}) {f.message} Suggest: {f.suggestion}")
        if verbose:
            for m in s.matches:
                lines.append(f"     . {m.kind} {m.rule} [{m.status}] {m.why}: \"{m.quote[:80]}\"")
    if r.recommendations:
        lines.append("  Add next:")
        lines += [f"   - {x}" for x in r.recommendations]
    return "\n".join(lines) + "\n\n"
