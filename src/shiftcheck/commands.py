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


@app.command()
def inspect(
    file: Annotated[Path, typer.Argument(help="DOCX, PDF, Markdown or text file.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per block, with its location.")] = False,
    pdf_engine: Annotated[str, typer.Option("--pdf-engine", help="auto, pdfium or pdfminer.")] = "auto",
) -> None:
    """Show what the checker sees: the outline (headings with pages), or every block as JSON."""
    from shiftcheck.readers import read

    doc = read(file, pdf_engine=pdf_engine, display=str(file))
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
    files: Annotated[list[Path], typer.Argument(help="Documents to review.")],
) -> None:
    """Review documents against the rubric and print the verdict per shift."""
    from rich.console import Console

    from shiftcheck.readers import read

    console = Console()
    failed = 0
    for f in files:
        try:
            doc = read(f, display=str(f))
        except ShiftcheckError as e:
            print(e.line(), file=sys.stderr)
            failed += 1
            continue
        console.print(f"[bold]{doc.path}[/bold] ({doc.format}) pages: {doc.pages or '-'} words: {doc.words}", highlight=False)
        for h in doc.headings():
            console.print("  " * max(0, (h.level or 1) - 1) + h.text, markup=False, highlight=False)
    if failed:
        raise typer.Exit(2)
