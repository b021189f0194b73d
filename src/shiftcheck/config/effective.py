"""The merged configuration, per document: :class:`EffectiveConfig`.

It holds the validated :class:`~shiftcheck.config.schema.Config`, where each value came from
(``sources``), the file read, and the rule ids that file names. ``for_path`` applies the matching
``overrides`` for one document; ``rubric_for`` and ``path_of`` resolve file settings against the
config file's folder.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from shiftcheck.config.globs import path_matches
from shiftcheck.config.schema import NESTED, OVERRIDE_KEYS, Config


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
        #: the rubrics once they are loaded: :func:`shiftcheck.rulecheck.check_rule_ids`)
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
