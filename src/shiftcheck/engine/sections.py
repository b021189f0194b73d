"""Sections: the roles a document's headings give their text (background, lessons, risk,
references, administrative, a call's own instructions, a shift's topic), and what kind of document
it is (a call for proposals reviewed as itself).

A role phrase matches anywhere in a heading ("Project background" is background). A phrase written
``= words`` must be the whole heading, leading numbering aside ("3.", "B.", "IV."): "References" is
a references section, "Reference implementation of the kit" is not.
"""

from __future__ import annotations

import re

from shiftcheck.document import BlockKind, Document
from shiftcheck.engine.normalize import find_words, normalize_plain, stemmer_for
from shiftcheck.engine.patterns import compile_terms

_NUMBERING = re.compile(r"^(?:[0-9]+(?:\.[0-9]+)*|[a-z]|[ivxlc]+)$")
#: how much of the opening blocks may name the document's kind
OPENING_BLOCKS = 4
OPENING_CHARS = 200


def _compile(phrases: dict[str, list[str]]) -> tuple[list[tuple[str, ...]], list[tuple[str, ...]]]:
    """Phrases -> (anywhere terms, whole-heading terms), as stem tuples."""
    anywhere: list[tuple[str, ...]] = []
    whole: list[tuple[str, ...]] = []
    for lang, plist in phrases.items():
        code = lang if lang in ("en", "fr") else "en"
        exact = [p[1:].strip() for p in plist if p.startswith("=")]
        loose = [p for p in plist if not p.startswith("=")]
        anywhere += [tuple(t) for t in compile_terms(loose, code) if t]
        whole += [tuple(t) for t in compile_terms(exact, code) if t]
    return anywhere, whole


class HeadingRoles:
    """Matches headings against every role's phrases, in English and French stems."""

    def __init__(self, rubric) -> None:
        named = list(rubric.sections.roles.items())
        named += [(f"topic:{c.id}", c.section_topics) for c in rubric.criteria if c.section_topics]
        self.by_first: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
        self.whole: dict[tuple[str, ...], set[str]] = {}
        for role, phrases in named:
            anywhere, whole = _compile(phrases)
            for term in anywhere:
                self.by_first.setdefault(term[0], []).append((role, term))
            for term in whole:
                self.whole.setdefault(term, set()).add(role)
        self.stemmers = (stemmer_for("en"), stemmer_for("fr"))
        self.cache: dict[str, frozenset[str]] = {}

    def __call__(self, heading: str, *, opening_only: bool = False) -> frozenset[str]:
        """The roles this heading names; with ``opening_only``, only terms the text opens with."""
        key = ("^" if opening_only else "") + heading
        got = self.cache.get(key)
        if got is not None:
            return got
        words = find_words(normalize_plain(heading))
        while words and _NUMBERING.match(words[0]):
            words = words[1:]
        found: set[str] = set()
        for stem in self.stemmers:
            form = tuple(stem.many(words))
            found |= self.whole.get(form, set())
            for i, w in enumerate(form[:1] if opening_only else form):
                for role, term in self.by_first.get(w, ()):
                    if form[i : i + len(term)] == term:
                        found.add(role)
        got = self.cache[key] = frozenset(found)
        return got


def section_roles(
    doc: Document, rubric
) -> tuple[dict[tuple[str, ...], frozenset[str]], frozenset[str]]:
    """Heading path -> roles (the union over the path's headings), and the document's own kind:
    the ``own_kind`` roles its title or opening names. Those roles are dropped from its sections,
    since a call's instructions are the design it asks for."""
    roles_of = HeadingRoles(rubric)
    own: set[str] = set()
    if rubric.sections.own_kind:
        # the title and the opening headings name the kind, or an opening block that starts with
        # it; a mention inside body text does not (a proposal "in response to Request for
        # Applications No. 12" is not a call)
        kinds = set(rubric.sections.own_kind)
        for text in [doc.title or ""] + [
            b.text for b in doc.blocks[:OPENING_BLOCKS] if b.kind == BlockKind.HEADING
        ]:
            own |= roles_of(text[:OPENING_CHARS]) & kinds
        for b in doc.blocks[:OPENING_BLOCKS]:
            if b.kind != BlockKind.HEADING:
                own |= roles_of(b.text[:OPENING_CHARS], opening_only=True) & kinds
    out: dict[tuple[str, ...], frozenset[str]] = {}
    for b in doc.blocks:
        path = b.heading_path
        if path not in out:
            roles: set[str] = set()
            for h in path:
                roles |= roles_of(h)
            out[path] = frozenset(roles - own)
    return out, frozenset(own)
