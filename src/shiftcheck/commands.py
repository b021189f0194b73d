"""Typer commands. Each command is thin: it parses flags, calls the library and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from shiftcheck import __version__
from shiftcheck.cli import EXIT_HELP
from shiftcheck.errors import ShiftcheckError

app = typer.Typer(
    name="shiftcheck",
    help="Check proposals and programme designs against the nine critical shifts.\n\n" + EXIT_HELP,
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        print(f"shiftcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Print the version and exit.")] = False,
) -> None:
    """shiftcheck: rule-based review of proposals against the nine critical shifts."""


def _limits(max_size_mb: float):  # type: ignore[no-untyped-def]
    """Reading limits with the --max-size flag (MB) applied."""
    from dataclasses import replace

    from shiftcheck.limits import DEFAULT_LIMITS, MB

    return replace(DEFAULT_LIMITS, max_bytes=int(max_size_mb * MB))


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="DOCX, PDF, Markdown or text file.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per block, with its location.")] = False,
    pdf_engine: Annotated[str, typer.Option("--pdf-engine", help="auto, pdfium or pdfminer.")] = "auto",
    max_size: Annotated[float, typer.Option("--max-size", min=0, help="Largest input file accepted, in MB (0 = no limit).")] = 200,
) -> None:
    """Show what the checker sees: the outline (headings with pages), or every block as JSON."""
    from shiftcheck.readers import read

    doc = read(file, _limits(max_size), pdf_engine=pdf_engine, display=str(file))
    if as_json:
        out = sys.stdout
        for b in doc.blocks:
            out.write(json.dumps(b.to_dict(), ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    console = Console()
    console.print(f"[bold]{doc.path}[/bold]  {doc.format}  pages: {doc.pages or '-'}  words: {doc.words}  title: {doc.title or '-'}", highlight=False)
    heads = doc.headings()
    if not heads:
        console.print("(no headings found)")
    for h in heads:
        indent = "  " * max(0, (h.level or 1) - 1)
        page = f"  p.{h.page}" if h.page else ""
        console.print(f"{indent}{h.text}{page}", highlight=False, markup=False)
    for w in doc.warnings:
        console.print(f"note: {w}", style="yellow", highlight=False)


@app.command()
def review(
    files: Annotated[list[Path], typer.Argument(help="Documents to review (DOCX, PDF, Markdown, text).")],
    rubric: Annotated[str | None, typer.Option("--rubric", "-r", help="Rubric name (see 'shiftcheck rubric list') or YAML path.")] = None,
    lang: Annotated[str, typer.Option("--lang", help="Document language: auto, en or fr.")] = "auto",
    fmt: Annotated[str, typer.Option("--format", "-f", help="terminal or json.")] = "terminal",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every match and why it counted.")] = False,
    pdf_engine: Annotated[str, typer.Option("--pdf-engine", help="auto, pdfium or pdfminer.")] = "auto",
    max_size: Annotated[float, typer.Option("--max-size", min=0, help="Largest input file accepted, in MB (0 = no limit).")] = 200,
) -> None:
    """Review documents against the rubric and print the verdict per shift."""
    from shiftcheck.api import review as run_review
    from shiftcheck.rubric import load_rubric

    rub = load_rubric(rubric)  # a rubric error stops everything (exit 2)
    reports = []
    errors = 0
    for f in files:
        try:
            reports.append(run_review(f, rub, lang=lang, limits=_limits(max_size), pdf_engine=pdf_engine, verbose=verbose, display=str(f)))
        except ShiftcheckError as e:
            print(e.line(), file=sys.stderr)
            errors += 1
    if fmt == "json":
        payload = reports[0].to_json_dict() if len(files) == 1 and reports else {
            "schema_version": "1",
            "tool": {"name": "shiftcheck", "version": __version__},
            "documents": [r.to_json_dict() for r in reports],
        }
        text = json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    else:
        from shiftcheck.verdict import render_verdict

        text = "".join(render_verdict(r, verbose=verbose) for r in reports)
    _emit(text, output)
    if errors:
        raise typer.Exit(2)


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from shiftcheck.output import write_atomic

    write_atomic(output, text)


rubric_app = typer.Typer(help="List, show, validate and test rubrics.", no_args_is_help=True)
app.add_typer(rubric_app, name="rubric")


@rubric_app.command("list")
def rubric_list() -> None:
    """List the rubrics shipped with shiftcheck (and in $SHIFTCHECK_RUBRICS)."""
    from shiftcheck.rubric import list_rubrics, load_rubric

    for name, path in list_rubrics().items():
        try:
            r = load_rubric(path)
            print(f"{name}\t{r.version}\t{r.title}")
        except ShiftcheckError as e:
            print(f"{name}\t(invalid: {e.line().splitlines()[0]})")


@rubric_app.command("show")
def rubric_show(
    ref: Annotated[str, typer.Argument(help="Rubric name or YAML path.")] = "critical-shifts",
) -> None:
    """Show a rubric as readable tables: levels, shifts, indicators and red flags."""
    from rich.console import Console

    from shiftcheck.rubric import load_rubric
    from shiftcheck.rubric.show import render_rubric

    Console().print(render_rubric(load_rubric(ref)))


@rubric_app.command("validate")
def rubric_validate(
    path: Annotated[Path, typer.Argument(help="Rubric YAML file.")],
) -> None:
    """Validate a rubric file: exit 0, or 2 with one file:line error per problem."""
    from shiftcheck.engine.patterns import compile_language
    from shiftcheck.rubric import load_rubric

    r = load_rubric(str(path))
    for lang in r.languages:
        compile_language(r, lang)
    print(f"{path}: valid rubric '{r.id}' {r.version} ({len(r.criteria)} criteria)")


@rubric_app.command("test")
def rubric_test(
    target: Annotated[str | None, typer.Argument(help="A rule id (shift-key/rule-key or rule-key), a rubric name or a YAML path.")] = None,
    rubric: Annotated[str | None, typer.Option("--rubric", "-r", help="Rubric to take the rule from.")] = None,
) -> None:
    """Run every rule's own examples (fires/silent); exit 1 on a failure."""
    from shiftcheck.engine.ruletest import run_rule_tests
    from shiftcheck.rubric import load_rubric

    only = None
    ref = rubric
    if target is not None:
        if target.endswith((".yaml", ".yml")) or Path(target).is_file():
            ref = target
        else:
            try:
                load_rubric(target if rubric is None else rubric)
                ref = target if rubric is None else rubric
            except ShiftcheckError:
                only = target
    r = load_rubric(ref)
    if only is None and target is not None and ref != target:
        only = target
    try:
        count, failures, untested = run_rule_tests(r, only)
    except KeyError:
        print(f"{r.source}: no rule '{only}'. Rule ids look like 'sovereignty/parallel-system'", file=sys.stderr)
        raise typer.Exit(2) from None
    for f in failures:
        print(f"FAIL {f.line()}")
    for u in untested:
        print(f"note: {u} lacks a firing or a silent example")
    print(f"{count} examples, {len(failures)} failed ({r.id} {r.version})")
    if failures:
        raise typer.Exit(1)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the JSON report (one report or a batch)."""
    from shiftcheck.report.json import json_schema

    sys.stdout.write(json_schema())
