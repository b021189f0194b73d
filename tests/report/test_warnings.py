"""``Report.warnings`` (reader and engine notes) reach every format (issue 12, defect 5)."""

from __future__ import annotations

import json

import pytest

from shiftcheck.model import Report
from shiftcheck.report import FORMATS, RenderOptions, render

from .sample import error_entry, markdown_report, pdf_report
from .test_formats import SARIF_SCHEMA, _sarif_validator, _schema_validator

WARNINGS = [
    "encoding guessed as cp1252 | check accents",
    "rule shift-2/topup timed out and was skipped",
]


def _warned() -> Report:
    return markdown_report().model_copy(update={"warnings": list(WARNINGS)})


def test_warnings_default_to_empty_and_old_reports_load():
    assert markdown_report().warnings == []
    old = markdown_report().to_json_dict()
    del old["warnings"]
    old["schema_version"] = "1"
    assert Report.model_validate(old).warnings == []


@pytest.mark.parametrize("fmt", sorted(FORMATS))
@pytest.mark.parametrize("as_batch", [False, True], ids=["single", "batch"])
def test_every_format_shows_the_warnings(fmt, as_batch):
    data = [pdf_report(), _warned(), error_entry()] if as_batch else _warned()
    out = render(fmt, data, RenderOptions(width=200))
    if fmt == "json":
        doc = json.loads(out)
        assert (doc["documents"][1] if as_batch else doc)["warnings"] == WARNINGS
        _schema_validator().validate(doc)
    elif fmt == "sarif":
        notes = json.loads(out)["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        warned = [n for n in notes if n["level"] == "warning"]
        assert [n["message"]["text"] for n in warned] == WARNINGS
        assert {
            n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in warned
        } == {"proposals/district-health.md"}
        if SARIF_SCHEMA.exists():
            _sarif_validator().validate(json.loads(out))
    elif fmt == "github":
        lines = [line for line in out.splitlines() if "title=shiftcheck warning" in line]
        assert lines == [
            f"::warning file=proposals/district-health.md,title=shiftcheck warning::{w}"
            for w in WARNINGS
        ]
    else:
        for w in WARNINGS:
            head, tail = w.split(" ", 1)
            assert head in out and tail.split()[-1] in out, (fmt, w)
        assert "Warnings" in out


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_no_warnings_no_section(fmt):
    out = render(fmt, markdown_report(), RenderOptions())
    assert "Warnings" not in out and "shiftcheck warning" not in out
