"""The Report model: what a review returns and every report format renders.

These pydantic models *are* the JSON output (schema_version "1.1"); ``shiftcheck schema`` prints the
JSON Schema generated from them. Version history: "1.1" added ``Report.warnings`` and
``ShiftResult.short_title`` / ``docs_url``; reports written as "1" still load.
"""

from __future__ import annotations

from typing import Final, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

SCHEMA_VERSION: Final = "1.1"
#: versions this model reads (a minor version only adds optional fields)
SchemaVersion = Literal["1", "1.1"]

Strength = Literal["mentioned", "described", "operational"]
Severity = Literal["info", "warning", "error"]


class _Model(BaseModel):
    # validators and serializers are built on first use, not at import: a review builds only
    # those it uses (the engine's results are validated; the Report around them is constructed)
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Location(_Model):
    """Where a quote sits. ``section`` is the heading path joined with `` > ``."""

    page: int | None = None
    section: str | None = None
    paragraph: int | None = None
    line: int | None = None
    column: int | None = None
    table: int | None = None
    row: int | None = None

    def short(self) -> str:
        """Human form: ``p.7, 4.2 Governance`` / ``line 12, Governance`` / ``para 3``."""
        parts: list[str] = []
        if self.page is not None:
            parts.append(f"p.{self.page}")
        elif self.line is not None:
            parts.append(f"line {self.line}")
        elif self.paragraph is not None:
            parts.append(f"para {self.paragraph}")
        if self.section:
            parts.append(self.section.split(" > ")[-1])
        if self.table is not None and self.row is not None:
            parts.append(f"table {self.table} row {self.row}")
        return ", ".join(parts) if parts else "unknown location"


class Evidence(_Model):
    indicator: str
    indicator_title: str = ""
    quote: str
    location: Location
    strength: Strength = "mentioned"
    mechanisms: list[str] = Field(default_factory=list)
    reason: str = ""


class RedFlagHit(_Model):
    key: str
    quote: str
    location: Location
    message: str
    suggestion: str = ""
    severity: Severity = "warning"
    mitigated: bool = False
    mitigation: str | None = None
    waived: bool = False
    waiver_reason: str | None = None


class MatchDetail(_Model):
    """One raw match, for ``--verbose``: what matched and why it counted or not."""

    rule: str
    kind: Literal["indicator", "red_flag"]
    quote: str
    location: Location
    status: str
    why: str


class ShiftResult(_Model):
    id: int
    key: str
    title: str
    #: the criterion's short label (tables, chart axes); renderers fall back to ``title``
    short_title: str | None = None
    #: where the rubric documents the criterion; None when it gives no address
    docs_url: str | None = None
    from_: str = Field(default="", alias="from", serialization_alias="from")
    to: str = ""
    level: int = Field(ge=0, le=3)
    level_name: str = ""
    score: float = Field(ge=0.0, le=1.0)
    rationale: str
    indicators_met: list[str] = Field(default_factory=list)
    indicators_missing: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    red_flags: list[RedFlagHit] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    matches: list[MatchDetail] = Field(default_factory=list)
    #: why the level, as data (set by scoring, worded by shiftcheck.report.wording; not in the JSON)
    _reasons: dict | None = PrivateAttr(default=None)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, defer_build=True)


class ToolInfo(_Model):
    name: str = "shiftcheck"
    version: str


class DocumentSummary(_Model):
    path: str
    format: str
    title: str | None = None
    pages: int | None = None
    words: int
    language: str | None = None


class RubricRef(_Model):
    id: str
    version: str
    title: str = ""


class Overall(_Model):
    level: int = Field(ge=0, le=3)
    score: float = Field(ge=0.0, le=1.0)


class Report(_Model):
    schema_version: SchemaVersion = SCHEMA_VERSION
    tool: ToolInfo
    document: DocumentSummary
    rubric: RubricRef
    overall: Overall
    shifts: list[ShiftResult]
    #: top recommendations across shifts, most valuable first
    recommendations: list[str] = Field(default_factory=list)
    #: level names by level (0-3), from the rubric
    levels: dict[int, str] = Field(default_factory=dict)
    #: non-fatal notes from reading and analysing the document (a guessed encoding, skipped pages,
    #: a rule that timed out); every format shows them
    warnings: list[str] = Field(default_factory=list)

    def to_json_dict(self) -> dict:
        """``model_dump(mode="json", by_alias=True)``, without building pydantic's serializer."""
        from shiftcheck.modeldata import json_form

        return cast(dict, json_form(self))


class DocumentError(_Model):
    """A batch entry for a file that could not be reviewed."""

    path: str
    error: str
    kind: str


class BatchReport(_Model):
    schema_version: SchemaVersion = SCHEMA_VERSION
    tool: ToolInfo
    documents: list[Report | DocumentError]


def build_models() -> None:
    """Build every model's validator and serializer now (they are deferred to first use): a
    parent calls this before forking children that would each build them again."""
    models: list[type[BaseModel]] = [Location, Evidence, RedFlagHit, MatchDetail, ShiftResult]
    models += [Overall, ToolInfo, DocumentSummary, RubricRef, Report, DocumentError, BatchReport]
    for cls in models:
        cls.model_rebuild()
