"""Typer commands. Each command is thin: its signature lists its flags (each declared once in
:mod:`shiftcheck.cli_options`), its body calls the library in named steps and prints."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from shiftcheck import __version__
from shiftcheck import cli_options as opt
from shiftcheck.cli_options import EXIT_HELP, App
from shiftcheck.errors import ShiftcheckError
from shiftcheck.limits import Limits

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.service import ReviewRequest


app = App(
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
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", callback=_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """shiftcheck: rule-based review of proposals against the nine critical shifts."""


def _limits(max_size_mb: float) -> Limits:
    """Reading limits with the --max-size flag (MB) applied."""
    from dataclasses import replace

    from shiftcheck.limits import DEFAULT_LIMITS, MB

    return replace(DEFAULT_LIMITS, max_bytes=int(max_size_mb * MB))


@app.command()
def inspect(
    file: opt.InspectFile,
    as_json: opt.InspectJson = False,
    pdf_engine: opt.PdfEngine = "auto",
    max_size: opt.InspectMaxSize = opt.INSPECT_MAX_SIZE,
) -> None:
    """Show what the checker sees: the outline (headings with pages), or every block as JSON."""
    from shiftcheck.readers import read

    doc = read(file, _limits(max_size), pdf_engine=pdf_engine or "auto", display=str(file))
    if as_json:
        out = sys.stdout
        for b in doc.blocks:
            out.write(json.dumps(b.to_dict(), ensure_ascii=False) + "\n")
        return
    from rich.console import Console

    console = Console()
    console.print(
        f"[bold]{doc.path}[/bold]  {doc.format}  pages: {doc.pages or '-'}  words: {doc.words}  title: {doc.title or '-'}",
        highlight=False,
    )
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
    ctx: typer.Context,
    files: opt.Files,
    rubric: opt.Rubric = None,
    lang: opt.Lang = None,
    report_lang: opt.ReportLang = None,
    fmt: opt.ReviewFormat = None,
    output: opt.ReviewOutput = None,
    mkdir: opt.Mkdir = False,
    summary: opt.Summary = False,
    verbose: opt.Verbose = False,
    fail_under: opt.FailUnder = None,
    fail_under_overall: opt.FailUnderOverall = None,
    fail_level: opt.FailLevel = None,
    exit_zero: opt.ExitZero = None,
    config: opt.ReviewConfig = None,
    jobs: opt.Jobs = None,
    write_baseline: opt.WriteBaseline = None,
    pdf_engine: opt.PdfEngine = None,
    max_size: opt.MaxSize = None,
    timeout: opt.Timeout = None,
    max_pages: opt.MaxPages = None,
    max_memory: opt.MaxMemory = None,
    cache: opt.Cache = False,
    color: opt.Color = None,
    width: opt.Width = None,
) -> None:
    """Review documents against the rubric: a level 0-3 per shift, evidence, red flags and what to add.

    Exit codes: 0 passed; 1 the gate failed; 2 usage, input or rubric error; 130 interrupted."""
    from shiftcheck.service import run_review

    # every flag above reaches the request by its parameter name, through ctx.params
    raise typer.Exit(run_review(_review_request(ctx.params)))


def _review_request(flags: dict[str, Any]) -> ReviewRequest:
    """The :class:`~shiftcheck.service.ReviewRequest` of ``review``'s flags (by parameter name):
    the configuration with the flags that set config keys on top, and the rest as they are."""
    from shiftcheck.config import load_config
    from shiftcheck.service import ReviewRequest

    cli = {key: flags[name] for key, name in opt.REVIEW_CONFIG_FLAGS.items()}
    return ReviewRequest(
        inputs=flags["files"],
        config=load_config(flags["config"], cli),
        fmt=flags["fmt"],
        output=flags["output"],
        mkdir=flags["mkdir"],
        summary=flags["summary"],
        verbose=flags["verbose"],
        cache=flags["cache"],
        guarded=True,
        write_baseline=flags["write_baseline"],
        color=flags["color"],
        width=flags["width"],
        progress=sys.stderr.isatty(),
    )


def _emit(text: str, output: Path | None, inputs: list[Path] | None = None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from shiftcheck.output import write_atomic

    write_atomic(output, text, inputs=inputs)


rubric_app = App(help="List, show, validate and test rubrics.", no_args_is_help=True)
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
    ref: Annotated[
        str, typer.Argument(help="Rubric name or YAML path.", metavar="NAME|PATH")
    ] = "critical-shifts",
    shift: Annotated[
        int | None,
        typer.Option(
            "--shift",
            metavar="N",
            help="Only this shift (what a report's 'about this shift' points to).",
        ),
    ] = None,
) -> None:
    """Show a rubric as readable tables: levels, shifts, indicators and red flags with their rule ids."""
    from rich.console import Console

    from shiftcheck.rubric import load_rubric
    from shiftcheck.rubric.show import render_rubric

    Console().print(render_rubric(load_rubric(ref), shift))


@rubric_app.command("validate")
def rubric_validate(
    path: Annotated[Path, typer.Argument(help="Rubric YAML file.", metavar="FILE")],
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
    target: Annotated[
        str | None,
        typer.Argument(
            metavar="RULE|RUBRIC",
            help="A rule id (shift-key/rule-key or rule-key), a rubric name or a YAML path.",
        ),
    ] = None,
    rubric: Annotated[
        str | None,
        typer.Option("--rubric", "-r", help="Rubric to take the rule from.", metavar="NAME|PATH"),
    ] = None,
) -> None:
    """Run every rule's own examples (fires/silent); exit 1 on a failure."""
    from shiftcheck.engine.ruletest import run_rule_tests
    from shiftcheck.rubric import load_rubric
    from shiftcheck.ruleids import canonical_ref

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
    only = canonical_ref(r, only)
    try:
        count, failures, untested = run_rule_tests(r, only)
    except KeyError:
        print(
            f"{r.source}: no rule '{only}'. Rule ids look like 'sovereignty/parallel-system' (or 'shift-2/parallel-system')",
            file=sys.stderr,
        )
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


# --------------------------------------------------------------------------------------------
# workflow commands: init, config, diff (library: shiftcheck.config, shiftcheck.diff; docs/workflow.md)


def _stdout_color() -> bool:
    import os

    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def _stdout_width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


@app.command()
def init(
    path: Annotated[
        Path, typer.Argument(help="Where to write the starter configuration.", metavar="FILE")
    ] = Path(".shiftcheck.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    mkdir: opt.Mkdir = False,
) -> None:
    """Write a commented starter .shiftcheck.yaml listing every key with its default."""
    from shiftcheck.config import write_starter

    written = write_starter(path, force=force, mkdir=mkdir)
    print(
        f"wrote {written}: uncomment the keys you need; 'shiftcheck config' shows the effective values"
    )


@app.command("config")
def config_command(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", metavar="FILE", help="Read this file instead of searching for one."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Values and sources as JSON.")] = False,
) -> None:
    """Print the effective configuration and where each value came from."""
    from shiftcheck.config import load_config, render_config

    eff = load_config(config)
    if as_json:
        payload = {
            "file": str(eff.file) if eff.file else None,
            "values": eff.config.model_dump(mode="json"),
            "sources": eff.sources,
        }
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    sys.stdout.write(render_config(eff, width=_stdout_width(), color=_stdout_color()))


@app.command()
def diff(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="OLD",
            help="Earlier version: a document, or a JSON report saved with --format json.",
        ),
    ],
    new: Annotated[
        Path, typer.Argument(metavar="NEW", help="Later version: a document, or a JSON report.")
    ],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="terminal, markdown, json or html (default: from -o's suffix, else terminal).",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="Write the diff to this file (atomically)."
        ),
    ] = None,
    rubric: Annotated[
        str | None,
        typer.Option(
            "--rubric", "-r", metavar="NAME|PATH", help="Rubric for documents reviewed now."
        ),
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", metavar="FILE", help="Configuration file.")
    ] = None,
) -> None:
    """Compare two versions: levels per shift, evidence gained and lost, red flags added and removed."""
    from shiftcheck.config import load_config
    from shiftcheck.diff import DIFF_FORMATS, diff_reports, load_report, render_diff
    from shiftcheck.service import Reviewer, choose_format

    chosen = choose_format(fmt, output, "terminal", DIFF_FORMATS)
    reviewer = Reviewer(load_config(config, cli={"rubric": rubric}), guarded=True)
    result = diff_reports(
        load_report(old, review_fn=reviewer), load_report(new, review_fn=reviewer)
    )
    to_tty = output is None
    text = render_diff(
        result, chosen, width=_stdout_width() if to_tty else 100, color=to_tty and _stdout_color()
    )
    _emit(text, output, inputs=[old, new])
