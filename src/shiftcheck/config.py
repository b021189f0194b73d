"""Project configuration: ``.shiftcheck.yaml`` / ``[tool.shiftcheck]``, discovery, precedence, sources.

Precedence (highest first): command-line flags > ``--config PATH`` > ``$SHIFTCHECK_CONFIG`` >
the nearest ``.shiftcheck.yaml`` / ``.shiftcheck.yml`` / ``pyproject.toml`` with a
``[tool.shiftcheck]`` table, found walking up from the working directory > built-in defaults.
Only one file is read (the first found in that order); flags then override single keys.

Every value remembers where it came from (``EffectiveConfig.sources``): ``default``,
``.shiftcheck.yaml:4``, ``pyproject.toml [tool.shiftcheck]``, ``SHIFTCHECK_CONFIG=/x.yaml:3``,
``--fail-under``. Unknown keys and bad values are :class:`ConfigError` (exit 2) naming file and
line: ``.shiftcheck.yaml:7: unknown key 'fial_under'. Did you mean 'fail_under'?``.
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from shiftcheck.errors import UsageError
from shiftcheck.limits import DEFAULT_LIMITS, MB, Limits
from shiftcheck.yamlsafe import key_path, load_yaml, read_yaml_text, validation_lines

ENV_VAR = "SHIFTCHECK_CONFIG"
CONFIG_NAMES = (".shiftcheck.yaml", ".shiftcheck.yml")
DEFAULT_WAIVERS = ".shiftcheck-waivers.yaml"

FailLevel = Literal["info", "warning", "error"]
Format = Literal["terminal", "markdown", "json", "sarif", "html", "github", "docx"]
Lang = Literal["en", "fr", "auto"]
PdfEngine = Literal["auto", "pdfium", "pdfminer"]

SEVERITY_ORDER = {"info": 0, "warning": 1, "error": 2}


class ConfigError(UsageError):
    """A configuration (or waivers) file is invalid. Each problem is one ``file:line: message``."""

    kind = "config"

    def __init__(self, path: str | None, problems: list[str] | str, hint: str = "") -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(path, "; ".join(self.problems) or "invalid configuration", hint)

    def line(self) -> str:
        return "\n".join(self.problems) if self.problems else super().line()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LimitsConfig(_Strict):
    #: largest document accepted, in megabytes (0 = no limit)
    max_size_mb: float = Field(default=200.0, ge=0)
    #: seconds allowed to read and review one document (0 = no limit)
    timeout: float = Field(default=120.0, ge=0)
    #: PDF: most pages read (0 = no limit)
    max_pages: int = Field(default=2000, ge=0)
    #: memory one document's review may use on top of the process's, in MB (0 = no limit)
    max_memory_mb: int = Field(default=2048, ge=0)
    #: PDF (both engines): largest decoded content of one page, in MB (0 = no limit)
    max_page_content_mb: int = Field(default=8, ge=0)
    #: DOCX: total uncompressed size of the zip's members, in MB (0 = no limit)
    max_unzipped_mb: int = Field(default=1024, ge=0)
    #: DOCX: largest compression ratio of one member of 1 MB or more (0 = no limit)
    max_zip_ratio: float = Field(default=200.0, ge=0)
    #: DOCX: deepest XML element nesting (0 = no limit of its own; lxml's ceiling of 256 stays)
    max_xml_depth: int = Field(default=256, ge=0, le=256)

    def to_limits(self) -> Limits:
        """The reader/engine limits (other limits keep their defaults)."""
        return replace(
            DEFAULT_LIMITS,
            max_bytes=int(self.max_size_mb * MB),
            timeout=self.timeout,
            max_pages=self.max_pages,
            max_memory_mb=self.max_memory_mb,
            max_page_content_mb=self.max_page_content_mb,
            max_unzipped_bytes=self.max_unzipped_mb * MB,
            max_zip_ratio=self.max_zip_ratio,
            max_xml_depth=self.max_xml_depth,
        )


#: keys a per-path ``overrides`` entry may set (the document-level ones)
OVERRIDE_KEYS = (
    "rubric",
    "fail_under",
    "fail_under_overall",
    "fail_level",
    "lang",
    "severity",
    "disable",
)


class PathOverride(_Strict):
    """Settings for documents whose path matches one of ``paths`` (globs, ``**`` allowed)."""

    paths: list[str] = Field(min_length=1)
    rubric: str | None = None
    fail_under: int | None = Field(default=None, ge=0, le=3)
    fail_under_overall: float | None = Field(default=None, ge=0.0, le=1.0)
    fail_level: FailLevel | None = None
    lang: Lang | None = None
    #: merged over the top-level ``severity`` map
    severity: dict[str, FailLevel] | None = None
    #: added to the top-level ``disable`` list
    disable: list[str] | None = None


class ReportConfig(_Strict):
    """How reports are written."""

    #: the language of the report's words: auto (the document's language), en or fr
    lang: Lang = "auto"
    #: the author of the Word comments of ``--format docx``
    author: str = Field(default="shiftcheck", min_length=1, max_length=255)


#: sections of the config whose keys are addressed as ``section.key``
NESTED = ("limits", "report")


class Config(_Strict):
    #: rubric name (``critical-shifts``) or path to a rubric YAML file
    rubric: str = "critical-shifts"
    #: fail when any shift's level is below this (0-3); None: no per-shift threshold
    fail_under: int | None = Field(default=None, ge=0, le=3)
    #: fail when the overall score (0.0-1.0) is below this
    fail_under_overall: float | None = Field(default=None, ge=0.0, le=1.0)
    #: fail when an unwaived, unmitigated red flag has this severity or higher
    fail_level: FailLevel | None = None
    #: stop with exit 0 even when the gate fails (input errors still exit 2)
    exit_zero: bool = False
    format: Format = "terminal"
    lang: Lang = "auto"
    #: severity per red-flag rule id (``shift-key/flag-key``, bare flag key or alias)
    severity: dict[str, FailLevel] = Field(default_factory=dict)
    #: red-flag rule ids (globs allowed) removed from reports
    disable: list[str] = Field(default_factory=list)
    overrides: list[PathOverride] = Field(default_factory=list)
    #: waivers file, relative to the config file's folder
    waivers: str = DEFAULT_WAIVERS
    limits: LimitsConfig = Field(default_factory=LimitsConfig)
    pdf_engine: PdfEngine = "auto"
    report: ReportConfig = Field(default_factory=ReportConfig)
    #: documents reviewed in parallel (0 = one per CPU)
    jobs: int = Field(default=1, ge=0)


#: command-line flag names for config keys (keys not listed use ``--key-with-dashes``)
FLAG_NAMES = {
    "limits.max_size_mb": "--max-size",
    "limits.timeout": "--timeout",
    "limits.max_pages": "--max-pages",
    "limits.max_memory_mb": "--max-memory",
    "report.lang": "--report-lang",
}

_PATH_KEYS = ("rubric", "waivers")


def flag_name(key: str) -> str:
    return FLAG_NAMES.get(key, "--" + key.split(".")[-1].replace("_", "-"))


# --------------------------------------------------------------------------------------------
# globs


@lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """``**`` any folders, ``*`` / ``?`` within one path part, ``[abc]`` a class, ``{a,b}`` either."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif c == "*":
            out.append("[^/]*")
            i += 1
        elif c == "?":
            out.append("[^/]")
            i += 1
        elif c == "[":
            j = pattern.find("]", i + 2)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                body = pattern[i + 1 : j]
                if body.startswith("!"):
                    body = "^" + body[1:]
                out.append("[" + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
                i = j + 1
        elif c == "{":
            j = pattern.find("}", i)
            if j == -1:
                out.append(re.escape(c))
                i += 1
            else:
                alts = pattern[i + 1 : j].split(",")
                out.append("(?:" + "|".join(re.escape(a) for a in alts) + ")")
                i = j + 1
        else:
            out.append(re.escape(c))
            i += 1
    return re.compile("".join(out) + r"\Z")


def _norm(path: str) -> str:
    p = str(path).replace("\\", "/")
    while p.startswith("./"):
        p = p[2:]
    return p


def path_matches(
    pattern: str, path: str | os.PathLike[str], base: str | os.PathLike[str] | None = None
) -> bool:
    """Does a document path match a glob? A pattern without ``/`` matches the file name anywhere
    (as in ``.gitignore``); otherwise it matches the path as given, or relative to ``base`` (the
    folder of the config file that holds the pattern)."""
    pat = _norm(pattern)
    rx = _glob_regex(pat)
    p = _norm(os.fspath(path))
    candidates = [p]
    if base is not None:
        try:
            rel = os.path.relpath(
                os.path.abspath(os.fspath(path)), os.path.abspath(os.fspath(base))
            )
            candidates.append(_norm(rel))
        except ValueError:
            pass
    if "/" not in pat:
        candidates.append(p.rsplit("/", 1)[-1])
    return any(rx.match(c) for c in candidates)


def escape_glob(path: str) -> str:
    """A glob that matches exactly this path."""
    return re.sub(r"([*?\[{])", r"[\1]", _norm(path))


# --------------------------------------------------------------------------------------------
# effective configuration


class EffectiveConfig:
    """The merged configuration and where each value came from."""

    def __init__(
        self,
        config: Config,
        sources: dict[str, str],
        file: Path | None = None,
        rule_refs: list[tuple[str, str, str]] | None = None,
    ) -> None:
        self.config = config
        self.sources = sources
        #: the configuration file read, if any
        self.file = file
        #: every red-flag rule id the file names, as ``(rule id, key, where)``: key ``severity``,
        #: ``disable``, ``overrides[0].severity``...; where ``.shiftcheck.yaml:7`` (checked against
        #: the rubrics once they are loaded: :func:`shiftcheck.waivers.check_rule_ids`)
        self.rule_refs = rule_refs or []
        #: folder that relative paths and ``overrides`` globs are resolved against
        self.base_dir = file.parent if file else Path.cwd()

    def value_of(self, key: str) -> Any:
        """A value by key; ``limits.timeout`` and ``severity.<rule-id>`` reach inside."""
        head, _, rest = key.partition(".")
        value = getattr(self.config, head)
        if rest:
            value = value.get(rest) if isinstance(value, dict) else getattr(value, rest)
        return value

    def source_of(self, key: str) -> str:
        if key in self.sources:
            return self.sources[key]
        return self.sources.get(key.partition(".")[0], "default")

    def path_of(self, key: str) -> str:
        """``rubric``/``waivers`` resolved against the config file's folder when they name a file."""
        value = str(self.value_of(key))
        if key == "rubric" and not _looks_like_path(value):
            return value
        if os.path.isabs(value) or self.file is None or self.source_of(key).startswith("--"):
            return value
        return os.path.relpath(self.base_dir / value)

    def rubric_for(self, path: str | os.PathLike[str]) -> str:
        """The rubric for one document (name, or path resolved against the config folder)."""
        value = self.for_path(path).rubric
        if value == self.config.rubric:
            return self.path_of("rubric")
        if _looks_like_path(value) and not os.path.isabs(value):
            return os.path.relpath(self.base_dir / value)
        return value

    def for_path(self, path: str | os.PathLike[str]) -> Config:
        """The configuration for one document, with matching ``overrides`` applied in order."""
        cfg = self.config
        matched = [
            o for o in cfg.overrides if any(path_matches(g, path, self.base_dir) for g in o.paths)
        ]
        if not matched:
            return cfg
        data = cfg.model_dump()
        for o in matched:
            for key in OVERRIDE_KEYS:
                value = getattr(o, key)
                if value is None:
                    continue
                if key == "severity":
                    data["severity"] = {**data["severity"], **value}
                elif key == "disable":
                    data["disable"] = [*data["disable"], *value]
                else:
                    data[key] = value
        return Config.model_validate(data)

    def rows(self) -> list[tuple[str, str, str]]:
        """``(key, value, source)`` for every setting, for ``shiftcheck config``."""
        out: list[tuple[str, str, str]] = []
        data = self.config.model_dump(mode="json")
        for key, value in data.items():
            if key in NESTED:
                for sub, v in value.items():
                    out.append((f"{key}.{sub}", _show(v), self.source_of(f"{key}.{sub}")))
            elif key == "severity" and value:
                for rule, v in value.items():
                    out.append((f"severity.{rule}", _show(v), self.source_of(f"severity.{rule}")))
            elif key == "overrides" and value:
                for i, o in enumerate(value):
                    shown = {k: v for k, v in o.items() if v is not None}
                    out.append((f"overrides[{i}]", _show(shown), self.source_of(f"overrides[{i}]")))
            else:
                out.append((key, _show(value), self.source_of(key)))
        return out


def _show(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value) if value else "[]"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) if value else "{}"
    return str(value)


def _looks_like_path(value: str) -> bool:
    return value.lower().endswith((".yaml", ".yml")) or "/" in value or os.sep in value


# --------------------------------------------------------------------------------------------
# reading files


class _Located:
    """One configuration file's data with a way to find the line of a key."""

    def __init__(self, data: dict, display: str, label: str, line_for: Any) -> None:
        self.data = data
        #: name used in error messages (``.shiftcheck.yaml``)
        self.display = display
        #: prefix used in sources (``.shiftcheck.yaml`` or ``SHIFTCHECK_CONFIG=/x.yaml``)
        self.label = label
        self.line_for = line_for  # (loc tuple) -> int | None


def _display(path: Path) -> str:
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return rel if not rel.startswith("../../..") else str(path)


def _read_yaml(path: Path, display: str, label: str) -> _Located:
    try:
        text = read_yaml_text(path, display, error=ConfigError)
    except FileNotFoundError:
        raise ConfigError(
            display, [f"{display}: configuration file not found. Check the path"]
        ) from None
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError(
            display, [f"{display}: cannot read configuration ({e.__class__.__name__})"]
        ) from None
    data, lines = load_yaml(text, display, error=ConfigError)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(
            display,
            [
                f"{display}:1: the configuration must be a YAML mapping of keys (see 'shiftcheck init')"
            ],
        )
    return _Located(data, display, label, lines.line_for)


def _read_pyproject(path: Path, display: str) -> _Located | None:
    try:
        text = path.read_text(encoding="utf-8")
        doc = tomllib.loads(text)
    except (OSError, UnicodeDecodeError):
        return None
    except tomllib.TOMLDecodeError as e:
        raise ConfigError(display, [f"{display}: invalid TOML ({e})"]) from None
    table = doc.get("tool", {}).get("shiftcheck") if isinstance(doc.get("tool"), dict) else None
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(display, [f"{display}: [tool.shiftcheck] must be a table"])
    key_lines = _toml_key_lines(text)

    def line_for(loc: tuple) -> int | None:
        for n in range(len(loc), 0, -1):
            if loc[:n] in key_lines:
                return key_lines[loc[:n]]
        return key_lines.get(())

    return _Located(table, display, f"{display} [tool.shiftcheck]", line_for)


_TOML_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'.]+)\s*=")


def _toml_key_lines(text: str) -> dict[tuple, int]:
    """Lines of keys under ``[tool.shiftcheck]`` (a best effort for error messages)."""
    out: dict[tuple, int] = {}
    table: tuple | None = None
    arrays: dict[tuple, int] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        m = _TOML_HEADER.match(raw)
        if m:
            parts = tuple(p.strip().strip("\"'") for p in m.group(2).split("."))
            if parts[:2] == ("tool", "shiftcheck"):
                table = parts[2:]
                if m.group(1) == "[[":
                    idx = arrays.get(table, -1) + 1
                    arrays[table] = idx
                    table = (*table, idx)
                out.setdefault(table, n)
            else:
                table = None
            continue
        if table is None:
            continue
        k = _TOML_KEY.match(raw)
        if k:
            parts = tuple(p.strip().strip("\"'") for p in k.group(1).split("."))
            out.setdefault((*table, *parts), n)
    return out


def discover(cwd: str | os.PathLike[str] | None = None) -> Path | None:
    """The nearest ``.shiftcheck.yaml``/``.yml`` or ``pyproject.toml`` with ``[tool.shiftcheck]``,
    walking up from ``cwd`` to the filesystem root. In one folder the YAML file wins."""
    here = Path(cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            p = folder / name
            if p.is_file():
                return p
        p = folder / "pyproject.toml"
        if p.is_file() and _has_tool_table(p):
            return p
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return "[tool.shiftcheck" in _safe_read(path)
    tool = doc.get("tool")
    return isinstance(tool, dict) and "shiftcheck" in tool


def _safe_read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


# --------------------------------------------------------------------------------------------
# validation with file:line


def _validate(data: dict, located: _Located | None, origin: str) -> Config:
    try:
        return Config.model_validate(data)
    except ValidationError as e:
        if located is None:
            problems = validation_lines(e, origin, None, _message, default_line=None)
        else:
            problems = validation_lines(
                e, located.display, located.line_for, _message, default_line=None
            )
        raise ConfigError(located.display if located else origin, problems) from None


def _message(err: Mapping[str, Any], loc: tuple) -> str:
    if err["type"] == "extra_forbidden":
        key = str(loc[-1] if loc else err["loc"][-1] if err["loc"] else "?")
        parent = loc[:-1]
        if not parent:
            known = list(Config.model_fields)
        elif parent[-1] == "limits":
            known = list(LimitsConfig.model_fields)
        elif parent[-1] == "report":
            known = list(ReportConfig.model_fields)
        elif len(parent) >= 2 and parent[-2] == "overrides":
            known = ["paths", *OVERRIDE_KEYS]
        else:
            known = []
        where = f" in {key_path(parent)}" if parent else ""
        msg = f"unknown key '{key}'{where}"
        close = difflib.get_close_matches(key, known, n=1)
        if close:
            msg += f". Did you mean '{close[0]}'?"
        elif known:
            msg += f" (known keys: {', '.join(known)})"
        return msg
    if err["type"] == "missing":
        return f"missing key '{key_path(loc)}'"
    text = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    shown = f" (got {_short(got)})" if got is not None and not isinstance(got, dict | list) else ""
    return f"{key_path(loc)}: {text}{shown}" if loc else f"{text}{shown}"


# --------------------------------------------------------------------------------------------
# loading


def _apply_cli(config: Config, cli: Mapping[str, Any], sources: dict[str, str]) -> Config:
    """``config`` with the given flag values on top (``None``: flag not given); their sources
    recorded in ``sources``. A bad value is a :class:`ConfigError` naming the flag."""
    merged = config.model_dump()
    cli_sources: dict[str, str] = {}
    for key, raw in cli.items():
        value, flag = raw if isinstance(raw, tuple) else (raw, flag_name(key))
        if value is None:
            continue
        head, _, sub = key.partition(".")
        if sub:
            merged[head] = {**merged[head], sub: value}
        else:
            merged[head] = value
        cli_sources[key] = flag
    try:
        config = Config.model_validate(merged)
    except ValidationError as e:
        problems = []
        for err in e.errors():
            loc = tuple(err["loc"])
            key = (
                ".".join(str(p) for p in loc[:2])
                if loc[:1] in (("limits",), ("report",))
                else str(loc[0])
                if loc
                else ""
            )
            flag = cli_sources.get(key) or (flag_name(key) if key else "option")
            problems.append(f"{flag}: {_cli_message(err)}")
        raise ConfigError(None, problems) from None
    sources.update(cli_sources)
    return config


def load_config(
    config_path: str | os.PathLike[str] | None = None,
    cli: Mapping[str, Any] | None = None,
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
) -> EffectiveConfig:
    """Read the configuration with its precedence and apply command-line values on top.

    ``cli`` maps config keys (``fail_under``, ``limits.timeout``...) to flag values; ``None``
    values (flag not given) are ignored. A key may also map to ``(value, "--flag-name")``.
    """
    env = os.environ if env is None else env
    located: _Located | None = None
    file: Path | None = None
    if config_path is not None:
        file = Path(config_path)
        located = _load_file(file, label=None)
    elif env.get(ENV_VAR):
        file = Path(env[ENV_VAR])
        located = _load_file(file, label=f"{ENV_VAR}={env[ENV_VAR]}")
    else:
        file = discover(cwd)
        if file is not None:
            located = _load_file(file, label=None)

    data: dict[str, Any] = dict(located.data) if located else {}
    sources: dict[str, str] = {}
    config = _validate(data, located, "config")
    if located is not None:
        _record_sources(located, sources)

    if cli:
        config = _apply_cli(config, cli, sources)

    for key in Config.model_fields:
        sources.setdefault(key, "default")
    for sub in LimitsConfig.model_fields:
        sources.setdefault(f"limits.{sub}", "default")
    for sub in ReportConfig.model_fields:
        sources.setdefault(f"report.{sub}", "default")
    return EffectiveConfig(config, sources, file, _rule_refs(config, located))


def _rule_refs(config: Config, located: _Located | None) -> list[tuple[str, str, str]]:
    """``(rule id, key, "file:line")`` for every rule id in severity, disable and overrides."""
    if located is None:
        return []

    def where(loc: tuple) -> str:
        line = located.line_for(loc)
        return f"{located.display}:{line}" if line else located.display

    out: list[tuple[str, str, str]] = []

    def add(severity: Mapping[str, str] | None, disable: list[str] | None, prefix: tuple) -> None:
        head = key_path(prefix) + "." if prefix else ""
        for ref in severity or {}:
            out.append((ref, f"{head}severity", where((*prefix, "severity", ref))))
        for i, ref in enumerate(disable or []):
            out.append((ref, f"{head}disable", where((*prefix, "disable", i))))

    add(config.severity, config.disable, ())
    for i, o in enumerate(config.overrides):
        add(o.severity, o.disable, ("overrides", i))
    return out


def _cli_message(err: Mapping[str, Any]) -> str:
    text = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    return f"{text} (got {_short(got)})" if got is not None else text


def _short(value: Any, limit: int = 60) -> str:
    """``repr`` of a value, cut to ``limit`` characters (a 100 KB string stays one short line)."""
    text = repr(value)
    return (
        text
        if len(text) <= limit
        else text[: limit - 5] + "...'"
        if isinstance(value, str)
        else text[: limit - 3] + "..."
    )


def _load_file(path: Path, label: str | None) -> _Located:
    display = _display(path)
    if path.name == "pyproject.toml":
        loc = _read_pyproject(path, display)
        if loc is None:
            if not path.is_file():
                raise ConfigError(
                    display, [f"{display}: configuration file not found. Check the path"]
                )
            raise ConfigError(display, [f"{display}: has no [tool.shiftcheck] table"])
        if label:
            loc.label = label
        return loc
    return _read_yaml(path, display, label or display)


def _record_sources(located: _Located, sources: dict[str, str]) -> None:
    toml = located.label.endswith("[tool.shiftcheck]")

    def src(loc: tuple) -> str:
        if toml:
            return located.label
        line = located.line_for(loc)
        return f"{located.label}:{line}" if line else located.label

    for key, value in located.data.items():
        sources[str(key)] = src((key,))
        if key in NESTED and isinstance(value, dict):
            for sub in value:
                sources[f"{key}.{sub}"] = src((key, sub))
        elif key == "severity" and isinstance(value, dict):
            for rule in value:
                sources[f"severity.{rule}"] = src((key, rule))
        elif key == "overrides" and isinstance(value, list):
            for i in range(len(value)):
                sources[f"overrides[{i}]"] = src((key, i))


# --------------------------------------------------------------------------------------------
# starter file


def starter_config() -> str:
    """A commented ``.shiftcheck.yaml`` listing every key with its default (for ``shiftcheck init``)."""
    d = Config()
    lim = d.limits
    return f"""\
# shiftcheck configuration. Every key is optional; the values shown are the defaults.
# Precedence: command-line flags > --config PATH > $SHIFTCHECK_CONFIG > this file > defaults.
# Run 'shiftcheck config' to see the effective values and where each one came from.

# Rubric: a name ('shiftcheck rubric list') or a path to a rubric YAML file.
# rubric: {d.rubric}

# The gate (exit 1 when it fails; leave all three unset to report without gating):
# fail_under: 2              # fail when any shift is below this level (0-3)
# fail_under_overall: 0.5    # fail when the overall score (0.0-1.0) is below this
# fail_level: error          # fail on an unwaived red flag of this severity or higher (info, warning, error)
# exit_zero: {str(d.exit_zero).lower()}           # always exit 0 on gate failures (input errors still exit 2)

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


# --------------------------------------------------------------------------------------------
# ``shiftcheck config`` and ``shiftcheck init``


def render_config(eff: EffectiveConfig, width: int = 100, color: bool = False) -> str:
    """The effective configuration as a table: key | value | source."""
    import io

    from rich import box
    from rich.console import Console
    from rich.table import Table

    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        no_color=not color,
        highlight=False,
        emoji=False,
    )
    where = _display(eff.file) if eff.file else "none (built-in defaults)"
    console.print(f"Configuration file: {where}", markup=False)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, header_style="bold")
    table.add_column("Key", no_wrap=True)
    table.add_column("Value", overflow="fold")
    table.add_column("Source", overflow="fold")
    for key, value, source in eff.rows():
        table.add_row(key, value, source, style="dim" if source == "default" else None)
    console.print(table)
    return buf.getvalue()


def write_starter(path: str | os.PathLike[str] = CONFIG_NAMES[0], force: bool = False) -> Path:
    """Write the starter config; refuses to overwrite an existing file unless ``force``."""
    p = Path(path)
    if p.exists() and not force:
        raise UsageError(str(p), "already exists", "Use --force to overwrite it, or edit it")
    p.write_text(starter_config(), encoding="utf-8")
    return p
