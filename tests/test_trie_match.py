"""The trie walk's shortcuts give the hits of the plain walk (issue 15)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcheck.engine.patterns import GAP_TOKENS, CompiledLanguage, Hit, compile_language
from shiftcheck.rubric import load_rubric

_COMP = compile_language(load_rubric(None), "en")
#: stems the trie knows (each first word, and words that follow one), plus strangers
_STEMS = [*sorted({s for d in _COMP.kids for s in d})[:3000], "zzz", "qqq", "the", "of"]


def plain_walk(comp: CompiledLanguage, stems: list[str]) -> list[Hit]:
    """The walk as it was before its shortcuts: a stack from every start the root knows."""
    n = len(stems)
    hits: list[Hit] = []
    for i, s in enumerate(stems):
        first = comp.kids[0].get(s)
        if first is None:
            continue
        found: dict[int, int] = {}
        stack = [(first, i + 1)]
        while stack:
            node, j = stack.pop()
            for oid in comp.outs[node]:
                if found.get(oid, n + 1) > j:
                    found[oid] = j
            if j < n:
                nxt = comp.kids[node].get(stems[j])
                if nxt is not None:
                    stack.append((nxt, j + 1))
            g = comp.gaps[node]
            if g:
                for k in range(j, min(j + GAP_TOKENS + 1, n)):
                    nxt = comp.kids[g].get(stems[k])
                    if nxt is not None:
                        stack.append((nxt, k + 1))
        hits += [Hit(comp.owners[oid], i, end) for oid, end in found.items()]
    return hits


def _key(hits: list[Hit]) -> list[tuple]:
    return [(h.owner, h.start, h.end) for h in hits]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_STEMS), max_size=30))
def test_walk_gives_the_plain_walks_hits_in_its_order(stems):
    assert _key(_COMP.match(stems)) == _key(plain_walk(_COMP, stems))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_walk_along_rubric_phrases(data):
    """Sentences made of pieces of the trie's own paths, so that long phrases and gaps match."""
    stems: list[str] = []
    for _ in range(data.draw(st.integers(1, 5))):
        node = 0
        for _ in range(data.draw(st.integers(1, 6))):
            kids = _COMP.kids[node]
            if _COMP.gaps[node] and data.draw(st.booleans()):
                stems += data.draw(st.lists(st.sampled_from(_STEMS), max_size=GAP_TOKENS + 1))
                node = _COMP.gaps[node]
                kids = _COMP.kids[node]
            if not kids:
                break
            stem = data.draw(st.sampled_from(sorted(kids)))
            stems.append(stem)
            node = kids[stem]
    assert _key(_COMP.match(stems)) == _key(plain_walk(_COMP, stems))
