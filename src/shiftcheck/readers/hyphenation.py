"""Joining the lines of a paragraph, with line-end hyphenation undone: one rule for the PDF, text
and Markdown readers.

A line ending in a soft hyphen is joined without it. A line ending in ``-`` after lowercase
letters, followed by a line starting with a lowercase letter, is joined without the hyphen
("transi-" + "tion" -> "transition", "Ex-" + "isting" -> "Existing") unless the hyphenated form
is the more frequent spelling in the same document, or (when the document has neither spelling
elsewhere) the first part is a common compound prefix (co, non, self, multi, cross, ...) or the
second a common compound head (led, based, owned, level, term, ...): then the hyphen stays and no
space is added ("co-" + "design" -> "co-design"). Uppercase or digits on either side keep the
hyphen ("COVID-" + "19" -> "COVID-19"). A line ending in an en or em dash or a slash right after
a character is joined without a space ("2017–" + "2020"). Any other line break becomes one space.

Linear in the text: each decision looks only at the end of the text joined so far (its last
:data:`TAIL` characters) and the start of the next line, and the document's word counts are only
computed when a hyphenated line end asks for them.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

_WORD_TAIL = re.compile(r"([^\W\d_]+)[-\u2010]$")
_WORD_HEAD = re.compile(r"^([^\W\d_]+)")
_WORDS = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
#: characters of the joined text a decision looks at; a hyphenated "word" of more letters than
#: this is not prose, and keeps its hyphen
TAIL = 128

COMPOUND_PREFIXES = frozenset(
    [
        "co",
        "non",
        "self",
        "multi",
        "cross",
        "well",
        "long",
        "short",
        "high",
        "low",
        "post",
        "pre",
        "anti",
        "inter",
        "intra",
        "semi",
        "sub",
        "mid",
        "ex",
        "state",
        "community",
        "country",
        "locally",
        "evidence",
        "results",
        "decision",
        "data",
        "cost",
        "user",
        "peer",
        "follow",
        "health",
        "life",
        "end",
        "large",
        "small",
        "full",
        "part",
        "one",
        "two",
        "three",
        "four",
        "five",
        "government",
        "district",
    ]
)
COMPOUND_HEADS = frozenset(
    [
        "led",
        "based",
        "owned",
        "level",
        "term",
        "making",
        "related",
        "specific",
        "wide",
        "funded",
        "driven",
        "sharing",
        "centred",
        "centered",
        "focused",
        "oriented",
        "bound",
        "sensitive",
        "wise",
        "year",
        "month",
        "day",
        "time",
        "scale",
        "up",
        "down",
    ]
)


def word_counts(texts: Iterable[str]) -> Counter[str]:
    """Lowercased words (hyphenated compounds as one word) of ``texts``, counted."""
    return Counter(m.group().lower() for t in texts for m in _WORDS.finditer(t))


class LazyWordCounts:
    """:func:`word_counts` of ``source()``, computed on the first lookup (most documents have no
    hyphenated line end, and never pay for it)."""

    __slots__ = ("_counts", "_source")

    def __init__(self, source: Callable[[], Iterable[str]]) -> None:
        self._source = source
        self._counts: Counter[str] | None = None

    def __getitem__(self, word: str) -> int:
        if self._counts is None:
            self._counts = word_counts(self._source())
        return self._counts[word]


#: what a vocabulary must offer: ``vocab[word]`` is its count, 0 when absent
Vocab = Counter[str] | LazyWordCounts


def separator(before: str, after: str, vocab: Vocab) -> tuple[str, bool]:
    """How to join ``after`` (a stripped, non-empty line) to the text ``before`` it (its tail is
    enough): ``(separator, drop the last character of before)``."""
    if before.endswith("\xad"):
        return "", True
    if before.endswith(("–", "—", "/")) and len(before) > 1 and not before[-2].isspace():
        return "", False  # "2017–" + "2020"
    if not before.endswith(("-", "\u2010")) or before.endswith((" -", " \u2010")):
        return " ", False
    tail = _WORD_TAIL.search(before)
    head = _WORD_HEAD.match(after)
    if not tail or not head:
        return "", False  # "COVID-" + "19", "2026-" + "2030": keep the hyphen, no space
    if tail.start() == 0 and len(before) >= TAIL:
        return "", False  # a run of letters longer than any word
    w1, w2 = tail.group(1), head.group(1)
    if not ((w1.islower() or (w1[0].isupper() and w1[1:].islower())) and w2[0].islower()):
        return "", False
    joined = (w1 + w2).lower()
    hyphenated = f"{w1}-{w2}".lower()
    if vocab[hyphenated] > vocab[joined]:
        return "", False
    if vocab[joined] == 0 and (w1.lower() in COMPOUND_PREFIXES or w2.lower() in COMPOUND_HEADS):
        return "", False
    return "", True


def join_lines(lines: Iterable[str], vocab: Vocab) -> str:
    """Join the lines of one paragraph (each stripped; empty ones are skipped) by the rule above."""
    out: list[str] = []
    tail = ""
    for line in lines:
        if not line:
            continue
        if out:
            sep, drop = separator(tail, line, vocab)
            if drop:
                out[-1] = out[-1][:-1]
                tail = tail[:-1]
            if sep:
                out.append(sep)
            tail = (tail + sep + line[-TAIL:])[-TAIL:]
        else:
            tail = line[-TAIL:]
        out.append(line)
    return "".join(out)


__all__ = [
    "COMPOUND_HEADS",
    "COMPOUND_PREFIXES",
    "LazyWordCounts",
    "join_lines",
    "separator",
    "word_counts",
]
