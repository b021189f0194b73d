"""A tiny hand-written PDF generator for reader tests.

Raw PDF syntax, uncompressed content streams, the base-14 fonts Helvetica (``/F1``) and
Helvetica-Bold (``/F2``) with WinAnsi encoding (so ``•`` and ``–`` work), a correct xref table.
Positions are PDF points from the bottom-left corner; ``y`` is the text baseline.

    pdf = PdfBuilder(title="A title")
    page = pdf.page()
    page.text(72, 720, "1 Introduction", size=16, bold=True)
    page.lines(72, 690, ["first line of a paragraph", "second line"], size=11)
    path.write_bytes(pdf.bytes())

``PdfBuilder(user_password="x")`` encrypts the file with the PDF standard security handler
(RC4 40-bit, revision 2); an empty ``user_password`` gives a file that opens without a prompt.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

LETTER = (612.0, 792.0)


def _escape(text: str) -> bytes:
    raw = text.encode("cp1252")
    return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


@dataclass
class Page:
    width: float = LETTER[0]
    height: float = LETTER[1]
    ops: list[bytes] = field(default_factory=list)

    def text(self, x: float, y: float, text: str, size: float = 11, bold: bool = False) -> Page:
        font = b"/F2" if bold else b"/F1"
        self.ops.append(b"BT %s %g Tf %g %g Td (%s) Tj ET" % (font, size, x, y, _escape(text)))
        return self

    def lines(
        self,
        x: float,
        y: float,
        lines: list[str],
        size: float = 11,
        leading: float | None = None,
        bold: bool = False,
    ) -> float:
        """Write lines top-down from baseline ``y``; return the baseline after the last one."""
        step = leading if leading is not None else size * 1.2
        for ln in lines:
            self.text(x, y, ln, size=size, bold=bold)
            y -= step
        return y

    def image_only(self) -> Page:
        """Draw a filled rectangle (a page with marks but no text, like a scan)."""
        self.ops.append(b"0.5 g 72 72 200 300 re f")
        return self

    def content(self) -> bytes:
        return b"\n".join(self.ops) + b"\n"


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")
_P = -44


def _rc4(key: bytes, data: bytes) -> bytes:
    s = list(range(256))
    j = 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def _padded(password: str) -> bytes:
    return (password.encode("latin-1") + _PAD)[:32]


class _Rc4Security:
    """Standard security handler, V1 R2 (PDF 1.4 spec, algorithms 3.1-3.4)."""

    def __init__(self, user: str, owner: str, file_id: bytes) -> None:
        owner_key = hashlib.md5(_padded(owner or user)).digest()[:5]
        self.o = _rc4(owner_key, _padded(user))
        self.key = hashlib.md5(
            _padded(user) + self.o + _P.to_bytes(4, "little", signed=True) + file_id
        ).digest()[:5]
        self.u = _rc4(self.key, _PAD)

    def encrypt(self, num: int, data: bytes) -> bytes:
        obj_key = hashlib.md5(
            self.key + num.to_bytes(3, "little") + (0).to_bytes(2, "little")
        ).digest()[:10]
        return _rc4(obj_key, data)

    def dictionary(self) -> bytes:
        return b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            self.o.hex().encode(),
            self.u.hex().encode(),
            _P,
        )


@dataclass
class PdfBuilder:
    title: str | None = None
    pages: list[Page] = field(default_factory=list)
    #: encrypt with this user password (RC4 40-bit); None: no encryption
    user_password: str | None = None
    owner_password: str = "owner"

    def page(self, width: float = LETTER[0], height: float = LETTER[1]) -> Page:
        p = Page(width, height)
        self.pages.append(p)
        return p

    def bytes(self) -> bytes:
        objects: list[bytes] = []  # object n is objects[n - 1]
        file_id = hashlib.md5(repr((self.title, [p.ops for p in self.pages])).encode()).digest()
        sec = (
            _Rc4Security(self.user_password, self.owner_password, file_id)
            if self.user_password is not None
            else None
        )

        def protect(data: bytes) -> bytes:
            return sec.encrypt(len(objects) + 1, data) if sec else data

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"")  # filled below
        pages_obj = add(b"")
        f1 = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
        )
        f2 = add(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>"
        )
        kids = []
        for p in self.pages:
            data = protect(p.content())
            stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(data), data))
            kids.append(
                add(
                    b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %g %g] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> >> >>"
                    % (pages_obj, p.width, p.height, stream, f1, f2)
                )
            )
        objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages_obj
        objects[pages_obj - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
            b" ".join(b"%d 0 R" % k for k in kids),
            len(kids),
        )
        info = None
        if self.title:
            title = protect(self.title.encode("cp1252")).hex().encode()
            info = add(b"<< /Title <%s> >>" % title)
        encrypt = add(sec.dictionary()) if sec else None

        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for n, body in enumerate(objects, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
        for off in offsets:
            out += b"%010d 00000 n \n" % off
        trailer = b"<< /Size %d /Root %d 0 R" % (len(objects) + 1, catalog)
        if info:
            trailer += b" /Info %d 0 R" % info
        if encrypt:
            trailer += b" /Encrypt %d 0 R" % encrypt
        trailer += b" /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
        out += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
        return bytes(out)
