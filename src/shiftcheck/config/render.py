"""What the configuration commands show and write: ``shiftcheck config``'s table of values and
sources, and ``shiftcheck init``'s commented starter file (every key with its default)."""

from __future__ import annotations

import os
from pathlib import Path

from shiftcheck.config.effective import EffectiveConfig
from shiftcheck.config.files import display_path
from shiftcheck.config.schema import CONFIG_NAMES, Config
from shiftcheck.errors import UsageError

_STARTER = """\
# shiftcheck configuration. Every key is optional; the values shown are the defaults.
# Precedence: command-line flags > --config PATH > $SHIFTCHECK_CONFIG > this file > defaults.
# Run 'shiftcheck config' to see the effective values and where each one came from.

# Rubric: a name ('shiftcheck rubric list') or a path to a rubric YAML file.
# rubric: {d.rubric}

# The gate (exit 1 when it fails; leave all three unset to report without gating):
# fail_under: 2              # fail when any shift is below this level (0-3)
# fail_under_overall: 0.5    # fail when the overall score (0.0-1.0) is below this
# fail_level: error          # fail on an unwaived red flag of this severity or higher (info, warning, error)
# exit_zero: {exit_zero}           # always exit 0 on gate failures (input errors still exit 2)

# Output: terminal, markdown, json, sarif, html or github.
# format: {d.format}

# Document language: en, fr or auto (detected).
# lang: {d.lang}

# Severity per red-flag rule id (shift-key/flag-key as 'rubric show' and 'rubric test' print;
# shift-N/flag-key, a bare flag key or an alias also work).
# severity:
#   sovereignty/parallel-system: error

# Red-flag rule ids to drop from reports (globs allowed, e.g. 'community-feedback/*').
# disable: []

# Settings for documents whose path matches a glob (relative to this file's folder).
# Allowed keys: rubric, fail_under, fail_under_overall, fail_level, lang, severity, disable.
# overrides:
#   - paths: ["drafts/**"]
#     fail_under: 1
#     disable: [sovereignty/parallel-system]

# Waivers file (reviewed exceptions), relative to this file's folder.
# waivers: {d.waivers}

# Resource limits for untrusted documents.
# limits:
#   max_size_mb: {lim.max_size_mb:g}        # 0 = no limit
#   timeout: {lim.timeout:g}           # seconds per document (read and analysis), 0 = no limit
#   max_pages: {lim.max_pages}         # PDF pages, 0 = no limit
#   max_memory_mb: {lim.max_memory_mb}    # per document (read and analysis), 0 = no limit
#   max_page_content_mb: {lim.max_page_content_mb}  # PDF page content, decoded, 0 = no limit
#   max_unzipped_mb: {lim.max_unzipped_mb}   # DOCX: everything in the zip, uncompressed, 0 = no limit
#   max_zip_ratio: {lim.max_zip_ratio:g}      # DOCX: compression ratio of one member, 0 = no limit
#   max_xml_depth: {lim.max_xml_depth}      # DOCX: element nesting (at most 256), 0 = no limit

# Reports: the language of their words, auto (the document's), en or fr; the author of the
# Word comments that --format docx adds.
# report:
#   lang: {d.report.lang}
#   author: {d.report.author}

# PDF text engine: auto, pdfium or pdfminer.
# pdf_engine: {d.pdf_engine}

# Documents reviewed in parallel (0 = one per CPU).
# jobs: {d.jobs}
"""


def starter_config() -> str:
    """A commented ``.shiftcheck.yaml`` listing every key with its default (for ``shiftcheck init``)."""
    d = Config()
    return _STARTER.format(d=d, lim=d.limits, exit_zero=str(d.exit_zero).lower())


def write_starter(
    path: str | os.PathLike[str] = CONFIG_NAMES[0], force: bool = False, *, mkdir: bool = False
) -> Path:
    """Write the starter config; refuses to overwrite an existing file unless ``force``.

    Written like a report (:func:`shiftcheck.output.write_atomic`): a full disk or a folder that
    cannot be written is one line, exit 2, and nothing half-written is left behind."""
    from shiftcheck.output import write_atomic

    p = Path(path)
    if p.exists() and not force:
        raise UsageError(str(p), "already exists", "Use --force to overwrite it, or edit it")
    write_atomic(p, starter_config(), make_parents=mkdir)
    return p


def render_config(eff: EffectiveConfig, width: int = 100, color: bool = False) -> str:
    """The effective configuration as a table: key | value | source."""
    from rich import box
    from rich.table import Table

    from shiftcheck.report.text import console_text, string_console

    console = string_console(width, color, color_system="standard")
    where = display_path(eff.file) if eff.file else "none (built-in defaults)"
    console.print(f"Configuration file: {where}")
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    table.add_column("Key", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("Source", overflow="fold")
    for key, value, source in eff.rows():
        table.add_row(key, value, source, style="dim" if source == "default" else None)
    console.print(table)
    return console_text(console, color)
