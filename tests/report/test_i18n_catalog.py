"""The program-string catalogs: the same keys in every language, the same placeholders, plural
keys in pairs."""

from __future__ import annotations

import string

import pytest

from shiftcheck.report.i18n import LANGUAGES, catalog, resolve, translator


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_exists_in_every_language():
    en = catalog("en")
    for lang in LANGUAGES:
        keys = set(catalog(lang))
        assert keys - set(en) == set(), f"{lang} has keys English lacks"
        assert set(en) - keys == set(), f"{lang} lacks keys"


@pytest.mark.parametrize("lang", [lg for lg in LANGUAGES if lg != "en"])
def test_placeholders_agree(lang):
    en, other = catalog("en"), catalog(lang)
    wrong = {
        k: (_fields(en[k]), _fields(other[k])) for k in en if _fields(en[k]) != _fields(other[k])
    }
    assert wrong == {}


def test_plural_keys_come_in_pairs():
    for lang in LANGUAGES:
        bases = {k.split("#")[0] for k in catalog(lang) if "#" in k}
        for b in bases:
            assert {f"{b}#one", f"{b}#other"} <= set(catalog(lang)), b


def test_french_is_french_and_plurals_follow_french_rules():
    tr = translator("fr")
    assert tr.n("count.flags", 0) == "0 signal d’alerte"
    assert tr.n("count.flags", 2) == "2 signaux d’alerte"
    assert translator("en").n("count.flags", 0) == "0 red flags"
    assert (
        tr.join(["qui décide", "un budget", "un calendrier"])
        == "qui décide, un budget et un calendrier"
    )


def test_resolve_auto_follows_the_document():
    assert resolve("auto", "fr") == "fr"
    assert resolve(None, "en") == "en"
    assert resolve("auto", None) == "en"
    assert resolve("en", "fr") == "en"
    assert resolve("fr", "en") == "fr"
