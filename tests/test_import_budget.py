"""The fixed cost of a review, as an import budget (issue 15): ``shiftcheck review`` of a small
Markdown or text file imports nothing the command does not use. Not a timing test: it runs the
command in a fresh interpreter, records every module imported (and the line that imported it)
and fails naming the module and who imported it.

A module listed here is one a small ``.md``/``.txt`` review has no use for: the PDF and DOCX
readers and their C libraries, the report formats that were not asked for, the Markdown parser
for a ``.txt``, rich for ``--format json``, a process pool for one document, typer's pydantic
adapters. When a new dependency or module is legitimately needed on this path, take it off the
list with the reason; when one is not, import it inside the function that needs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

#: runs ``shiftcheck.cli.main(argv)`` and writes {module: "importing frames"} of every module
#: imported after startup to the file named by argv[1]
DRIVER = r"""
import json, sys, traceback

record_to, argv = sys.argv[1], sys.argv[2:]
origins = {}


class Spy:
    '''Records, for every module imported from here on, the frames that asked for it.'''

    def find_spec(self, name, path=None, target=None):
        if name not in origins:
            frames = [
                f"{f.filename}:{f.lineno} ({f.name})"
                for f in traceback.extract_stack()[:-1]
                if not f.filename.startswith("<") and "importlib" not in f.filename
            ]
            origins[name] = frames
        return None


sys.meta_path.insert(0, Spy())
code = None
try:
    from shiftcheck.cli import main

    main(argv)
except SystemExit as e:
    code = e.code
finally:
    seen = {m: origins.get(m, []) for m in sys.modules}
    built = []  # pydantic models whose validators were built
    if "pydantic" in sys.modules:
        todo = [sys.modules["pydantic"].BaseModel]
        while todo:
            cls = todo.pop()
            todo += cls.__subclasses__()
            if cls.__dict__.get("__pydantic_complete__"):
                built.append(f"{cls.__module__}.{cls.__qualname__}")
    with open(record_to, "w", encoding="utf-8") as fh:
        json.dump({"code": code, "modules": seen, "built": sorted(built)}, fh)
"""

#: never on the path of a small text or Markdown review, whatever the format
NEVER = [
    # the PDF and DOCX readers and the libraries under them
    "pdfminer",
    "pypdfium2",
    "lxml",
    "docx",
    "shiftcheck.readers.pdf",
    "shiftcheck.readers.docx",
    # a report format that was not asked for, and Word output
    "shiftcheck.report.markdown",
    "shiftcheck.report.html",
    "shiftcheck.report.sarif",
    "shiftcheck.report.github",
    "shiftcheck.report.docx",
    "shiftcheck.wordfiles",
    # other commands
    "shiftcheck.diff",
    "shiftcheck.rubric.show",
    "shiftcheck.engine.ruletest",
    "jsonschema",
    # one document in this process: no pool, no child interpreter
    "multiprocessing",
    "concurrent.futures.process",
    "shiftcheck._worker",
    # typer's pydantic TypeAdapters for parsing flags (~0.2 s with typer 0.29)
    "typer._adapters",
    # no configuration, waivers or front matter to parse, and the rubric comes from its cache
    "yaml",
]

#: ``.txt`` in the terminal format: no Markdown parser
TEXT_NEVER = ["markdown_it", "shiftcheck.readers.markdown", "shiftcheck.report.json"]

#: ``--format json``: no terminal rendering
JSON_NEVER = ["rich", "shiftcheck.report.terminal", "shiftcheck.report.text"]

SENTENCE = "The Ministry of Health chairs the steering committee.\n"

#: a pseudo-module in the record: the pydantic models whose validators the run built
BUILT = " built models"


def _imports(tmp_path: Path, *args: str) -> dict[str, list[str]]:
    """``shiftcheck review ARGS`` in a fresh interpreter (run twice: the rubric cache is warm
    the second time, as on every run after the first) -> {module: importing frames}."""
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    record = tmp_path / "modules.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SHIFTCHECK_", "GITHUB_"))}
    env["SHIFTCHECK_CACHE_DIR"] = str(tmp_path / "cache")
    env["NO_COLOR"] = "1"
    for _ in range(2):
        proc = subprocess.run(
            [sys.executable, str(driver), str(record), "review", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    data = json.loads(record.read_text(encoding="utf-8"))
    assert data["code"] in (0, 1), f"review failed ({data['code']}): {proc.stderr}"
    modules: dict[str, list[str]] = data["modules"]
    modules[BUILT] = data["built"]
    return modules


def _unwanted(modules: dict[str, list[str]], banned: list[str]) -> list[str]:
    """One message per banned module (or submodule) imported, naming who imported it."""
    problems = []
    for name in sorted(modules):
        hit = next((b for b in banned if name == b or name.startswith(b + ".")), None)
        if hit is None or (name != hit and hit in modules):
            continue  # a submodule of a banned package: the package's own line says it
        frames = modules[name]
        ours = [f for f in frames if "shiftcheck" in f and "driver.py" not in f]
        who = frames[-1] if frames else "(unknown)"
        chain = " <- ".join(reversed(ours[-4:])) if ours else "(no shiftcheck frame)"
        problems.append(f"{name} was imported by {who}\n    via {chain}")
    return problems


def _check(modules: dict[str, list[str]], banned: list[str], what: str) -> None:
    problems = _unwanted(modules, banned)
    assert not problems, (
        f"{what} imported {len(problems)} module(s) it does not use (import them inside the "
        "function that needs them):\n  " + "\n  ".join(problems)
    )


@pytest.fixture(scope="module")
def markdown_review(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    tmp = tmp_path_factory.mktemp("budget-md")
    (tmp / "one.md").write_text("# Plan\n\n" + SENTENCE, encoding="utf-8")
    return _imports(tmp, "one.md")


def test_markdown_review_imports_only_what_it_uses(markdown_review: dict[str, list[str]]) -> None:
    _check(markdown_review, [*NEVER, "shiftcheck.report.json"], "review of a small .md")


def test_markdown_review_validates_at_the_boundaries_only(
    markdown_review: dict[str, list[str]],
) -> None:
    """The rubric comes from the cache without validation (its validators are never built), the
    report is constructed from the scored shifts, not validated, and with no configuration file
    and no flag the defaults are not validated either: no validator is built at all."""
    built = markdown_review[BUILT]
    assert not [m for m in built if m.startswith(("shiftcheck.model.", "shiftcheck.config."))], (
        built
    )
    from shiftcheck.rubric import loader

    if not hasattr(loader, "trusted_rubric"):
        pytest.skip("the rubric loader still validates the cached rubric")
    rubric = [m for m in built if m.startswith("shiftcheck.rubric.")]
    assert not rubric, f"rubric validators built on a warm review: {rubric}"


def test_markdown_review_uses_the_markdown_reader(markdown_review: dict[str, list[str]]) -> None:
    # the budget test sees the real pipeline: the reader and the terminal report ran
    assert "shiftcheck.readers.markdown" in markdown_review
    assert "shiftcheck.report.terminal" in markdown_review


def test_text_review_imports_no_markdown_parser(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(SENTENCE, encoding="utf-8")
    modules = _imports(tmp_path, "one.txt")
    _check(modules, NEVER + TEXT_NEVER, "review of a small .txt")


def test_json_review_imports_no_terminal_renderer(tmp_path: Path) -> None:
    (tmp_path / "one.txt").write_text(SENTENCE, encoding="utf-8")
    modules = _imports(tmp_path, "one.txt", "--format", "json")
    _check(modules, NEVER + TEXT_NEVER[:2] + JSON_NEVER, "review of a small .txt --format json")
    # --format json is taken as it is (no config validation) and the JSON comes from
    # shiftcheck.modeldata.json_form (no serializer): no validator or serializer is built
    assert not modules[BUILT], modules[BUILT]
    assert "shiftcheck.report.json" in modules


def test_the_message_names_the_importer() -> None:
    """The message names the module, the line that imported it and the shiftcheck calls that led
    there (innermost first); a banned package's submodules add no line of their own."""
    via = ["/x/src/shiftcheck/cli.py:70 (_run)", "/x/src/shiftcheck/sandbox.py:164 (_warm)"]
    modules = {
        "pdfminer": [*via, "/x/src/shiftcheck/readers/pdf/extract_pdfminer.py:12 (<module>)"],
        "pdfminer.high_level": [*via, "/x/site-packages/pdfminer/__init__.py:2 (<module>)"],
        "json": [*via],
    }
    problems = _unwanted(modules, ["pdfminer"])
    assert problems == [
        "pdfminer was imported by /x/src/shiftcheck/readers/pdf/extract_pdfminer.py:12 (<module>)"
        "\n    via /x/src/shiftcheck/readers/pdf/extract_pdfminer.py:12 (<module>)"
        " <- /x/src/shiftcheck/sandbox.py:164 (_warm) <- /x/src/shiftcheck/cli.py:70 (_run)"
    ]


def _outcome(coerce: Any, value: Any, param: Any, ctx: Any) -> tuple[str, Any]:
    try:
        got = coerce._coerce_value(value, param=param, ctx=ctx)
    except Exception as e:
        return "error", (type(e).__name__, str(getattr(e, "message", e)))
    return type(got).__name__, got


def test_flags_convert_as_typer_converts_them() -> None:
    """The flags parsed without pydantic adapters (:func:`shiftcheck.cli_options.quick_coercion`)
    give typer's own values and typer's own errors, for every flag of every command."""
    coercion = pytest.importorskip("typer._coercion")
    from typer.main import get_command

    from shiftcheck.commands import app

    samples: list[Any] = ["0", "7", "-3", "007", "+3", "1.5", "-0.25", "1e3", "abc", "", " 3"]
    samples += ["x.md", "-", "a b", "d/\udcff.txt", True, False, ("a.md", "b.txt"), ["c"], ()]
    root = get_command(app)
    commands = [root, *root.commands.values()]  # type: ignore[attr-defined]
    commands += [c for g in commands for c in getattr(g, "commands", {}).values()]
    checked = 0
    for command in commands:
        ctx = command.make_context("shiftcheck", [], resilient_parsing=True)
        for param in command.get_params(ctx):
            quick = getattr(param, "_runtime_param", None)
            if type(quick).__name__ != "QuickParam":
                continue
            slow = coercion.build_runtime_param(param.type_descriptor)
            for value in samples:
                expected = _outcome(slow, value, param, ctx)
                assert _outcome(quick, value, param, ctx) == expected, (command.name, param.name)
                checked += 1
    assert checked > 500


def _same_models(a: Any, b: Any, path: str = "rubric") -> None:
    """Equal values of the same types, down to each model's fields set."""
    assert type(a) is type(b), path
    if hasattr(a, "model_fields_set"):
        assert a.model_fields_set == b.model_fields_set, path
        assert list(a.__dict__) == list(b.__dict__), path
        for name in type(a).model_fields:
            _same_models(getattr(a, name), getattr(b, name), f"{path}.{name}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _same_models(x, y, f"{path}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), path
        for k in a:
            _same_models(a[k], b[k], f"{path}[{k!r}]")
    else:
        assert a == b, path


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "path",
    [*sorted(ROOT.glob("rubrics/*.y*ml")), *sorted(ROOT.glob("tests/rubrics/*.y*ml"))],
    ids=lambda p: p.name,
)
def test_a_cached_rubric_is_rebuilt_as_validation_builds_it(path: Path) -> None:
    """The rubric cache's entry (validated, then dumped) is rebuilt without validation into the
    same models as validating the YAML gives: values, types, defaults and fields set."""
    from shiftcheck.errors import RubricError
    from shiftcheck.modeldata import rebuild_model
    from shiftcheck.rubric.loader import load_rubric_text
    from shiftcheck.rubric.schema import Rubric

    try:
        validated = load_rubric_text(path.read_text(encoding="utf-8"), path.name)
    except RubricError:
        pytest.skip("an invalid rubric (a test of the error messages)")
    data = validated.model_dump(mode="json", by_alias=True, exclude_unset=True)
    rebuilt = rebuild_model(Rubric, data)
    rebuilt.source, rebuilt.digest = validated.source, validated.digest
    _same_models(rebuilt, validated)
    assert rebuilt == validated


def test_a_cached_rubric_of_the_wrong_shape_is_refused() -> None:
    """Rebuilding checks the shape (the cache then reads the YAML again): a key the model does
    not have, a required key missing, an object or a list where the other is expected."""
    from shiftcheck.modeldata import rebuild_model
    from shiftcheck.rubric.loader import load_rubric_text
    from shiftcheck.rubric.schema import Rubric

    text = (ROOT / "rubrics" / "critical-shifts.yaml").read_text()
    data = load_rubric_text(text, "r.yaml").model_dump(
        mode="json", by_alias=True, exclude_unset=True
    )
    required_missing = {k: v for k, v in data.items() if k != "level_rule"}
    for bad in (
        {**data, "criteria": "not a list"},
        {**data, "criteria": [1, 2]},
        {**data, "surprise": 1},
        required_missing,
        {**data, "context": ["a list"]},
    ):
        with pytest.raises((ValueError, TypeError)):
            rebuild_model(Rubric, bad)
