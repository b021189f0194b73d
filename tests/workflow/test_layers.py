"""The import rule of docs/ARCHITECTURE.md: the core never imports the workflow layer.

Every ``import`` in ``src/shiftcheck`` counts, at module level or inside a function (a lazy import
is still a dependency), and so do imports made only for type checking."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "shiftcheck"

#: the workflow layer: configuration, waivers, the gate, batches, diffs, the pipeline, the command line
WORKFLOW = {
    "config",
    "waivers",
    "rulecheck",
    "gate",
    "batch",
    "diff",
    "service",
    "wordfiles",
    "cli",
    "commands",
    "cli_options",
    "__main__",
}
#: the core: reading, the rubric, the engine, scoring and report formats, and what they stand on
CORE_PACKAGES = {"readers", "rubric", "engine", "report"}
CORE_MODULES = {
    "scoring",
    "model",
    "document",
    "errors",
    "limits",
    "lang",
    "yamlsafe",
    "ruleids",
    "suffixes",
    "codec",
}
#: the library API may use the core and the runner (sandbox, cache), never configuration or waivers
API = {"api"}


def _name(path: Path) -> str:
    rel = path.relative_to(SRC).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    return ".".join(parts) or "__init__"


def _imports(path: Path) -> set[str]:
    """The shiftcheck modules ``path`` imports (first component after ``shiftcheck.``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = _name(path).split(".")[:-1] if path.name != "__init__.py" else _name(path).split(".")
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                base = package[: len(package) - node.level + 1] if node.level > 1 else package
                names = [
                    ".".join(["shiftcheck", *base, *(node.module or "").split(".")]).rstrip(".")
                ]
            else:
                names = [node.module or ""]
                if node.module == "shiftcheck":
                    names = [f"shiftcheck.{a.name}" for a in node.names]
        else:
            continue
        for n in names:
            if n.startswith("shiftcheck."):
                out.add(n.split(".")[1])
    return out


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def _layer(path: Path) -> str:
    top = _name(path).split(".")[0]
    if top in CORE_PACKAGES or top in CORE_MODULES:
        return "core"
    if top in API:
        return "api"
    return "other"


def test_the_rule_sees_lazy_imports():
    # the checker itself: a function-level import is found (api imports the engine lazily)
    assert "engine" in _imports(SRC / "api.py")
    assert "service" in _imports(SRC / "commands.py")


@pytest.mark.parametrize(
    "path", [p for p in _modules() if _layer(p) == "core"], ids=lambda p: _name(p)
)
def test_core_never_imports_the_workflow(path):
    bad = sorted(_imports(path) & WORKFLOW)
    assert not bad, (
        f"{_name(path)} imports the workflow layer: {', '.join(bad)} (see docs/ARCHITECTURE.md)"
    )


def test_the_library_api_never_reaches_configuration_or_waivers():
    bad = sorted(_imports(SRC / "api.py") & WORKFLOW)
    assert not bad, f"api imports {', '.join(bad)}"


def test_the_sandbox_does_not_depend_on_the_cache():
    # both use the Document codec (shiftcheck.codec); the sandbox works with the cache switched off
    sandbox = _imports(SRC / "sandbox.py") | _imports(SRC / "sandbox_messages.py")
    assert "cache" not in sandbox
    assert "codec" in sandbox


def test_only_the_entry_points_import_the_command_line():
    for path in _modules():
        if _name(path) in ("cli", "commands", "__main__"):
            continue
        assert not _imports(path) & {"cli", "commands"}, _name(path)


#: the stages before the report, in the order data flows through them
UPSTREAM = {"readers", "rubric", "engine", "scoring"}


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if _name(p).split(".")[0] in UPSTREAM],
    ids=lambda p: _name(p),
)
def test_the_stages_before_the_report_never_import_it(path):
    """Data flows readers -> rubric -> engine -> scoring -> report: scoring hands the report layer
    the reasons for each level as data and the report layer words them, never the other way."""
    assert "report" not in _imports(path), f"{_name(path)} imports shiftcheck.report"
