"""Surface variations a writer's editor introduces must never change a verdict."""

from __future__ import annotations

import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from shiftcheck.document import Block, Document
from shiftcheck.engine import analyze
from shiftcheck.rubric import load_rubric
from shiftcheck.rubric.loader import load_rubric_text

RUBRIC = load_rubric(Path(__file__).parent / "rubrics" / "mini.yaml")

SENTENCES = [
    "The Ministry of Health approves the annual workplan each December.",
    "We will not create a parallel reporting system.",
    "Instead of a parallel system, all data flow into DHIS2.",
    "An exit strategy will be developed in Year 2.",
    "Community feedback is outside the scope of this project.",
    "We avoid the word 'beneficiaries' and say participants instead.",
    "Our approach is country-led, sustainable and community-centred.",
    "A steering committee chaired by the implementer meets twice a year.",
    "Le projet ne créera pas de système parallèle de rapportage.",
]


def signature(text: str, lang: str = "en"):
    doc = Document(path="p", format="text", blocks=[Block(text=text, index=1)])
    res = analyze(doc, RUBRIC, lang)
    return sorted((m.kind, m.key, m.status, m.strength or "", m.mechanisms) for m in res.matches)


def _lang(s: str) -> str:
    return "fr" if "projet" in s else "en"


def _vary(text: str, data) -> str:
    out = []
    for word in text.split(" "):
        choice = data.draw(st.sampled_from(["same", "upper", "title", "soft", "curly"]))
        if choice == "upper":
            word = word.upper()
        elif choice == "title":
            word = word.title()
        elif choice == "soft" and len(word) > 5 and word.isalpha():
            word = word[:3] + "\u00ad" + word[3:]
        elif choice == "curly":
            word = word.replace("'", "\u2019")
        out.append(word)
        out.append(data.draw(st.sampled_from([" ", "  ", "\n", " \t", "\u00a0"])))
    return "".join(out[:-1])


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(SENTENCES), st.data())
def test_case_whitespace_quotes_and_soft_hyphens_do_not_change_results(sentence, data):
    lang = _lang(sentence)
    assert signature(_vary(sentence, data), lang) == signature(sentence, lang)


def test_accents_matched_with_and_without():
    with_accents = signature("Le projet ne créera pas de système parallèle de rapportage.", "fr")
    without = signature("Le projet ne creera pas de systeme parallele de rapportage.", "fr")
    assert with_accents == without
    assert ("red_flag", "parallel-system", "rejected", "mentioned", ()) in with_accents


def test_ligatures_and_dashes_from_pdfs_normalize():
    assert signature(
        "The Ministry of Health approves the annual work\u00adplan each December."
    ) == signature(SENTENCES[0])
    assert signature("Co\u2011designed with the county.") == signature(
        "Co-designed with the county."
    )


def test_catastrophic_user_regex_cannot_hang_a_review():
    text = (Path(__file__).parent / "rubrics" / "mini.yaml").read_text(encoding="utf-8")
    evil = text.replace(
        "phrases: {en: [beneficiaries], fr: [beneficiaires]}",
        'phrases: {en: [beneficiaries, "re:(a|aa)+(b|c)*x$"], fr: [beneficiaires]}',
    )
    assert evil != text
    rubric = load_rubric_text(evil, "evil.yaml")
    doc = Document(
        path="p",
        format="text",
        blocks=[Block(text="a" * 5000 + " y. " * 3, index=1) for _ in range(20)],
    )
    t = time.perf_counter()
    res = analyze(doc, rubric, "en")
    assert time.perf_counter() - t < 5
    assert any("took too long" in w for w in res.warnings)


# --- document-wide regex search == sentence-by-sentence search --------------------------------

_PIECES = [
    "until",
    "the end of",
    "year",
    "2027",
    "criteria",
    "are met",
    "usd",
    "5,000",
    "$",
    "12",
    "%",
    "of the budget",
    "within",
    "six",
    "months",
    "targets",
    "district",
    "period of performance",
    "-",
    ":",
    ".",
    "q3",
    "x",
    # for the required-literal prefilter: case, a dotless i, currency, near-misses
    "Target",
    "TARGETS",
    "\u0131ncome",
    "income",
    "\u20ac",
    "\u00a3",
    "budgat",
    "Kit",
    "\u212a",
    "{e<=1}",
    "fc",
]
_EXTRA_REGEXES = [
    r"^the\b",  # anchored: searched sentence by sentence
    r"met$",
    r"\W{0,3}\d+",  # can reach across the separator
    r".{0,60}\bcriteria\b.{0,30}\bmet",  # greedy: a cross-sentence match hides a shorter one
    r"(?<![a-z])usd\s?\d",
    # required literals (sentences without one are not searched)
    r"TARGET",  # upper case stands for lower case
    r"INCOME",  # an upper-case I also matches a dotless i: no requirement
    r"[\u20ac\u00a3]\s?\d",  # currency symbols
    r"(?:budget){e<=1}",  # fuzzy in the regex module: no requirement
    r"[[:digit:]]+",  # a POSIX class in the regex module: no requirement
    r"\bK",  # the Kelvin sign is normalized to k
    r"(?:fc|)\d",  # an empty alternative: no requirement
    r"(?:within|until)\s+(?:six|12)\s+months?",
    r"[x-z]{2,}|q[1-4]",
    r"(?!x)the(?=\s)",  # lookarounds require nothing
    # lookarounds that can see past the end of the sentence: searched sentence by sentence
    r"the(?=.*met)",
    r"(?<=met.{0,40})the",
    r"year(?!.*district)",
    r"met.{0,40}\Kthe",  # the regex module's \K: the match started in the sentence before
    r"(?i:Period) of|end OF",
]


def _compiled_with_extras():
    from shiftcheck.engine.patterns import Owner, _compile_regex, compile_language

    comp = compile_language(load_rubric(None), "en")
    for i, rx in enumerate(_EXTRA_REGEXES):
        comp.regexes.append(
            (Owner("vocab", 0, f"extra{i}", "re:" + rx), _compile_regex(rx, "test"))
        )
    return comp


_COMP = _compiled_with_extras()


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_PIECES), min_size=0, max_size=12), min_size=1, max_size=8)
)
def test_document_wide_regex_search_finds_what_sentence_search_finds(sentences):
    from shiftcheck.engine.normalize import normalize_plain, word_spans

    norms = [normalize_plain(" ".join(s)) for s in sentences]
    starts = [[a for a, _ in word_spans(n)] for n in norms]
    together = _COMP.match_regex_all(norms, lambda i: starts[i])
    one_by_one = [_COMP.match_regex(n, lambda i=i: starts[i]) for i, n in enumerate(norms)]
    key = lambda hits: sorted((h.owner.key, h.owner.phrase, h.start, h.end) for h in hits)  # noqa: E731
    assert [key(h) for h in together] == [key(h) for h in one_by_one]


def test_required_literals_of_some_patterns():
    from shiftcheck.engine.patterns import required_literals

    assert required_literals(r"\b(?:19|20)\d\d\b") == ("19", "20")
    assert required_literals(r"https?:|www\.") == ("http", "www.")
    assert required_literals(r"TARGETS?") == ("target",)
    assert required_literals(r"[$\u20ac]\d") == ("$", "\u20ac")
    assert required_literals(r"INCOME") == ("ncome",)  # I also matches a dotless i
    for none in [r"\d+", r"(?:a|)b?", r"fo{e<=1}", r"[[:alpha:]]", r"\p{L}", r"x*"]:
        assert required_literals(none) is None, none


@settings(max_examples=400, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from(_PIECES),
            st.text(alphabet="aeiIkKsS\u0131\u017f\u212a $%\u20ac0129-", max_size=6),
        ),
        max_size=10,
    ),
    st.data(),
)
def test_a_sentence_a_regex_matches_holds_one_of_its_required_literals(pieces, data):
    from shiftcheck.engine.normalize import normalize_plain

    idx = data.draw(st.integers(0, len(_COMP.regexes) - 1))
    norm = normalize_plain(" ".join(pieces))
    need = _COMP._need(idx)
    if need is not None and _COMP._regex(idx).search(norm):
        assert any(lit in norm for lit in need)


def test_a_slow_machine_does_not_switch_off_a_rubric_regex():
    """A regex is dropped only when one sentence takes REGEX_TIMEOUT (0.25 s), not on a scheduling
    hiccup: the shipped rubric's year pattern must still count on a long document."""
    text = " ".join(f"Milestone {i} is due in {2026 + i % 4}." for i in range(3000))
    doc = Document(path="p", format="text", blocks=[Block(text=text, index=1)])
    res = analyze(doc, load_rubric(None), "en")
    assert not res.warnings
