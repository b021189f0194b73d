"""Compile every phrase of a rubric into one token trie (plus one list of bounded regexes) per
language, so that a sentence is scanned a constant number of times whatever the rubric's size.

Phrase syntax: see :mod:`shiftcheck.rubric.schema`.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from shiftcheck.engine.normalize import Stemmer, normalize_plain, stemmer_for, tokenize
from shiftcheck.errors import RubricError

GAP_TOKENS = 4
#: seconds one user regex may spend on one sentence before it is abandoned for the document
REGEX_TIMEOUT = 0.05
MAX_VARIANTS = 5000


@dataclass(frozen=True, slots=True)
class Owner:
    """What a pattern belongs to: ('indicator'|'red_flag', criterion id, key) or ('vocab', 0, name)."""

    kind: str
    criterion: int
    key: str
    phrase: str = ""


class _Node:
    __slots__ = ("children", "gap", "outputs")

    def __init__(self) -> None:
        self.children: dict[str, _Node] = {}
        self.gap: _Node | None = None
        self.outputs: list[int] = []


@dataclass(slots=True)
class Hit:
    owner: Owner
    start: int  # token index (inclusive)
    end: int  # token index (exclusive)


@dataclass
class CompiledLanguage:
    lang: str
    stemmer: Stemmer
    root: _Node = field(default_factory=_Node)
    owners: list[Owner] = field(default_factory=list)
    regexes: list[tuple[Owner, Any]] = field(default_factory=list)
    #: regexes that timed out on this run: skipped for the rest of the document
    disabled: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- compile
    def add(self, owner: Owner, variants: list[list[tuple[str, Any]]]) -> None:
        oid = len(self.owners)
        self.owners.append(owner)
        for seq in variants:
            node = self.root
            for kind, val in seq:
                if kind == "w":
                    node = node.children.setdefault(val, _Node())
                else:  # gap
                    if node.gap is None:
                        node.gap = _Node()
                    node = node.gap
            node.outputs.append(oid)

    # ---------------------------------------------------------------- match
    def match(self, stems: list[str]) -> list[Hit]:
        """All pattern hits over a token list, the shortest span per (pattern, start)."""
        n = len(stems)
        found: dict[tuple[int, int], int] = {}
        root = self.root
        children = root.children
        for i in range(n):
            first = children.get(stems[i])
            if first is None:
                continue
            stack = [(first, i + 1)]
            while stack:
                node, j = stack.pop()
                for oid in node.outputs:
                    key = (oid, i)
                    if key not in found or found[key] > j:
                        found[key] = j
                if j < n:
                    nxt = node.children.get(stems[j])
                    if nxt is not None:
                        stack.append((nxt, j + 1))
                if node.gap is not None:
                    g = node.gap
                    for k in range(0, GAP_TOKENS + 1):
                        if j + k < n:
                            nxt = g.children.get(stems[j + k])
                            if nxt is not None:
                                stack.append((nxt, j + k + 1))
        return [Hit(self.owners[oid], start, end) for (oid, start), end in found.items()]

    def match_regex(self, norm: str, token_starts: list[int]) -> list[Hit]:
        import bisect

        hits: list[Hit] = []
        for idx, (owner, rx) in enumerate(self.regexes):
            if idx in self.disabled:
                continue
            try:
                for m in rx.finditer(norm, timeout=REGEX_TIMEOUT):
                    s = bisect.bisect_right(token_starts, m.start()) - 1
                    e = bisect.bisect_left(token_starts, m.end())
                    hits.append(Hit(owner, max(s, 0), max(e, s + 1)))
            except TimeoutError:
                self.disabled.add(idx)
                self.warnings.append(
                    f"regex of {owner.kind} '{owner.key}' took too long and was skipped: {owner.phrase[:60]}"
                )
        return hits


def _phrase_variants(
    phrase: str,
    stem: Stemmer,
    vocab: dict[str, list[str]] | None,
    where: str,
    expanded: dict[str, list[list[tuple[str, Any]]]] | None = None,
) -> list[list[tuple[str, Any]]]:
    """A phrase -> its token-sequence variants (hyphen joins, vocabulary expansions)."""
    parts: list[list[list[tuple[str, Any]]]] = []  # per element: alternatives (each a token seq)
    for raw in phrase.split():
        if raw == "...":
            parts.append([[("gap", GAP_TOKENS)]])
            continue
        if raw.startswith("{") and raw.endswith("}"):
            name = raw[1:-1]
            if vocab is None:
                raise RubricError(where, [f"{where}: vocabulary reference {raw} is not allowed inside a vocabulary"])
            if name not in vocab:
                raise RubricError(where, [f"{where}: unknown vocabulary {raw}"])
            if expanded is not None and name in expanded:
                alts = expanded[name]
            else:
                alts = []
                for term in vocab[name]:
                    if term.startswith("re:"):
                        continue
                    alts += _phrase_variants(term, stem, None, f"{where} {raw}")
                if expanded is not None:
                    expanded[name] = alts
            if not alts:
                raise RubricError(where, [f"{where}: vocabulary {raw} has no plain phrases"])
            parts.append(alts)
            continue
        norm = normalize_plain(raw)
        toks = tokenize(norm)
        if not toks:
            continue
        words = [t.text for t in toks]
        joined_ok = len(toks) > 1 and all(norm[a.end:b.start] in ("-", "'", "") for a, b in itertools.pairwise(toks))
        alts = [[("w", stem(w)) for w in words]]
        if joined_ok and "-" in norm:
            alts.append([("w", stem("".join(words)))])
        parts.append(alts)
    variants: list[list[tuple[str, Any]]] = [[]]
    for alts in parts:
        variants = [v + a for v in variants for a in alts]
        if len(variants) > MAX_VARIANTS:
            raise RubricError(where, [f"{where}: phrase '{phrase}' expands to more than {MAX_VARIANTS} forms"])
    out = []
    for v in variants:
        while v and v[0][0] == "gap":
            v = v[1:]
        while v and v[-1][0] == "gap":
            v = v[:-1]
        merged: list[tuple[str, Any]] = []
        for el in v:
            if el[0] == "gap" and merged and merged[-1][0] == "gap":
                continue
            merged.append(el)
        if merged:
            out.append(merged)
    return out


def _compile_regex(pattern: str, where: str) -> Any:
    import regex

    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.V0)
    except regex.error as e:
        raise RubricError(where, [f"{where}: invalid regular expression '{pattern}': {e}"]) from None


def compile_language(rubric: Any, lang: str) -> CompiledLanguage:
    """Compile indicators, red flags, vocabularies and mechanism phrases for one language."""
    stem = stemmer_for(lang)
    comp = CompiledLanguage(lang=lang, stemmer=stem)
    src = rubric.source or rubric.id

    def pick(phrases: dict[str, list[str]]) -> list[str]:
        if lang in phrases:
            return phrases[lang]
        return phrases.get("en", [])

    vocab_lang = {name: pick(v) for name, v in rubric.vocabularies.items()}
    expanded: dict[str, list[list[tuple[str, Any]]]] = {}

    def add_all(owner: Owner, phrases: list[str], allow_vocab: bool = True) -> None:
        for ph in phrases:
            where = f"{src}: {owner.kind} {owner.key}"
            if ph.startswith("re:"):
                comp.regexes.append((Owner(owner.kind, owner.criterion, owner.key, ph), _compile_regex(ph[3:], where)))
                continue
            variants = _phrase_variants(ph, stem, vocab_lang if allow_vocab else None, where, expanded)
            if variants:
                comp.add(Owner(owner.kind, owner.criterion, owner.key, ph), variants)

    for name, terms in vocab_lang.items():
        add_all(Owner("vocab", 0, name), terms, allow_vocab=False)
    for m in rubric.mechanisms:
        if m.phrases:
            add_all(Owner("mechanism", 0, m.key), pick(m.phrases))
    for c in rubric.criteria:
        for ind in c.indicators:
            add_all(Owner("indicator", c.id, ind.key), pick(ind.phrases))
        for rf in c.red_flags:
            add_all(Owner("red_flag", c.id, rf.key), pick(rf.phrases))
    return comp


def compile_terms(terms: list[str], lang: str) -> list[list[str]]:
    """Plain phrases -> lists of stems (for heading hints and section roles)."""
    stem = stemmer_for(lang)
    out = []
    for t in terms:
        toks = tokenize(normalize_plain(t))
        if toks:
            out.append([stem(x.text) for x in toks])
    return out
