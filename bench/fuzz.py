#!/usr/bin/env python3
"""Mutation fuzzing of the DOCX and PDF readers, through the sandbox (shiftcheck.sandbox), of the
YAML loaders (rubric, configuration, waivers), and of the Markdown and text readers with the engine.

Usage:
    python bench/fuzz.py --cases 10000 [--seconds 0] [--jobs N] [--timeout 10] [--seed 1]
    python bench/fuzz.py --repro 'docx:3:zip-rename:123456:auto'     # re-run one case, keep the file
    python bench/fuzz.py --targets yaml --cases 10000                 # rubric, config and waivers targets
    python bench/fuzz.py --repro 'config:0:alias:123456'              # re-run one YAML case
    python bench/fuzz.py --targets prose --cases 10000                # markdown and text targets
    python bench/fuzz.py --repro 'markdown:2:nest:123456'             # re-run one Markdown case

The YAML targets (and the Markdown and text targets, run by the same per-case harness) are
described above ``yaml_main`` below.

Seeds: small DOCX written with python-docx, small PDFs written by tests/readers/pdfgen.py (plain and
FlateDecode), examples/*.docx|pdf, and ../shared/corpus/{docx,pdf,synthetic} when present (files
under 400 KB). Each case picks a seed, a mutation and a random seed (all printed, so any case can be
replayed with --repro) and reads the result with ``read_guarded`` (PDFs with the auto or the
pdfminer engine). Outcomes:

    document   a Document came back
    error      a one-line InputError (the distinct messages are counted, paths and numbers masked)
    timeout    the read was stopped at its time limit (--timeout plus 3x the seed's own clean read
               time, measured first) with the documented one-line error: the mutation made it much
               slower than its seed, and the limit did its job
    hang       a read that ran more than 5 s past its limit (the limit failed to stop it)
    native     a C-level crash in the child (``crashed the ... reader``): contained, but notable
    bug        an unexpected Python exception inside a reader, turned into CorruptDocument by
               ``readers.read()`` (``(SomeError: ...)``): contained, but a reader should say why
    crash      anything else escaping ``read_guarded`` (must be 0), or a multi-line message

The mutators below are also used by tests/hardening/test_fuzz.py.
"""

from __future__ import annotations

import argparse
import collections
import io
import itertools
import os
import random
import re
import sys
import tempfile
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
MAX_SEED_BYTES = 400 * 1024

# ---------------------------------------------------------------------------------------------
# DOCX mutations (zip level, then XML bytes inside members)

XML_JUNK = [
    b"<w:p>", b"</w:p>", b"<w:t>", b"</w:body>", b"<w:tbl><w:tr>", b"&lol;", b"&#0;", b"&#xD800;",
    b"<!DOCTYPE x [<!ENTITY a 'b'>]>", b"<![CDATA[", b"]]>", b"\x00", b"\xff\xfe", b"<?xml ?>",
    b'xmlns:w="urn:x"', b"<w:outlineLvl w:val='99999999999'/>", b"<w:gridSpan w:val='-7'/>",
    b"<w:numPr><w:ilvl w:val='100000'/></w:numPr>", b'r:id="rId999"', b"<w:sym w:char='D800'/>",
    b"<mc:AlternateContent>", b"<w:footnoteReference w:id='x'/>",
]  # fmt: skip


def _zip_members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [(i.filename, zf.read(i)) for i in zf.infolist()]


def _zip_pack(members: list[tuple[str, bytes]], rng: random.Random) -> bytes:
    buf = io.BytesIO()
    method = rng.choice([zipfile.ZIP_DEFLATED, zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # duplicate names are the point
        with zipfile.ZipFile(buf, "w", method) as zf:
            for name, body in members:
                zf.writestr(name, body)
    return buf.getvalue()


def _xml_indexes(members: list[tuple[str, bytes]]) -> list[int]:
    return [i for i, (n, _) in enumerate(members) if n.endswith((".xml", ".rels"))] or list(
        range(len(members))
    )


def _flip(body: bytes, rng: random.Random, n: int | None = None) -> bytes:
    if not body:
        return body
    b = bytearray(body)
    for _ in range(n or rng.randint(1, 8)):
        b[rng.randrange(len(b))] = rng.randrange(256)
    return bytes(b)


def _insert(body: bytes, rng: random.Random, junk: list[bytes]) -> bytes:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(body))
        body = body[:at] + rng.choice(junk) + body[at:]
    return body


def docx_drop(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    if len(m) > 1:
        del m[rng.randrange(len(m))]
    return _zip_pack(m, rng)


def docx_duplicate(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    i = rng.randrange(len(m))
    name, body = m[i]
    other = m[rng.randrange(len(m))][1]
    m.insert(rng.randrange(len(m) + 1), (name, rng.choice([body, other, _flip(body, rng)])))
    return _zip_pack(m, rng)


def docx_rename(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    i = rng.randrange(len(m))
    name, body = m[i]
    choice = rng.randrange(4)
    if choice == 0:
        name = name.upper()
    elif choice == 1:
        name = "/" + name
    elif choice == 2 and name:
        k = rng.randrange(len(name))
        name = name[:k] + rng.choice("abc./\\_") + name[k + 1 :]
    else:
        name = m[rng.randrange(len(m))][0]  # two members, one name
    m[i] = (name, body)
    return _zip_pack(m, rng)


def docx_xml_flip(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    i = rng.choice(_xml_indexes(m))
    m[i] = (m[i][0], _flip(m[i][1], rng))
    return _zip_pack(m, rng)


def docx_xml_truncate(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    i = rng.choice(_xml_indexes(m))
    body = m[i][1]
    m[i] = (m[i][0], body[: rng.randint(0, max(0, len(body) - 1))])
    return _zip_pack(m, rng)


def docx_xml_insert(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    i = rng.choice(_xml_indexes(m))
    m[i] = (m[i][0], _insert(m[i][1], rng, XML_JUNK))
    return _zip_pack(m, rng)


def docx_content_types(data: bytes, rng: random.Random) -> bytes:
    m = _zip_members(data)
    for i, (name, body) in enumerate(m):
        if name == "[Content_Types].xml":
            op = rng.randrange(4)
            if op == 0:
                body = _flip(body, rng, 20)
            elif op == 1:
                body = body[: len(body) // 2]
            elif op == 2:
                body = body.replace(b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")
            else:
                body = b"<Types/>"
            m[i] = (name, body)
    return _zip_pack(m, rng)


def docx_zip_bytes(data: bytes, rng: random.Random) -> bytes:
    """Damage the container itself: flip bytes or cut the file."""
    if rng.random() < 0.5:
        return _flip(data, rng, rng.randint(1, 16))
    return data[: rng.randint(1, len(data) - 1)]


DOCX_MUTATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "zip-drop": docx_drop,
    "zip-duplicate": docx_duplicate,
    "zip-rename": docx_rename,
    "xml-flip": docx_xml_flip,
    "xml-truncate": docx_xml_truncate,
    "xml-insert": docx_xml_insert,
    "content-types": docx_content_types,
    "zip-bytes": docx_zip_bytes,
}

# ---------------------------------------------------------------------------------------------
# PDF mutations

PDF_JUNK = [
    b"<<", b">>", b"[", b"]", b" 0 0 R ", b" 99999 0 R ", b"/Length 999999999", b"/Filter /FlateDecode",
    b"/Type /Pages", b"/Kids [1 0 R]", b"endobj", b"stream\n", b"endstream", b"(", b")", b"\\",
    b"/Count -1", b"/Count 2147483648", b" 1e99999 ", b"BT", b"ET", b"Tj", b"q Q q", b"/F1 0 Tf",
    b"xref\n0 1\n", b"trailer << >>", b"%%EOF",
]  # fmt: skip
_OBJ = re.compile(rb"\d+ \d+ obj\b.*?endobj", re.S)
_XREF_ROW = re.compile(rb"\d{10} \d{5} [nf]")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_STREAM = re.compile(rb"stream\r?\n")
_NUMBER = re.compile(rb"(?<![\w.])-?\d+(?:\.\d+)?")


def pdf_flip(data: bytes, rng: random.Random) -> bytes:
    return _flip(data, rng, rng.randint(1, 24))


def pdf_xref(data: bytes, rng: random.Random) -> bytes:
    rows = list(_XREF_ROW.finditer(data))
    b = bytearray(data)
    if rows and rng.random() < 0.7:
        for _ in range(rng.randint(1, 4)):
            r = rng.choice(rows)
            b[r.start() : r.start() + 10] = b"%010d" % rng.choice(
                [0, 1, len(data) // 2, len(data) * 9, rng.randrange(len(data))]
            )
        return bytes(b)
    found = list(_STARTXREF.finditer(data))
    if not found:
        return pdf_flip(data, rng)
    value = b"%d" % rng.choice([0, 1, -1, len(data), 10**12, rng.randrange(len(data))])
    m = found[-1]
    return data[: m.start(1)] + value + data[m.end(1) :]


def pdf_stream_truncate(data: bytes, rng: random.Random) -> bytes:
    starts = [m.end() for m in _STREAM.finditer(data)]
    if not starts or rng.random() < 0.25:
        return data[: rng.randint(1, len(data) - 1)]
    s = rng.choice(starts)
    end = data.find(b"endstream", s)
    if end == -1:
        end = len(data)
    cut = rng.randint(s, end)
    if rng.random() < 0.5:  # remove part of the stream, keep the rest of the file
        return data[:cut] + data[end:]
    return data[:cut]  # the file ends inside the stream


def pdf_duplicate(data: bytes, rng: random.Random) -> bytes:
    objs = list(_OBJ.finditer(data))
    if not objs:
        return pdf_flip(data, rng)
    o = rng.choice(objs)
    chunk = o.group(0)
    if rng.random() < 0.5:
        chunk = _flip(chunk, rng, 2)
    at = rng.choice([o.end(), rng.choice(objs).start(), len(data)])
    return data[:at] + b"\n" + chunk + b"\n" + data[at:]


def pdf_insert(data: bytes, rng: random.Random) -> bytes:
    return _insert(data, rng, PDF_JUNK)


def pdf_numbers(data: bytes, rng: random.Random) -> bytes:
    nums = list(_NUMBER.finditer(data[:200_000]))
    if not nums:
        return pdf_flip(data, rng)
    for _ in range(rng.randint(1, 4)):
        m = rng.choice(nums)
        value = b"%d" % rng.choice([0, -1, 2**31, 2**63, 10**40, rng.randrange(1 << 16)])
        data = data[: m.start()] + value + data[m.end() :]
        nums = list(_NUMBER.finditer(data[:200_000]))
    return data


def pdf_inflate_bomb(data: bytes, rng: random.Random) -> bytes:
    """Replace a stream by a FlateDecode stream that inflates to 16-256 MB of filler."""
    s = _STREAM.search(data)
    if s is None:
        return pdf_flip(data, rng)
    end = data.find(b"endstream", s.end())
    if end == -1:
        return pdf_flip(data, rng)
    z = zlib.compressobj(1)
    filler = rng.choice([b"\0", b" ", b"q ", b"(a) Tj "]) * (1 << 18)
    body = z.compress(b"BT /F1 9 Tf 72 700 Td (bomb) Tj ET\n") + b"".join(
        z.compress(filler) for _ in range(rng.choice([16, 64, 256]) * 4)
    )
    body += z.flush()
    dict_start = data.rfind(b"<<", 0, s.start())
    if dict_start == -1:
        return pdf_flip(data, rng)
    head = b"<< /Length %d /Filter /FlateDecode >>\n" % len(body)
    return data[:dict_start] + head + b"stream\n" + body + b"\n" + data[end:]


PDF_MUTATORS: dict[str, Callable[[bytes, random.Random], bytes]] = {
    "flip": pdf_flip,
    "xref": pdf_xref,
    "stream-truncate": pdf_stream_truncate,
    "duplicate-object": pdf_duplicate,
    "insert": pdf_insert,
    "numbers": pdf_numbers,
    "inflate-bomb": pdf_inflate_bomb,
}

MUTATORS = {"docx": DOCX_MUTATORS, "pdf": PDF_MUTATORS}


def mutate(kind: str, op: str, data: bytes, rng_seed: int) -> bytes:
    rng = random.Random(rng_seed)
    try:
        out = MUTATORS[kind][op](data, rng)
    except (zipfile.BadZipFile, ValueError, KeyError, EOFError, zlib.error, OSError):
        out = _flip(data, rng)  # the seed itself is not a valid zip: flip instead
    return out or b"\0"


# ---------------------------------------------------------------------------------------------
# seeds


def python_docx_seed() -> bytes:
    import docx

    d = docx.Document()
    d.core_properties.title = "Fuzz seed"
    d.add_heading("1 Governance", level=1)
    d.add_paragraph("The Ministry of Health chairs the steering committee; it meets each quarter.")
    d.add_heading("1.1 Sustainability", level=2)
    d.add_paragraph(
        "Costs move to the district budget from 2027 (25% a year).", style="List Bullet"
    )
    t = d.add_table(rows=2, cols=3)
    for r in range(2):
        for c in range(3):
            t.cell(r, c).text = f"cell {r}-{c}"
    d.sections[0].header.paragraphs[0].text = "Header text"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def pdfgen_seeds() -> list[bytes]:
    if str(ROOT) not in sys.path:  # run as a script (python bench/fuzz.py): the tests package
        sys.path.insert(0, str(ROOT))
    from tests.readers.pdfgen import PdfBuilder

    pdf = PdfBuilder(title="Fuzz seed")
    for i in range(3):
        page = pdf.page()
        page.text(72, 720, f"{i + 1} Governance", size=16, bold=True)
        page.lines(
            72,
            690,
            ["The county health team leads the annual review.", "• Budget: 25% in 2027"] * 4,
        )
    plain = pdf.bytes()
    # the same file with FlateDecode content streams (and therefore a recomputed xref)
    objs = [m.group(0) for m in _OBJ.finditer(plain)]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for o in objs:
        s = o.find(b"stream\n")
        if s != -1:
            e = o.rfind(b"\nendstream")
            body = zlib.compress(o[s + 7 : e])
            num = o[: o.find(b" obj")]
            o = (
                num
                + b" obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream\nendobj"
                % (len(body), body)
            )
        offsets.append(len(out))
        out += o + b"\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return [plain, bytes(out)]


def corpus_files(kind: str) -> list[Path]:
    files: list[Path] = []
    for folder in (CORPUS / kind, CORPUS / "synthetic"):
        if folder.is_dir():
            files += sorted(
                p for p in folder.glob(f"*.{kind}") if 0 < p.stat().st_size <= MAX_SEED_BYTES
            )
    return files


def load_seeds(include_corpus: bool = True) -> dict[str, list[tuple[str, bytes]]]:
    seeds: dict[str, list[tuple[str, bytes]]] = {
        "docx": [("python-docx", python_docx_seed())],
        "pdf": [],
    }
    seeds["pdf"] += [("pdfgen", pdfgen_seeds()[0]), ("pdfgen-flate", pdfgen_seeds()[1])]
    for kind in ("docx", "pdf"):
        for p in sorted((ROOT / "examples").glob(f"*.{kind}")):
            seeds[kind].append((f"examples/{p.name}", p.read_bytes()))
        if include_corpus:
            for p in corpus_files(kind):
                seeds[kind].append((f"corpus/{p.name}", p.read_bytes()))
    return seeds


# ---------------------------------------------------------------------------------------------
# running cases

_SEEDS: dict[str, list[tuple[str, bytes]]] = {}
_TMP = ""
_TIMEOUT = 10.0
#: seconds a clean read of each (kind, seed index, engine) takes; a case's limit is --timeout plus
#: three times its seed's own time
_BASELINE: dict[tuple[str, int, str], float] = {}
_NUM = re.compile(r"\d+(?:\.\d+)?")


def classify(path: Path, kind: str, engine: str, timeout: float) -> tuple[str, str]:
    """(outcome, detail) for one file; see the module doc."""
    from shiftcheck.errors import InputError
    from shiftcheck.limits import Limits
    from shiftcheck.sandbox import read_guarded

    try:
        read_guarded(
            path,
            Limits(timeout=timeout, max_memory_mb=1024),
            pdf_engine=engine,
            display="F",
            timeout=timeout,
        )
        return "document", ""
    except InputError as e:
        line = e.line()
        if "\n" in line or not line.startswith("F: "):
            return "crash", f"bad message: {line!r}"
        if "took longer than" in line or "took more than" in line:
            return "timeout", line
        if "crashed the" in line:
            return "native", line
        if "could not be read as" in line and re.search(r"\([A-Z]\w*: ", line):  # read() catch-all
            return "bug", line
        return "error", line
    except Exception as e:
        return "crash", f"{e.__class__.__name__}: {e}"


def message_key(line: str) -> str:
    return _NUM.sub("N", line.removeprefix("F: "))


def _init(
    seeds: dict[str, list[tuple[str, bytes]]],
    tmp: str,
    timeout: float,
    baseline: dict[tuple[str, int, str], float] | None = None,
) -> None:
    global _SEEDS, _TMP, _TIMEOUT, _BASELINE
    _SEEDS, _TMP, _TIMEOUT, _BASELINE = seeds, tmp, timeout, baseline or {}


def case_timeout(kind: str, idx: int, engine: str) -> float:
    return _TIMEOUT + 3 * _BASELINE.get((kind, idx, engine), 0.0)


def time_seed(key: tuple[str, int, str]) -> tuple[tuple[str, int, str], float]:
    """How long a clean read of one seed takes with one engine (capped at 60 s)."""
    kind, idx, engine = key
    path = Path(_TMP) / f"seed-{os.getpid()}.{kind}"
    path.write_bytes(_SEEDS[kind][idx][1])
    t = time.perf_counter()
    classify(path, kind, engine, 60.0)
    return key, time.perf_counter() - t


def run_case(case: tuple[str, int, str, int, str]) -> tuple[tuple, str, str, float]:
    kind, idx, op, rng_seed, engine = case
    data = _SEEDS[kind][idx][1]
    path = Path(_TMP) / f"case-{os.getpid()}.{kind}"
    path.write_bytes(mutate(kind, op, data, rng_seed))
    limit = case_timeout(kind, idx, engine)
    t = time.perf_counter()
    outcome, detail = classify(path, kind, engine, limit)
    took = time.perf_counter() - t
    if took > limit + 5:
        outcome, detail = (
            "hang",
            f"ran {took:.1f} s against a {limit:.0f} s limit ({outcome}: {detail})",
        )
    return case, outcome, detail, took


def case_id(case: tuple) -> str:
    kind, idx, op, rng_seed, engine = case
    return f"{kind}:{idx}:{op}:{rng_seed}:{engine}"


def parse_case(text: str) -> tuple[str, int, str, int, str]:
    kind, idx, op, rng_seed, engine = text.split(":")
    return kind, int(idx), op, int(rng_seed), engine


def cases(seeds: dict[str, list[tuple[str, bytes]]], rng: random.Random):
    while True:
        kind = rng.choice(["docx", "pdf"])
        idx = rng.randrange(len(seeds[kind]))
        op = rng.choice(sorted(MUTATORS[kind]))
        engine = rng.choice(["auto", "auto", "pdfminer"]) if kind == "pdf" else "auto"
        yield kind, idx, op, rng.randrange(1 << 31), engine


# ---------------------------------------------------------------------------------------------
# YAML targets: the rubric, configuration and waivers loaders (shiftcheck.yamlsafe underneath)
#
# Each case mutates a seed's text, then loads it in a forked child (so that the peak memory of each
# case is measured on its own, from wait4's rusage, and a case that never ends can be killed):
#
#     ok       the loader returned (a Rubric, an EffectiveConfig whose rule ids check out, waivers)
#     error    the documented error: a ShiftcheckError whose every line starts with the file's name
#     crash    any other exception, or an error line that does not start with the file's name
#     hang     the child ran past --yaml-timeout and was killed
#     memory   the child hit its address-space cap (--yaml-memory MB) (a crash, counted apart)

YAML_TARGETS = ("rubric", "config", "waivers")
#: the Markdown and text readers, then the engine on what they read, guarded as the command line
#: does (same harness: one forked child per case, its peak RSS from wait4). ``ok`` is a Report;
#: ``error`` a one-line error naming ``F.md``/``F.txt``; ``timeout`` the review stopped by its
#: PROSE_READ_TIMEOUT (the limit doing its job; the slow inputs are listed); ``hang`` a case still
#: running at --yaml-timeout (the limit failed); ``crash`` anything else.
PROSE_TARGETS = ("markdown", "text")
#: the time limit the prose targets read under (the harness kills a case after --yaml-timeout)
PROSE_READ_TIMEOUT = 5.0

SAMPLE_CONFIG = """\
# a sample configuration: every kind of key
rubric: critical-shifts
fail_under: 2
fail_under_overall: 0.5
fail_level: error
exit_zero: false
format: terminal
lang: auto
severity:
  sovereignty/parallel-system: error
  implementation-unit: warning
  shift-4/*: info
disable: [shift-9/*, country-driven/buy-in]
overrides:
  - paths: ["drafts/**", "*.txt"]
    fail_under: 1
    lang: fr
    severity: {shift-2/salary-top-ups: error}
    disable: [sovereignty/off-budget]
waivers: .shiftcheck-waivers.yaml
limits:
  max_size_mb: 50
  timeout: 60
  max_pages: 500
  max_memory_mb: 1024
  max_page_content_mb: 8
  max_unzipped_mb: 512
  max_zip_ratio: 100
  max_xml_depth: 128
pdf_engine: auto
jobs: 2
"""

SAMPLE_WAIVERS = """\
waivers:
  - rule: shift-2/parallel-system
    document: "docs/**/proposal*.docx"
    quote: "project implementation unit"
    section: "Sustainability"
    reason: "PIU required by the lender; sunset clause in 4.2"
    approved_by: "J. Doe"
    expires: 2026-12-31
  - rule: implementation-unit
    document: plan.md
    reason: reviewed
    approved_by: A. N. Other
"""

YAML_JUNK = [
    "&a ", "*a", "<<: *a\n", "!!python/object/apply:os.system [ls]", "!!python/name:os.system ", "!!int ",
    "!!float ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!map ", "!!seq ", "!!str ", "!custom ",
    "!<tag:yaml.org,2002:python/none> ", "? ", "- ", ": ", "[", "]", "{", "}", ",", "\t", "\n---\n", "\n...\n",
    "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "\x00", "\x07", "'", '"', "|\n", ">-\n", "#", "\ufeff", "\\", "~",
    "null", "1e999", "0x", "0o9", "9" * 5000, "\u2028", "\r", "&x [*x]", "\ud800", "é", "\U0001f600", "=",
]  # fmt: skip
YAML_VALUES = [
    "[]", "{}", "null", "-1", "0", "1e400", str(10**30), "true", "no", "1.5", "2020-01-01", "'x'",
    "[a, [b, [c]]]", "{a: 1}", "- a", "''", "*a", "&a x", "'" + "x" * 100_000 + "'", "!!binary AAAA",
]  # fmt: skip
_VALUE = re.compile(r"^(\s*-?\s*[\w/*-]+:)[ \t]*(\S.*)$", re.M)
_KEY = re.compile(r"^(\s*-?\s*)([\w-]+)(:)", re.M)


def _lines_of(text: str) -> list[str]:
    return text.split("\n")


def y_flip(text: str, rng: random.Random) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 8)):
        if chars:
            chars[rng.randrange(len(chars))] = chr(
                rng.choice(
                    [rng.randrange(32, 127), rng.randrange(0, 32), rng.randrange(0x80, 0x3000)]
                )
            )
    return "".join(chars)


def y_insert(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(YAML_JUNK) + text[at:]
    return text


def y_lines(text: str, rng: random.Random) -> str:
    lines = _lines_of(text)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        op = rng.randrange(4)
        if op == 0 and len(lines) > 1:
            del lines[i]
        elif op == 1:
            lines.insert(rng.randrange(len(lines) + 1), lines[i])
        elif op == 2:
            j = rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
        else:
            lines.insert(rng.randrange(len(lines) + 1), lines.pop(i))
    return "\n".join(lines)


def y_indent(text: str, rng: random.Random) -> str:
    lines = _lines_of(text)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(lines))
        line = lines[i]
        if rng.random() < 0.5 and line.startswith(" "):
            lines[i] = line[rng.randint(1, len(line) - len(line.lstrip(" ")) or 1) :]
        else:
            lines[i] = rng.choice([" ", "  ", "    ", "\t"]) + line
    return "\n".join(lines)


def y_truncate(text: str, rng: random.Random) -> str:
    return text[: rng.randint(0, max(0, len(text) - 1))]


def y_values(text: str, rng: random.Random) -> str:
    found = list(_VALUE.finditer(text))
    for _ in range(rng.randint(1, 3)):
        if not found:
            break
        m = rng.choice(found)
        text = text[: m.start(2)] + rng.choice(YAML_VALUES) + text[m.end(2) :]
        found = list(_VALUE.finditer(text))
    return text


def y_keys(text: str, rng: random.Random) -> str:
    found = list(_KEY.finditer(text))
    if not found:
        return y_insert(text, rng)
    m = rng.choice(found)
    key = m.group(2)
    op = rng.randrange(4)
    if op == 0 and len(key) > 1:  # misspell
        k = rng.randrange(len(key))
        key = key[:k] + key[k + 1 :]
    elif op == 1:  # another key of the file (a duplicate, or a key in the wrong place)
        key = rng.choice(found).group(2)
    elif op == 2:
        key = key.upper()
    else:
        key = rng.choice(
            ["<<", "? x", "[a]", "{a: 1}", "1", "null", "true", "2020-01-01", "x" * 300]
        )
    return text[: m.start(2)] + key + text[m.end(2) :]


def y_alias(text: str, rng: random.Random) -> str:
    """An anchor on one value and aliases to it elsewhere; or an alias bomb of 2-14 levels."""
    found = list(_VALUE.finditer(text))
    if rng.random() < 0.4 or not found:
        levels = rng.randint(2, 14)
        width = rng.randint(2, 12)
        names = [f"l{i}" for i in range(levels)]
        bomb = [f"{names[0]}: &{names[0]} [" + ", ".join(["lol"] * width) + "]"]
        bomb += [
            f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * width) + "]"
            for prev, cur in itertools.pairwise(names)
        ]
        lines = _lines_of(text)
        at = rng.choice([0, len(lines), rng.randrange(len(lines) + 1)])
        return "\n".join(lines[:at] + bomb + lines[at:])
    m = rng.choice(found)
    text = text[: m.start(2)] + "&fz " + text[m.start(2) :]
    for _ in range(rng.randint(1, 3)):
        found = list(_VALUE.finditer(text))
        other = rng.choice(found)
        if "&fz" in other.group(0):
            continue
        text = (
            text[: other.start(2)]
            + rng.choice(["*fz", "[*fz, *fz]", "{<<: *fz}"])
            + text[other.end(2) :]
        )
    return text


def y_nest(text: str, rng: random.Random) -> str:
    n = rng.choice([10, 60, 70, 200, 5000, 100_000])
    opener, closer = rng.choice([("[", "]"), ("{a: ", "}"), ("- ", "")])
    deep = (
        opener * n + "x" + closer * n
        if closer
        else "\n".join(" " * i + opener + "x" for i in range(min(n, 3000)))
    )
    found = list(_VALUE.finditer(text))
    if not found:
        return deep
    m = rng.choice(found)
    return text[: m.start(2)] + deep + text[m.end(2) :]


MD_JUNK = [
    "[", "]", "](", "![", "**", "__", "*", "_", "`", "```", "~~~", "<!--", "-->", "<div>", "</div>", "<", ">",
    "|", "| --- |", "---", "***", "# ", "###### ", "####### ", "[^1]", "[^1]: ", "\\", "&#0;", "&#xD800;",
    "&amp;", "\x00", "\x0c", "\r", "\r\n", "\t", "\u2028", "\ufeff", "\ud800", "tran-\nsition", "co-\ndesign",
    "1. ", "1) ", "- ", "+ ", "* ", "> ", "    ", "<script>", "</script>", "<style>", "http://x", "<x@y>",
    "<!-- shiftcheck: disable sovereignty/parallel-system -->", "\n\n", "=====\n", "-----\n", "é", "\U0001f600",
]  # fmt: skip


def m_nest(text: str, rng: random.Random) -> str:
    """A run of lines nested 2-5,000 levels deep: lists, quotes, or both, on one line or many."""
    depth = rng.choice([2, 9, 10, 11, 50, 51, 120, 600, 5000])
    marker = rng.choice(["- ", "1. ", "> ", "* > ", "  - "])
    words = rng.choice(["The Ministry chairs the committee.", "tran-", "x", "| a | b |", "```", ""])
    if rng.random() < 0.5:
        block = "".join(marker * (i + 1) + words + "\n" for i in range(min(depth, 800)))
    else:
        block = (
            "  " * depth + marker + words + "\n"
            if marker.strip() in "-*1."
            else marker * depth + words + "\n"
        )
    lines = _lines_of(text)
    at = rng.randrange(len(lines) + 1)
    return "\n".join(lines[:at]) + "\n" + block + "\n".join(lines[at:])


def m_long(text: str, rng: random.Random) -> str:
    """Long lines: the document on one line, or one line repeated to 20-300 KB."""
    if rng.random() < 0.4:
        return text.replace("\n", rng.choice([" ", "", "\t"]))
    lines = [x for x in _lines_of(text) if x.strip()] or ["x"]
    line = rng.choice(lines)
    size = rng.choice([20_000, 100_000, 300_000])
    long = (line + rng.choice([" ", "", "-"])) * (size // (len(line) + 1) + 1)
    i = rng.randrange(len(lines))
    return "\n".join([*lines[:i], long[:size], *lines[i:]])


def m_blocks(text: str, rng: random.Random) -> str:
    """Many blocks: a paragraph, heading, table row or list item repeated 100-20,000 times."""
    unit = rng.choice(
        [
            "Para.\n\n",
            "# H\n",
            "| a | b |\n",
            "- i\n",
            "> q\n>\n",
            "[^1]: n\n",
            "<!-- c -->\n",
            "```\n",
        ]
    )
    return text + "\n" + unit * rng.choice([100, 2000, 20_000])


def m_markup(text: str, rng: random.Random) -> str:
    for _ in range(rng.randint(1, 12)):
        at = rng.randint(0, len(text))
        text = text[:at] + rng.choice(MD_JUNK) * rng.choice([1, 1, 1, 3, 50, 2000]) + text[at:]
    return text


PROSE_MUTATORS: dict[str, Callable[[str, random.Random], str]] = {
    "flip": y_flip,
    "lines": y_lines,
    "indent": y_indent,
    "truncate": y_truncate,
    "markup": m_markup,
    "nest": m_nest,
    "long": m_long,
    "blocks": m_blocks,
    "front": lambda text, rng: "---\ntitle: T\n" + y_alias("k: v\n", rng) + "\n---\n" + text,
}


YAML_MUTATORS: dict[str, Callable[[str, random.Random], str]] = {
    "flip": y_flip,
    "insert": y_insert,
    "lines": y_lines,
    "indent": y_indent,
    "truncate": y_truncate,
    "values": y_values,
    "keys": y_keys,
    "alias": y_alias,
    "nest": y_nest,
}


def yaml_seeds() -> dict[str, list[tuple[str, str]]]:
    from shiftcheck.config import starter_config

    starter = "\n".join(
        line[2:]
        if line.startswith("# ")
        and (": " in line or line.endswith(":"))
        and "." not in line.split(":")[0]
        else line
        for line in starter_config().splitlines()
    )
    return {
        "rubric": [
            (
                "rubrics/critical-shifts.yaml",
                (ROOT / "rubrics" / "critical-shifts.yaml").read_text(encoding="utf-8"),
            ),
            (
                "tests/rubrics/mini.yaml",
                (ROOT / "tests" / "rubrics" / "mini.yaml").read_text(encoding="utf-8"),
            ),
        ],
        "config": [("sample config", SAMPLE_CONFIG), ("starter config", starter)],
        "waivers": [("sample waivers", SAMPLE_WAIVERS)],
        "markdown": _prose_seeds(),
        "text": _prose_seeds(),
    }


def _prose_seeds() -> list[tuple[str, str]]:
    files = (
        sorted((ROOT / "examples").glob("*.md"))
        + sorted((ROOT / "tests" / "fixtures" / "gaming").glob("*.md"))[:4]
    )
    seeds = [
        (str(f.relative_to(ROOT)), f.read_text(encoding="utf-8"))
        for f in files
        if f.name != "README.md"
    ]
    seeds.append(
        (
            "synthetic",
            "# Plan\n\n1. The Ministry chairs the committee.\n   - The county approves the budget.\n\n> A quote\n\n| a | b |\n|---|---|\n| c | d |\n",
        )
    )
    return seeds


def mutators_for(target: str) -> dict[str, Callable[[str, random.Random], str]]:
    return PROSE_MUTATORS if target in PROSE_TARGETS else YAML_MUTATORS


def yaml_mutate(op: str, text: str, rng_seed: int, target: str = "rubric") -> str:
    return mutators_for(target)[op](text, random.Random(rng_seed))


_YAML_RUBRIC: object = None  # the shipped rubric, for rule-id checks of configs and waivers


def yaml_load(target: str, text: str, folder: Path) -> None:
    """Load ``text`` as the target would be loaded at run time (raises on a bad file)."""
    from shiftcheck.rulecheck import check_rule_ids

    if target in PROSE_TARGETS:
        _prose_review(target, text, folder)
        return
    if target == "rubric":
        from shiftcheck.rubric.loader import load_rubric_text

        load_rubric_text(text, "F.yaml")
        return
    os.chdir(folder)  # error lines then start with 'F.yaml' (a forked child, or --repro)
    f = Path("F.yaml")
    f.write_text(text, encoding="utf-8", errors="surrogatepass")
    if target == "config":
        from shiftcheck.config import load_config

        eff = load_config(f, env={})
        eff.for_path("drafts/x.md")
        eff.rubric_for("notes.txt")
        check_rule_ids(eff, [_YAML_RUBRIC])
    else:
        from shiftcheck.waivers import load_waivers

        check_rule_ids(None, [_YAML_RUBRIC], load_waivers(f, required=True))


def _prose_review(target: str, text: str, folder: Path) -> None:
    """Review ``text`` as F.md or F.txt (bytes as UTF-8, lone surrogates kept) as the command line
    does: guarded, under a PROSE_READ_TIMEOUT time limit for the read and the analysis."""
    from shiftcheck.api import review
    from shiftcheck.limits import Limits

    os.chdir(folder)
    f = Path("F.md" if target == "markdown" else "F.txt")
    f.write_bytes(text.encode("utf-8", "surrogatepass"))
    review(
        f,
        _YAML_RUBRIC,
        limits=Limits(timeout=PROSE_READ_TIMEOUT, max_memory_mb=1024),
        display=f.name,
        guarded=True,
    )


def yaml_classify(target: str, text: str, folder: Path) -> tuple[str, str]:
    from shiftcheck.errors import ShiftcheckError

    try:
        yaml_load(target, text, folder)
        return "ok", ""
    except ShiftcheckError as e:
        lines = e.line().split("\n")
        name = {"markdown": "F.md: ", "text": "F.txt: "}.get(target, "F.yaml")
        bad = [line for line in lines if not line.startswith(name)] or (
            lines[1:] if target in PROSE_TARGETS else []
        )
        if bad or not lines:
            return "crash", f"bad message: {bad[:1]!r}"
        if target in PROSE_TARGETS and "took longer than" in lines[0]:
            return "timeout", lines[0]  # stopped by its time limit: the limit did its job
        return "error", lines[0]
    except MemoryError:
        return "memory", "MemoryError"
    except Exception as e:
        return "crash", f"{e.__class__.__name__}: {str(e)[:200]}"


def yaml_cases(seeds: dict[str, list[tuple[str, str]]], targets: list[str], rng: random.Random):
    while True:
        for target in targets:
            yield (
                target,
                rng.randrange(len(seeds[target])),
                rng.choice(sorted(mutators_for(target))),
                rng.randrange(1 << 31),
            )


def _yaml_child(case: tuple, seeds: dict, folder: Path, memory_mb: int, wfd: int) -> None:
    import json
    import resource

    try:
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, memory_mb * 1024 * 1024))
        target, idx, op, rng_seed = case
        outcome, detail = yaml_classify(
            target, yaml_mutate(op, seeds[target][idx][1], rng_seed, target), folder
        )
        os.write(
            wfd, json.dumps([outcome, detail[:400]]).encode("utf-8", "replace")
        )  # < a pipe's buffer
    except BaseException as e:  # reported, never raised in a forked child
        os.write(
            wfd, json.dumps(["crash", f"{e.__class__.__name__} in the harness: {e}"[:300]]).encode()
        )
    finally:
        os._exit(0)


def yaml_main(args: argparse.Namespace, targets: list[str]) -> int:
    import json
    import statistics

    global _YAML_RUBRIC
    # import everything once in the parent: each case is a fork
    from shiftcheck.config import load_config  # noqa: F401
    from shiftcheck.rubric import load_rubric
    from shiftcheck.rubric.loader import load_rubric_text  # noqa: F401
    from shiftcheck.waivers import load_waivers  # noqa: F401

    _YAML_RUBRIC = load_rubric(ROOT / "rubrics" / "critical-shifts.yaml")
    if set(targets) & set(PROSE_TARGETS):  # warm: the readers and the engine's compiled rubric
        import shiftcheck.readers.markdown
        import shiftcheck.readers.text  # noqa: F401
        from shiftcheck.api import review

        review(ROOT / "examples" / "01-strong-state-led-nutrition.md", _YAML_RUBRIC)
        review(ROOT / "examples" / "04-mixte-sante-communautaire-guinee.md", _YAML_RUBRIC)
    seeds = yaml_seeds()
    import resource

    parent_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        f"targets: {', '.join(targets)}; seeds: "
        + "; ".join(f"{t}: {', '.join(n for n, _ in seeds[t])}" for t in targets)
        + f"; jobs {args.jobs}; {args.cases} cases per target; a case is killed after {args.yaml_timeout:g} s;"
        f" address space capped at {args.yaml_memory} MB; parent RSS {parent_rss / 1024:.0f} MB",
        flush=True,
    )
    counts = {t: collections.Counter() for t in targets}
    messages = {t: collections.Counter() for t in targets}
    rss = {t: [] for t in targets}
    notable: dict[str, list[str]] = collections.defaultdict(list)
    slowest: list[tuple[float, str]] = []
    gen = yaml_cases(seeds, targets, random.Random(args.seed))
    todo = [next(gen) for _ in range(args.cases * len(targets))]
    running: dict[int, tuple[tuple, int, float]] = {}
    started = time.monotonic()
    done = 0
    with tempfile.TemporaryDirectory(prefix="shiftcheck-yamlfuzz-") as tmp:

        def finish(pid: int, status: int, ru_kb: int, killed: bool) -> None:
            nonlocal done
            case, rfd, t0 = running.pop(pid)
            took = time.monotonic() - t0
            raw = b""
            while True:
                chunk = os.read(rfd, 65536)
                if not chunk:
                    break
                raw += chunk
            os.close(rfd)
            target = case[0]
            if killed:
                outcome, detail = "hang", f"killed after {took:.1f} s"
            elif not raw and os.WIFSIGNALED(status) and os.WTERMSIG(status) in (6, 9):
                outcome, detail = "memory", f"child killed by signal {os.WTERMSIG(status)}"
            elif not raw:
                outcome, detail = "crash", f"child died (status {status})"
            else:
                outcome, detail = json.loads(raw)
            done += 1
            counts[target][outcome] += 1
            rss[target].append(ru_kb)
            if outcome == "error":
                messages[target][
                    re.sub(r"'[^']*'|\d+(?:\.\d+)?", "X", detail.removeprefix("F.yaml"))
                ] += 1
            cid = ":".join(str(x) for x in case)
            if outcome in ("crash", "hang", "memory", "timeout") and len(notable[outcome]) < 20:
                notable[outcome].append(f"{cid}  ({seeds[target][case[1]][0]})  {detail[:200]}")
            slowest.append((took, cid))
            if done % 1000 == 0:
                print(
                    f"  {done} cases, {time.monotonic() - started:.0f} s: "
                    + "; ".join(f"{t} {dict(counts[t])}" for t in targets),
                    flush=True,
                )

        for i, case in enumerate(todo):
            while len(running) >= args.jobs:
                _yaml_reap(running, finish, args.yaml_timeout)
            folder = Path(tmp) / f"c{i % (args.jobs * 4)}"
            folder.mkdir(exist_ok=True)
            rfd, wfd = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(rfd)
                _yaml_child(case, seeds, folder, args.yaml_memory, wfd)
            os.close(wfd)
            running[pid] = (case, rfd, time.monotonic())
            if args.seconds and time.monotonic() - started > args.seconds:
                break
        while running:
            _yaml_reap(running, finish, args.yaml_timeout)
    elapsed = time.monotonic() - started
    print(f"\ncases run: {done} in {elapsed:.0f} s ({done / max(elapsed, 1e-9):.1f}/s)")
    for t in targets:
        c = counts[t]
        r = sorted(rss[t]) or [0]
        print(f"\n[{t}] cases {sum(c.values())}")
        print(f"  loaded (ok):      {c['ok']}")
        print(f"  one-line errors:  {c['error']} ({len(messages[t])} distinct messages)")
        print(f"  crashes:          {c['crash']}")
        print(f"  memory cap hit:   {c['memory']}")
        print(f"  hangs:            {c['hang']} (killed after {args.yaml_timeout:g} s)")
        if t in PROSE_TARGETS:
            print(
                f"  timeouts:         {c['timeout']} (stopped by the {PROSE_READ_TIMEOUT:g} s limit, one line)"
            )
        print(
            f"  peak RSS per case (child, wait4): median {statistics.median(r) / 1024:.0f} MB, "
            f"p99 {r[int(len(r) * 0.99) - 1 if len(r) > 1 else 0] / 1024:.0f} MB, max {r[-1] / 1024:.0f} MB"
        )
        print("  top messages:")
        for msg, n in messages[t].most_common(8):
            print(f"    {n:6d}  {msg[:140]}")
    for outcome in ("crash", "memory", "hang", "timeout"):
        if notable[outcome]:
            print(f"\n{outcome} cases (replay with --repro TARGET:SEED:OP:RNG):")
            for line in notable[outcome]:
                print("  " + line)
    slowest.sort(reverse=True)
    print("\nslowest cases:", ", ".join(f"{c} {t:.2f}s" for t, c in slowest[:5]))
    return (
        1
        if any(counts[t]["crash"] or counts[t]["hang"] or counts[t]["memory"] for t in targets)
        else 0
    )


def _yaml_reap(running: dict, finish: Callable[..., None], timeout: float) -> None:
    """Wait for one child (killing any past its time); hand its rusage to ``finish``."""
    while True:
        pid, status, ru = os.wait4(-1, os.WNOHANG)
        if pid:
            finish(pid, status, ru.ru_maxrss, False)
            return
        now = time.monotonic()
        for p, (_, _, t0) in list(running.items()):
            if now - t0 > timeout:
                os.kill(p, 9)
                _, status, ru = os.wait4(p, 0)
                finish(p, status, ru.ru_maxrss, True)
                return
        time.sleep(0.002)


def yaml_repro(spec: str) -> int:
    global _YAML_RUBRIC
    from shiftcheck.rubric import load_rubric

    _YAML_RUBRIC = load_rubric(ROOT / "rubrics" / "critical-shifts.yaml")
    target, idx, op, rng_seed = spec.split(":")
    seeds = yaml_seeds()
    text = yaml_mutate(op, seeds[target][int(idx)][1], int(rng_seed), target)
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    f = out / f"fuzz-repro-{target}.{ {'markdown': 'md', 'text': 'txt'}.get(target, 'yaml') }"
    f.write_text(text, encoding="utf-8", errors="surrogatepass")
    with tempfile.TemporaryDirectory() as tmp:
        print(f"{f} (seed {seeds[target][int(idx)][0]}):", *yaml_classify(target, text, Path(tmp)))
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument(
        "--seconds", type=float, default=0, help="stop after this long (0 = when --cases are done)"
    )
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=10.0, help="per-read time limit in seconds")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-corpus", action="store_true", help="do not use ../shared/corpus seeds")
    ap.add_argument(
        "--repro",
        help="re-run one case (kind:seed:op:rng:engine, or target:seed:op:rng for YAML) and keep its file",
    )
    ap.add_argument(
        "--targets",
        default="readers",
        help="comma-separated: readers (DOCX and PDF), rubric, config, waivers, yaml (the three YAML targets), markdown, text, prose (both)",
    )
    ap.add_argument(
        "--yaml-timeout",
        type=float,
        default=10.0,
        help="YAML, Markdown and text targets: seconds before a case is killed (a hang)",
    )
    ap.add_argument(
        "--yaml-memory",
        type=int,
        default=2048,
        help="YAML, Markdown and text targets: address-space cap per case, in MB",
    )
    args = ap.parse_args()

    if args.repro and args.repro.split(":", 1)[0] in (*YAML_TARGETS, *PROSE_TARGETS):
        return yaml_repro(args.repro)
    groups = {"yaml": YAML_TARGETS, "prose": PROSE_TARGETS}
    targets = [
        t for part in args.targets.split(",") for t in groups.get(part.strip(), [part.strip()])
    ]
    unknown = [t for t in targets if t not in (*YAML_TARGETS, *PROSE_TARGETS, "readers")]
    if unknown:
        ap.error(f"unknown target(s): {', '.join(unknown)}")
    if "readers" not in targets:
        return yaml_main(args, targets)
    if len(targets) > 1:
        ap.error("run the readers target apart from the YAML targets")

    seeds = load_seeds(not args.no_corpus)
    if args.repro:
        case = parse_case(args.repro)
        out = ROOT / "bench" / "out"
        out.mkdir(parents=True, exist_ok=True)
        f = out / f"fuzz-repro.{case[0]}"
        f.write_bytes(mutate(case[0], case[2], seeds[case[0]][case[1]][1], case[3]))
        print(
            f"{f} (seed {seeds[case[0]][case[1]][0]}):",
            *classify(f, case[0], case[4], args.timeout),
        )
        return 0

    print(
        f"seeds: {len(seeds['docx'])} DOCX, {len(seeds['pdf'])} PDF; jobs {args.jobs}; timeout {args.timeout:g} s"
    )
    import multiprocessing as mp

    counts: collections.Counter[str] = collections.Counter()
    messages: collections.Counter[str] = collections.Counter()
    by_op: collections.Counter[str] = collections.Counter()
    notable: dict[str, list[str]] = collections.defaultdict(list)
    slowest: list[tuple[float, str]] = []
    gen = cases(seeds, random.Random(args.seed))
    todo = (next(gen) for _ in range(args.cases))
    started = time.monotonic()
    done = 0
    with tempfile.TemporaryDirectory(prefix="shiftcheck-fuzz-") as tmp:
        ctx = mp.get_context("fork")
        keys = [("docx", i, "auto") for i in range(len(seeds["docx"]))]
        keys += [("pdf", i, e) for i in range(len(seeds["pdf"])) for e in ("auto", "pdfminer")]
        with ctx.Pool(args.jobs, initializer=_init, initargs=(seeds, tmp, args.timeout)) as pool:
            baseline = dict(pool.map(time_seed, keys))
        slow = sorted(((t, k) for k, t in baseline.items()), reverse=True)[:3]
        print(
            "seed read times (clean): "
            + ", ".join(f"{seeds[k[0]][k[1]][0]} [{k[2]}] {t:.1f} s" for t, k in slow)
            + f"; a case may take {args.timeout:g} s + 3x its seed's time",
            flush=True,
        )
        with ctx.Pool(
            args.jobs,
            initializer=_init,
            initargs=(seeds, tmp, args.timeout, baseline),
            maxtasksperchild=500,
        ) as pool:
            for case, outcome, detail, took in pool.imap_unordered(run_case, todo, chunksize=4):
                done += 1
                counts[outcome] += 1
                by_op[f"{case[0]}/{case[2]}/{outcome}"] += 1
                if outcome in ("error", "bug", "native", "timeout", "hang"):
                    messages[message_key(detail)] += 1
                if (
                    outcome in ("crash", "bug", "native", "timeout", "hang")
                    and len(notable[outcome]) < 20
                ):
                    notable[outcome].append(
                        f"{case_id(case)}  ({seeds[case[0]][case[1]][0]})  {detail[:160]}"
                    )
                slowest.append((took, case_id(case)))
                if done % 500 == 0:
                    print(
                        f"  {done} cases, {time.monotonic() - started:.0f} s: {dict(counts)}",
                        flush=True,
                    )
                if args.seconds and time.monotonic() - started > args.seconds:
                    pool.terminate()
                    break
    elapsed = time.monotonic() - started
    print(f"\ncases run:          {done} in {elapsed:.0f} s ({done / max(elapsed, 1e-9):.1f}/s)")
    print(f"documents read:     {counts['document']}")
    print(
        f"one-line errors:    {counts['error']} ({len([m for m in messages if m])} distinct messages incl. bugs/timeouts)"
    )
    print(f"bugs (caught):      {counts['bug']}")
    print(f"native crashes:     {counts['native']} (contained by the sandbox)")
    print(
        f"timeouts:           {counts['timeout']} (stopped at the time limit, --timeout + 3x the seed's own read"
        " time, with the documented one-line error)"
    )
    print(f"hangs:              {counts['hang']} (reads that ran more than 5 s past their limit)")
    print(f"crashes:            {counts['crash']}")
    print("\ntop 10 messages:")
    for msg, n in messages.most_common(10):
        print(f"  {n:6d}  {msg[:150]}")
    for outcome in ("crash", "bug", "native", "hang", "timeout"):
        if notable[outcome]:
            print(f"\n{outcome} cases (replay with --repro CASE):")
            for line in notable[outcome]:
                print("  " + line)
    slowest.sort(reverse=True)
    print("\nslowest cases:", ", ".join(f"{c} {t:.1f}s" for t, c in slowest[:5]))
    return 1 if counts["crash"] else 0


if __name__ == "__main__":
    sys.exit(main())
