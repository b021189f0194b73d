"""Per-sentence context: negation (NegEx-style), contrast and rejection, deferral, hedges,
meta-language, mitigation, and mood (questions, advice to the reader, wishes and hypotheticals,
statements about other actors or places). Trigger lists come from the rubric's vocabularies,
never from code."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field

from shiftcheck.engine.normalize import find_words, normalize_plain
from shiftcheck.engine.patterns import Hit
from shiftcheck.engine.units import Unit

#: how many words (an article) may stand between a preposition or verb and its object
OBJECT_GAP = 1


@dataclass
class UnitContext:
    unit: Unit
    vocab: dict[str, list[Hit]]
    term_starts: set[int]
    pseudo: list[Hit]
    mechanisms: dict[str, list[Hit]] = field(default_factory=dict)
    #: the vocabulary of words that put the noun after them in object position ("for the
    #: ministry", "pour le compte du ministère"): such a noun is not the subject of what follows
    object_marker: str | None = None
    #: hits sorted by their end, per vocabulary set: lookups near a word stay linear on a long
    #: sentence (see ``_ending``)
    _index: dict = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------------ helpers
    def _blocked(self, a: int, b: int, *, comma: bool = False) -> bool:
        """Is there a clause boundary between token a (the last token of the trigger) and token b
        (the first token of the target)? Boundaries: ; : ( ), terminator words (but, however...),
        and with ``comma`` also commas."""
        unit = self.unit
        breaks = unit.breaks
        commas = unit.commas if comma else ()
        terms = self.term_starts
        for k in range(a + 1, min(b, len(unit.words) - 1) + 1):
            if k in breaks or k in commas:
                return True
            if k < b and k in terms:
                return True
        return False

    def _is_pseudo(self, h: Hit) -> bool:
        """Does the trigger start inside a pseudo-negation ("not only", "no-cost extension")?"""
        return any(p.start <= h.start < p.end for p in self.pseudo)

    def triggers(self, name: str) -> list[Hit]:
        return self.vocab.get(name, [])

    # ------------------------------------------------------------------ negation
    def negated(self, h: Hit, before: str, after: str, window: int) -> Hit | None:
        for t in self.triggers(before):
            if t.end <= h.start and h.start - t.end <= window and not self._is_pseudo(t):
                if not self._blocked(t.end - 1, h.start):
                    return t
        for t in self.triggers(after):
            if t.start >= h.end and t.start - h.end <= window and not self._is_pseudo(t):
                if not self._blocked(h.end - 1, t.start):
                    return t
        return None

    # ------------------------------------------------------------------ contrast
    def contrasted(self, h: Hit, clause: str, sentence: str | None, window: int) -> Hit | None:
        """A contrast trigger before the hit: clause-scoped ones within ``window`` words and no
        comma or boundary between; sentence-scoped ones ("shift from") anywhere before it."""
        for t in self.triggers(clause):
            if (
                t.end <= h.start
                and h.start - t.end <= window
                and not self._blocked(t.end - 1, h.start, comma=True)
            ):
                return t
        if sentence is not None:
            for t in self.triggers(sentence):
                if t.end <= h.start:
                    return t
        return None

    def near(self, h: Hit, names: list[str], within: int, side: str = "any") -> Hit | None:
        for n in names:
            for t in self.vocab.get(n, []):
                if t.start < h.end and h.start < t.end:
                    continue
                if side in ("any", "before") and t.end <= h.start and h.start - t.end <= within:
                    return t
                if side in ("any", "after") and t.start >= h.end and t.start - h.end <= within:
                    return t
        return None

    def _ending(self, key: tuple, hits, lo: int, hi: int) -> list[Hit]:
        """The hits (of the set named by ``key``) ending in [lo, hi], nearest end last."""
        got = self._index.get(key)
        if got is None:
            ordered = sorted(hits(), key=lambda t: t.end)
            got = ([t.end for t in ordered], ordered)
            self._index[key] = got
        ends, ordered = got
        return ordered[bisect_left(ends, lo) : bisect_right(ends, hi)]

    def _object_position(self, t: Hit, verbs: Sequence[Hit]) -> bool:
        """Does the term stand as an object: right after a preposition of ``object_marker`` or an
        action verb ("chair the steering committee", "pour le compte du ministère")?"""
        lo = t.start - OBJECT_GAP
        near = self._ending(
            ("marker",),
            lambda: self.vocab.get(self.object_marker, []) if self.object_marker else [],
            lo,
            t.start,
        )
        if verbs:
            # the verbs are hits of this unit's vocabularies, alive as long as the context: their
            # identities name the list
            key = ("verbs", len(verbs), id(verbs[0]), id(verbs[-1]))
            near += self._ending(key, lambda: verbs, lo, t.start)
        return any(not self._blocked(m.end - 1, t.start) for m in near)

    def subject(
        self,
        h: Hit,
        actors: list[str],
        implementer: str,
        window: int = 12,
        verbs: Sequence[Hit] = (),
    ) -> tuple[str, Hit] | None:
        """The nearest actor-like term before the hit in its clause that is not in object
        position: ("actor", hit) for a term of ``actors``, ("implementer", hit) for the
        implementer; None when neither stands there."""

        def cands() -> list[Hit]:
            out = [t for n in actors for t in self.vocab.get(n, [])]
            out += self.vocab.get(implementer, [])
            return out

        impl = self._index.get(("ids", implementer))
        if impl is None:
            impl = self._index[("ids", implementer)] = {
                id(t) for t in self.vocab.get(implementer, [])
            }
        near = self._ending(
            ("subject", tuple(actors), implementer), cands, h.start - window, h.start
        )
        # nearest first; at the same end a country actor goes before the implementer
        for t in sorted(near, key=lambda t: (-t.end, id(t) in impl)):
            kind = "implementer" if id(t) in impl else "actor"
            if self._blocked(t.end - 1, h.start):
                continue
            # only a country actor is looked at for object position: the implementer's words
            # ("we", "our advisers") stand as subjects ("les logisticiens de Meridian")
            if kind == "actor" and self._object_position(t, verbs):
                continue
            return kind, t
        return None

    def starting(self, names: list[str], lo: int, hi: int) -> list[Hit]:
        """The hits of vocabularies ``names`` starting in [lo, hi]."""
        key = ("starts", tuple(names))
        got = self._index.get(key)
        if got is None:
            ordered = sorted(
                (t for n in names for t in self.vocab.get(n, [])), key=lambda t: t.start
            )
            got = ([t.start for t in ordered], ordered)
            self._index[key] = got
        starts, ordered = got
        return ordered[bisect_left(starts, lo) : bisect_right(starts, hi)]

    def ending(self, names: list[str], lo: int, hi: int) -> list[Hit]:
        """The hits of vocabularies ``names`` ending in [lo, hi]."""
        return self._ending(
            ("ends", tuple(names)),
            lambda: [t for n in names for t in self.vocab.get(n, [])],
            lo,
            hi,
        )

    def after(self, h: Hit, actors: list[str], window: int) -> Hit | None:
        """A term of ``actors`` starting at most ``window`` words after the hit, in its clause."""
        for t in self.starting(actors, h.end, h.end + window):
            if not self._blocked(h.end - 1, t.start):
                return t
        return None

    def joint(self, marker: str | None, actors: list[str]) -> Hit | None:
        """A country actor right after a joint marker in this sentence ("with the DHMT",
        "conjointement avec le ministère"): the action is shared, not the implementer's alone."""
        if not marker:
            return None
        for m in self.vocab.get(marker, []):
            t = self.after(m, actors, OBJECT_GAP)
            if t is not None:
                return t
        return None

    def before(self, h: Hit, name: str, window: int) -> Hit | None:
        """A trigger ending at most ``window`` words before the hit, in the same clause."""
        for t in self.triggers(name):
            if (
                t.end <= h.start
                and h.start - t.end <= window
                and not self._blocked(t.end - 1, h.start)
            ):
                return t
        return None

    def within(self, h: Hit, name: str, window: int) -> Hit | None:
        for t in self.triggers(name):
            if (t.end <= h.start and h.start - t.end <= window) or (
                t.start >= h.end and t.start - h.end <= window
            ):
                return t
            if t.start < h.end and h.start < t.end:
                return t
        return None

    def mood(
        self, h: Hit, ctxdef, *, advice: bool = True, window: int = 25
    ) -> tuple[str, str] | None:
        """Is the clause around this hit not the design's own statement? Returns (cap, trigger
        words) for a question, a writing instruction or (with ``advice``) an action imperative
        opening the sentence, a wish or hypothetical in the same clause, or a statement about
        other actors or places anywhere in the sentence."""
        unit = self.unit
        if unit.text.rstrip().rstrip("\"'”’»)").endswith("?"):
            for t in self.triggers(ctxdef.interrogative):
                if t.start == 0 or t.owner.phrase.startswith("re:"):
                    return ("question", "?")
        names = [ctxdef.imperative, ctxdef.advice] if advice else [ctxdef.imperative]
        for name in names:
            for t in self.triggers(name):
                if t.start == 0 and self.opens_with(t):
                    return ("advice to the reader", self._words(t))
        for t in self.triggers(ctxdef.irrealis):
            if t.start < h.end and h.start < t.end:
                return ("hypothetical or wish", self._words(t))
            if (
                t.end <= h.start
                and h.start - t.end <= window
                and not self._blocked(t.end - 1, h.start)
            ):
                return ("hypothetical or wish", self._words(t))
            if (
                t.start >= h.end
                and t.start - h.end <= window
                and not self._blocked(h.end - 1, t.start)
            ):
                return ("hypothetical or wish", self._words(t))
        for t in self.triggers(ctxdef.attribution):
            if not (t.start < h.end and h.start < t.end):
                return ("about other actors or places", self._words(t))
        return None

    def opens_with(self, t: Hit) -> bool:
        """Does the sentence open with this trigger's own first word, not just its stem ("Route
        funds ..." is an imperative, "Routing funds ..." is not)? Regex triggers always do."""
        if t.owner.phrase.startswith("re:"):
            return True
        first = self.unit.words[0] if self.unit.words else ""
        want = find_words(normalize_plain(t.owner.phrase))
        return bool(want) and first == want[0]

    def _words(self, t: Hit) -> str:
        return " ".join(self.unit.words[t.start : t.end])

    def quoted(self, h: Hit) -> bool:
        norm = self.unit.norm
        spans = self.unit.spans
        s = spans[h.start][0]
        e = spans[min(h.end, len(spans)) - 1][1]
        before = norm[:s].rstrip()
        after = norm[e:].lstrip()
        return before.endswith(("'", '"')) and after.startswith(("'", '"'))
