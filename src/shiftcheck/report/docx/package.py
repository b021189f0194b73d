"""The input package read whole and written back: every member in its order with its own date and
compression, replaced parts swapped in, new parts added; and the relationship and content type of
a new comments part spliced into the existing bytes."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import Path
from xml.sax.saxutils import quoteattr

from lxml import etree

from shiftcheck.report.docx.ooxml import COMMENTS_TYPE, CT_NS, REL_NS, parser, serialize, splice

_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    RuntimeError,
    EOFError,
    ValueError,
)


class Package:
    """The input package: its members in order, read whole (the reader has checked its sizes)."""

    def __init__(self, path: Path, display: str) -> None:
        from shiftcheck.errors import CorruptDocument

        with zipfile.ZipFile(path) as zf:
            self.infos = list(zf.infolist())
            self.data = {}
            for info in self.infos:
                try:
                    self.data[info.filename] = zf.read(info)
                except _READ_ERRORS:
                    raise CorruptDocument(
                        display,
                        f"has a damaged part ({info.filename}), so no reviewed copy can be written",
                        "Open it in Word and save it again, or use another --format",
                    ) from None
        self.by_key = {
            i.filename.replace("\\", "/").lstrip("/").lower(): i.filename for i in self.infos
        }

    def name(self, part: str) -> str | None:
        """The member name of ``part`` as the package spells it (case and slashes), or None."""
        return self.by_key.get(part.replace("\\", "/").lstrip("/").lower())

    def write(self, replaced: dict[str, bytes], added: dict[str, bytes]) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
            for info in self.infos:
                data = replaced.get(info.filename, self.data[info.filename])
                clone = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                clone.compress_type = (
                    info.compress_type
                    if info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
                    else zipfile.ZIP_DEFLATED
                )
                clone.external_attr = info.external_attr
                clone.create_system = info.create_system
                out.writestr(clone, data)
            for name, data in added.items():
                info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data)
        return buf.getvalue()


def rels_name(part: str) -> str:
    """The relationships part of ``part`` (``word/_rels/document.xml.rels``)."""
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def comments_part_of(pkg: Package, main: str, rels_member: str | None) -> str | None:
    """The member holding the comments of the main part ``main``, when it has one."""
    if rels_member is None:
        return None
    rels_root = etree.fromstring(pkg.data[rels_member], parser())
    for rel in rels_root:
        if (
            isinstance(rel.tag, str)
            and (rel.get("Type") or "").endswith("/comments")
            and (rel.get("TargetMode") or "").lower() != "external"
        ):
            target = rel.get("Target") or ""
            name = (
                target.lstrip("/")
                if target.startswith("/")
                else posixpath.normpath(posixpath.join(posixpath.dirname(main), target))
            )
            if pkg.name(name) is not None:
                return pkg.name(name)
    return None


def link_comments(
    pkg: Package,
    rels_part: str,
    rels_member: str | None,
    name: str,
    target: str,
    rel_type: str,
    added: dict[str, bytes],
) -> dict[str, bytes]:
    """The relationship from the main part to the new comments part ``name`` and its content-type
    entry, spliced into the existing bytes (re-serialized only when a part is written unusually).
    -> the replaced members; a relationships part the main part lacked goes into ``added``."""
    out: dict[str, bytes] = {}
    if rels_member is not None:
        out[rels_member] = _add_relationship(pkg.data[rels_member], rel_type, target)
    else:
        added[rels_part] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Relationships xmlns="{REL_NS}"><Relationship Id="rId1" Type={quoteattr(rel_type)} Target={quoteattr(target)}/></Relationships>'
        ).encode()
    ct_member = pkg.name("[Content_Types].xml")
    if ct_member is not None:
        out[ct_member] = _add_content_type(pkg.data[ct_member], name)
    return out


def _add_relationship(data: bytes, rel_type: str, target: str) -> bytes:
    root = etree.fromstring(data, parser())
    used = {rel.get("Id") for rel in root if isinstance(rel.tag, str)}
    n = len(used) + 1
    while f"rId{n}" in used:
        n += 1
    return _append(data, root, REL_NS, "Relationship", Id=f"rId{n}", Type=rel_type, Target=target)


def _add_content_type(data: bytes, name: str) -> bytes:
    root = etree.fromstring(data, parser())
    return _append(data, root, CT_NS, "Override", PartName="/" + name, ContentType=COMMENTS_TYPE)


def _append(data: bytes, root: etree._Element, ns: str, name: str, **attrs: str) -> bytes:
    """``data`` (whose parsed root is ``root``) with one empty element ``name`` added last: spliced
    in as text before the closing tag when the part is written the usual way (the root in the
    default namespace ``ns``), else re-serialized."""
    if root.prefix is None and root.tag.startswith(f"{{{ns}}}"):
        element = f"<{name} " + " ".join(f"{k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
        spliced = splice(data, f"</{etree.QName(root).localname}>".encode(), element.encode())
        if spliced is not None:
            return spliced
    etree.SubElement(root, f"{{{ns}}}{name}", **attrs)
    return serialize(data, root)
