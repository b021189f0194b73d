"""One convention for every limit: 0 means no limit, for every flag and every ``limits.*`` key; a
negative value is refused. Before, ``--max-pages 0`` (and ``max_xml_depth: 0``) were refused
while every other limit took 0 = no limit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from shiftcheck.config import LimitsConfig
from shiftcheck.errors import LimitExceeded
from shiftcheck.limits import Limits
from shiftcheck.readers import read

from ..clirun import run_main as run
from ..readers.pdfgen import PdfBuilder

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "01-strong-state-led-nutrition.md"
FLAGS = ["--max-size", "--timeout", "--max-pages", "--max-memory"]


@pytest.fixture
def here(tmp_path, monkeypatch):
    monkeypatch.delenv("SHIFTCHECK_CONFIG", raising=False)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _three_pages(path: Path) -> Path:
    pdf = PdfBuilder(title="T")
    for i in range(3):
        pdf.page().lines(72, 700, [f"{i + 1} Section", "The county leads the annual review."])
    path.write_bytes(pdf.bytes())
    return path


@pytest.mark.parametrize("key", list(LimitsConfig.model_fields))
def test_every_limit_key_takes_zero_and_refuses_negative(key):
    assert getattr(LimitsConfig(**{key: 0}), key) == 0
    with pytest.raises(ValueError):
        LimitsConfig(**{key: -1})


@pytest.mark.parametrize("flag", FLAGS)
def test_every_limit_flag_takes_zero(here, capsys, flag):
    shutil.copy(EXAMPLE, here / "p.md")
    code, out, err = run(capsys, "review", "p.md", "--summary", flag, "0")
    assert code == 0, err
    assert "p.md" in out


def test_max_pages_zero_reads_every_page(here, capsys):
    pdf = _three_pages(here / "three.pdf")
    with pytest.raises(LimitExceeded):
        read(pdf, Limits(max_pages=2))
    for engine in ("pdfium", "pdfminer"):
        assert read(pdf, Limits(max_pages=0), pdf_engine=engine).pages == 3
    code, _, err = run(capsys, "review", "three.pdf", "--summary", "--max-pages", "0")
    assert code == 0, err


def test_config_zero_limits_are_accepted(here, capsys):
    shutil.copy(EXAMPLE, here / "p.md")
    keys = "\n".join(f"  {k}: 0" for k in LimitsConfig.model_fields)
    (here / ".shiftcheck.yaml").write_text(f"limits:\n{keys}\n")
    code, _, err = run(capsys, "review", "p.md", "--summary")
    assert code == 0, err


def test_a_negative_limit_is_one_line_exit_2(here, capsys):
    shutil.copy(EXAMPLE, here / "p.md")
    code, _, err = run(capsys, "review", "p.md", "--max-pages", "-1")
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "max_pages" in err.replace("-", "_"), err


def test_the_convention_is_documented():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "0 means no limit" in readme
    workflow = (ROOT / "docs" / "workflow.md").read_text(encoding="utf-8")
    for key in LimitsConfig.model_fields:
        row = next(line for line in workflow.splitlines() if line.startswith(f"| `limits.{key}`"))
        assert "0 = no limit" in row, row
