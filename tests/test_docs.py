"""Generated documentation stays in step with the rubric; the README's commands exist."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_shift_docs_are_current():
    spec = importlib.util.spec_from_file_location(
        "gen_shift_docs", ROOT / "scripts" / "gen_shift_docs.py"
    )
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert (ROOT / "docs" / "shifts.md").read_text(encoding="utf-8") == mod.build(), (
        "run scripts/gen_shift_docs.py"
    )


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```sh\n(.*?)```", readme, flags=re.S)
    first = blocks[0]
    assert "pip install . && shiftcheck review examples/" in first
    example = re.search(r"shiftcheck review (examples/\S+)", first).group(1)
    assert (ROOT / example).is_file()
    test_cmd = "pip install '.[test]' && python -m pytest -q"
    assert test_cmd in first
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "'.[test]'" in ci and "python -m pytest -q" in ci
