"""Program strings of every report format, one catalog per language (``en.py``, ``fr.py``).

>>> from shiftcheck.report.i18n import translator
>>> tr = translator("fr")
>>> tr("head.evidence")
'Éléments probants'
>>> tr.n("count.flags", 2)
'2 signaux d’alerte'

Keys are dotted names; values are :meth:`str.format` templates. Both catalogs hold the same keys
(a test checks it). Rubric text (shift titles, messages, suggestions) is not here: it lives in the
rubric YAML beside the English (see :mod:`shiftcheck.report.localize`).

A plural key has two forms, ``key#one`` and ``key#other``; :meth:`Translator.n` picks one (French
counts 0 and 1 as singular, English only 1).
"""

from __future__ import annotations

from functools import cache

#: report languages shiftcheck speaks
LANGUAGES = ("en", "fr")
DEFAULT = "en"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The catalog of ``lang`` (English for an unknown language)."""
    if lang == "fr":
        from shiftcheck.report.i18n.fr import STRINGS
    else:
        from shiftcheck.report.i18n.en import STRINGS
    return STRINGS


def resolve(option: str | None, document_language: str | None) -> str:
    """The report language for ``--report-lang option`` (``auto``/None: the document's own
    language when shiftcheck speaks it, else English)."""
    if option and option != "auto":
        return option if option in LANGUAGES else DEFAULT
    return document_language if document_language in LANGUAGES else DEFAULT


class Translator:
    """``tr(key, **values)`` -> the string of ``key`` in this language, formatted."""

    __slots__ = ("_strings", "lang")

    def __init__(self, lang: str) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT
        self._strings = catalog(self.lang)

    def __call__(self, key: str, **values: object) -> str:
        text = self._strings.get(key)
        if (
            text is None
        ):  # a key missing in this catalog: the English one (the parity test forbids it)
            text = catalog(DEFAULT)[key]
        return text.format(**values) if values else text

    def n(self, key: str, count: int, **values: object) -> str:
        """The plural form of ``key`` for ``count`` (``{n}`` in the template is the count)."""
        one = count == 1 or (self.lang == "fr" and count == 0)
        return self(f"{key}#{'one' if one else 'other'}", n=count, **values)

    def join(self, items: list[str]) -> str:
        """``a, b and c`` / ``a, b et c``."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self("word.and") + items[-1]

    def join_or(self, items: list[str]) -> str:
        """``a, b or c`` / ``a, b ou c``."""
        items = [i for i in items if i]
        if len(items) <= 1:
            return "".join(items)
        return ", ".join(items[:-1]) + self("word.or") + items[-1]


@cache
def translator(lang: str | None) -> Translator:
    return Translator(lang or DEFAULT)
