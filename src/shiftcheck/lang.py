"""Tell English from French without a network or a model.

Counts function words that are frequent in one language and (nearly) absent from the other, plus
two French-only signals: elisions (``l'``, ``d'``, ``qu'``...) and words carrying French accents.
Words shared by both languages or ambiguous across them (``on``, ``a``, ``or``, ``but``, ``an``,
``son``, ``plus``...) are left out on purpose. Only the start of the text is sampled, so the cost
is bounded however long the document is.
"""

from __future__ import annotations

import re

#: at most this many words are looked at
SAMPLE_WORDS = 20_000
#: ...taken from at most this many leading characters (keeps the regex pass bounded)
SAMPLE_CHARS = 150_000
#: fewer words than this, or fewer function-word hits than MIN_HITS: no answer
MIN_WORDS = 5
MIN_HITS = 3.0

_ENGLISH_WORDS = """
    the and of to is are was were be been being this that these those with for from by will would
    should shall have has had it its which who whom whose their they them we our us not as at if
    into than there what when where how can could also such each more most other about between
    through under over any all many only very been may might must do does did while because
"""

_FRENCH_WORDS = """
    le la les des du un une et est sont dans pour par sur avec qui que ce cette ces nous vous ils
    elles leur leurs au aux pas ne se sa ses été être avoir mais où comme aussi entre sans sous
    très tout tous toute toutes donc lors afin dont ainsi il elle je notre nos votre vos
    cela ceci même chaque selon auprès depuis lorsque puis ont sera seront peut doit
"""

ENGLISH = frozenset(_ENGLISH_WORDS.split())
FRENCH = frozenset(_FRENCH_WORDS.split())

#: a word, with a trailing apostrophe kept so that French elisions (l', qu') can be recognised
_WORDS = re.compile(r"[^\W\d_]+['’]?")
_ELIDED = frozenset({"l", "d", "qu", "j", "n", "c", "s", "m", "t", "jusqu", "lorsqu", "puisqu"})
_FRENCH_CHARS = frozenset("àâæçéèêëîïôœùûüÿ")
#: weight of one accented word (French-specific characters) relative to one function word
ACCENT_WEIGHT = 0.5


def detect_language(text: str) -> str | None:
    """Return ``"en"``, ``"fr"`` or ``None`` (too little text, or no clear majority)."""
    if not text:
        return None
    sample = text[:SAMPLE_CHARS]
    words = _WORDS.findall(sample.lower())[:SAMPLE_WORDS]
    if len(words) < MIN_WORDS:
        return None
    en = 0.0
    fr = 0.0
    for w in words:
        if w[-1] in "'’":
            w = w[:-1]
            if w in _ELIDED:
                fr += 1  # l'eau, d'un, qu'elle: French elision
                continue
        if w in ENGLISH:
            en += 1
        elif w in FRENCH:
            fr += 1
        elif not _FRENCH_CHARS.isdisjoint(w):
            fr += ACCENT_WEIGHT
    if en + fr < MIN_HITS or en == fr:
        return None
    return "en" if en > fr else "fr"
