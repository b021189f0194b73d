"""Turn the bytes of a text or Markdown file into a ``str``, whatever the editor saved.

Order of decisions (first match wins):

1. a byte-order mark: UTF-8, UTF-32 LE/BE, UTF-16 LE/BE;
2. UTF-16 without a BOM, recognised by NUL bytes on every other position (ASCII-range text);
3. strict UTF-8;
4. mostly-valid UTF-8 with a few damaged bytes (decoded with U+FFFD replacements);
5. Windows-1252 (what Word and Notepad on Windows call "ANSI"), then Latin-1, which accepts every
   byte, so decoding never fails.

Line endings are normalised to ``\\n`` (CRLF and lone CR), a leading BOM and NUL characters are
removed. The result says which encoding was used and, when it was a guess, carries a warning for
``Document.warnings``.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

_BOMS: tuple[tuple[bytes, str], ...] = (
    # UTF-32 first: its LE BOM starts with the UTF-16 LE BOM
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    #: the codec used ("utf-8", "utf-16-le", "cp1252", ...)
    encoding: str
    #: set when the encoding was guessed or bytes were damaged; meant for Document.warnings
    warning: str | None = None


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data``; never raises. Newlines are normalised to ``\\n``."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            body = data[len(bom) :]
            text = body.decode(codec, errors="replace")
            warning = _damage_warning(text, codec)
            return Decoded(_normalise(text), codec, warning)

    utf16 = _bomless_utf16(data)
    if utf16:
        text = data.decode(utf16, errors="replace")
        return Decoded(_normalise(text), utf16, _damage_warning(text, utf16))

    try:
        return Decoded(_normalise(data.decode("utf-8")), "utf-8")
    except UnicodeDecodeError:
        pass

    loose = data.decode("utf-8", errors="replace")
    bad = loose.count("\ufffd")
    good = sum(1 for ch in loose if ord(ch) > 127) - bad
    if good >= 2 * bad and good >= 3:
        # a UTF-8 file with a few damaged bytes: cp1252 would garble every accented letter
        return Decoded(
            _normalise(loose), "utf-8", f"{bad} byte(s) were not valid UTF-8 and were replaced"
        )

    try:
        text = data.decode("cp1252")
        codec = "cp1252"
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        text = data.decode("latin-1")
        codec = "latin-1"
    return Decoded(_normalise(text), codec, f"not UTF-8; decoded as {codec} (Windows/Latin-1)")


def _bomless_utf16(data: bytes) -> str | None:
    """Recognise BOM-less UTF-16 by its NUL pattern (Latin-script text has a 0 high byte)."""
    sample = data[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) - len(sample) % 2]
    half = len(sample) // 2
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.1 * half:
        return "utf-16-le"  # "a\x00b\x00"
    if even_nuls > 0.4 * half and odd_nuls < 0.1 * half:
        return "utf-16-be"  # "\x00a\x00b"
    return None


def _damage_warning(text: str, codec: str) -> str | None:
    bad = text.count("\ufffd")
    return f"{bad} character(s) could not be decoded as {codec} and were replaced" if bad else None


def _normalise(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text
