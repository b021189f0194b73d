"""Compile every phrase of a rubric into one token trie (plus one list of bounded regexes) per
language, so that a sentence is scanned a constant number of times whatever the rubric's size.

Phrase syntax: see :mod:`shiftcheck.rubric.schema`.
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from re import _constants as _C  # type: ignore[attr-defined]
from re import _parser as _re_parser  # type: ignore[attr-defined]
from typing import Any

from shiftcheck.engine.normalize import Stemmer, normalize_plain, stemmer_for, tokenize
from shiftcheck.errors import RubricError

GAP_TOKENS = 4
#: seconds one user regex may spend on one sentence before it is abandoned for the document
REGEX_TIMEOUT = 0.25
MAX_VARIANTS = 5000


@dataclass(frozen=True, slots=True)
class Owner:
    """What a pattern belongs to: ('indicator'|'red_flag', criterion id, key) or ('vocab', 0, name)."""

    kind: str
    criterion: int
    key: str
    phrase: str = ""


@dataclass(slots=True)
class Hit:
    owner: Owner
    start: int  # token index (inclusive)
    end: int  # token index (exclusive)


@dataclass
class CompiledLanguage:
    """The compiled patterns of one rubric language: a token trie stored as flat lists (node 0 is
    the root; ``kids[n]`` maps a stem to the next node, ``gaps[n]`` is the node after a ``...`` gap
    or 0, ``outs[n]`` the owners whose phrase ends at n), plus the rubric's regexes. Plain lists and
    dicts, so a compiled rubric is saved to and loaded from the cache as JSON."""

    lang: str
    stemmer: Stemmer
    kids: list[dict[str, int]] = field(default_factory=lambda: [{}])
    gaps: list[int] = field(default_factory=lambda: [0])
    outs: list[list[int]] = field(default_factory=lambda: [[]])
    owners: list[Owner] = field(default_factory=list)
    #: (owner, compiled pattern or None: compiled from ``owner.phrase`` on first use)
    regexes: list[tuple[Owner, Any]] = field(default_factory=list)
    #: per regex index, the literals one of which every match contains (see
    #: :func:`required_literals`), filled on first use when not loaded
    needs: dict[int, tuple[str, ...] | None] = field(default_factory=dict)
    #: where the rubric came from (for the error of a regex compiled on first use)
    where: str = ""
    #: regexes that timed out on this run: skipped for the rest of the document
    disabled: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)

    # ---------------------------------------------------------------- compile
    def _new_node(self) -> int:
        self.kids.append({})
        self.gaps.append(0)
        self.outs.append([])
        return len(self.kids) - 1

    def add(self, owner: Owner, variants: list[list[tuple[str, Any]]]) -> None:
        oid = len(self.owners)
        self.owners.append(owner)
        for seq in variants:
            node = 0
            for kind, val in seq:
                if kind == "w":
                    nxt = self.kids[node].get(val)
                    if nxt is None:
                        nxt = self.kids[node][val] = self._new_node()
                    node = nxt
                else:  # gap
                    if not self.gaps[node]:
                        self.gaps[node] = self._new_node()
                    node = self.gaps[node]
            self.outs[node].append(oid)

    # ---------------------------------------------------------------- cache form
    def to_data(self) -> dict[str, Any]:
        return {
            "kids": self.kids,
            "gaps": self.gaps,
            "outs": self.outs,
            "owners": [[o.kind, o.criterion, o.key, o.phrase] for o in self.owners],
            "regexes": [[o.kind, o.criterion, o.key, o.phrase] for o, _ in self.regexes],
            "needs": [self._need(i) for i in range(len(self.regexes))],
        }

    @classmethod
    def from_data(cls, lang: str, data: dict[str, Any], where: str) -> CompiledLanguage:
        """Rebuild from :meth:`to_data` output, which the caller vouches for (the rubric cache
        hands over only an entry whose bytes still match the sha256 stored with them, written
        from a rubric whose regexes compiled): the trie is not walked and each regex is compiled
        on first use. Raises (KeyError, TypeError, ValueError...) on data of another shape,
        which the cache treats as a miss."""
        kids, gaps, outs = data["kids"], data["gaps"], data["outs"]
        n = len(kids)
        if not (n == len(gaps) == len(outs)) or n == 0:
            raise ValueError("trie lists differ in length")
        regexes = [(Owner(*o), None) for o in data["regexes"]]
        needs = data["needs"]
        if len(needs) != len(regexes):
            raise ValueError("regex lists differ in length")
        return cls(
            lang=lang,
            stemmer=stemmer_for(lang),
            kids=kids,
            gaps=gaps,
            outs=outs,
            owners=[Owner(*o) for o in data["owners"]],
            regexes=regexes,
            needs={i: None if n is None else tuple(n) for i, n in enumerate(needs)},
            where=where,
        )

    # ---------------------------------------------------------------- match
    def match(self, stems: list[str]) -> list[Hit]:
        """All pattern hits over a token list, the shortest span per (pattern, start)."""
        n = len(stems)
        kids, gaps, outs = self.kids, self.gaps, self.outs
        root = kids[0]
        owners = self.owners
        hits: list[Hit] = []
        last = n - 1
        for i, s in enumerate(stems):
            first = root.get(s)
            if first is None:
                continue
            if not gaps[first] and (i == last or stems[i + 1] not in kids[first]):
                # the common case, a word that goes no further: its own phrases, if any, end here
                ends = outs[first]
                if ends:
                    if len(ends) > 1:
                        ends = list(dict.fromkeys(ends))
                    hits += [Hit(owners[oid], i, i + 1) for oid in ends]
                continue
            found: dict[int, int] = {}  # owner -> shortest end, for this start
            stack = [(first, i + 1)]
            while stack:
                node, j = stack.pop()
                for oid in outs[node]:
                    if found.get(oid, n + 1) > j:
                        found[oid] = j
                if j < n:
                    nxt = kids[node].get(stems[j])
                    if nxt is not None:
                        stack.append((nxt, j + 1))
                g = gaps[node]
                if g:
                    get = kids[g].get
                    for k in range(j, min(j + GAP_TOKENS + 1, n)):
                        nxt = get(stems[k])
                        if nxt is not None:
                            stack.append((nxt, k + 1))
            if found:
                hits += [Hit(owners[oid], i, end) for oid, end in found.items()]
        return hits

    def match_regex(self, norm: str, token_starts: Callable[[], list[int]]) -> list[Hit]:
        """Hits of the rubric's regexes in one sentence. ``token_starts`` gives the token offsets
        (only called when something matched)."""
        hits: list[Hit] = []
        starts: list[int] | None = None
        for idx in range(len(self.regexes)):
            spans = self._regex_spans(idx, norm)
            if spans:
                if starts is None:
                    starts = token_starts()
                owner = self.regexes[idx][0]
                hits += [_span_hit(owner, starts, a, b) for a, b in spans]
        return hits

    def _regex(self, idx: int) -> Any:
        owner, rx = self.regexes[idx]
        if rx is None:
            rx = _compile_regex(owner.phrase[3:], self.where)
            self.regexes[idx] = (owner, rx)
        return rx

    def _need(self, idx: int) -> tuple[str, ...] | None:
        if idx not in self.needs:
            self.needs[idx] = required_literals(self.regexes[idx][0].phrase[3:])
        return self.needs[idx]

    def _regex_spans(self, idx: int, norm: str) -> list[tuple[int, int]]:
        if idx in self.disabled:
            return []
        owner, rx = self.regexes[idx][0], self._regex(idx)
        try:
            return [m.span() for m in rx.finditer(norm, timeout=REGEX_TIMEOUT)]
        except TimeoutError:
            self.disabled.add(idx)
            self.warnings.append(
                f"regex of {owner.kind} '{owner.key}' took too long and was skipped: {owner.phrase[:60]}"
            )
            return []

    def match_regex_all(
        self, norms: list[str], token_starts: Callable[[int], list[int]]
    ) -> list[list[Hit]]:
        """Regex hits for every sentence of a document (``token_starts(i)`` gives sentence i's
        token offsets). Each regex runs once over the sentences that hold one of its required
        literals (all sentences when it has none), joined by a separator that no pattern can
        match across unnoticed: a match that spans one is discarded and the sentences it touched
        are searched one by one, as are all those sentences for patterns whose matches depend on
        text outside their span (anchors, lookarounds: :func:`_per_sentence`) and when the
        document-wide search runs out of time. Same hits as per-sentence searching; a regex
        that no sentence can match is not even compiled."""
        if not self.regexes or not norms:
            return [[] for _ in norms]
        text = _SEP.join(norms)
        bounds: list[int] = []  # start offset of each sentence in ``text``
        pos = 0
        for n in norms:
            bounds.append(pos)
            pos += len(n) + 1
        found: list[list[tuple[int, int, int]]] = [[] for _ in norms]  # (regex index, start, end)
        budget = max(1.0, 2.0 * len(text) / 1_000_000)  # seconds; typical patterns need ~0.05 s/MB
        seen: dict[str, list[int]] = {}
        for idx in range(len(self.regexes)):
            need = self._need(idx)
            part = None if need is None else _containing(text, bounds, need, seen)
            if part is None:  # every sentence
                self._search(idx, norms, text, bounds, range(len(norms)), budget, found)
            elif part:
                sub = [norms[i] for i in part]
                sub_bounds = [0] * len(sub)
                for k in range(1, len(sub)):
                    sub_bounds[k] = sub_bounds[k - 1] + len(sub[k - 1]) + 1
                self._search(idx, sub, _SEP.join(sub), sub_bounds, part, budget, found)
        out: list[list[Hit]] = []
        for i, raw in enumerate(found):
            if raw:
                starts = token_starts(i)
                out.append([_span_hit(self.regexes[idx][0], starts, a, b) for idx, a, b in raw])
            else:
                out.append([])
        return out

    def _search(
        self,
        idx: int,
        norms: list[str],
        text: str,
        bounds: list[int],
        index: Sequence[int],
        budget: float,
        found: list[list[tuple[int, int, int]]],
    ) -> None:
        """One regex over ``text``, the sentences ``norms`` joined (starting at ``bounds``);
        ``found[index[k]]`` receives the hits of ``norms[k]``."""
        owner = self.regexes[idx][0]
        redo: set[int] = set()
        spans: list[tuple[int, int]] = []
        if _per_sentence(owner.phrase[3:]):
            redo = set(range(len(norms)))
        else:
            try:
                spans = [m.span() for m in self._regex(idx).finditer(text, timeout=budget)]
            except TimeoutError:
                redo = set(range(len(norms)))
        for a, b in spans:
            i = bisect.bisect_right(bounds, a) - 1
            j = bisect.bisect_right(bounds, max(a, b - 1)) - 1
            if j != i or b > bounds[i] + len(norms[i]):
                redo.update(range(i, j + 1))
            else:
                found[index[i]].append((idx, a - bounds[i], b - bounds[i]))
        for i in sorted(redo):
            k = index[i]
            found[k] = [f for f in found[k] if f[0] != idx]
            found[k] += [(idx, a, b) for a, b in self._regex_spans(idx, norms[i])]


#: joins sentences for document-wide regex searches
_SEP = "\x00"
_ESCAPE_OR_CLASS = re.compile(r"\\.|\[\^?\]?(?:\\.|[^\]])*\]", re.S)


#: above this share of the sentences, a regex is searched over all of them (no sub-text to build)
_MOST = 0.8


def _containing(
    text: str,
    bounds: list[int],
    need: tuple[str, ...],
    seen: dict[str, list[int]],
) -> list[int] | None:
    """The indexes of the sentences (joined in ``text``, starting at ``bounds``) that contain one
    of the literals ``need``, in order; None when that is most of them. ``seen`` keeps each
    literal's sentences for the other regexes that need it."""
    hit: set[int] = set()
    n = len(bounds)
    for lit in need:
        got = seen.get(lit)
        if got is None:
            got = seen[lit] = _sentences_with(text, bounds, lit)
        hit.update(got)
    if len(hit) > _MOST * n:
        return None
    return sorted(hit)


def _sentences_with(text: str, bounds: list[int], lit: str) -> list[int]:
    n = len(bounds)
    out = []
    find = text.find
    p = find(lit)
    while p != -1:
        i = bisect.bisect_right(bounds, p) - 1
        out.append(i)
        if i + 1 >= n:
            break
        p = find(lit, bounds[i + 1])  # on to the next sentence
    return out


#: how many literals a requirement may list (each is one pass over the document's text)
_MAX_LITERALS = 40
#: a character class of at most this many characters stands for its characters
_MAX_CLASS = 32


@lru_cache(maxsize=1024)
def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Literals one of which every match of ``pattern`` (compiled with IGNORECASE, run over
    normalized text) contains, or None when no such list is known. A prefilter: a sentence with
    none of them cannot match.

    The pattern is parsed by Python's ``re`` parser; whatever it cannot read, or reads otherwise
    than the ``regex`` module might (a literal ``{``, as in fuzzy ``{e<=1}``; ``[[`` and ``[:``,
    as in POSIX classes), gives None. Normalized text is lower case and holds no character that
    an IGNORECASE lower-case ASCII letter or digit also matches (checked over all of Unicode), so
    an upper-case ASCII letter stands for its lower case, except ``I``, which also matches a
    dotless ``ı``; of other characters only currency symbols, which have no case, are used."""
    if "[[" in pattern or "[:" in pattern or "\x00" in pattern:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = _re_parser.parse(pattern, re.IGNORECASE)
    except Exception:
        return None
    try:
        got = _seq_need(list(tree))
    except _NoNeed:
        return None
    if got is None or not got or len(got) > _MAX_LITERALS:
        return None
    return tuple(sorted(got))


class _NoNeed(Exception):
    """The pattern holds something whose reading by ``re`` and ``regex`` may differ."""


def _char(code: int) -> str | None:
    c = chr(code)
    if c == "{":
        raise _NoNeed
    if c.isascii():
        if c == "I" or c == "\x00":
            return None
        return c.lower()
    return c if unicodedata.category(c) == "Sc" else None


def _better(a: frozenset[str] | None, b: frozenset[str] | None) -> frozenset[str] | None:
    """The more selective of two requirements: longer shortest literal, then fewer literals."""
    if a is None:
        return b
    if b is None:
        return a
    ka = (min(map(len, a)), -len(a))
    kb = (min(map(len, b)), -len(b))
    return a if ka >= kb else b


def _seq_need(items: list) -> frozenset[str] | None:
    best: frozenset[str] | None = None
    run: list[str] = []
    for op, av in items:
        c = _char(av) if op is _C.LITERAL else None
        if c is not None:
            run.append(c)
            continue
        if run:
            best = _better(best, frozenset(["".join(run)]))
            run = []
        if op is _C.LITERAL:
            continue
        best = _better(best, _item_need(op, av))
    if run:
        best = _better(best, frozenset(["".join(run)]))
    return best


def _item_need(op, av) -> frozenset[str] | None:
    if op is _C.SUBPATTERN:
        return _seq_need(list(av[3]))
    if op is _C.ATOMIC_GROUP:
        return _seq_need(list(av))
    if op in (_C.MAX_REPEAT, _C.MIN_REPEAT, _C.POSSESSIVE_REPEAT):
        lo, _, sub = av
        need = _seq_need(list(sub))
        return need if lo >= 1 else None
    if op is _C.BRANCH:
        out: set[str] = set()
        for alt in av[1]:
            need = _seq_need(list(alt))
            if need is None:
                return None
            out |= need
        return frozenset(out)
    if op is _C.IN:
        chars: set[str] = set()
        for sop, sav in av:
            if sop is _C.LITERAL:
                c = _char(sav)
            elif sop is _C.RANGE and sav[1] - sav[0] < _MAX_CLASS:
                got = [_char(x) for x in range(sav[0], sav[1] + 1)]
                if any(g is None for g in got):
                    return None
                chars.update(g for g in got if g is not None)
                continue
            else:  # NEGATE, CATEGORY, a wide range
                return None
            if c is None:
                return None
            chars.add(c)
        return frozenset(chars) if 0 < len(chars) <= _MAX_CLASS else None
    return None  # ANY, AT, ASSERT, ASSERT_NOT, GROUPREF, NOT_LITERAL...


def _per_sentence(pattern: str) -> bool:
    """Must the pattern be searched sentence by sentence? Yes when its matches depend on what lies
    outside the span they report: where the searched string starts or ends (^, $, \\A, \\Z, \\G,
    a (?m) flag, the regex module's reverse search (?r)), or text around the span, which in the
    joined sentences can be the next or the previous sentence (a lookahead or lookbehind, a
    conditional, the regex module's \\K). Escapes and character classes are skipped; anything in
    doubt counts as yes."""
    if re.search(r"\\[AZzGK]|\(\?[a-zA-Z]*[mwr]", pattern):
        return True
    bare = _ESCAPE_OR_CLASS.sub("", pattern)
    return "^" in bare or "$" in bare or re.search(r"\(\?(?:[=!(]|<[=!])", bare) is not None


def _span_hit(owner: Owner, starts: list[int], a: int, b: int) -> Hit:
    s = bisect.bisect_right(starts, a) - 1
    e = bisect.bisect_left(starts, b)
    return Hit(owner, max(s, 0), max(e, s + 1))


Token = tuple[str, Any]  # ("w", stem) or ("gap", max words)


def _phrase_variants(
    phrase: str,
    stem: Stemmer,
    vocab: dict[str, list[str]] | None,
    where: str,
    expanded: dict[str, list[list[Token]]] | None = None,
) -> list[list[Token]]:
    """A phrase -> its token-sequence variants (hyphen joins, vocabulary expansions)."""
    parts: list[list[list[Token]]] = []  # per element: alternatives (each a token seq)
    for raw in phrase.split():
        if raw == "...":
            parts.append([[("gap", GAP_TOKENS)]])
        elif raw.startswith("{") and raw.endswith("}"):
            parts.append(_vocab_alternatives(raw, stem, vocab, where, expanded))
        else:
            alts = _word_alternatives(raw, stem)
            if alts:
                parts.append(alts)
    variants: list[list[Token]] = [[]]
    for alts in parts:
        variants = [v + a for v in variants for a in alts]
        if len(variants) > MAX_VARIANTS:
            raise RubricError(
                where, [f"{where}: phrase '{phrase}' expands to more than {MAX_VARIANTS} forms"]
            )
    return [m for m in (_trim_gaps(v) for v in variants) if m]


def _vocab_alternatives(
    raw: str,
    stem: Stemmer,
    vocab: dict[str, list[str]] | None,
    where: str,
    expanded: dict[str, list[list[Token]]] | None,
) -> list[list[Token]]:
    """``{name}``: every plain phrase of the vocabulary, as token sequences (memoised)."""
    name = raw[1:-1]
    if vocab is None:
        raise RubricError(
            where, [f"{where}: vocabulary reference {raw} is not allowed inside a vocabulary"]
        )
    if name not in vocab:
        raise RubricError(where, [f"{where}: unknown vocabulary {raw}"])
    if expanded is not None and name in expanded:
        alts = expanded[name]
    else:
        alts = []
        for term in vocab[name]:
            if not term.startswith("re:"):
                alts += _phrase_variants(term, stem, None, f"{where} {raw}")
        if expanded is not None:
            expanded[name] = alts
    if not alts:
        raise RubricError(where, [f"{where}: vocabulary {raw} has no plain phrases"])
    return alts


def _word_alternatives(raw: str, stem: Stemmer) -> list[list[Token]]:
    """One written word -> its stems, and the joined form of a hyphenated word ("co-design" also
    as "codesign"); empty for punctuation alone."""
    norm = normalize_plain(raw)
    toks = tokenize(norm)
    if not toks:
        return []
    words = [t.text for t in toks]
    joined_ok = len(toks) > 1 and all(
        norm[a.end : b.start] in ("-", "'", "") for a, b in itertools.pairwise(toks)
    )
    alts: list[list[Token]] = [[("w", stem(w)) for w in words]]
    if joined_ok and "-" in norm:
        alts.append([("w", stem("".join(words)))])
    return alts


def _trim_gaps(v: list[Token]) -> list[Token]:
    """No gap at either end, no two gaps in a row."""
    while v and v[0][0] == "gap":
        v = v[1:]
    while v and v[-1][0] == "gap":
        v = v[:-1]
    merged: list[Token] = []
    for el in v:
        if el[0] == "gap" and merged and merged[-1][0] == "gap":
            continue
        merged.append(el)
    return merged


def _compile_regex(pattern: str, where: str) -> Any:
    import regex

    try:
        return regex.compile(pattern, regex.IGNORECASE | regex.V0)
    except regex.error as e:
        raise RubricError(
            where, [f"{where}: invalid regular expression '{pattern}': {e}"]
        ) from None


def compile_language(rubric: Any, lang: str) -> CompiledLanguage:
    """Compile indicators, red flags, vocabularies and mechanism phrases for one language."""
    stem = stemmer_for(lang)
    src = rubric.source or rubric.id
    comp = CompiledLanguage(lang=lang, stemmer=stem, where=src)

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
                comp.regexes.append(
                    (
                        Owner(owner.kind, owner.criterion, owner.key, ph),
                        _compile_regex(ph[3:], where),
                    )
                )
                continue
            variants = _phrase_variants(
                ph, stem, vocab_lang if allow_vocab else None, where, expanded
            )
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
