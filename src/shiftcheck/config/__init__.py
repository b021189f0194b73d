"""Project configuration: ``.shiftcheck.yaml`` / ``[tool.shiftcheck]``, discovery, precedence, sources.

Precedence (highest first): command-line flags > ``--config PATH`` > ``$SHIFTCHECK_CONFIG`` >
the nearest ``.shiftcheck.yaml`` / ``.shiftcheck.yml`` / ``pyproject.toml`` with a
``[tool.shiftcheck]`` table, found walking up from the working directory > built-in defaults.
Only one file is read (the first found in that order); flags then override single keys.

Every value remembers where it came from (``EffectiveConfig.sources``): ``default``,
``.shiftcheck.yaml:4``, ``pyproject.toml [tool.shiftcheck]``, ``SHIFTCHECK_CONFIG=/x.yaml:3``,
``--fail-under``. Unknown keys and bad values are :class:`ConfigError` (exit 2) naming file and
line: ``.shiftcheck.yaml:7: unknown key 'fial_under'. Did you mean 'fail_under'?``.

The modules, in the order a value goes through them:

* :mod:`~shiftcheck.config.schema` — every key, its type and default (``Config``), flag names;
* :mod:`~shiftcheck.config.discovery` — which file applies (:func:`discover`);
* :mod:`~shiftcheck.config.files` — reading it, YAML or TOML, with the line of every key;
* :mod:`~shiftcheck.config.loading` — :func:`load_config`: validate, record sources, flags on top;
* :mod:`~shiftcheck.config.effective` — :class:`EffectiveConfig`, per-document ``overrides``;
* :mod:`~shiftcheck.config.globs` — the document-path globs of ``overrides`` and waivers;
* :mod:`~shiftcheck.config.render` — ``shiftcheck config``'s table, ``shiftcheck init``'s file.

Import from here (``from shiftcheck.config import load_config``); the sub-modules are the layout.
"""

from __future__ import annotations

from shiftcheck.config.discovery import discover
from shiftcheck.config.effective import EffectiveConfig
from shiftcheck.config.globs import escape_glob, path_matches
from shiftcheck.config.loading import load_config
from shiftcheck.config.render import render_config, starter_config, write_starter
from shiftcheck.config.schema import (
    CONFIG_NAMES,
    DEFAULT_WAIVERS,
    ENV_VAR,
    FLAG_NAMES,
    NESTED,
    OVERRIDE_KEYS,
    SEVERITY_ORDER,
    Config,
    ConfigError,
    FailLevel,
    Format,
    Lang,
    LimitsConfig,
    PathOverride,
    PdfEngine,
    ReportConfig,
    flag_name,
    short_repr,
)

__all__ = [
    "CONFIG_NAMES",
    "DEFAULT_WAIVERS",
    "ENV_VAR",
    "FLAG_NAMES",
    "NESTED",
    "OVERRIDE_KEYS",
    "SEVERITY_ORDER",
    "Config",
    "ConfigError",
    "EffectiveConfig",
    "FailLevel",
    "Format",
    "Lang",
    "LimitsConfig",
    "PathOverride",
    "PdfEngine",
    "ReportConfig",
    "discover",
    "escape_glob",
    "flag_name",
    "load_config",
    "path_matches",
    "render_config",
    "short_repr",
    "starter_config",
    "write_starter",
]
