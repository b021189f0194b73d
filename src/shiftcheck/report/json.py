"""JSON output and its JSON Schema.

One document: ``report.to_json_dict()``. A batch: ``{"schema_version": "1.1", "tool": {...},
"documents": [...]}`` where each entry is a report or ``{"path", "error", "kind"}``. Keys are
sorted and the text is indented by 2 with non-ASCII characters kept, so the same report always gives
the same bytes (there are no timestamps).

The schema is generated from the pydantic models (serialization mode, by alias); the package ships
it as ``report.schema.json`` (written by ``scripts/gen_schema.py``; a test checks they agree).
"""

from __future__ import annotations

import json as _json
from pathlib import Path

from shiftcheck.model import SCHEMA_VERSION, BatchReport, Report
from shiftcheck.modeldata import json_form
from shiftcheck.report import RenderOptions

SCHEMA_FILE = Path(__file__).with_name("report.schema.json")
#: a name, not an address: the schema ships inside the package (``shiftcheck schema`` prints it)
#: and is published nowhere shiftcheck could point to
SCHEMA_ID = f"urn:shiftcheck:report-schema:{SCHEMA_VERSION}"


def dumps(obj: object) -> str:
    return _json.dumps(obj, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def render_report(report: Report, opts: RenderOptions) -> str:
    return dumps(report.to_json_dict())


def render_batch(batch: BatchReport, opts: RenderOptions) -> str:
    return dumps(json_form(batch))


def schema_dict() -> dict:
    """The JSON Schema (draft 2020-12) of the JSON output: a single report or a batch."""
    from pydantic import TypeAdapter

    gen = TypeAdapter(Report | BatchReport).json_schema(by_alias=True, mode="serialization")
    defs = gen.pop("$defs")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": f"shiftcheck report (schema_version {SCHEMA_VERSION})",
        "description": "The output of `shiftcheck review --format json`: one report, or a batch "
        "whose documents are reports or {path, error, kind} entries.",
        **gen,
        "$defs": defs,
    }


def json_schema() -> str:
    """The schema as text (what ``shiftcheck schema`` prints and ``report.schema.json`` holds)."""
    return dumps(schema_dict())
