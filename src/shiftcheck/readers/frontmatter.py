"""YAML front matter of a Markdown file (``---`` ... ``---`` at the very top): blanked out of the
text (line numbers stay exact) and its ``title:`` read with the one bounded YAML loader."""

from __future__ import annotations

import re

from shiftcheck.errors import ShiftcheckError

_FRONT_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_FRONT_TITLE = re.compile(r"""^title:[ \t]*(?P<v>.*?)[ \t]*$""", re.MULTILINE)
#: largest front matter looked at (lines); beyond that a leading '---' is a thematic break
MAX_FRONT_MATTER_LINES = 200
#: largest front matter YAML read (bytes, values): metadata, not a document
FRONT_MATTER_MAX_BYTES = 256 * 1024
FRONT_MATTER_MAX_NODES = 10_000


def split_front_matter(text: str, warnings: list[str] | None = None) -> tuple[str, str | None]:
    """Blank out a leading YAML front matter block (keeping line numbers); return its title.
    Front matter the safe YAML loader refuses (an alias bomb, too many nodes, bad YAML) adds a
    line to ``warnings``; its title is then taken from a plain ``title:`` line, if any."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return text, None
    end = next(
        (
            i
            for i in range(1, min(len(lines), MAX_FRONT_MATTER_LINES))
            if _FRONT_END.match(lines[i])
        ),
        None,
    )
    if end is None or end == 1:
        return text, None
    front = "\n".join(lines[1:end])
    if not re.search(r"^[\w-]+[ \t]*:", front, re.MULTILINE):
        return text, None  # '---' text '---' is a setext heading / thematic break, not front matter
    title = _front_title(front, warnings)
    return "\n".join([""] * (end + 1) + lines[end + 1 :]), title


class _FrontMatterRefused(ShiftcheckError):
    def __init__(self, path: str | None, problems: list[str]) -> None:
        super().__init__(path, "; ".join(problems))


def _front_title(front: str, warnings: list[str] | None = None) -> str | None:
    from shiftcheck.yamlsafe import load_yaml

    # the one bounded loader (shiftcheck.yamlsafe), with a metadata-sized budget: an alias bomb or
    # a huge front matter is refused at once (plain yaml.safe_load took 10 s and 280 MB for 800 KB
    # of flow list)
    try:
        data = load_yaml(
            front,
            "",
            error=_FrontMatterRefused,
            first_line=2,
            max_bytes=FRONT_MATTER_MAX_BYTES,
            max_nodes=FRONT_MATTER_MAX_NODES,
        )[0]
    except _FrontMatterRefused as e:
        data = None
        if warnings is not None:
            warnings.append(
                "front matter not read ("
                + re.sub(r"^:(\d+): ", r"line \1: ", e.problem).removeprefix(": ").rstrip(".")
                + ")"
            )
    if isinstance(data, dict):
        value = data.get("title")
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
        return None
    m = _FRONT_TITLE.search(front)  # YAML that does not parse: take a plain 'title:' line
    if m and m.group("v"):
        return m.group("v").strip("'\"").strip() or None
    return None
