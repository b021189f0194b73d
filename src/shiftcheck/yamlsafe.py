"""The one YAML loader for every YAML file shiftcheck reads (rubrics, configuration, waivers and
baselines, Markdown front matter): safe tags only, bounded, with the line of every value kept.

Bounds (each refusal is one ``FILE:LINE: message`` line, raised as the caller's error class):

* the text: at most :data:`MAX_YAML_BYTES` (UTF-8);
* the nodes (every mapping, list and scalar, counting the copies that aliases make): at most
  :data:`MAX_YAML_NODES`;
* aliases: an alias (``*name``) may copy at most :data:`MAX_ALIAS_NODES` nodes in all, so a
  "billion laughs" alias bomb stops at the first alias past that budget, before anything is
  expanded; an alias that refers to its own anchor (a cycle) is refused;
* nesting: at most :data:`MAX_YAML_DEPTH` mappings and lists inside one another.

Only plain YAML tags are accepted (``!!python/...`` and unknown tags are refused), keys must be plain
values (no mapping or list as a key), and a value a tag cannot build (``!!int abc``) is an error with
its line, never a traceback.

This module imports no other shiftcheck module than :mod:`shiftcheck.errors`, and PyYAML only when
a text is parsed (a review that finds no configuration or waivers file parses no YAML).
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from shiftcheck.errors import RubricError, ShiftcheckError

if TYPE_CHECKING:  # pragma: no cover
    import yaml

#: largest YAML text accepted, in bytes (UTF-8)
MAX_YAML_BYTES = 5 * 1024 * 1024
#: most nodes (mappings, lists and scalars, alias copies included) in one YAML text
MAX_YAML_NODES = 250_000
#: most nodes that aliases may copy in one YAML text (anchors and merge keys stay usable)
MAX_ALIAS_NODES = 10_000
#: deepest nesting of mappings and lists
MAX_YAML_DEPTH = 64

#: ``error(name, problems)``: RubricError, ConfigError, or any class built the same way
ErrorFactory = Callable[[str, list[str]], ShiftcheckError]

_SAFE_TAGS = frozenset(
    f"tag:yaml.org,2002:{t}"
    for t in (
        "map",
        "seq",
        "str",
        "int",
        "float",
        "bool",
        "null",
        "timestamp",
        "binary",
        "omap",
        "set",
    )
)


class Lines:
    """Maps a data path (tuple of keys/indexes) to the line of its node, and its keys' lines."""

    def __init__(self) -> None:
        self.value: dict[tuple, int] = {}
        self.key: dict[tuple, int] = {}

    def line_for(self, loc: tuple) -> int | None:
        """The line of the key (or value) at ``loc``, or of its nearest parent."""
        for n in range(len(loc), -1, -1):
            sub = tuple(loc[:n])
            if sub in self.key:
                return self.key[sub]
            if sub in self.value:
                return self.value[sub]
        return None


class _Refused(Exception):
    """A bound was hit or a node cannot be built: ``line`` (0-based, relative to the text)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line, self.message = line, message


@functools.cache
def _bounded_loader() -> type:
    """The bounded loader class, made on first use (importing PyYAML costs ~8 ms that a review
    without YAML files does not pay)."""
    import yaml
    from yaml.composer import Composer
    from yaml.events import AliasEvent

    class _BoundedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        """The safe loader with PyYAML's own (Python) composer on top of its event stream, so that
        aliases, node counts and nesting are checked while the node graph is built. The composer never
        copies an alias's node; the copies happen when values are built, which is what the counts
        bound before anything is built."""

        # the C loader composes in C, where aliases cannot be seen: use the Python composer's methods
        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_scalar_node = Composer.compose_scalar_node
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

        def __init__(
            self, stream: str, max_nodes: int, max_alias_nodes: int, max_depth: int
        ) -> None:
            super().__init__(stream)
            self.anchors: dict[str, yaml.Node] = {}
            self.max_nodes, self.max_alias_nodes, self.max_depth = (
                max_nodes,
                max_alias_nodes,
                max_depth,
            )
            self.nodes = 0  # nodes so far, alias copies included
            self.alias_nodes = 0  # nodes copied by aliases so far
            self.depth = 0
            self.sizes: dict[
                int, int
            ] = {}  # id(anchored node) -> its size with the aliases inside it expanded

        def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
            if self.check_event(AliasEvent):
                event = self.peek_event()
                node = self.anchors.get(event.anchor)
                if node is not None:  # an undefined alias is PyYAML's own error, with its line
                    size = self.sizes.get(id(node))
                    line = event.start_mark.line
                    if size is None:
                        raise _Refused(
                            line,
                            f"YAML alias '*{event.anchor}' refers to its own anchor (a cycle); write the values out instead",
                        )
                    self.alias_nodes += size
                    self.nodes += size
                    if self.alias_nodes > self.max_alias_nodes:
                        raise _Refused(
                            line,
                            f"YAML aliases are not allowed to expand this far (alias '*{event.anchor}' brings the copies past "
                            f"{self.max_alias_nodes:,} values: an alias bomb?); write the values out instead of using anchors and aliases",
                        )
                    self._check_count(line)
                return Composer.compose_node(self, parent, index)
            event = self.peek_event()
            line = event.start_mark.line
            if self.depth >= self.max_depth:
                raise _Refused(line, f"YAML nested more than {self.max_depth} levels deep")
            self.depth += 1
            before = self.nodes
            self.nodes += 1
            self._check_count(line)
            node = Composer.compose_node(self, parent, index)
            self.depth -= 1
            if event.anchor is not None:
                self.sizes[id(node)] = self.nodes - before
            return node

        def _check_count(self, line: int) -> None:
            if self.nodes > self.max_nodes:
                raise _Refused(
                    line, f"more than {self.max_nodes:,} YAML values; a file this large is refused"
                )

    return _BoundedLoader


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip()


def _construct(node: yaml.Node, loader: Any, lines: Lines, path: tuple, first: int) -> Any:
    import yaml

    lines.value[path] = node.start_mark.line + first
    if node.tag not in _SAFE_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(
            node.start_mark.line, f"unsafe or unknown YAML tag '{tag}': only plain YAML is accepted"
        )
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        loader.flatten_mapping(node)  # merge keys (<<: *base); their copies were counted above
        for knode, vnode in node.value:
            if not isinstance(knode, yaml.ScalarNode):
                raise _Refused(
                    knode.start_mark.line,
                    "a YAML key must be a plain value, not a mapping or a list",
                )
            key = _scalar(knode, loader)
            lines.key[(*path, key)] = knode.start_mark.line + first
            out[key] = _construct(vnode, loader, lines, (*path, key), first)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_construct(v, loader, lines, (*path, i), first) for i, v in enumerate(node.value)]
    return _scalar(node, loader)


def _scalar(node: yaml.Node, loader: Any) -> Any:
    import yaml

    if node.tag not in _SAFE_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(
            node.start_mark.line, f"unsafe or unknown YAML tag '{tag}': only plain YAML is accepted"
        )
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError:
        raise
    except (
        ValueError,
        TypeError,
        AttributeError,
        ArithmeticError,
        UnicodeError,
    ) as e:  # !!int abc, !!timestamp x...
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise _Refused(
            node.start_mark.line,
            f"{str(node.value)[:40]!r} is not a valid {tag} ({e.__class__.__name__})",
        ) from None


def load_yaml(
    text: str,
    name: str,
    *,
    error: ErrorFactory = RubricError,
    first_line: int = 1,
    max_bytes: int = MAX_YAML_BYTES,
    max_nodes: int = MAX_YAML_NODES,
    max_alias_nodes: int = MAX_ALIAS_NODES,
    max_depth: int = MAX_YAML_DEPTH,
) -> tuple[Any, Lines]:
    """Parse one YAML document safely: ``(data, lines)``; ``(None, lines)`` for an empty text.

    ``name`` starts every error line (``name:LINE: message``); ``error(name, problems)`` builds the
    exception (default :class:`RubricError`; configuration and waivers pass ``ConfigError``).
    ``first_line`` is the file line of the text's first line (front matter after ``---``: 2)."""
    lines = Lines()
    size = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise error(
            name,
            [
                f"{name}: {size / 1048576:.1f} MB of YAML, over the {max_bytes / 1048576:g} MB limit for a YAML file"
            ],
        )
    import yaml

    loader = None
    try:
        loader = _bounded_loader()(text, max_nodes, max_alias_nodes, max_depth)
        node = loader.get_single_node()
        if node is None:
            return None, lines
        data = _construct(node, loader, lines, (), first_line)
    except (_Refused, yaml.YAMLError, UnicodeError, ValueError, RecursionError) as e:
        raise error(name, [f"{name}:{_problem(e, text, first_line)}"]) from None
    finally:
        if loader is not None:
            loader.dispose()
    return data, lines


def _problem(e: BaseException, text: str, first_line: int) -> str:
    """``LINE: message`` for a refusal or a parse error (the line counted in the file)."""
    import yaml
    import yaml.reader

    if isinstance(e, _Refused):
        return f"{e.line + first_line}: {_one_line(e.message)}"
    if isinstance(e, yaml.MarkedYAMLError):
        return _marked_problem(e, first_line)
    if isinstance(e, yaml.reader.ReaderError):  # a control character: no mark, but a position
        line = text.count("\n", 0, max(0, e.position)) + first_line
        what = (
            f"unacceptable character #x{e.character:04x}: {e.reason}"
            if isinstance(e.character, int)
            else str(e.reason)
        )
        return f"{line}: invalid YAML: {_one_line(what)}"
    if isinstance(e, yaml.YAMLError):
        return f"{first_line}: invalid YAML: {_one_line(str(e))}"
    if isinstance(e, RecursionError):
        return f"{first_line}: YAML nested too deeply"
    # text the parser cannot take (lone surrogates...)
    return f"{first_line}: invalid YAML text ({e.__class__.__name__})"


def _marked_problem(e: yaml.MarkedYAMLError, first_line: int) -> str:
    mark = e.problem_mark or e.context_mark
    line = mark.line + first_line if mark else first_line
    if e.problem == "second occurrence" and e.context:  # PyYAML's duplicate anchor wording
        what = e.context.replace("; first occurrence", "")
    else:
        what = _one_line(
            f"{e.context}, {e.problem}" if e.context and e.problem else (e.problem or str(e))
        )
    if "could not determine a constructor" in str(e) or (e.problem and "constructor" in e.problem):
        what = f"unsafe or unknown YAML tag ({e.problem.split('tag')[-1].strip() if e.problem else ''}): only plain YAML is accepted"
    return f"{line}: {_one_line(what)}"


def safe_load(
    text: str, name: str, *, error: ErrorFactory = RubricError, first_line: int = 1
) -> Any:
    """:func:`load_yaml` without the lines (Markdown front matter...)."""
    return load_yaml(text, name, error=error, first_line=first_line)[0]


def read_yaml_text(
    path: str | os.PathLike[str],
    name: str,
    *,
    error: ErrorFactory = RubricError,
    max_bytes: int = MAX_YAML_BYTES,
) -> str:
    """A YAML file's text (UTF-8), refusing files over ``max_bytes`` before reading them whole.
    ``OSError`` and ``UnicodeDecodeError`` pass through (each caller words them)."""
    with open(path, "rb") as f:
        data = f.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise error(name, [f"{name}: over the {max_bytes / 1048576:g} MB limit for a YAML file"])
    # as open(path).read() would: universal newlines
    return data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------------------------
# validation errors with file:line


_LABEL = re.compile(r"[a-z][a-z-]*\[.*\]\Z", re.S)


def clean_loc(loc: tuple | list) -> tuple:
    """A pydantic error location without the validator labels it inserts (``function-after[...]``);
    a key of the file that merely holds a bracket (``'[a]'``) stays."""
    return tuple(p for p in loc if not (isinstance(p, str) and _LABEL.match(p)))


def key_path(loc: tuple) -> str:
    """``limits.timeout``, ``overrides[0].fail_under``."""
    out = ""
    for p in loc:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


def plain_message(err: Mapping[str, Any], loc: tuple) -> str:
    """``unknown key 'x'``, ``missing key 'x'`` or ``field.path: what is wrong``."""
    if err["type"] == "extra_forbidden" and loc:
        return f"unknown key '{loc[-1]}'"
    if err["type"] == "missing" and loc:
        return f"missing key '{loc[-1]}'"
    text = str(err["msg"]).removeprefix("Value error, ")
    return f"{key_path(loc)}: {text}" if loc else text


def validation_lines(
    exc: Any,
    name: str,
    line_for: Callable[[tuple], int | None] | None,
    message: Callable[[Mapping[str, Any], tuple], str] = plain_message,
    *,
    prefix: tuple = (),
    default_line: int | None = 1,
) -> list[str]:
    """A pydantic ``ValidationError`` as ``name:LINE: message`` lines, one per error.

    ``line_for`` maps a data path to its line (:meth:`Lines.line_for`); ``prefix`` is the path of
    the validated value inside the file (``("waivers", 3)``); ``message(err, loc)`` words one error
    (``loc`` without ``prefix``). A path with no line gets ``default_line`` (``None``: no line)."""
    out: list[str] = []
    for err in exc.errors():
        loc = clean_loc(err["loc"])
        line = (line_for((*prefix, *loc)) if line_for is not None else None) or default_line
        where = f"{name}:{line}" if line else name
        out.append(f"{where}: {_one_line(message(err, loc))}")
    return out
