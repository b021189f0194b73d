"""Hostile DOCX packages: zip bombs, entity bombs, external entities, deep nesting, truncation.

Every case must end with a Document or one documented one-line InputError, quickly, and never read
a local file or touch the network."""

from __future__ import annotations

import socket
import struct
import zipfile

import pytest

from shiftcheck.errors import CorruptDocument, LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.sandbox import read_guarded

from ..readers.docx_fixtures import DECL, DEFAULT_STYLES, NSDECL, make_docx, p
from .hardening_util import outcome

BODY = p("Governance", "Heading1") + p("The Ministry of Health chairs the steering committee.")


def guarded(path, limits=None, timeout=15):
    return outcome(lambda: read_guarded(path, limits, display=path.name, timeout=timeout))


# -- zip bombs ---------------------------------------------------------------------------------


def test_one_member_with_a_huge_compression_ratio(tmp_path):
    f = make_docx(
        tmp_path / "ratio.docx", BODY, extra_members={"word/media/pad.bin": bytes(40 * 1024 * 1024)}
    )
    assert f.stat().st_size < 200_000
    _doc, err, _ = guarded(f)
    assert isinstance(err, LimitExceeded) and "zip bomb" in err.problem and "expands" in err.problem


def test_many_members_over_the_unzipped_limit(tmp_path):
    # 900 KB members stay under the per-member ratio check; together they pass the total limit
    members = {f"word/media/p{i}.bin": bytes(900 * 1024) for i in range(40)}
    f = make_docx(tmp_path / "many.docx", BODY, extra_members=members)
    _doc, err, _ = guarded(f, Limits(max_unzipped_bytes=20 * 1024 * 1024))
    assert isinstance(err, LimitExceeded) and "zip bomb" in err.problem and "MB" in err.problem


def _lie_about_size(path, member: str, declared: int) -> None:
    """Patch the local header and central directory so ``member`` claims ``declared`` bytes."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo(member)
    # local file header: uncompressed size at offset 22
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    # central directory entry: find it by its signature and file name
    name = member.encode()
    pos = -1
    while True:
        pos = data.find(b"PK\x01\x02", pos + 1)
        assert pos != -1
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + n]) == name:
            struct.pack_into("<I", data, pos + 24, declared)
            break
    path.write_bytes(bytes(data))


def test_a_member_larger_than_declared(tmp_path):
    pad = " " * (30 * 1024 * 1024)
    body = p("Governance", "Heading1") + p("Text." + pad)
    f = make_docx(tmp_path / "liar.docx", body)
    _lie_about_size(f, "word/document.xml", 2000)
    _doc, err, _ = guarded(f)
    assert err is not None and isinstance(err, LimitExceeded | CorruptDocument)


# -- XML entities --------------------------------------------------------------------------------

LAUGHS = '<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(2, 10)
).replace("&lol1;", "&lol;")
PARTS = ("document", "styles", "footnotes")


def _hostile_part(part: str, dtd: str, ref: str) -> dict[str, str]:
    """Keyword arguments for make_docx with ``dtd`` in part ``part`` and ``ref`` used in its text."""
    if part == "document":
        root = "w:document"
        return {
            "document_xml": f"{DECL}<!DOCTYPE {root} [{dtd}]><w:document {NSDECL}><w:body>{BODY}"
            f"{p('Injected: ' + ref)}<w:sectPr/></w:body></w:document>"
        }
    if part == "styles":
        return {
            "styles_xml": f"{DECL}<!DOCTYPE w:styles [{dtd}]><w:styles {NSDECL}>{DEFAULT_STYLES}"
            f'<w:style w:type="paragraph" w:styleId="X"><w:name w:val="{ref}"/></w:style></w:styles>'
        }
    return {
        "footnotes_xml": f"{DECL}<!DOCTYPE w:footnotes [{dtd}]><w:footnotes {NSDECL}>"
        f'<w:footnote w:id="1">{p("Note: " + ref)}</w:footnote></w:footnotes>'
    }


@pytest.mark.parametrize("part", PARTS)
def test_billion_laughs(tmp_path, part):
    ref = "&lol9;"
    f = make_docx(
        tmp_path / f"laughs-{part}.docx", BODY, footnotes="", **_hostile_part(part, LAUGHS, ref)
    )
    doc, err, took = guarded(f)
    assert took < 5
    if doc is not None:
        assert "lollollol" not in doc.text() and len(doc.text()) < 10_000
    else:
        assert isinstance(err, LimitExceeded | CorruptDocument)


@pytest.fixture
def listener():
    """A local TCP port that records whether anything connected to it."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.setblocking(False)
    yield srv
    srv.close()


def _connected(srv: socket.socket) -> bool:
    try:
        conn, _ = srv.accept()
    except BlockingIOError:
        return False
    conn.close()
    return True


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("kind", ["file", "http", "parameter"])
def test_external_entities_are_never_fetched(tmp_path, part, kind, listener):
    port = listener.getsockname()[1]
    url = f"http://127.0.0.1:{port}/evil.dtd"
    if kind == "file":
        dtd, ref = '<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"
    elif kind == "http":
        dtd, ref = f'<!ENTITY xxe SYSTEM "{url}">', "&xxe;"
    else:
        dtd, ref = f'<!ENTITY % remote SYSTEM "{url}"> %remote;', "plain"
    f = make_docx(
        tmp_path / f"xxe-{part}-{kind}.docx", BODY, footnotes="", **_hostile_part(part, dtd, ref)
    )
    doc, err, took = guarded(f)
    assert took < 5
    assert not _connected(listener)
    if doc is not None:
        text = "\n".join(b.text for b in doc.blocks) + (doc.title or "")
        assert "root:" not in text
    else:
        assert "root:" not in err.line()


def test_external_entity_in_core_properties(tmp_path):
    f = make_docx(tmp_path / "core.docx", BODY, core_title="Title")
    data = {}
    with zipfile.ZipFile(f) as zf:
        for n in zf.namelist():
            data[n] = zf.read(n)
    data["docProps/core.xml"] = (
        data["docProps/core.xml"]
        .replace(b"?>", b'?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
        .replace(b">Title<", b">&xxe;<")
    )
    with zipfile.ZipFile(f, "w") as zf:
        for n, b in data.items():
            zf.writestr(n, b)
    doc, _err, _ = guarded(f)
    assert doc is not None and "root:" not in (doc.title or "") + doc.text()


# -- nesting -------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [300, 100_000])
def test_xml_nested_deeper_than_libxml2_allows(tmp_path, depth):
    inner = "<w:sdt><w:sdtContent>" * depth + p("deep") + "</w:sdtContent></w:sdt>" * depth
    f = make_docx(tmp_path / "deep.docx", BODY + inner)
    _doc, err, took = guarded(f)  # so repetitive that it is also caught as a zip bomb
    assert isinstance(err, LimitExceeded) and (
        "too deeply" in err.problem or "zip bomb" in err.problem
    )
    _doc, err, took = guarded(f, Limits(max_zip_ratio=0))
    assert isinstance(err, LimitExceeded) and "too deeply" in err.problem
    assert took < 5


def test_nesting_beyond_max_xml_depth(tmp_path):
    inner = (
        "<w:p><w:r>"
        + "<w:hyperlink>" * 80
        + "<w:r><w:t>deep</w:t></w:r>"
        + "</w:hyperlink>" * 80
        + "</w:r></w:p>"
    )
    f = make_docx(tmp_path / "deep.docx", BODY + inner)
    doc, err, _ = guarded(f, Limits(max_xml_depth=50))
    assert isinstance(err, LimitExceeded) and "deep" in err.problem
    doc, err, _ = guarded(f)  # within the default limit: read
    assert doc is not None and "deep" in doc.text()


def test_tables_nested_deeply(tmp_path):
    cell = p("innermost")
    for _ in range(60):
        cell = f"<w:tbl><w:tr><w:tc>{cell}</w:tc></w:tr></w:tbl>"
    f = make_docx(tmp_path / "tables.docx", BODY + cell)
    doc, err, _ = guarded(f, Limits(max_xml_depth=64))
    assert doc is not None or isinstance(err, LimitExceeded)


# -- truncation and garbage ----------------------------------------------------------------------


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_docx(tmp_path, fraction):
    whole = make_docx(tmp_path / "whole.docx", BODY * 50).read_bytes()
    f = tmp_path / "cut.docx"
    f.write_bytes(whole[: int(len(whole) * fraction)])
    _doc, err, _ = guarded(f)
    assert isinstance(err, CorruptDocument)


def test_docx_that_is_not_a_zip(tmp_path):
    f = tmp_path / "fake.docx"
    f.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 40)
    _doc, err, _ = guarded(f)
    assert err is not None


def test_namespace_with_a_surrogate_reference_gives_one_line(tmp_path):
    """Found by bench/fuzz.py (docx:5:xml-insert:999998270): ``&#xD800;`` inside a namespace URI
    survives lxml's recovering parser as bytes that are not UTF-8, and reading an element's tag
    raised UnicodeDecodeError."""
    import docx as python_docx

    from shiftcheck.readers import read

    d = python_docx.Document()
    d.add_paragraph("The county approves the plan.")
    src = tmp_path / "ok.docx"
    d.save(str(src))
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"wordprocessingml/2006/main", b"wordprocessingml/20&#xD800;06/main", 1
                )
            zout.writestr(info, data)
    with pytest.raises(CorruptDocument) as e:
        read(bad, display="bad.docx")
    assert (
        e.value.line()
        == "bad.docx: is not a valid DOCX (its XML holds names that are not UTF-8). Open it in Word and save it again"
    )
