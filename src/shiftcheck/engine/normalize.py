"""Text normalization, tokenization and stemming, done once per sentence.

* ``normalize(text)`` -> (normalized string, offsets): NFKC (ligatures, full-width forms), casefold,
  accents removed, curly quotes and dash/hyphen variants unified, soft hyphens and zero-width
  characters dropped. ``offsets[i]`` is the index in the original text of normalized character
  ``i``, so quotes are always cut from the original text.
* ``tokenize(norm)`` -> word tokens with their spans; punctuation that ends a clause is recorded
  on the following token so that negation and contrast scopes stop there.
* ``Stemmer(lang)`` stems tokens (Snowball English or French, cached) after folding British and
  American spellings (programme/program, -ise/-ize, centre/center...).
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_QUOTES = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "`": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2033": '"',
    "\u2039": "'",
    "\u203a": "'",
}
_DASHES = dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d", "-")
_DROP = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")
_SPACES = frozenset("\u00a0\u2007\u202f\u2009\u200a\u2002\u2003\u3000\t\r\n\v\f")


@lru_cache(maxsize=4096)
def _norm_char(c: str) -> str:
    if c in _DROP:
        return ""
    if c in _SPACES:
        return " "
    if c in _QUOTES:
        return _QUOTES[c]
    if c in _DASHES:
        return "-"
    if c.isascii():
        return c.lower()
    out = unicodedata.normalize("NFKC", c).casefold()
    out = "".join(ch for ch in unicodedata.normalize("NFKD", out) if not unicodedata.combining(ch))
    return "".join(_QUOTES.get(ch, _DASHES.get(ch, ch)) for ch in out)


_WS_RUN = re.compile(r"\s\s|[\t\n\r\v\f]")


def normalize(text: str) -> tuple[str, list[int]]:
    """Normalize ``text``; return the normalized string and a map to original offsets.
    Runs of white space become one space."""
    if text.isascii() and not _WS_RUN.search(text):
        return text.lower(), list(range(len(text)))
    parts: list[str] = []
    offsets: list[int] = []
    prev_space = False
    for i, c in enumerate(text):
        n = _norm_char(c)
        if not n:
            continue
        if n == " ":
            if prev_space:
                continue
            prev_space = True
        else:
            prev_space = False
        parts.append(n)
        offsets.extend([i] * len(n))
    return "".join(parts), offsets


def normalize_plain(text: str) -> str:
    return normalize(text)[0]


_TOKEN = re.compile(r"[^\W_]+|[%$€£₦]")
_CLAUSE_BREAK = re.compile(r"[;:()\[\]]|\s-\s|--")
_COMMA = re.compile(",")


@dataclass(slots=True)
class Token:
    text: str  # normalized surface form
    start: int  # offsets in the normalized sentence
    end: int
    brk: bool = False  # a clause break (; : parentheses) stands before this token
    comma: bool = False  # a comma stands before this token


#: the words of a normalized string, without spans (what matching needs)
find_words = _TOKEN.findall


_SPAN = re.Match.span


def word_spans(norm: str) -> list[tuple[int, int]]:
    return list(map(_SPAN, _TOKEN.finditer(norm)))


def clause_marks(norm: str, spans: list[tuple[int, int]]) -> tuple[frozenset[int], frozenset[int]]:
    """(indexes of words preceded by a clause break, indexes of words preceded by a comma).
    Break marks never contain word characters, so each lies wholly in the gap before a word."""
    if not spans:
        return frozenset(), frozenset()
    starts = [a for a, _ in spans]
    brk = frozenset(bisect.bisect_right(starts, m.start()) for m in _CLAUSE_BREAK.finditer(norm))
    comma = (
        frozenset(bisect.bisect_right(starts, m.start()) for m in _COMMA.finditer(norm))
        if "," in norm
        else frozenset()
    )
    return brk, comma


def tokenize(norm: str) -> list[Token]:
    """Word tokens with spans and the marks before them (for rubric compilation and tests)."""
    brk, comma = clause_marks(norm, spans := word_spans(norm))
    return [Token(norm[a:b], a, b, k in brk, k in comma) for k, (a, b) in enumerate(spans)]


# --- spelling folding (English) ---------------------------------------------------------------

_BRIT = {
    "programme": "program",
    "programmes": "programs",
    "programming": "programming",
    "centre": "center",
    "centres": "centers",
    "centred": "centered",
    "centring": "centering",
    "behaviour": "behavior",
    "behaviours": "behaviors",
    "labour": "labor",
    "favour": "favor",
    "colour": "color",
    "honour": "honor",
    "neighbour": "neighbor",
    "neighbourhood": "neighborhood",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "licence": "license",
    "defence": "defense",
    "judgement": "judgment",
    "enrolment": "enrollment",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "practise": "practice",
    "practised": "practiced",
    "travelling": "traveling",
    "travelled": "traveled",
    "modelling": "modeling",
    "modelled": "modeled",
    "cancelled": "canceled",
    "counselling": "counseling",
    "labelled": "labeled",
    "labelling": "labeling",
    "fuelled": "fueled",
    "paediatric": "pediatric",
    "anaemia": "anemia",
    "haemorrhage": "hemorrhage",
    "oestrogen": "estrogen",
    "foetal": "fetal",
    "diarrhoea": "diarrhea",
    "gynaecology": "gynecology",
    "per cent": "percent",
    "percent": "percent",
    "towards": "toward",
    "whilst": "while",
    "analyse": "analyze",
    "analysed": "analyzed",
    "analysing": "analyzing",
    "analyses": "analyzes",
    "paralyse": "paralyze",
    "catalyse": "catalyze",
    "catalysed": "catalyzed",
}
_ISE_EXCEPTIONS = frozenset(
    [
        "exercise",
        "promise",
        "advise",
        "otherwise",
        "rise",
        "precise",
        "enterprise",
        "expertise",
        "franchise",
        "premise",
        "compromise",
        "surprise",
        "revise",
        "supervise",
        "devise",
        "comprise",
        "televise",
        "improvise",
        "disguise",
        "raise",
        "praise",
        "concise",
        "paradise",
        "wise",
        "noise",
        "poise",
        "cruise",
        "treatise",
        "merchandise",
        "chemise",
        "demise",
        "circumcise",
        "excise",
        "incise",
        "apprise",
        "despise",
        "arise",
        "advertise",
        "chastise",
        "clockwise",
        "likewise",
        "reprise",
        "anise",
        "mortise",
    ]
)
_ISE = re.compile(r"^([a-z]{3,})is(e|ed|es|ing|ation|ations|ational|er|ers)$")


@lru_cache(maxsize=65536)
def fold_english(word: str) -> str:
    if word in _BRIT:
        return _BRIT[word]
    m = _ISE.match(word)
    if m and (m.group(1) + "ise") not in _ISE_EXCEPTIONS:
        return f"{m.group(1)}iz{m.group(2)}"
    if word.endswith("isation") or word.endswith("isations"):
        return word.replace("isation", "ization")
    return word


#: French elided forms (d', l', n', qu'...) stand for their full words, so "au lieu d'un" matches
#: a trigger written "au lieu de"
_FR_ELISION = {
    "d": "de",
    "n": "ne",
    "qu": "que",
    "l": "le",
    "j": "je",
    "s": "se",
    "m": "me",
    "t": "te",
    "c": "ce",
    "la": "le",
}


class Stemmer:
    """Cached Snowball stemmer for one language ('en' or 'fr'); other languages fall back to English."""

    def __init__(self, lang: str) -> None:
        import snowballstemmer

        self.lang = lang if lang in ("en", "fr") else "en"
        impl = snowballstemmer.stemmer("french" if self.lang == "fr" else "english")
        self._stem = impl.stemWord
        #: which Snowball implementation runs (PyStemmer's C one or the pure-Python one)
        self.backend = type(impl).__module__.split(".")[0].lower()
        self._cache: dict[str, str] = {}

    def many(self, words: list[str]) -> list[str]:
        get = self._cache.get
        return [get(w) or self(w) for w in words]

    def __call__(self, word: str) -> str:
        got = self._cache.get(word)
        if got is not None:
            return got
        if self.lang == "fr" and word in _FR_ELISION:
            out = _FR_ELISION[word]
        elif word.isdigit() or len(word) <= 2:
            out = word
        elif self.lang == "fr":
            out = self._stem(word)
            if len(out) > 4:
                out = out.rstrip("e")
        else:
            out = self._stem(fold_english(word))
        if len(self._cache) < 200_000:
            self._cache[word] = out
        return out


@lru_cache(maxsize=8)
def stemmer_for(lang: str) -> Stemmer:
    return Stemmer(lang)
