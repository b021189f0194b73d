"""The DOCX package: the zip, its relationships and a safe XML parser. Every resource limit (zip
bombs, entity bombs, XML depth) is enforced here, before a byte is parsed."""

from __future__ import annotations

import contextlib
import posixpath
import zipfile
import zlib
from pathlib import Path
from urllib.parse import unquote

from lxml import etree

from shiftcheck.errors import CorruptDocument, LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers.docx.ooxml import _MAIN_TYPES, BOMB_HINT, ZIP_HINT


def _key(name: str) -> str:
    """Zip member lookup key: case-insensitive, forward slashes, no leading slash."""
    return name.replace("\\", "/").lstrip("/").lower()


class _Package:
    """The zip, its relationships and a safe XML parser. Every limit is enforced here."""

    def __init__(self, path: Path, display: str, limits: Limits) -> None:
        self.display = display
        self.limits = limits
        self.warnings: list[str] = []
        self.entity_parts: list[str] = []
        try:
            self.zf = zipfile.ZipFile(path)
            infos = self.zf.infolist()
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            OSError,
            EOFError,
            ValueError,
            KeyError,
        ):
            raise CorruptDocument(
                display, "is not a valid DOCX (damaged or truncated zip)", ZIP_HINT
            ) from None
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size >= 1024 * 1024 and limits.max_zip_ratio:
                ratio = info.file_size / max(info.compress_size, 1)
                if ratio > limits.max_zip_ratio:
                    self.close()
                    raise LimitExceeded(
                        display,
                        f"looks like a zip bomb ({info.filename} expands {ratio:.0f}x, over the {limits.max_zip_ratio:.0f}x limit)",
                        f"{BOMB_HINT} (limits.max_zip_ratio in the config)",
                    )
        if limits.max_unzipped_bytes and total > limits.max_unzipped_bytes:
            self.close()
            raise LimitExceeded(
                display,
                f"looks like a zip bomb (it expands to {total / 1048576:.0f} MB, over the {limits.max_unzipped_bytes / 1048576:.0f} MB limit)",
                f"{BOMB_HINT} (limits.max_unzipped_mb in the config)",
            )
        self.budget = limits.max_unzipped_bytes or None
        self.names: dict[str, str] = {}
        for info in infos:
            if not info.is_dir():
                self.names.setdefault(_key(info.filename), info.filename)
        self.parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.zf.close()

    def has(self, name: str) -> bool:
        return self._real(name) is not None

    def _real(self, name: str) -> str | None:
        real = self.names.get(_key(name))
        if real is None and "%" in name:
            real = self.names.get(_key(unquote(name)))
        return real

    def read_bytes(self, name: str) -> bytes | None:
        real = self._real(name)
        if real is None:
            return None
        info = self.zf.getinfo(real)
        cap = info.file_size
        if self.budget is not None and cap > self.budget:
            raise LimitExceeded(
                self.display,
                "looks like a zip bomb (its parts expand past the size limit)",
                BOMB_HINT,
            )
        try:
            with self.zf.open(info) as fh:
                data = fh.read(cap + 1)
        except NotImplementedError:  # an unusual compression method
            raise CorruptDocument(
                self.display, f"has a part compressed in an unsupported way ({real})", ZIP_HINT
            ) from None
        except RuntimeError:  # zip-level password on a member
            raise CorruptDocument(
                self.display, f"has a password-protected zip part ({real})", ZIP_HINT
            ) from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError):
            raise CorruptDocument(
                self.display, "is not a valid DOCX (damaged or truncated zip)", ZIP_HINT
            ) from None
        if len(data) > cap:
            raise LimitExceeded(
                self.display, "looks like a zip bomb (a part is larger than declared)", BOMB_HINT
            )
        if self.budget is not None:
            self.budget -= len(data)
        return data

    def xml(self, name: str, *, required: bool = False) -> etree._Element | None:
        """Parse one part safely. Optional parts that are broken are skipped with a warning."""
        data = self.read_bytes(name)
        if data is None:
            return None
        try:
            root = etree.fromstring(data, self.parser)
        except etree.XMLSyntaxError as e:
            msg = str(e)
            if "depth" in msg.lower():
                raise LimitExceeded(
                    self.display,
                    f"nests XML elements too deeply in {name} (over {min(self.limits.max_xml_depth, 256)} levels)",
                    "Open it in Word and save a clean copy",
                ) from None
            if "amplification" in msg.lower() or "entity reference loop" in msg.lower():
                raise LimitExceeded(
                    self.display,
                    f"looks like an XML entity bomb ('billion laughs' declarations in {name})",
                    "Do not open it; ask the sender for a clean copy",
                ) from None
            root = self._recover(data)
            if root is None:
                if required:
                    raise CorruptDocument(
                        self.display,
                        f"has a damaged main document part ({name}: {msg[:80]})",
                        ZIP_HINT,
                    ) from None
                self.warnings.append(f"{name} is damaged and was skipped")
                return None
            self.warnings.append(
                f"{name} is malformed XML; its text was recovered as far as possible"
            )
        dtd = root.getroottree().docinfo.internalDTD
        if dtd is not None and any(True for _ in dtd.iterentities()):
            self.entity_parts.append(name)
        return root

    def _recover(self, data: bytes) -> etree._Element | None:
        parser = etree.XMLParser(
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            recover=True,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            return etree.fromstring(data, parser)
        except etree.XMLSyntaxError:
            return None

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, type, target part name) for a part's internal relationships."""
        folder, base = posixpath.split(part.lstrip("/"))
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        try:
            root = self.xml(rels_name)
        except LimitExceeded:
            raise
        except CorruptDocument:
            root = None
        out: list[tuple[str, str, str]] = []
        if root is None:
            return out
        for el in root:
            if not isinstance(el.tag, str) or not el.tag.endswith("Relationship"):
                continue
            try:  # a recovered parse of a damaged part can hold undecodable attribute bytes
                mode, target = el.get("TargetMode") or "", el.get("Target") or ""
                rid, rtype = el.get("Id") or "", el.get("Type") or ""
            except (UnicodeDecodeError, ValueError):
                continue
            if mode.lower() == "external":
                continue
            if not target:
                continue
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            out.append((rid, rtype, name))
        return out

    def main_part(self) -> str:
        for _, rtype, target in self.rels(""):
            if rtype.endswith("/officeDocument") and self.has(target):
                return target
        ct = None
        try:
            ct = self.xml("[Content_Types].xml")
        except CorruptDocument:
            ct = None
        if ct is not None:
            for el in ct:
                ctype = el.get("ContentType") or ""
                part = el.get("PartName") or ""
                if part and any(k in ctype for k in _MAIN_TYPES) and self.has(part):
                    return part.lstrip("/")
        for guess in ("word/document.xml", "word/document2.xml"):
            if self.has(guess):
                return guess
        raise CorruptDocument(
            self.display, "is not a valid DOCX (it has no main document part)", ZIP_HINT
        )
