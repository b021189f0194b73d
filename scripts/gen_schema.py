#!/usr/bin/env python
"""Regenerate src/shiftcheck/report/report.schema.json from the pydantic models.

Run after changing src/shiftcheck/model.py:  .venv/bin/python scripts/gen_schema.py
(``--check`` exits 1 when the shipped file is out of date instead of writing it.)
"""

from __future__ import annotations

import sys

from shiftcheck.report.json import SCHEMA_FILE, json_schema


def main(argv: list[str]) -> int:
    text = json_schema()
    current = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else None
    if "--check" in argv:
        if current != text:
            print(f"{SCHEMA_FILE} is out of date; run scripts/gen_schema.py", file=sys.stderr)
            return 1
        return 0
    if current != text:
        SCHEMA_FILE.write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {SCHEMA_FILE}")
    else:
        print(f"{SCHEMA_FILE} is up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
