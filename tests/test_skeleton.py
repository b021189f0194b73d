import subprocess
import sys

from shiftcheck import __version__
from shiftcheck.document import BlockKind, HeadingTracker
from shiftcheck.errors import InputError


def test_version_command_prints_version():
    out = subprocess.run(
        [sys.executable, "-m", "shiftcheck", "--version"], capture_output=True, text=True
    )
    assert out.returncode == 0
    assert out.stdout.strip() == f"shiftcheck {__version__}"


def test_error_line_names_file_problem_and_hint():
    e = InputError("a/b.docx", "is empty (0 bytes)", "Save the document again")
    assert e.line() == "a/b.docx: is empty (0 bytes). Save the document again"


def test_heading_tracker_builds_paths():
    t = HeadingTracker()
    assert t.enter(1, "3 Technical approach") == ()
    assert t.enter(2, "3.2 Sustainability") == ("3 Technical approach",)
    assert t.path == ("3 Technical approach", "3.2 Sustainability")
    assert t.enter(1, "4 Budget") == ()
    assert t.path == ("4 Budget",)
    assert BlockKind.TABLE_CELL == "table_cell"
