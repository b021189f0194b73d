#!/usr/bin/env python3
"""Mutation fuzzing of the DOCX and PDF readers, through the sandbox (shiftcheck.sandbox).

Usage:
    python bench/fuzz.py --cases 10000 [--seconds 0] [--jobs N] [--timeout 10] [--seed 1]
    python bench/fuzz.py --repro 'docx:3:zip-rename:123456:auto'     # re-run one case, keep the file

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
    sys.path.insert(0, str(ROOT / "tests" / "readers"))
    from pdfgen import PdfBuilder

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
        outcome, detail = "hang", f"ran {took:.1f} s against a {limit:.0f} s limit ({outcome}: {detail})"
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
    ap.add_argument("--repro", help="re-run one case (kind:seed:op:rng:engine) and keep its file")
    args = ap.parse_args()

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
                if outcome in ("crash", "bug", "native", "timeout", "hang") and len(notable[outcome]) < 20:
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
