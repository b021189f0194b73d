"""The reviewed copy of a DOCX input: the document read again with the XML paragraph behind each
block, one comment placed per quoted sentence, the summary on the title, and the package written
back with only the anchored parts and the comments part changed."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from shiftcheck.model import Location, Report
from shiftcheck.report._common import tr_for
from shiftcheck.report.docx.anchor import (
    anchor_around,
    anchor_exact,
    anchor_paragraphs,
    atoms,
    find,
    note_of,
    note_reference,
)
from shiftcheck.report.docx.ooxml import (
    COMMENTS_REL,
    W_STRICT,
    W_TRANSITIONAL,
    Marks,
    local,
    max_annotation_id,
    parser,
    serialize,
)
from shiftcheck.report.docx.package import Package, comments_part_of, link_comments, rels_name
from shiftcheck.report.docx.words import Comment, Paragraphs, comments_of, summary_paragraphs

if TYPE_CHECKING:  # pragma: no cover
    from shiftcheck.limits import Limits
    from shiftcheck.report import RenderOptions
    from shiftcheck.report.i18n import Translator

DEFAULT_AUTHOR = "shiftcheck"

#: blocks that never carry the summary comment (the title is the first other block)
_NOT_TITLE = ("footnote", "endnote", "header", "footer")


def annotate(
    report: Report,
    source: str | Path,
    *,
    author: str = DEFAULT_AUTHOR,
    limits: Limits | None = None,
    summary_only: bool = False,
    opts: RenderOptions | None = None,
) -> bytes:
    """The DOCX at ``source`` with the review of ``report`` as Word comments (see the package doc).
    Raises the reader's :class:`~shiftcheck.errors.InputError` when the file cannot be read."""
    tr = tr_for(report, opts)
    copy = _Copy(Path(source), str(source), limits)
    for c in [] if summary_only else comments_of(report):
        copy.place(c, report, tr)
    copy.place_summary(summary_paragraphs(report, tr, copy.unplaced))
    return copy.write(author)


def _main_part(roots: dict[str, etree._Element], sources: dict[int, list]) -> str:
    """The part the body's blocks were read from (``word/document.xml`` as a rule)."""
    main = next(
        (
            n
            for n, r in roots.items()
            if local(r) in ("document", "body")
            and any(ps and ps[0].getroottree().getroot() is r for ps in sources.values())
        ),
        None,
    )
    if main is None:
        main = next((n for n, r in roots.items() if local(r) == "document"), "word/document.xml")
    return main


def _namespace(main_root: etree._Element | None) -> str:
    """The WordprocessingML namespace of the main part: transitional or strict."""
    w = main_root.nsmap.get("w") if main_root is not None else None
    if w in (W_TRANSITIONAL, W_STRICT):
        return w
    if main_root is not None and main_root.tag.startswith(f"{{{W_STRICT}}}"):
        return W_STRICT
    return W_TRANSITIONAL


class _Copy:
    """The document being annotated: its parsed parts, the comments placed so far, and the parts
    they changed."""

    def __init__(self, path: Path, display: str, limits: Limits | None) -> None:
        from shiftcheck.limits import DEFAULT_LIMITS
        from shiftcheck.readers.docx import read_with_sources

        self.doc, self.sources, self.roots = read_with_sources(
            path, display, limits or DEFAULT_LIMITS, parser=parser()
        )
        self.pkg = Package(path, display)
        self.main = _main_part(self.roots, self.sources)
        self.main_root = self.roots.get(self.main)
        self.w = _namespace(self.main_root)
        self.marks = Marks(self.w)
        self.rels_part = rels_name(self.main)
        self.rels_member = self.pkg.name(self.rels_part)
        self.comments_part = comments_part_of(self.pkg, self.main, self.rels_member)
        self.comments_root = (
            etree.fromstring(self.pkg.data[self.comments_part], parser())
            if self.comments_part
            else None
        )
        in_use = [*self.roots.values()]
        if self.comments_root is not None:
            in_use.append(self.comments_root)
        self.next_id = max_annotation_id(in_use) + 1
        self.blocks = {b.index: b for b in self.doc.blocks}
        self.part_of = {id(r): n for n, r in self.roots.items()}
        self.changed: set[str] = set()
        self.placed: list[tuple[int, Paragraphs]] = []
        self.unplaced: list[Comment] = []

    def new_id(self) -> int:
        cid, self.next_id = self.next_id, self.next_id + 1
        return cid

    def changes(self, el: etree._Element) -> None:
        """The part holding ``el`` is to be written back."""
        self.changed.add(self.part_of.get(id(el.getroottree().getroot()), self.main))

    def cells(self, index: int | None, at: Location) -> list[list[etree._Element]]:
        """The paragraphs of the block at ``index``, one list per table cell of its row."""
        if index is None or index not in self.sources:
            return []
        b, blocks = self.blocks.get(index), self.blocks
        cells = [self.sources[index]]
        if b is not None and b.table is not None and b.row is not None and at.row is not None:
            n = index + 1
            while (
                n in blocks
                and blocks[n].kind == b.kind
                and blocks[n].table == b.table
                and blocks[n].row == b.row
            ):
                cells.append(self.sources.get(n, []))
                n += 1
        return [c for c in cells if c]

    def place(self, c: Comment, report: Report, tr: Translator) -> None:
        """Comment ``c`` on its quote; on the paragraph when the quote is no longer there; on a
        note's reference mark for a quote in a note; among the unplaced when nowhere."""
        cells = self.cells(c.location.paragraph, c.location)
        if not cells:
            self.unplaced.append(c)
            return
        note = note_of(cells[0][0])
        if note is not None:
            self._place_on_note(c, note, report, tr)
            return
        cid = self.new_id()
        hit = find([[atoms(p) for p in cell] for cell in cells], c.quote)
        if hit is not None:
            anchor_exact(hit[0], hit[1], cid, self.marks)
        else:
            c.whole_paragraph = True
            anchor_paragraphs([p for cell in cells for p in cell], cid, self.marks)
        self.changes(cells[0][0])
        self.placed.append((cid, c.paragraphs(report, tr)))

    def _place_on_note(
        self, c: Comment, note: tuple[str, str], report: Report, tr: Translator
    ) -> None:
        """A quote in a footnote or endnote: on the note's reference mark in the text (Word and
        LibreOffice both show it; LibreOffice cannot open a comment inside a note)."""
        mark = note_reference(self.main_root, *note) if self.main_root is not None else None
        if mark is None:
            self.unplaced.append(c)
            return
        cid = self.new_id()
        c.in_note = (note[0], mark[1])
        anchor_around(mark[0], cid, self.marks)
        self.changed.add(self.main)
        self.placed.append((cid, c.paragraphs(report, tr)))

    def place_summary(self, summary: Paragraphs) -> None:
        """The summary on the title: the first body paragraph with text."""
        title_ps = next(
            (
                self.sources[b.index]
                for b in self.doc.blocks
                if b.index in self.sources and b.kind.value not in _NOT_TITLE
            ),
            None,
        )
        if title_ps:
            cid = self.new_id()
            anchor_paragraphs(title_ps[:1], cid, self.marks)
            self.changes(title_ps[0])
            self.placed.insert(0, (cid, summary))

    def write(self, author: str) -> bytes:
        """The package with the comments part and every changed part."""
        replaced, added = self._comments(author)
        for part in self.changed:
            member = self.pkg.name(part)
            if member is not None:
                replaced[member] = serialize(self.pkg.data[member], self.roots[part])
        return self.pkg.write(replaced, added)

    def _comments(self, author: str) -> tuple[dict[str, bytes], dict[str, bytes]]:
        """The existing comments part extended (ids above every id in use), or a new one linked
        from the main part. -> (replaced, added) members."""
        replaced: dict[str, bytes] = {}
        added: dict[str, bytes] = {}
        root = self.comments_root
        if root is not None and self.comments_part is not None:
            cw = root.tag[1:].split("}")[0] if root.tag.startswith("{") else self.w
            marks = Marks(cw)
            for cid, paras in self.placed:
                root.append(marks.comment(cid, author, paras))
            replaced[self.comments_part] = serialize(self.pkg.data[self.comments_part], root)
        elif self.placed:
            name = self._new_comments_name()
            root = etree.Element(f"{{{self.w}}}comments", nsmap={"w": self.w})
            for cid, paras in self.placed:
                root.append(self.marks.comment(cid, author, paras))
            added[name] = etree.tostring(
                root, encoding="UTF-8", xml_declaration=True, standalone=True
            )
            target = posixpath.relpath(name, posixpath.dirname(self.main) or ".")
            link = link_comments(
                self.pkg,
                self.rels_part,
                self.rels_member,
                name,
                target,
                COMMENTS_REL[self.w],
                added,
            )
            replaced.update(link)
        return replaced, added

    def _new_comments_name(self) -> str:
        folder = posixpath.dirname(self.main)
        name = posixpath.join(folder, "comments.xml")
        n = 1
        while self.pkg.name(name) is not None:
            name = posixpath.join(folder, f"comments{n}.xml")
            n += 1
        return name
