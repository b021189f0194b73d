"""Document-defined acronyms and names: "Government of the Republic of Zambia (GRZ)" makes GRZ a
member of whatever rubric class its long name belongs to (country actor, implementer, funder,
national plan, national system), for this document only; a field line "Applicant: Meridian Health
Logistics" makes "Meridian" the implementer.

Real documents define an actor once and then use the bare acronym: without this step every later
"GRZ will ..." or "le MSP prend en charge ..." is a sentence with no actor. The acronym's stem is
rewritten, in every unit, to a one-word member of the class, so vocabularies, phrases with
``{class}`` references and frames all see it.
"""

from __future__ import annotations

import re
import weakref
from collections import Counter

from shiftcheck.engine.normalize import find_words, normalize
from shiftcheck.engine.patterns import CompiledLanguage
from shiftcheck.engine.units import Unit

#: an acronym in brackets: 2-10 letters, mostly capitals ("GRZ", "MoH", "MSP", "DHMT", "PDO")
_DEFINED = re.compile(r"\(\s*([A-Z][A-Za-z&]{0,3}[A-Z][A-Za-z&]{0,6})\s*\)")
#: how many words before the bracket may form the long name
LONG_NAME_WORDS = 10
#: a field line: a short label, a colon, then a capitalised name ("**Applicant:** Meridian ...")
_FIELD = re.compile(r"^[\W_]*([^\W\d_][^:]{0,40}?)[\s*_]*:[\s*_]*([A-Z][\w&'’.-]*)")


def _representative(comp: CompiledLanguage, cls: str) -> str | None:
    """A one-word stem that the trie maps to vocabulary ``cls`` alone, the one that stands inside
    the fewest phrases: every one-word member of a class sits inside the phrases that use the class
    (``{country_actor} ... priorities``), but "emprunteur" also sits inside "l'emprunteur" of
    another vocabulary, and an acronym rewritten to it after "la" would match that. Failing that,
    any one-word member of ``cls``."""
    root = comp.kids[0]
    candidates: list[str] = []
    loose = None
    for stem, node in root.items():
        owners = [comp.owners[o] for o in comp.outs[node]]
        if not any(o.kind == "vocab" and o.key == cls for o in owners):
            continue
        loose = loose or stem
        if all(o.kind == "vocab" and o.key == cls for o in owners):
            candidates.append(stem)
    if not candidates:
        return loose
    inside = _inside_counts(comp)
    return min(candidates, key=lambda s: inside[s])


#: per compiled language (by identity, checked through a weak reference): how many trie nodes
#: below the root each stem continues
_INSIDE: dict[int, tuple[weakref.ref[CompiledLanguage], Counter[str]]] = {}


def _inside_counts(comp: CompiledLanguage) -> Counter[str]:
    got = _INSIDE.get(id(comp))
    if got is not None and got[0]() is comp:
        return got[1]
    counts = Counter(stem for kids in comp.kids[1:] for stem in kids)
    _INSIDE[id(comp)] = (weakref.ref(comp), counts)
    return counts


def define_acronyms(
    units: list[Unit], comp: CompiledLanguage, classes: list[str]
) -> dict[str, str]:
    """Find "Long Name (ABBR)" in the units and rewrite ABBR's stem everywhere to a member of the
    long name's class (the first of ``classes`` that the long name contains). Returns
    {acronym stem: class}."""
    if not classes:
        return {}
    found: dict[str, str] = {}
    for u in units:
        if "(" not in u.text:
            continue
        for m in _DEFINED.finditer(u.text):
            abbr = m.group(1).lower()
            if abbr in found:
                continue
            start = _word_index_before(u, m.start())
            if not start:
                continue
            long_stems = u.stems[max(0, start - LONG_NAME_WORDS) : start]
            # the longest class term in the long name decides ("U.S. Government" is a funder, not
            # a government); ties go to the first class listed
            best: tuple[int, int] | None = None
            cls = None
            for h in comp.match(long_stems):
                if h.owner.kind == "vocab" and h.owner.key in classes:
                    rank = (h.end - h.start, -classes.index(h.owner.key))
                    if best is None or rank > best:
                        best, cls = rank, h.owner.key
            if cls is not None:
                found[comp.stemmer(abbr)] = cls
    if not found:
        return {}
    rewrite = {}
    for stem, cls in found.items():
        rep = _representative(comp, cls)
        if rep is not None and rep != stem:
            rewrite[stem] = rep
    if rewrite:
        for u in units:
            if any(s in rewrite for s in u.stems):
                u.stems = [rewrite.get(s, s) for s in u.stems]
    return found


def _word_index_before(u: Unit, offset: int) -> int:
    """How many of the unit's words start before ``offset`` of its original text."""
    n = 0
    for a, _b in u.spans:
        src = u.offsets[a] if a < len(u.offsets) else len(u.text)
        if src >= offset:
            break
        n += 1
    return n


def define_names(
    units: list[Unit], comp: CompiledLanguage, label_vocab: str | None, cls: str
) -> set[str]:
    """Find field lines whose label is a term of ``label_vocab`` ("Applicant:", "Soumissionnaire :")
    and make the first word of the name given there a member of ``cls`` in every unit, when that
    word is a proper name (capitalised wherever it occurs). Returns the stems so defined."""
    if not label_vocab:
        return set()
    names: set[str] = set()
    for u in units:
        if ":" not in u.text[:60]:
            continue
        m = _FIELD.match(u.text)
        if m is None:
            continue
        label = find_words(normalize(m.group(1))[0])
        stems = [comp.stemmer(w) for w in label]
        if not stems or not any(
            h.owner.kind == "vocab"
            and h.owner.key == label_vocab
            and h.start == 0
            and h.end == len(stems)
            for h in comp.match(stems)
        ):
            continue
        names.add(m.group(2))
    rep = _representative(comp, cls) if names else None
    if rep is None:
        return set()
    rewrite: dict[str, str] = {}
    for name in names:
        word = find_words(normalize(name)[0])
        if len(word) != 1:
            continue
        # a common word used as a name ("Save", "Health") is not rewritten: the name must be
        # capitalised wherever it occurs
        lowered = re.compile(rf"(?<![\w]){re.escape(name.lower())}(?![\w])")
        if any(lowered.search(u.text) for u in units):
            continue
        rewrite[comp.stemmer(word[0])] = rep
    if rewrite:
        for u in units:
            if any(st in rewrite for st in u.stems):
                u.stems = [rewrite.get(st, st) for st in u.stems]
    return set(rewrite)
