"""The configuration's schema: every key, its type, its default and its command-line flag.

:class:`Config` is one ``.shiftcheck.yaml`` (or ``[tool.shiftcheck]`` table) as validated data;
unknown keys are refused (``extra="forbid"``). The limit defaults are those of
:data:`shiftcheck.limits.DEFAULT_LIMITS`, the one definition the readers, the CLI help and the
starter file also read.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shiftcheck.errors import UsageError
from shiftcheck.limits import DEFAULT_LIMITS, MB, Limits

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
    # built on first validation, not at import: only what a run validates is built
    model_config = ConfigDict(extra="forbid", defer_build=True)


_D = DEFAULT_LIMITS


class LimitsConfig(_Strict):
    #: largest document accepted, in megabytes (0 = no limit)
    max_size_mb: float = Field(default=_D.max_bytes / MB, ge=0)
    #: seconds allowed to read and review one document (0 = no limit)
    timeout: float = Field(default=_D.timeout, ge=0)
    #: PDF: most pages read (0 = no limit)
    max_pages: int = Field(default=_D.max_pages, ge=0)
    #: memory one document's review may use on top of the process's, in MB (0 = no limit)
    max_memory_mb: int = Field(default=_D.max_memory_mb, ge=0)
    #: PDF (both engines): largest decoded content of one page, in MB (0 = no limit)
    max_page_content_mb: int = Field(default=_D.max_page_content_mb, ge=0)
    #: DOCX: total uncompressed size of the zip's members, in MB (0 = no limit)
    max_unzipped_mb: int = Field(default=_D.max_unzipped_bytes // MB, ge=0)
    #: DOCX: largest compression ratio of one member of 1 MB or more (0 = no limit)
    max_zip_ratio: float = Field(default=_D.max_zip_ratio, ge=0)
    #: DOCX: deepest XML element nesting (0 = no limit of its own; lxml's ceiling of 256 stays)
    max_xml_depth: int = Field(default=_D.max_xml_depth, ge=0, le=256)

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


def default_config() -> Config:
    """``Config()``, built without running (or building) a validator: the defaults are valid."""
    return Config.model_construct(
        limits=LimitsConfig.model_construct(), report=ReportConfig.model_construct()
    )


def known_keys(parent: tuple) -> list[str]:
    """The keys allowed at ``parent`` (a data path: ``()``, ``("limits",)``, ``("overrides", 0)``)."""
    if not parent:
        return list(Config.model_fields)
    if parent[-1] == "limits":
        return list(LimitsConfig.model_fields)
    if parent[-1] == "report":
        return list(ReportConfig.model_fields)
    if len(parent) >= 2 and parent[-2] == "overrides":
        return ["paths", *OVERRIDE_KEYS]
    return []


#: command-line flag names for config keys (keys not listed use ``--key-with-dashes``)
FLAG_NAMES = {
    "limits.max_size_mb": "--max-size",
    "limits.timeout": "--timeout",
    "limits.max_pages": "--max-pages",
    "limits.max_memory_mb": "--max-memory",
    "report.lang": "--report-lang",
}


def flag_name(key: str) -> str:
    return FLAG_NAMES.get(key, "--" + key.split(".")[-1].replace("_", "-"))


def short_repr(value: object, limit: int = 60) -> str:
    """``repr`` of a value, cut to ``limit`` characters (a 100 KB string stays one short line)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 5] + "...'" if isinstance(value, str) else text[: limit - 3] + "..."
