"""A tiny hand-written PDF generator for reader tests.

Raw PDF syntax, uncompressed content streams, the base-14 fonts Helvetica (``/F1``) and
Helvetica-Bold (``/F2``) with WinAnsi encoding (so ``•`` and ``–`` work), a correct xref table.
Positions are PDF points from the bottom-left corner; ``y`` is the text baseline.

    pdf = PdfBuilder(title="A title")
    page = pdf.page()
    page.text(72, 720, "1 Introduction", size=16, bold=True)
    page.lines(72, 690, ["first line of a paragraph", "second line"], size=11)
    path.write_bytes(pdf.bytes())
"""

from __future__ import annotations

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

    def lines(self, x: float, y: float, lines: list[str], size: float = 11, leading: float | None = None, bold: bool = False) -> float:
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


@dataclass
class PdfBuilder:
    title: str | None = None
    pages: list[Page] = field(default_factory=list)

    def page(self, width: float = LETTER[0], height: float = LETTER[1]) -> Page:
        p = Page(width, height)
        self.pages.append(p)
        return p

    def bytes(self) -> bytes:
        objects: list[bytes] = []  # object n is objects[n - 1]

        def add(body: bytes) -> int:
            objects.append(body)
            return len(objects)

        catalog = add(b"")  # filled below
        pages_obj = add(b"")
        f1 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        kids = []
        for p in self.pages:
            data = p.content()
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
        info = add(b"<< /Title (%s) /Producer (pdfgen) >>" % _escape(self.title)) if self.title else None

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
        out += b"trailer\n%s >>\nstartxref\n%d\n%%%%EOF\n" % (trailer, xref)
        return bytes(out)
