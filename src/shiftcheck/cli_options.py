"""The command line's flags, declared once: what ``--help`` shows and how it shows it.

Each ``Annotated`` type below is one flag (names, metavar a person reads, help). The commands
(:mod:`shiftcheck.commands`) take them as parameter types, so a command's signature is a list of
its flags and its body the steps. Defaults that are limits come from
:data:`shiftcheck.limits.DEFAULT_LIMITS`, the one definition the readers and the starter
configuration also read. :class:`App` and :class:`HelpCommand` make ``--help`` name arguments as
a person reads them (``FILE...``, ``OLD NEW``), not Typer's ``{FILE...}...`` and ``<list[str]>``.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

from shiftcheck.limits import DEFAULT_LIMITS, MB

_D = DEFAULT_LIMITS

#: the end of ``shiftcheck --help``
EXIT_HELP = """Exit codes: 0 passed; 1 the gate failed (--fail-under, --fail-under-overall, --fail-level);
2 usage, input or rubric error; 130 interrupted."""


class HelpCommand(TyperCommand):
    """Help that names arguments as a person reads them: ``Usage: shiftcheck review [OPTIONS]
    FILE...`` and ``FILE...  Documents, ...``, not Typer's ``{FILE...}...`` and ``<list[str]>``.
    Its flags are parsed without building pydantic adapters (:func:`quick_coercion`)."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        quick_coercion(params)  # --help included: typer adds it here
        return params

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            if param.param_type_name == "argument":
                pieces.append(_arg_name(param) if param.required else f"[{_arg_name(param)}]")
        return pieces

    def format_options(self, ctx: Any, formatter: Any) -> None:
        args: list[tuple[str, str]] = []
        opts: list[tuple[str, str]] = []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                args.append((_arg_name(param), record[1]))
            else:
                opts.append(record)
        for title, rows in (("Arguments", args), ("Options", opts)):
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


# --------------------------------------------------------------------------------------------
# parsing flags without pydantic: typer 0.29 coerces every parameter through a pydantic
# TypeAdapter built on first use (0.1-0.2 s for review's flags: importing typer._adapters and
# building ~20 adapters), even for a flag that was not given. Well-formed values of the plain
# types these commands use (str, int, float, bool, Path, list[str]) are converted here the way
# those adapters convert them; anything else (a malformed number, a parser, min/max bounds)
# goes to typer's own coercion, so every value and every error message stays typer's.

_INT = re.compile(r"-?[0-9]{1,18}\Z")
_FLOAT = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?\Z")


def _quick(annotation: Any, value: Any) -> tuple[bool, Any]:
    """``(True, converted)`` for a well-formed value of a plain type, else ``(False, None)``."""
    if isinstance(value, str):
        if annotation is str:
            return True, value
        if annotation is int and _INT.match(value):
            return True, int(value)
        if annotation is float and _FLOAT.match(value):
            return True, float(value)
    elif annotation is bool and isinstance(value, bool):
        return True, value
    elif (
        getattr(annotation, "__origin__", None) is list
        and getattr(annotation, "__args__", None) == (str,)
        and isinstance(value, (list, tuple))
        and all(isinstance(v, str) for v in value)
    ):
        return True, list(value)
    return False, None


def quick_coercion(params: list[Any]) -> None:
    """Give each typer parameter of a plain type a coercion that needs no pydantic adapter for a
    well-formed value (see above). A typer without ``typer._coercion`` (click types, no pydantic)
    is left as it is."""
    quick_param = _quick_param_class()
    if quick_param is None:  # pragma: no cover - a typer without pydantic adapters
        return
    for p in params:
        desc = getattr(p, "type_descriptor", None)
        if desc is None or getattr(p, "_runtime_param", False) is not None:
            continue
        info = desc.parameter_info
        plain = info.parser is None and info.min is None and info.max is None and not info.clamp
        if plain and desc.file_annotation is None:
            p._runtime_param = quick_param(parameter_info=info, annotation=desc.annotation)


@functools.cache
def _quick_param_class() -> Any:
    """typer's ``RuntimeParam`` with the quick conversion in front (None: no such typer)."""
    try:
        from typer._coercion import RuntimeParam, build_runtime_param
        from typer._param_types import coerce_cli_path
    except ImportError:  # pragma: no cover
        return None

    class QuickParam(RuntimeParam):
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            if isinstance(value, str) and self.annotation is Path and info.path_type is None:
                # typer's path adapter turns a str into Path(str) first, then checks the flags
                return coerce_cli_path(Path(value), info, path_type=Path, param=param, ctx=ctx)
            done, converted = _quick(self.annotation, value)
            if done:
                return converted
            slow = build_runtime_param(param.type_descriptor)  # typer's value, typer's error
            return slow._coerce_value(value, param=param, ctx=ctx)

    return QuickParam


def _arg_name(param: Any) -> str:
    name = param.metavar or (param.name or "").upper()
    return name if param.nargs == 1 or name.endswith("...") else f"{name}..."


class QuickGroup(TyperGroup):
    """A command group whose own flags (``--version``, ``--help``) are parsed like
    :class:`HelpCommand`'s, without pydantic adapters."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)
        quick_coercion(params)
        return params


class App(typer.Typer):
    """A Typer app whose commands print :class:`HelpCommand` help."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("cls", QuickGroup)
        super().__init__(*args, **kwargs)

    def command(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("cls", HelpCommand)
        return super().command(*args, **kwargs)


# --------------------------------------------------------------------------------------------
# flags shared by several commands

PdfEngine = Annotated[
    str | None, typer.Option("--pdf-engine", metavar="ENGINE", help="auto, pdfium or pdfminer.")
]
Mkdir = Annotated[bool, typer.Option("--mkdir", help="Create the output file's folder if needed.")]

# --------------------------------------------------------------------------------------------
# review: documents in, a report out, an exit code from the gate

Files = Annotated[
    list[str],
    typer.Argument(
        metavar="FILE...",
        help="Documents, folders (searched recursively) or quoted globs.",
        show_default=False,
    ),
]
Rubric = Annotated[
    str | None,
    typer.Option(
        "--rubric",
        "-r",
        metavar="NAME|PATH",
        help="Rubric name (see 'shiftcheck rubric list') or YAML path.",
    ),
]
Lang = Annotated[
    str | None, typer.Option("--lang", metavar="LANG", help="Document language: auto, en or fr.")
]
ReportLang = Annotated[
    str | None,
    typer.Option(
        "--report-lang",
        metavar="LANG",
        help="Language of the report: auto (the document's), en or fr.",
    ),
]
ReviewFormat = Annotated[
    str | None,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="terminal, markdown, json, sarif, html, github or docx (Word comments in a copy of a DOCX; a Word report otherwise) (default: from -o's suffix, github under GitHub Actions, else terminal).",
    ),
]
ReviewOutput = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the report to this file (atomically); with --format docx and several documents, a folder.",
    ),
]
Summary = Annotated[bool, typer.Option("--summary", help="Only the header and the nine-row table.")]
Verbose = Annotated[
    bool, typer.Option("--verbose", "-v", help="Show every match and why it counted.")
]
FailUnder = Annotated[
    int | None,
    typer.Option(
        "--fail-under", metavar="LEVEL", help="Exit 1 when any shift is below this level (0-3)."
    ),
]
FailUnderOverall = Annotated[
    float | None,
    typer.Option(
        "--fail-under-overall",
        metavar="SCORE",
        help="Exit 1 when the overall score (0-1) is below this.",
    ),
]
FailLevel = Annotated[
    str | None,
    typer.Option(
        "--fail-level",
        metavar="SEVERITY",
        help="Exit 1 on any unwaived red flag at or above: info, warning or error.",
    ),
]
ExitZero = Annotated[
    bool | None,
    typer.Option(
        "--exit-zero",
        help="Report without gating: exit 0 even when the gate fails (input errors still exit 2).",
    ),
]
ReviewConfig = Annotated[
    Path | None,
    typer.Option(
        "--config",
        metavar="FILE",
        help="Config file (default: $SHIFTCHECK_CONFIG, .shiftcheck.yaml or [tool.shiftcheck] found upward).",
    ),
]
Jobs = Annotated[
    int | None,
    typer.Option(
        "--jobs", "-j", metavar="N", help="Documents reviewed in parallel (0 = one per CPU)."
    ),
]
WriteBaseline = Annotated[
    Path | None,
    typer.Option(
        "--write-baseline",
        metavar="FILE",
        help="Write waivers for every red flag that fires today to this file, then exit 0.",
    ),
]
MaxSize = Annotated[
    float | None,
    typer.Option(
        "--max-size",
        metavar="MB",
        help=f"Largest input in MB (0 = no limit; default {_D.max_bytes / MB:g}).",
    ),
]
Timeout = Annotated[
    float | None,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        help=f"Seconds allowed to read and review one document (0 = no limit; default {_D.timeout:g}).",
    ),
]
MaxPages = Annotated[
    int | None,
    typer.Option(
        "--max-pages",
        metavar="N",
        help=f"Most PDF pages read (0 = no limit; default {_D.max_pages}).",
    ),
]
MaxMemory = Annotated[
    int | None,
    typer.Option(
        "--max-memory",
        metavar="MB",
        help=f"MB one document's review (read and analysis) may use (0 = no limit; default {_D.max_memory_mb}).",
    ),
]
Cache = Annotated[
    bool,
    typer.Option(
        "--cache", help="Reuse parsed documents from the user cache folder (keyed by content hash)."
    ),
]
Color = Annotated[
    bool | None,
    typer.Option(
        "--color/--no-color",
        help="Force colors on or off (default: on for a terminal, off when NO_COLOR is set).",
    ),
]
Width = Annotated[
    int | None,
    typer.Option(
        "--width",
        metavar="COLUMNS",
        help="Terminal report width (default: the terminal's, 80 when not a terminal).",
    ),
]

#: config key -> the ``review`` parameter that sets it (``None``: flag not given)
REVIEW_CONFIG_FLAGS = {
    "rubric": "rubric",
    "lang": "lang",
    "report.lang": "report_lang",
    "format": "fmt",
    "fail_under": "fail_under",
    "fail_under_overall": "fail_under_overall",
    "fail_level": "fail_level",
    "exit_zero": "exit_zero",
    "jobs": "jobs",
    "pdf_engine": "pdf_engine",
    "limits.max_size_mb": "max_size",
    "limits.timeout": "timeout",
    "limits.max_pages": "max_pages",
    "limits.max_memory_mb": "max_memory",
}

# --------------------------------------------------------------------------------------------
# inspect

InspectFile = Annotated[
    Path, typer.Argument(help="DOCX, PDF, Markdown or text file.", metavar="FILE")
]
InspectJson = Annotated[
    bool, typer.Option("--json", help="One JSON object per block, with its location.")
]
InspectMaxSize = Annotated[
    float,
    typer.Option(
        "--max-size", metavar="MB", min=0, help="Largest input file accepted, in MB (0 = no limit)."
    ),
]
#: inspect's --max-size default, in MB
INSPECT_MAX_SIZE = _D.max_bytes // MB
