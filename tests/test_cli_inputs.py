"""Bad input through the real CLI (a subprocess): one stderr line naming the file, exit code 2."""

from __future__ import annotations

import io
import json
import random
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from shiftcheck.readers.detect import CFB_MAGIC

from .clirun import run_cli

REPO = Path(__file__).resolve().parents[1]


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(args, cwd, {"COLUMNS": "200"}, timeout=120)


def rubric_args() -> list[str]:
    """Arguments selecting a rubric for 'review': the default one, else the small test rubric."""
    from shiftcheck.errors import ShiftcheckError
    from shiftcheck.rubric import load_rubric

    try:
        load_rubric(None)
        return []
    except ShiftcheckError:
        mini = REPO / "tests" / "rubrics" / "mini.yaml"
        if mini.exists():
            return ["--rubric", str(mini)]
    pytest.skip("no rubric available to run 'review'")
    return []  # pragma: no cover


def assert_one_line_error(proc: subprocess.CompletedProcess[str], name: str, *needles: str) -> str:
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip("\n").splitlines()
    assert len(lines) == 1, proc.stderr
    line = lines[0]
    assert line.startswith(f"{name}: "), line
    for needle in needles:
        assert needle.lower() in line.lower(), line
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    return line


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            compress = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            zf.writestr(name, data, compress_type=compress)
    return buf.getvalue()


def _cfb(extra: bytes = b"") -> bytes:
    return CFB_MAGIC + b"\x00" * 504 + extra + b"\x00" * 2048


# name -> (bytes or None for "do not create", words the message must contain)
BAD_INPUTS: dict[str, tuple[bytes | None, tuple[str, ...]]] = {
    "missing.docx": (None, ("no such file",)),
    "empty.md": (b"", ("empty",)),
    "old.doc": (_cfb(), (".doc", "docx")),
    "secret.docx": (_cfb("EncryptedPackage".encode("utf-16-le")), ("password",)),
    "draft.odt": (
        _zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}),
        ("opendocument",),
    ),
    "notes.rtf": (b"{\\rtf1\\ansi\\deff0 {\\fonttbl {\\f0 Times;}} Hello world.}", ("rtf",)),
    "scan.png": (b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(64), ("png", "ocr")),
    "photo.jpg": (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(64), ("jpeg", "ocr")),
    "proposal.pages": (
        _zip({"Index/Document.iwa": b"\x00\x01", "Metadata/Properties.plist": b"x"}),
        ("pages",),
    ),
    "blob.bin": (random.Random(1234).randbytes(8192), ("binary",)),
    "page.txt": (b"<!DOCTYPE html>\n<html><body><p>Hi</p></body></html>\n", ("html",)),
    "fake.pdf": (b"Not really a PDF, just some words.\n", ("pdf",)),
}


@pytest.fixture
def bad_dir(tmp_path: Path) -> Path:
    for name, (data, _needles) in BAD_INPUTS.items():
        if data is not None:
            (tmp_path / name).write_bytes(data)
    (tmp_path / "folder").mkdir()
    (tmp_path / "folder" / "inside.md").write_text("# Inside\n\nText.\n")
    return tmp_path


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_inspect_bad_input(bad_dir: Path, name: str) -> None:
    assert_one_line_error(run(["inspect", name], bad_dir), name, *BAD_INPUTS[name][1])


@pytest.mark.parametrize("name", ["missing.docx", "old.doc", "secret.docx", "scan.png"])
def test_review_bad_input(bad_dir: Path, name: str) -> None:
    assert_one_line_error(
        run(["review", *rubric_args(), name], bad_dir), name, *BAD_INPUTS[name][1]
    )


def test_review_batch_of_bad_inputs_gives_one_line_each(bad_dir: Path) -> None:
    (bad_dir / "good.md").write_text("# Good\n\nThe ministry will chair the steering committee.\n")
    names = sorted(BAD_INPUTS)
    proc = run(["review", *rubric_args(), names[0], "good.md", *names[1:]], bad_dir)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip("\n").splitlines()
    assert [line.split(": ", 1)[0] for line in lines] == names, proc.stderr
    assert "good.md" in proc.stdout
    assert proc.returncode == 2


@pytest.mark.parametrize("command", ["inspect", "review"])
def test_folder(bad_dir: Path, command: str) -> None:
    if command == "inspect":
        assert_one_line_error(run(["inspect", "folder"], bad_dir), "folder", "folder")
        return
    # review walks a folder for supported documents; an empty one is a usage error
    ok = run(["review", *rubric_args(), "folder"], bad_dir)
    assert ok.returncode == 0, ok.stderr
    assert "folder/inside.md" in ok.stdout
    (bad_dir / "empty").mkdir()
    assert_one_line_error(run(["review", *rubric_args(), "empty"], bad_dir), "empty", "no document")


@pytest.mark.parametrize("command", ["inspect", "review"])
def test_max_size(tmp_path: Path, command: str) -> None:
    big = tmp_path / "big.txt"
    big.write_text(("The ministry will chair the committee. " * 40 + "\n\n") * 1400)  # ~2.2 MB
    extra = rubric_args() if command == "review" else []
    proc = run([command, *extra, "--max-size", "1", "big.txt"], tmp_path)
    assert_one_line_error(proc, "big.txt", "limit", "--max-size")
    # the same file under a larger limit is read
    ok = run(["inspect", "--max-size", "5", "big.txt"], tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert ok.stderr == ""


def test_batch_review_keeps_going_and_exits_2(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(
        "# Good proposal\n\nThe ministry will chair the steering committee.\n"
    )
    proc = run(["review", *rubric_args(), "good.md", "missing.md"], tmp_path)
    assert_one_line_error(proc, "missing.md", "no such file")
    assert "good.md" in proc.stdout


def test_inspect_json_markdown(tmp_path: Path) -> None:
    (tmp_path / "p.md").write_text(
        "# Plan\n\nIntro text.\n\n## Budget\n\n- Item *one*\n\n| A | B |\n|---|---|\n| 1 | 2 |\n",
        encoding="utf-8",
    )
    proc = run(["inspect", "--json", "p.md"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    for row in rows:
        assert {"kind", "text", "line", "heading_path"} <= row.keys()
    assert [(r["kind"], r["text"], r["line"], r["heading_path"]) for r in rows] == [
        ("heading", "Plan", 1, []),
        ("paragraph", "Intro text.", 3, ["Plan"]),
        ("heading", "Budget", 5, ["Plan"]),
        ("list_item", "Item one", 7, ["Plan", "Budget"]),
        ("table_cell", "A", 9, ["Plan", "Budget"]),
        ("table_cell", "B", 9, ["Plan", "Budget"]),
        ("table_cell", "1", 11, ["Plan", "Budget"]),
        ("table_cell", "2", 11, ["Plan", "Budget"]),
    ]
    assert [(r["table"], r["row"], r["col"]) for r in rows[4:]] == [
        (1, 1, 1),
        (1, 1, 2),
        (1, 2, 1),
        (1, 2, 2),
    ]
    assert rows[3]["list_level"] == 1
    assert [r["index"] for r in rows] == list(range(1, len(rows) + 1))


def test_inspect_text_file_with_french_accents(tmp_path: Path) -> None:
    (tmp_path / "fr.txt").write_bytes("Le ministère présidera le comité.\n".encode("cp1252"))
    proc = run(["inspect", "--json", "fr.txt"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[0])["text"] == "Le ministère présidera le comité."


def test_version_does_not_import_heavy_modules(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "shiftcheck", "--version"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("shiftcheck ")
    imported = set()
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        module = line.rsplit("|", 1)[1].strip()
        imported.add(module.split(".")[0])
    assert "shiftcheck" in imported  # the parse worked
    heavy = {"docx", "pdfminer", "pypdfium2", "pydantic", "typer"}
    assert not heavy & imported, sorted(heavy & imported)
