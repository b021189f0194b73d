"""Markdown front matter goes through the one bounded YAML loader (shiftcheck.yamlsafe).

Before, the reader called ``yaml.safe_load`` (pure Python) on whatever sat between the ``---``
lines, in-process and outside every limit: 800 KB of flow list took 10 s and 280 MB, 4 MB
took about a minute. Now front matter is held to a metadata budget (256 KB, 10,000 values, the
alias budget of every YAML file); what is refused is named in a warning, and the document is
still read.
"""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path

from shiftcheck.readers import read
from shiftcheck.readers.markdown import split_front_matter

BODY = "# Plan\n\nThe Ministry of Health chairs the steering committee.\n"


def alias_bomb(levels: int = 9) -> str:
    names = "abcdefghijklmnop"[:levels]
    out = ["lol: &a [" + ", ".join(['"lol"'] * 9) + "]"]
    for prev, cur in itertools.pairwise(names):
        out.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(out)


def _read(tmp_path: Path, front: str) -> tuple:
    f = tmp_path / "p.md"
    f.write_text(f"---\n{front}\n---\n{BODY}", encoding="utf-8")
    t = time.perf_counter()
    doc = read(f, display="p.md")
    return doc, time.perf_counter() - t


def test_an_alias_bomb_in_front_matter_is_refused_and_named(tmp_path):
    doc, took = _read(tmp_path, "title: Bomb plan\n" + alias_bomb())
    assert took < 2, took
    assert [b.text for b in doc.blocks] == [
        "Plan",
        "The Ministry of Health chairs the steering committee.",
    ]
    assert doc.title == "Bomb plan"  # from the plain 'title:' line
    (warning,) = [w for w in doc.warnings if w.startswith("front matter")]
    # the file line of the first alias past the budget
    m = re.match(r"front matter not read \(line (\d+): .*alias", warning)
    assert m, warning
    line = (tmp_path / "p.md").read_text(encoding="utf-8").splitlines()[int(m.group(1)) - 1]
    assert line.startswith("e: &e [*d"), line


def test_a_huge_front_matter_is_refused_at_once(tmp_path):
    """400,000 values (800 KB): plain yaml.safe_load took ~10 s and 280 MB."""
    doc, took = _read(tmp_path, "title: Big\nk: [" + ",".join(["1"] * 400_000) + "]")
    assert took < 2, took
    assert doc.title == "Big"
    assert any(
        w.startswith("front matter not read (") and "0.25 MB limit" in w for w in doc.warnings
    ), doc.warnings


def test_too_many_values_in_a_small_front_matter(tmp_path):
    doc, took = _read(tmp_path, "title: Many\nk: [" + ",".join(["1"] * 20_000) + "]")
    assert took < 2, took
    assert any("more than 10,000 YAML values" in w for w in doc.warnings), doc.warnings


def test_unsafe_tags_are_refused(tmp_path):
    doc, _ = _read(tmp_path, "title: !!python/object/apply:os.system ['echo hi']")
    assert any("unsafe or unknown YAML tag" in w for w in doc.warnings), doc.warnings


def test_ordinary_front_matter_gives_its_title_and_no_warning(tmp_path):
    doc, _ = _read(
        tmp_path, "title: 'Nutrition plan'\nauthors: [A, B]\ndefaults: &d {x: 1}\nother: *d"
    )
    assert doc.title == "Nutrition plan"
    assert not [w for w in doc.warnings if w.startswith("front matter")]


def test_split_front_matter_keeps_line_numbers_when_refused():
    text = "---\ntitle: T\n" + alias_bomb() + "\n---\n# H\n"
    warnings: list[str] = []
    body, title = split_front_matter(text, warnings)
    assert title == "T" and len(warnings) == 1
    assert body.split("\n").index("# H") == text.split("\n").index("# H")
