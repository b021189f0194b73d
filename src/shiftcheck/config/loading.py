"""``load_config``: the one file that applies, validated with ``file:line`` errors, flags on top.

Steps: find the file (``--config``, ``$SHIFTCHECK_CONFIG`` or :func:`discover`) -> read it with
the line of every key (:mod:`shiftcheck.config.files`) -> validate it against the schema
(unknown keys and bad values are ``file:line`` errors with a "Did you mean") -> record each
value's source -> apply the command-line flags (a bad flag value names the flag) -> collect the
rule ids the file names, for checking against the rubrics of the run.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from pathlib import Path
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import ValidationError

from shiftcheck.config.discovery import discover
from shiftcheck.config.effective import EffectiveConfig
from shiftcheck.config.files import Located, load_file
from shiftcheck.config.schema import (
    ENV_VAR,
    NESTED,
    Config,
    ConfigError,
    LimitsConfig,
    ReportConfig,
    default_config,
    flag_name,
    known_keys,
    short_repr,
)
from shiftcheck.yamlsafe import key_path, validation_lines


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
    file, located = _locate(config_path, os.environ if env is None else env, cwd)
    data: dict[str, Any] = dict(located.data) if located else {}
    sources: dict[str, str] = {}
    config = _validate(data, located, "config")
    if located is not None:
        _record_sources(located, sources)
    if cli:
        config = _apply_cli(config, cli, sources)
    for key in Config.model_fields:
        sources.setdefault(key, "default")
    for section, model in (("limits", LimitsConfig), ("report", ReportConfig)):
        for sub in model.model_fields:
            sources.setdefault(f"{section}.{sub}", "default")
    return EffectiveConfig(config, sources, file, _rule_refs(config, located))


def _locate(
    config_path: str | os.PathLike[str] | None,
    env: Mapping[str, str],
    cwd: str | os.PathLike[str] | None,
) -> tuple[Path | None, Located | None]:
    """The file that applies and its data: ``--config`` > ``$SHIFTCHECK_CONFIG`` > discovered."""
    if config_path is not None:
        file = Path(config_path)
        return file, load_file(file, label=None)
    if env.get(ENV_VAR):
        file = Path(env[ENV_VAR])
        return file, load_file(file, label=f"{ENV_VAR}={env[ENV_VAR]}")
    found = discover(cwd)
    return found, (load_file(found, label=None) if found is not None else None)


# --------------------------------------------------------------------------------------------
# validation with file:line


def _validate(data: dict, located: Located | None, origin: str) -> Config:
    if not data:  # no file, or an empty one: the defaults, which need no validating
        return default_config()
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
        known = known_keys(parent)
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
    shown = (
        f" (got {short_repr(got)})" if got is not None and not isinstance(got, dict | list) else ""
    )
    return f"{key_path(loc)}: {text}{shown}" if loc else f"{text}{shown}"


def _record_sources(located: Located, sources: dict[str, str]) -> None:
    def src(loc: tuple) -> str:
        if located.is_toml:
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
# command-line values on top


def _apply_cli(config: Config, cli: Mapping[str, Any], sources: dict[str, str]) -> Config:
    """``config`` with the given flag values on top (``None``: flag not given); their sources
    recorded in ``sources``. A bad value is a :class:`ConfigError` naming the flag."""
    given = {
        k: raw for k, raw in cli.items() if (raw[0] if isinstance(raw, tuple) else raw) is not None
    }
    if not given:  # no flag sets a config key: nothing to merge or validate
        return config
    settled = _settled_update(config, given)
    if settled is not None:
        for key, raw in given.items():
            sources[key] = raw[1] if isinstance(raw, tuple) else flag_name(key)
        return settled
    merged = config.model_dump()
    cli_sources: dict[str, str] = {}
    for key, raw in given.items():
        value, flag = raw if isinstance(raw, tuple) else (raw, flag_name(key))
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
            key = _flag_key(tuple(err["loc"]))
            flag = cli_sources.get(key) or (flag_name(key) if key else "option")
            problems.append(f"{flag}: {_cli_message(err)}")
        raise ConfigError(None, problems) from None
    sources.update(cli_sources)
    return config


def _settled_update(config: Config, given: Mapping[str, Any]) -> Config | None:
    """``config`` with the flag values on top when each is one its field takes as it is (see
    :func:`_takes_as_is`), copied without validating (nor building the validator: ~15 ms); None
    when any value needs the model's validation, which then also words the error."""
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for key, raw in given.items():
        value = raw[0] if isinstance(raw, tuple) else raw
        head, _, sub = key.partition(".")
        if sub:
            if head not in NESTED or not _takes_as_is(type(getattr(config, head)), sub, value):
                return None
            nested.setdefault(head, {})[sub] = value
        elif _takes_as_is(Config, key, value):
            top[key] = value
        else:
            return None
    for head, values in nested.items():
        top[head] = getattr(config, head).model_copy(update=values)
    return config.model_copy(update=top)


def _takes_as_is(model: Any, name: str, value: Any) -> bool:
    """Is ``value`` valid for the field ``name`` of ``model`` exactly as it is: one of the values
    of a ``Literal`` (optional or not), or a ``str``/``bool`` for a field of that type, with no
    constraint? Anything else (numbers, bounds, lists) goes through the model's validation."""
    field = model.model_fields.get(name)
    if field is None or field.metadata:
        return False
    tp = field.annotation
    if get_origin(tp) in (Union, UnionType):
        options = [a for a in get_args(tp) if a is not type(None)]
        if len(options) != 1:
            return False
        tp = options[0]
    if get_origin(tp) is Literal:
        return isinstance(value, str) and value in get_args(tp)
    return tp in (str, bool) and type(value) is tp


def _flag_key(loc: tuple) -> str:
    """The config key a validation error's location belongs to (``limits.timeout``, ``jobs``)."""
    if loc[:1] in (("limits",), ("report",)):
        return ".".join(str(p) for p in loc[:2])
    return str(loc[0]) if loc else ""


def _cli_message(err: Mapping[str, Any]) -> str:
    text = str(err["msg"]).removeprefix("Value error, ")
    got = err.get("input")
    return f"{text} (got {short_repr(got)})" if got is not None else text


# --------------------------------------------------------------------------------------------
# rule ids named by the file


def _rule_refs(config: Config, located: Located | None) -> list[tuple[str, str, str]]:
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
